"""rlsandbox: a reinforcement-learning sandbox.

Importing the package registers the environments ``rlsandbox/Maze-v0``,
``rlsandbox/CartPole-v0`` and ``rlsandbox/Textbook-v0`` with Gymnasium. It never imports
pygame or matplotlib.
"""

from typing import Any

from rlsandbox import envs as envs  # noqa: F401  (registers the environments)
from rlsandbox.loop import Episode, History, Transition, evaluate, run_episode, train
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


def __getattr__(name: str) -> Any:
    # ``rlsandbox.train_many`` is loaded on first use, as in :mod:`rlsandbox.loop`.
    if name == "train_many":
        from rlsandbox.loop.lockstep import train_many

        return train_many
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
