"""TabularMDP and the planners reject bad input with a ValueError that names the problem."""

import numpy as np
import pytest

from rlsandbox.mdp import (
    TabularMDP,
    greedy_policy,
    policy_evaluation,
    policy_iteration,
    q_values,
    value_iteration,
)

# ------------------------------------------------------------------------- validation

S1 = np.zeros((1, 1, 1), int)
ONE, ZERO, NO = np.ones((1, 1, 1)), np.zeros((1, 1, 1)), np.zeros((1, 1, 1), bool)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.zeros((1, 1), int), ONE, ZERO, NO, 0.9), r"next_states must be a 3-D array"),
        ((S1, np.ones((1, 1, 2)), ZERO, NO, 0.9), r"probs has shape \(1, 1, 2\) but"),
        ((np.zeros((0, 1, 1), int), ONE[:0], ZERO[:0], NO[:0], 0.9), "at least one state"),
        ((ONE, ONE, ZERO, NO, 0.9), "next_states must hold integers"),
        ((S1 + 1, ONE, ZERO, NO, 0.9), r"next_states\[s=0, a=0, k=0\] = 1 is not a state id"),
        ((S1, -ONE, ZERO, NO, 0.9), r"probs\[s=0, a=0, k=0\] = -1.0 is negative"),
        ((S1, ONE * np.nan, ZERO, NO, 0.9), r"probs\[s=0, a=0, k=0\] is nan"),
        ((S1, ONE / 2, ZERO, NO, 0.9), r"\(s=0, a=0\) sum to 0.5, not 1"),
        ((S1, ONE, ONE * np.inf, NO, 0.9), r"rewards\[s=0, a=0, k=0\] is inf; rewards must"),
        ((S1, ONE, ZERO.astype(str), NO, 0.9), "rewards must hold real numbers"),
        ((S1, ONE, ZERO, ONE * 2, 0.9), "terminated must hold booleans"),
        ((S1, ONE, ZERO, NO, 0.0), r"gamma must be a number in \(0, 1\]"),
        ((S1, ONE, ZERO, NO, 1.5), r"gamma must be a number in \(0, 1\]"),
        ((S1, ONE, ZERO, NO, np.nan), r"gamma must be a number in \(0, 1\]"),
        ((S1, ONE, ZERO, NO, True), r"gamma must be a number in \(0, 1\]"),
        ((S1, ONE, ZERO, NO, "0.9"), r"gamma must be a number in \(0, 1\]"),
        (([[[0]], [[0, 1]]], ONE, ZERO, NO, 0.9), "next_states could not be turned into"),
    ],
)
def test_invalid_mdp_arrays_raise_value_error_naming_the_problem(args, message):
    with pytest.raises(ValueError, match=message):
        TabularMDP(*args)


def test_the_offending_state_action_is_named():
    probs = np.full((3, 2, 2), 0.5)
    probs[2, 1] = [0.5, 0.6]
    with pytest.raises(ValueError, match=r"\(s=2, a=1\) sum to 1.1"):
        TabularMDP(np.zeros((3, 2, 2), int), probs, np.zeros((3, 2, 2)),
                   np.zeros((3, 2, 2), bool), 0.9)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: value_iteration(m, tol=0), "tol must be a positive number"),
        (lambda m: value_iteration(m, max_iters=0), "max_iters must be a positive int"),
        (lambda m: value_iteration("mdp"), "expected a TabularMDP, got str"),
        (lambda m: policy_iteration(m, max_iters=1.5), "max_iters must be a positive int"),
        (lambda m: policy_evaluation(m, [0, 1]), r"policy must have shape \(1,\)"),
        (lambda m: policy_evaluation(m, [1]), r"policy\[0\] = 1 is not an action in \[0, 1\)"),
        (lambda m: policy_evaluation(m, [0.0]), "must hold integer actions"),
        (lambda m: policy_evaluation(m, [[0.5]]), "action probabilities of state 0 sum to"),
        (lambda m: policy_evaluation(m, [[-1.0]]), "is not a probability"),
        (lambda m: policy_evaluation(m, [0], tol=-1), "tol must be a positive number"),
        (lambda m: q_values(m, [1.0, 2.0]), r"values must be a real array of shape \(1,\)"),
        (lambda m: q_values(m, [np.inf]), "is not finite"),
        (lambda m: greedy_policy([1.0, 2.0]), r"q_values must be a real \(S, A\) array"),
        (lambda m: greedy_policy([[np.nan]]), r"q_values\[0, 0\] is NaN"),
    ],
)
def test_invalid_planner_arguments_raise_value_error(call, message):
    mdp = TabularMDP(S1, ONE, ZERO, NO, 0.9)
    with pytest.raises(ValueError, match=message):
        call(mdp)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (object(), "publishes no model"),
        (type("E", (), {"P": {0: {0: []}}})(), r"env.P\[0\]\[0\] is empty"),
        (type("E", (), {"P": {0: {0: [(1.0, 0, 0.0)]}}})(), "each outcome must be a"),
        (type("E", (), {"P": {1: {0: [(1.0, 0, 0.0, False)]}}})(), "no entry for state 0"),
        (type("E", (), {"P": {0: {0: [(1.0, 3, 0.0, False)]}}})(), "is not a state id"),
    ],
)
def test_from_env_rejects_envs_without_a_usable_model(env, message):
    with pytest.raises(ValueError, match=message):
        TabularMDP.from_env(env)


@pytest.mark.parametrize(
    ("P", "R", "message"),
    [
        (np.ones((1, 2, 3)), np.zeros((2, 1)), r"P must have shape \(A, S, S\)"),
        (np.ones((1, 1, 1)), np.zeros((2, 2)), r"R must have shape \(S, A\)"),
        (np.full((1, 2, 2), 0.4), np.zeros((2, 1)), r"\(s=0, a=0\) sum to 0.8"),
        (np.ones((1, 1, 1)), np.array([["x"]]), "P and R must hold real numbers"),
    ],
)
def test_from_dense_rejects_malformed_matrices(P, R, message):
    with pytest.raises(ValueError, match=message):
        TabularMDP.from_dense(P, R, 0.9)
