"""Planning on real models: generated and slippery mazes, and Gymnasium's toy text."""

import warnings
from collections import deque

import gymnasium
import numpy as np
import pytest

from rlsandbox.envs.layouts import generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.mdp import TabularMDP, policy_evaluation, policy_iteration, value_iteration
from tests.mdp_oracles import bellman_residual, one_hot, solve

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
