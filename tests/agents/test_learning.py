"""The tabular agents learn and plan what they should, on our envs."""

import gymnasium
import numpy as np

from rlsandbox import evaluate, run_episode, train
from rlsandbox.agents import QLearningAgent, ValueIterationAgent, exponential_decay
from rlsandbox.envs import CartPoleEnv, DiscretizeObservation, MazeEnv

SMALL_MAZE = """
#######
#S..#.#
#.#.#.#
#.#...#
#...#G#
#######
"""


def _shortest_path(env: MazeEnv) -> int:
    """Breadth-first distance from the start to the nearest goal (4-neighbour moves)."""
    grid = env.grid
    start = env.state_to_cell(env.start_state)
    frontier, seen, steps = [start], {start}, 0
    while frontier:
        if any(grid[r, c] == "G" for r, c in frontier):
            return steps
        nxt = []
        for r, c in frontier:
            for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1)):
                cell = (r + dr, c + dc)
                if cell not in seen and grid[cell] not in "#X":
                    seen.add(cell)
                    nxt.append(cell)
        frontier, steps = nxt, steps + 1
    raise AssertionError("goal unreachable")


def test_q_learning_learns_the_shortest_path_of_a_small_maze():
    env = MazeEnv(SMALL_MAZE)
    agent = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.2, seed=0)
    train(env, agent, 300, seed=0, progress=False)
    greedy = run_episode(env, agent, learn=False, explore=False, seed=0)
    assert greedy.success is True
    assert greedy.length == _shortest_path(env) == 7


def test_value_iteration_agent_walks_the_shortest_path():
    env = MazeEnv(SMALL_MAZE)
    agent = ValueIterationAgent(env, gamma=0.9)
    d = _shortest_path(env)
    closed_form = sum(-0.1 * 0.9**t for t in range(d - 1)) + 10 * 0.9 ** (d - 1)
    assert agent.values[env.start_state] == np.float64(closed_form) or np.isclose(
        agent.values[env.start_state], closed_form, rtol=0, atol=1e-7)
    history = evaluate(env, agent, 3, seed=0)
    assert (history.lengths == d).all() and history.successes.all()


def test_value_iteration_agent_plans_from_gymnasium_frozen_lake():
    env = gymnasium.make("FrozenLake-v1", map_name="4x4", is_slippery=True)
    agent = ValueIterationAgent(env, gamma=0.99)
    assert np.isclose(agent.values[0], 0.542, atol=5e-4)
    assert agent.policy.shape == (16,) and agent.q_values.shape == (16, 4)


def test_q_learning_improves_cartpole_through_discretisation():
    env = DiscretizeObservation(CartPoleEnv(), (1, 6, 12, 12))
    agent = QLearningAgent.for_env(env, alpha=0.2, gamma=0.99,
                                   epsilon=exponential_decay(0.5, 0.01, 1e-4), seed=0)
    history = train(env, agent, 400, seed=0, progress=False)
    first, last = history.returns[:50].mean(), history.returns[-50:].mean()
    assert last >= 2 * first, (first, last)
