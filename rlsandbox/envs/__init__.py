"""Environments: the grid maze and CartPole, their wrappers, and Gymnasium registration."""

from rlsandbox.envs.cartpole import CartPoleEnv
from rlsandbox.envs.layouts import LAYOUTS, generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.envs.registration import register_envs
from rlsandbox.envs.wrappers import DiscretizeObservation

__all__ = [
    "LAYOUTS",
    "CartPoleEnv",
    "DiscretizeObservation",
    "MazeEnv",
    "generate_maze",
]

register_envs()
