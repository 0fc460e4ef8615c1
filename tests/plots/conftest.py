"""Shared fixtures of the plot tests: headless matplotlib, no plt.show(), models and data."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rlsandbox.agents import RandomAgent
from rlsandbox.envs import CartPoleEnv
from rlsandbox.loop import run_episode

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _no_show_and_close_figures(monkeypatch):
    def show(*args, **kwargs):
        raise AssertionError("plots must never call plt.show()")

    monkeypatch.setattr(plt, "show", show)
    yield
    plt.close("all")


# Maze, planner and clustering fixtures import lazily, so that the other tests run on their own.
@pytest.fixture(scope="module")
def maze():
    from rlsandbox.envs import MazeEnv

    return MazeEnv("classic")


@pytest.fixture(scope="module")
def planner(maze):
    from rlsandbox.agents import ValueIterationAgent

    return ValueIterationAgent(maze)


@pytest.fixture(scope="module")
def greedy_episode(maze, planner):
    return run_episode(maze, planner, learn=False, explore=False, seed=0)


@pytest.fixture(scope="module")
def cartpole_episode():
    env = CartPoleEnv()
    return run_episode(env, RandomAgent(env.action_space, seed=0), learn=False, seed=0)


@pytest.fixture(scope="module")
def points():
    """Two well-separated groups of points and their labels."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (6, 3)), rng.normal(5, 1, (5, 3))])
    return X, np.repeat([0, 1], [6, 5])


@pytest.fixture(scope="module")
def tree(points):
    from rlsandbox.analysis import linkage

    return linkage(points[0], method="ward")
