"""Tabular Q-learning (Watkins, 1989), readable top to bottom.

Update after each transition ``(s, a, r, s', terminated)``::

    Q[s, a] += alpha * (r + gamma * (1 - terminated) * max_a' Q[s', a'] - Q[s, a])

It bootstraps on truncation (a time limit is not the end of the task) but not on termination.
Actions are epsilon-greedy; ties among greedy actions are broken at random.

Speed: the table lives in Python lists (one list per state) and the random numbers are drawn
from ``np_random`` 1024 at a time, so ``act`` and ``update`` do no numpy calls per step.
Each exploring ``act`` uses exactly two uniforms ``u1, u2``: explore when ``u1 < epsilon``,
then ``u2`` picks the random action or breaks a tie between greedy actions. Fixed use per
step keeps many seeds in lock-step, so a vectorised trainer can reproduce this agent exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from rlsandbox.agents.base import Agent

__all__ = ["QLearningAgent"]

_BATCH = 1024  # uniforms drawn per numpy call


class QLearningAgent(Agent):
    """Epsilon-greedy tabular Q-learning for discrete observations and actions.

    Parameters
    ----------
    n_states, n_actions : int
        Size of the Q-table.
    alpha : float or callable, default 0.1
        Learning rate in (0, 1], or a schedule ``alpha(step)``.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(step)`` such as
        :func:`rlsandbox.agents.linear_decay`. ``step`` counts the agent's updates.
    initial_q : float, default 0.0
        Starting value of every Q-table entry (optimism explores).
    seed : int, optional
        Seed of the agent's random generator.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        A copy of the current table; assign an array to replace it.
    steps : int
        Number of updates so far (the argument of the schedules).
    """

    def __init__(
        self,
        n_states: int,
        n_actions: int,
        *,
        alpha: float | Callable[[int], float] = 0.1,
        gamma: float = 0.99,
        epsilon: float | Callable[[int], float] = 0.1,
        initial_q: float = 0.0,
        seed: int | None = None,
    ) -> None:
        _check_positive_int("n_states", n_states)
        _check_positive_int("n_actions", n_actions)
        _check_rate("alpha", alpha, low_open=True)
        _check_rate("gamma", gamma)
        _check_rate("epsilon", epsilon)
        if not (isinstance(initial_q, (int, float)) and math.isfinite(initial_q)):
            raise ValueError(f"initial_q must be a finite number, got {initial_q!r}")
        self.n_states, self.n_actions = int(n_states), int(n_actions)
        self.alpha = alpha if callable(alpha) else float(alpha)
        self.epsilon = epsilon if callable(epsilon) else float(epsilon)
        self.gamma = float(gamma)
        self.steps = 0
        self._q = [[float(initial_q)] * self.n_actions for _ in range(self.n_states)]
        self.seed(seed)

    @classmethod
    def for_env(cls, env, **kwargs) -> QLearningAgent:
        """A Q-learner sized for ``env`` (``Discrete`` observation and action spaces)."""
        from gymnasium.spaces import Discrete

        obs_space, act_space = env.observation_space, env.action_space
        if not isinstance(obs_space, Discrete):
            raise ValueError(
                f"QLearningAgent needs a Discrete observation space, got {obs_space}; "
                "wrap the env in rlsandbox.envs.DiscretizeObservation"
            )
        if not isinstance(act_space, Discrete) or act_space.start != 0:
            raise ValueError(f"QLearningAgent needs a Discrete(n) action space, got {act_space}")
        return cls(int(obs_space.n), int(act_space.n), **kwargs)

    def seed(self, seed: int | None = None) -> None:
        super().seed(seed)
        self._uniforms: list[float] = []
        self._next = 0

    # -- the table ---------------------------------------------------------------------------
    @property
    def q_table(self) -> np.ndarray:
        return np.array(self._q, dtype=np.float64)

    @q_table.setter
    def q_table(self, table) -> None:
        table = np.asarray(table, dtype=np.float64)
        if table.shape != (self.n_states, self.n_actions) or not np.isfinite(table).all():
            raise ValueError(
                f"q_table must be a finite array of shape {(self.n_states, self.n_actions)}, "
                f"got shape {table.shape}"
            )
        self._q = table.tolist()

    # -- acting and learning -------------------------------------------------------------------
    def act(self, observation: Any, *, explore: bool = True) -> int:
        i = self._next
        if i >= len(self._uniforms):
            self._uniforms = self.np_random.random(_BATCH).tolist()
            i = 0
        u1, u2 = self._uniforms[i], self._uniforms[i + 1]
        self._next = i + 2
        if explore:
            eps = self.epsilon if type(self.epsilon) is float else self.epsilon(self.steps)
            if u1 < eps:
                return int(u2 * self.n_actions)
        row = self._q[observation]
        best = max(row)
        tied = row.count(best)
        if tied == 1:
            return row.index(best)
        if tied == self.n_actions:  # all tied (an unvisited state): the ties are 0..n-1
            return int(u2 * tied)
        ties = [a for a, q in enumerate(row) if q == best]
        return ties[int(u2 * tied)]

    def update(self, transition) -> None:
        s, a, r, s2, terminated = transition[:5]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        row = self._q[s]
        if terminated:
            target = r
        else:
            target = r + self.gamma * max(self._q[s2])
        row[a] += alpha * (target - row[a])
        self.steps += 1

    # -- persistence: the table as one array, not a list of lists -------------------------------
    def get_state(self) -> dict[str, Any]:
        state = super().get_state()
        state["_q"] = self.q_table
        state["_uniforms"] = np.array(self._uniforms, dtype=np.float64)
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["_q"] = np.asarray(state["_q"], dtype=np.float64).tolist()
        state["_uniforms"] = np.asarray(state["_uniforms"], dtype=np.float64).tolist()
        super().set_state(state)


def _check_positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_rate(name: str, value: Any, *, low_open: bool = False) -> None:
    """Numbers must lie in [0, 1] ((0, 1] when ``low_open``); callables are accepted as is."""
    if callable(value):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise ValueError(f"{name} must be a number or a schedule callable, got {value!r}")
    low_ok = value > 0 if low_open else value >= 0
    if not (low_ok and value <= 1):
        interval = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
