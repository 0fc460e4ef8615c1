"""TabularMDP and the planners: exact answers on random MDPs, mazes and Gymnasium's toy text."""

import dataclasses
import itertools
import warnings
from collections import deque

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

# ------------------------------------------------------------------------------ oracles


def random_mdp(seed, n_states=4, n_actions=3, n_outcomes=2, gamma=0.9, p_end=0.2):
    """A random MDP with sparse outcomes, some of them terminating."""
    rng = np.random.default_rng(seed)
    shape = (n_states, n_actions, n_outcomes)
    probs = rng.random(shape) * (rng.random(shape) < 0.8)
    probs[..., 0] += 0.1  # every state-action has an outcome
    probs /= probs.sum(axis=2, keepdims=True)
    return TabularMDP(
        rng.integers(0, n_states, shape), probs, rng.normal(size=shape),
        rng.random(shape) < p_end, gamma,
    )


def dense_chain(mdp, pi):
    """Expected reward r_pi and discounted, termination-masked transition matrix of a policy."""
    n = mdp.n_states
    r = np.einsum("sa,sak,sak->s", pi, mdp.probs, mdp.rewards)
    M = np.zeros((n, n))
    w = mdp.gamma * pi[:, :, None] * mdp.probs * ~mdp.terminated
    np.add.at(M, (np.broadcast_to(np.arange(n)[:, None, None], w.shape), mdp.next_states), w)
    return r, M


def solve(mdp, pi):
    r, M = dense_chain(mdp, pi)
    return np.linalg.solve(np.eye(mdp.n_states) - M, r)


def one_hot(policy, n_actions):
    return np.eye(n_actions)[policy]


def brute_force_optimum(mdp):
    """Elementwise max of V^pi over every deterministic policy (the optimum attains it)."""
    best = np.full(mdp.n_states, -np.inf)
    for actions in itertools.product(range(mdp.n_actions), repeat=mdp.n_states):
        best = np.maximum(best, solve(mdp, one_hot(np.array(actions), mdp.n_actions)))
    return best


def bellman_residual(mdp, values):
    return float(np.abs(q_values(mdp, values).max(axis=1) - values).max())


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


# ---------------------------------------------------------------------------- the maze


def bfs_distance(env, start, goals):
    grid, dist = env.unwrapped.grid, {start: 0}
    queue = deque([start])
    while queue:
        r, c = queue.popleft()
        for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1)):
            cell = (r + dr, c + dc)
            if grid[cell] not in "#X" and cell not in dist:
                dist[cell] = dist[(r, c)] + 1
                queue.append(cell)
    return min(dist[g] for g in goals)


def closed_form_start_value(d, gamma, step=-0.1, goal=10.0):
    return sum(gamma**t * step for t in range(d - 1)) + gamma ** (d - 1) * goal


@pytest.mark.parametrize(("size", "seed", "loops"), [(21, 0, 0.0), (41, 1, 0.0), (31, 2, 0.3)])
def test_generated_maze_start_value_and_greedy_path_match_shortest_path(size, seed, loops):
    env = MazeEnv(generate_maze(size, size, seed=seed, loops=loops))
    result = value_iteration(TabularMDP.from_env(env, gamma=0.99))
    start = env.state_to_cell(env.start_state)
    d = bfs_distance(env, start, [env.state_to_cell(g) for g in env.goal_states])
    assert result.values[env.start_state] == pytest.approx(closed_form_start_value(d, 0.99),
                                                           abs=1e-10)
    state, _ = env.reset(seed=0)
    steps, terminated, truncated = 0, False, False
    while not (terminated or truncated):
        state, _, terminated, truncated, info = env.step(int(result.policy[state]))
        steps += 1
    assert terminated and info["is_success"] and steps == d


def synchronous_value_iteration(mdp, tol):
    values, p, r = np.zeros(mdp.n_states), mdp.probs, mdp.rewards
    while True:
        new = (p * (r + mdp.gamma * ~mdp.terminated * values[mdp.next_states])).sum(2).max(1)
        change, values = np.abs(new - values).max(), new
        if change < tol:
            return values


@pytest.mark.parametrize("slip", [0.0, 0.3])
def test_value_iteration_equals_synchronous_value_iteration_on_a_maze(slip):
    mdp = TabularMDP.from_env(MazeEnv(generate_maze(61, 61, seed=3), slip=slip), gamma=0.99)
    result = value_iteration(mdp, tol=1e-8)
    np.testing.assert_allclose(result.values, synchronous_value_iteration(mdp, 1e-8), atol=1e-8)
    assert bellman_residual(mdp, result.values) < 1e-8


def test_value_iteration_handles_a_state_with_thousands_of_predecessors():
    # A long corridor where action 1 jumps back to state 0 from anywhere (state 0 has
    # 3000 predecessors) and the last state pays 100 and ends the episode.
    n = 3000
    states = np.arange(n)
    next_states = np.stack([np.minimum(states + 1, n - 1), np.zeros(n, int)], axis=1)
    rewards = np.stack([np.where(states == n - 1, 100.0, -0.01), np.zeros(n)], axis=1)
    terminated = np.stack([states == n - 1, np.zeros(n, bool)], axis=1)
    mdp = TabularMDP(next_states[..., None], np.ones((n, 2, 1)), rewards[..., None],
                     terminated[..., None], gamma=0.999)
    result = value_iteration(mdp)
    np.testing.assert_allclose(result.values, synchronous_value_iteration(mdp, 1e-8), atol=1e-8)
    np.testing.assert_allclose(policy_evaluation(mdp, result.policy), result.values, atol=1e-6)


