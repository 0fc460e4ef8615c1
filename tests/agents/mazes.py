"""Helpers for the tabular agents' learning tests: a small maze and greedy runs after training."""

from rlsandbox.agents import make_agent
from rlsandbox.envs import MazeEnv
from rlsandbox.loop import run_episode, train

# Shortest path from S to G: 7 steps (tests/agents/test_learning.py checks it by BFS).
SMALL_MAZE = """
#######
#S..#.#
#.#.#.#
#.#...#
#...#G#
#######
"""
SHORTEST = 7


def greedy_episodes_after_training(name, episodes, seeds=range(5), **kw):
    """For each seed: train agent ``name`` on SMALL_MAZE, then run one greedy episode."""
    env = MazeEnv(SMALL_MAZE)
    kw = {"gamma": 0.95, "epsilon": 0.2, **kw}
    greedy = []
    for seed in seeds:
        agent = make_agent(name, env, seed=seed, **kw)
        train(env, agent, episodes, seed=seed, progress=False)
        greedy.append(run_episode(env, agent, learn=False, explore=False, seed=0))
    return greedy
