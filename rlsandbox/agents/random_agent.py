"""The random agent: samples uniformly from the action space (a baseline for everything else)."""

from __future__ import annotations

import copy
from typing import Any

import gymnasium
import numpy as np

from rlsandbox.agents.base import Agent

__all__ = ["RandomAgent"]


class RandomAgent(Agent):
    """Take uniformly random actions.

    Parameters
    ----------
    action_space : gymnasium.spaces.Space
        The env's action space; actions are drawn with the agent's own generator.
    seed : int, optional
        Seed of that generator; the same seed gives the same actions.
    """

    def __init__(self, action_space: gymnasium.spaces.Space, *, seed: int | None = None) -> None:
        if not isinstance(action_space, gymnasium.spaces.Space):
            raise ValueError(
                f"action_space must be a gymnasium space (env.action_space), got {action_space!r}"
            )
        # A private copy: sampling with our generator must not touch the env's space.
        self.action_space = copy.deepcopy(action_space)
        self.seed(seed)

    @classmethod
    def for_env(cls, env, **kwargs) -> RandomAgent:
        return cls(env.action_space, **kwargs)

    def seed(self, seed: int | None = None) -> None:
        super().seed(seed)
        if isinstance(self.action_space, gymnasium.spaces.Discrete):
            self._n, self._start = int(self.action_space.n), int(self.action_space.start)
        else:
            self._n = None
        self._buffer: list[int] = []

    def act(self, observation: Any, *, explore: bool = True) -> Any:
        if self._n is None:
            return _sample(self.action_space, self.np_random)
        # Discrete: draw actions 1024 at a time (one numpy call instead of one per step).
        if not self._buffer:
            draws = self.np_random.integers(self._n, size=1024) + self._start
            self._buffer = draws.tolist()[::-1]
        return self._buffer.pop()


def _sample(space: gymnasium.spaces.Space, rng: np.random.Generator) -> Any:
    """Sample ``space`` with ``rng`` (not the space's own generator, so the agent seeds it)."""
    space._np_random = rng  # the space is our own copy; make it draw from our generator
    return space.sample()
