"""TabularMDP and the planners: exact answers on random MDPs, the dense form, the value object."""

import dataclasses

import gymnasium
import numpy as np
import pytest

from rlsandbox.envs.layouts import generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.mdp import (
    PlanResult,
    TabularMDP,
    greedy_policy,
    policy_evaluation,
    policy_iteration,
    q_values,
    value_iteration,
)
from tests.mdp_oracles import bellman_residual, brute_force_optimum, one_hot, random_mdp, solve

# ------------------------------------------------------------------------ exact optimum


@pytest.mark.parametrize("seed", range(12))
def test_value_iteration_matches_brute_force_optimum(seed):
    mdp = random_mdp(seed, gamma=[0.5, 0.9, 0.99][seed % 3])
    result = value_iteration(mdp, tol=1e-12)
    assert result.converged
    np.testing.assert_allclose(result.values, brute_force_optimum(mdp), atol=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_policy_iteration_matches_brute_force_optimum(seed):
    mdp = random_mdp(seed, n_states=5, n_actions=2, n_outcomes=3, gamma=0.95)
    result = policy_iteration(mdp)
    assert result.converged
    optimum = brute_force_optimum(mdp)
    np.testing.assert_allclose(result.values, optimum, atol=1e-10)
    np.testing.assert_allclose(solve(mdp, one_hot(result.policy, 2)), optimum, atol=1e-10)


def test_value_iteration_policy_is_optimal_and_result_is_consistent():
    mdp = random_mdp(3, n_states=6, n_actions=3, n_outcomes=3, gamma=0.95)
    result = value_iteration(mdp, tol=1e-10)
    assert isinstance(result, PlanResult)
    np.testing.assert_allclose(solve(mdp, one_hot(result.policy, 3)), result.values, atol=1e-8)
    np.testing.assert_array_equal(result.values, result.q_values.max(axis=1))
    np.testing.assert_array_equal(result.policy, result.q_values.argmax(axis=1))
    assert result.iterations == len(result.residuals) and result.residuals[-1] < 1e-10
    assert bellman_residual(mdp, result.values) < 1e-10


def test_value_iteration_error_respects_the_documented_bound():
    mdp = random_mdp(5, n_states=4, n_actions=2, gamma=0.9)
    tol = 1e-3
    gap = np.abs(value_iteration(mdp, tol=tol).values - brute_force_optimum(mdp)).max()
    assert gap <= 0.9 * tol / (1 - 0.9)


def test_terminated_outcomes_do_not_bootstrap():
    # One state; action 0 loops with reward 1 (worth 2 forever), action 1 "loops" too but
    # terminates with reward 5: its next state's value must not be added.
    mdp = TabularMDP([[[0], [0]]], np.ones((1, 2, 1)), [[[1.0], [5.0]]], [[[False], [True]]],
                     0.5)
    np.testing.assert_allclose(q_values(mdp, np.array([10.0])), [[6.0, 5.0]])
    np.testing.assert_allclose(value_iteration(mdp, tol=1e-12).values, [5.0], atol=1e-11)


def test_q_values_follow_the_formula():
    mdp = random_mdp(7)
    v = np.random.default_rng(0).normal(size=mdp.n_states)
    expected = np.zeros((mdp.n_states, mdp.n_actions))
    for s, a, k in np.ndindex(mdp.probs.shape):
        boot = 0.0 if mdp.terminated[s, a, k] else mdp.gamma * v[mdp.next_states[s, a, k]]
        expected[s, a] += mdp.probs[s, a, k] * (mdp.rewards[s, a, k] + boot)
    np.testing.assert_allclose(q_values(mdp, v), expected, atol=1e-12)


def test_greedy_policy_takes_the_first_best_action():
    q = np.array([[1.0, 3.0, 3.0], [-1.0, -1.0, -2.0], [0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(greedy_policy(q), [1, 0, 0])


# -------------------------------------------------------------------- policy evaluation


@pytest.mark.parametrize("seed", range(5))
def test_policy_evaluation_matches_linear_solve(seed):
    mdp = random_mdp(seed, n_states=7, n_actions=3, n_outcomes=3, gamma=0.97)
    rng = np.random.default_rng(seed)
    actions = rng.integers(0, 3, size=7)
    stochastic = rng.dirichlet(np.ones(3), size=7)
    np.testing.assert_allclose(policy_evaluation(mdp, actions), solve(mdp, one_hot(actions, 3)))
    np.testing.assert_allclose(policy_evaluation(mdp, stochastic), solve(mdp, stochastic))


@pytest.mark.parametrize("n_outcomes", [1, 2])
def test_policy_evaluation_of_large_models_matches_linear_solve(n_outcomes):
    # Over 2000 states: pointer doubling (deterministic) or iterative sweeps (stochastic).
    mdp = random_mdp(1, n_states=2100, n_actions=2, n_outcomes=n_outcomes, gamma=0.99,
                     p_end=0.01)
    policy = np.random.default_rng(2).integers(0, 2, size=2100)
    exact = solve(mdp, one_hot(policy, 2))
    np.testing.assert_allclose(policy_evaluation(mdp, policy, tol=1e-10), exact, atol=1e-9)


def test_policy_evaluation_with_gamma_one():
    # A three-state corridor to a terminal exit; with gamma=1 values are sums of rewards.
    P = np.zeros((1, 3, 3))
    P[0, 0, 1] = P[0, 1, 2] = P[0, 2, 2] = 1.0
    mdp = TabularMDP.from_dense(P, [[-1.0], [-1.0], [0.0]], gamma=1.0)
    np.testing.assert_allclose(policy_evaluation(mdp, [0, 0, 0]), [-2.0, -1.0, 0.0])


def test_policy_evaluation_rejects_an_endless_earning_loop_with_gamma_one():
    mdp = TabularMDP.from_dense(np.ones((1, 1, 1)), [[-1.0]], gamma=1.0)
    with pytest.raises(ValueError, match="gamma=1 the policy never terminates from state 0"):
        policy_evaluation(mdp, [0])


# ------------------------------------------------------------------------- dense form


def test_from_dense_to_dense_round_trip():
    mdp = random_mdp(4, n_states=5, n_actions=3, p_end=0.0)
    P, R = mdp.to_dense()
    assert P.shape == (3, 5, 5) and R.shape == (5, 3)
    P2, R2 = TabularMDP.from_dense(P, R, mdp.gamma).to_dense()
    np.testing.assert_array_equal(P2, P)
    np.testing.assert_allclose(R2, R, atol=1e-15)
    np.testing.assert_allclose(value_iteration(TabularMDP.from_dense(P, R, 0.9)).values,
                               value_iteration(mdp).values, atol=1e-12)


def test_from_dense_accepts_per_transition_rewards():
    P = np.array([[[0.25, 0.75], [0.0, 1.0]]])
    R = np.array([[[4.0, 8.0], [1.0, 2.0]]])
    mdp = TabularMDP.from_dense(P, R, gamma=0.5)
    assert mdp.probs.shape == (2, 1, 2)  # K = most successors of a state-action
    np.testing.assert_allclose(mdp.to_dense()[1], [[7.0], [2.0]])
    assert not mdp.terminated.any()


def test_to_dense_keeps_frozen_lake_values():
    mdp = TabularMDP.from_env(gymnasium.make("FrozenLake-v1"), gamma=0.9)
    dense = TabularMDP.from_dense(*mdp.to_dense(), gamma=0.9)
    np.testing.assert_allclose(value_iteration(dense).values, value_iteration(mdp).values,
                               atol=1e-7)


def test_to_dense_refuses_termination_it_cannot_express():
    mdp = TabularMDP.from_env(gymnasium.make("CliffWalking-v1"))
    with pytest.raises(ValueError, match="not absorbing with zero reward"):
        mdp.to_dense()


# ----------------------------------------------------------------------- a value object


def test_mdp_is_an_immutable_copy_of_its_inputs():
    probs = np.ones((2, 1, 1))
    mdp = TabularMDP(np.zeros((2, 1, 1), int), probs, np.zeros((2, 1, 1)),
                     np.zeros((2, 1, 1), bool), 0.9)
    probs[0] = 5.0
    assert mdp.probs[0, 0, 0] == 1.0 and not mdp.probs.flags.writeable
    with pytest.raises(dataclasses.FrozenInstanceError):
        mdp.gamma = 0.5
    assert (mdp.n_states, mdp.n_actions) == (2, 1)
    assert repr(mdp) == "TabularMDP(n_states=2, n_actions=1, n_outcomes=1, gamma=0.9)"


def test_gamma_one_that_never_converges_warns_about_termination():
    mdp = TabularMDP([[[0]]], [[[1.0]]], [[[1.0]]], [[[False]]], gamma=1.0)  # +1 forever
    with pytest.warns(RuntimeWarning, match="gamma=1, some policy may never terminate"):
        result = value_iteration(mdp, max_iters=50)
    assert not result.converged and result.iterations == 50


def test_iteration_limit_warns_and_reports_not_converged():
    mdp = random_mdp(0, gamma=0.99)
    with pytest.warns(RuntimeWarning, match="did not converge in 3 rounds"):
        result = value_iteration(mdp, max_iters=3)
    assert not result.converged and result.q_values.shape == (4, 3)


def test_policy_evaluation_with_gamma_one_pins_free_zero_reward_cycles_to_zero():
    # 0 -> 1 (reward -1), then 1 <-> 2 forever at reward 0: V = [-1, 0, 0].
    P = np.zeros((1, 3, 3))
    P[0, 0, 1] = P[0, 1, 2] = P[0, 2, 1] = 1.0
    mdp = TabularMDP.from_dense(P, [[-1.0], [0.0], [0.0]], gamma=1.0)
    np.testing.assert_allclose(policy_evaluation(mdp, [0, 0, 0]), [-1.0, 0.0, 0.0])
    R = [[-1.0], [1.0], [-1.0]]  # the cycle now pays +1, -1, +1, ...: no value
    with pytest.raises(ValueError, match="never terminates from state 1"):
        policy_evaluation(TabularMDP.from_dense(P, R, gamma=1.0), [0, 0, 0])


def test_unconverged_q_values_are_the_backup_of_the_returned_values():
    mdp = TabularMDP.from_env(MazeEnv(generate_maze(41, 41, seed=0)), gamma=0.99)
    for max_iters in (2, 5, 30):  # stop after full sweeps and after partial rounds
        with pytest.warns(RuntimeWarning):
            result = value_iteration(mdp, max_iters=max_iters)
        q = q_values(mdp, result.values)
        if not np.array_equal(result.values, result.q_values.max(axis=1)):
            np.testing.assert_allclose(result.q_values, q, atol=1e-12)
        np.testing.assert_array_equal(result.policy, greedy_policy(result.q_values))
