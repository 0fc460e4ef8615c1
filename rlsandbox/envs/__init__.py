"""Environments: the grid maze, CartPole, any finite MDP, their wrappers, and registration."""

from rlsandbox.envs._viewer import WindowClosed
from rlsandbox.envs.cartpole import CartPoleEnv
from rlsandbox.envs.cartpole_vector import CartPoleVectorEnv
from rlsandbox.envs.layouts import LAYOUTS, generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.envs.maze_vector import MazeVectorEnv
from rlsandbox.envs.registration import register_envs
from rlsandbox.envs.tabular import TabularEnv
from rlsandbox.envs.wrappers import DiscretizeObservation

__all__ = [
    "LAYOUTS",
    "CartPoleEnv",
    "CartPoleVectorEnv",
    "DiscretizeObservation",
    "MazeEnv",
    "MazeVectorEnv",
    "TabularEnv",
    "WindowClosed",
    "generate_maze",
]

register_envs()
