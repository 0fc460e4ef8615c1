"""rlsandbox: a reinforcement-learning sandbox.

Importing the package registers the environments ``rlsandbox/Maze-v0`` and
``rlsandbox/CartPole-v0`` with Gymnasium. It never imports pygame or matplotlib.
"""

from rlsandbox import envs as envs  # noqa: F401  (registers the environments)
from rlsandbox.loop import (
    Episode,
    History,
    Transition,
    evaluate,
    run_episode,
    train,
    train_many,
)
from rlsandbox.mdp import TabularMDP, value_iteration

__version__ = "0.1.0"

__all__ = [
    "Episode",
    "History",
    "TabularMDP",
    "Transition",
    "evaluate",
    "run_episode",
    "train",
    "train_many",
    "value_iteration",
]
