"""The agent–environment loop: run episodes, train and evaluate agents, keep their history.

========================  ==========================================================
``run.py``                :func:`run_episode`, :func:`train`, :func:`evaluate`,
                          checkpoints (:func:`load_checkpoint`), :class:`TrainingError`
``episode.py``            :class:`Episode` and :class:`History`, what a run leaves behind
``lockstep.py``           :func:`train_many`: many seeds of tabular Q-learning in lock-step
========================  ==========================================================

``train_many`` knows the maze and Q-learning; it is imported when first used, so
``import rlsandbox.loop`` loads neither.
"""

from typing import Any

from rlsandbox.agents.base import Transition
from rlsandbox.loop.episode import Episode, History
from rlsandbox.loop.run import (
    TrainingError,
    episode_seed,
    evaluate,
    load_checkpoint,
    run_episode,
    train,
)

__all__ = [
    "Episode",
    "History",
    "TrainingError",
    "Transition",
    "episode_seed",
    "evaluate",
    "load_checkpoint",
    "run_episode",
    "train",
    "train_many",
]


def __getattr__(name: str) -> Any:
    # PEP 562: ``rlsandbox.loop.train_many`` loads the lock-step trainer on first use.
    if name == "train_many":
        from rlsandbox.loop.lockstep import train_many

        return train_many
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
