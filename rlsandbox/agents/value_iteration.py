"""An agent that plans instead of learning: value iteration on a known model."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from rlsandbox.agents.base import Agent
from rlsandbox.mdp import TabularMDP, value_iteration

__all__ = ["ValueIterationAgent"]


class ValueIterationAgent(Agent):
    """Plan an optimal policy with value iteration on construction, then follow it.

    Parameters
    ----------
    mdp_or_env : TabularMDP or gymnasium.Env
        The model: a :class:`rlsandbox.mdp.TabularMDP`, or an env exposing a toy-text
        ``P`` (our ``MazeEnv``, Gymnasium's FrozenLake, Taxi, CliffWalking).
    gamma : float, optional
        Discount factor. Default: the MDP's own ``gamma``, or 0.99 for an env.
    tol : float, default 1e-8
        Stopping tolerance of value iteration.

    Attributes
    ----------
    values : ndarray (S,)
        Optimal state values V*.
    q_values : ndarray (S, A)
        Optimal action values Q*.
    policy : ndarray (S,)
        Greedy action in each state; ``act`` returns ``policy[observation]``.
    iterations : int
        Sweeps value iteration needed.
    """

    def __init__(self, mdp_or_env: Any, *, gamma: float | None = None, tol: float = 1e-8) -> None:
        if isinstance(mdp_or_env, TabularMDP):
            mdp = mdp_or_env
            if gamma is not None and gamma != mdp.gamma:
                mdp = dataclasses.replace(mdp, gamma=gamma)  # keeps start and cells
        else:
            mdp = TabularMDP.from_env(mdp_or_env, gamma=0.99 if gamma is None else gamma)
        result = value_iteration(mdp, tol=tol)
        self.gamma, self.tol = float(mdp.gamma), float(tol)
        self.values, self.q_values = result.values, result.q_values
        self.policy = np.asarray(result.policy, dtype=np.int64)
        self.iterations = int(result.iterations)
        self.seed(None)

    @classmethod
    def for_env(cls, env, **kwargs) -> ValueIterationAgent:
        return cls(env, **kwargs)

    def act(self, observation: Any, *, explore: bool = True) -> int:
        return self._actions[observation]

    def set_state(self, state: dict[str, Any]) -> None:
        super().set_state(state)
        self._actions = self.policy.tolist()

    def get_state(self) -> dict[str, Any]:
        state = super().get_state()
        state.pop("_actions", None)  # derived from policy
        return state

    @property
    def policy(self) -> np.ndarray:
        return self._policy

    @policy.setter
    def policy(self, policy: np.ndarray) -> None:
        self._policy = np.asarray(policy, dtype=np.int64)
        self._actions = self._policy.tolist()  # plain ints: a list index per act, no numpy