@pytest.mark.parametrize("layout", ["classic", "four-rooms", "tiny", "cliff"])
def test_slippery_maze_values_equal_policy_iteration_and_exact_greedy_values(layout):
    mdp = TabularMDP.from_env(MazeEnv(layout, slip=0.2), gamma=0.95)
    vi = value_iteration(mdp, tol=1e-11)
    pi = policy_iteration(mdp)
    np.testing.assert_allclose(vi.values, pi.values, atol=1e-9)
    np.testing.assert_allclose(solve(mdp, one_hot(vi.policy, 4)), pi.values, atol=1e-9)


def test_from_env_on_a_maze_uses_outcome_arrays_and_agrees_with_toy_text_p():
    env = MazeEnv("four-rooms", slip=0.1)

    class OnlyP:  # the same model through Gymnasium's toy-text route
        P, observation_space, action_space = env.P, env.observation_space, env.action_space

    fast, slow = TabularMDP.from_env(env), TabularMDP.from_env(OnlyP())
    np.testing.assert_allclose(value_iteration(fast).values, value_iteration(slow).values,
                               atol=1e-12)


def test_from_env_prefers_outcome_arrays_and_never_touches_p():
    arrays = (np.zeros((1, 1, 1), int), np.ones((1, 1, 1)), np.ones((1, 1, 1)),
              np.ones((1, 1, 1), bool))

    class Fast:
        def outcome_arrays(self):
            return arrays

        @property
        def P(self):  # noqa: N802 (Gymnasium's name)
            raise AssertionError("P must not be built")

    assert value_iteration(TabularMDP.from_env(Fast())).values.tolist() == [1.0]


# ------------------------------------------------------------------- Gymnasium toy text


def test_frozen_lake_slippery_start_value_is_the_known_optimum():
    mdp = TabularMDP.from_env(gymnasium.make("FrozenLake-v1", is_slippery=True), gamma=0.99)
    assert mdp.probs.shape == (16, 4, 3)
    assert value_iteration(mdp).values[0] == pytest.approx(0.5420, abs=5e-4)
    assert policy_iteration(mdp).values[0] == pytest.approx(0.5420, abs=5e-4)


def test_frozen_lake_equals_the_maze_on_the_same_map():
    lake = TabularMDP.from_env(gymnasium.make("FrozenLake-v1", map_name="8x8"), gamma=0.99)
    maze = TabularMDP.from_env(MazeEnv("frozen-lake-8x8", slip=2 / 3, step_reward=0.0,
                                       goal_reward=1.0, trap_reward=0.0), gamma=0.99)
    np.testing.assert_allclose(value_iteration(lake, tol=1e-12).values,
                               value_iteration(maze, tol=1e-12).values, atol=1e-9)


def test_taxi_model_is_read_outcome_by_outcome():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        env = gymnasium.make("Taxi-v4")  # Taxi-v3 is deprecated in Gymnasium 1.4
    mdp = TabularMDP.from_env(env, gamma=0.9)
    assert (mdp.n_states, mdp.n_actions, mdp.probs.shape[2]) == (500, 6, 1)
    for s, a in [(0, 0), (17, 5), (499, 4)]:
        (p, nxt, r, term), = env.unwrapped.P[s][a]
        assert (mdp.probs[s, a, 0], mdp.next_states[s, a, 0], mdp.rewards[s, a, 0],
                mdp.terminated[s, a, 0]) == (p, nxt, r, term)
    result = value_iteration(mdp)
    assert result.converged and bellman_residual(mdp, result.values) < 1e-8


@pytest.mark.parametrize("gamma", [0.99, 1.0])
def test_cliff_walking_optimum_walks_along_the_cliff(gamma):
    mdp = TabularMDP.from_env(gymnasium.make("CliffWalking-v1"), gamma=gamma)
    expected = -sum(gamma**t for t in range(13))  # 13 steps of -1 along the edge
    assert value_iteration(mdp, tol=1e-10).values[36] == pytest.approx(expected, abs=1e-8)


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


def test_unconverged_q_values_are_the_backup_of_the_returned_values():
    mdp = TabularMDP.from_env(MazeEnv(generate_maze(41, 41, seed=0)), gamma=0.99)
    for max_iters in (2, 5, 30):  # stop after full sweeps and after partial rounds
        with pytest.warns(RuntimeWarning):
            result = value_iteration(mdp, max_iters=max_iters)
        q = q_values(mdp, result.values)
        if not np.array_equal(result.values, result.q_values.max(axis=1)):
            np.testing.assert_allclose(result.q_values, q, atol=1e-12)
        np.testing.assert_array_equal(result.policy, greedy_policy(result.q_values))
