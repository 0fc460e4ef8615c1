"""Semi-gradient SARSA with a linear function of tile-coded features (Sutton & Barto, 10.1).

The action value is a sum of weights, one per active tile of the observation (eq. 10.1 with
the tile coder's binary features ``x(s)``)::

    q(s, a, w) = sum(w[a, i] for i in tiles(s))

and each transition ``(S, A, R, S')`` moves the active weights of ``A`` towards the SARSA
target (eq. 10.2; the book's box "Episodic Semi-gradient Sarsa for Estimating q̂ ≈ q*")::

    A' = epsilon_greedy(q(S', ., w))                          # chosen now, taken by the next act
    target = R                              if S' is terminal
             R + gamma * q(S', A', w)       otherwise (a time-limit truncation bootstraps)
    w[A, i] += (alpha / tilings) * (target - q(S, A, w))     for each i in tiles(S)

The gradient of ``q`` with respect to ``w[A]`` is the 0/1 feature vector, so the update
touches ``tilings`` weights; dividing ``alpha`` by the number of tilings makes ``alpha = 1``
move ``q(S, A)`` all the way to the target in one step (Section 9.5.4).

Speed: the weights live in Python lists, the tile indices of the last observation are kept
(``update`` computes those of ``S'``, the next ``act`` reuses them), and uniforms are drawn
from ``np_random`` 1024 at a time, so a step costs a few microseconds and no numpy calls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from rlsandbox.agents.base import Agent
from rlsandbox.agents.egreedy import epsilon_greedy
from rlsandbox.agents.tabular import check_rate
from rlsandbox.agents.tile_coding import TileCoder

__all__ = ["LinearSarsaAgent"]

_BATCH = 1024  # uniforms drawn per numpy call


class LinearSarsaAgent(Agent):
    """Epsilon-greedy semi-gradient SARSA on tile-coded ``Box`` observations.

    Parameters
    ----------
    observation_space : gymnasium.spaces.Box
        The observations (any shape; flattened in C order).
    n_actions : int
        Number of actions, ``0 .. n_actions - 1``.
    tilings : int, default 8
        Number of tilings of the :class:`~rlsandbox.agents.TileCoder` (active features).
    tiles : int or sequence of int, default 8
        Tiles per dimension of each tiling.
    low, high : float or sequence of float, optional
        The box that is tiled (observations are clipped to it). By default, as in
        :class:`~rlsandbox.envs.DiscretizeObservation`: the space's bounds where finite. From
        a space alone an unbounded dimension raises ``ValueError``; :meth:`for_env` also
        knows the env's defaults (CartPole: ±3 m/s and ±3.5 rad/s for the velocities, see
        ``rlsandbox.envs.wrappers.CARTPOLE_BOUNDS``).
    alpha : float or callable, default 0.5
        Step size in (0, 1] (or a schedule ``alpha(step)``), divided by ``tilings``.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.05
        Exploration rate in [0, 1], or a schedule ``epsilon(step)`` such as
        :func:`rlsandbox.agents.linear_decay`. ``step`` counts the agent's updates.
    seed : int, optional
        Seed of the agent's random generator.

    Attributes
    ----------
    coder : TileCoder
        The tile coder (asymmetric displacement).
    weights : ndarray, shape (n_actions, coder.n_features)
        A copy of the weights; assign an array to replace them.
    steps : int
        Number of updates so far (the argument of the schedules).

    Examples
    --------
    >>> import gymnasium, rlsandbox
    >>> from rlsandbox import train
    >>> env = gymnasium.make("rlsandbox/CartPole-v0")
    >>> agent = LinearSarsaAgent.for_env(env, seed=0)
    >>> agent.weights.shape
    (2, 52488)
    >>> history = train(env, agent, 3, seed=0, progress=False)
    >>> len(history), agent.steps == int(history.lengths.sum())
    (3, True)
    """

    def __init__(
        self,
        observation_space: spaces.Box,
        n_actions: int,
        *,
        tilings: int = 8,
        tiles: int | Sequence[int] = 8,
        low: float | Sequence[float] | None = None,
        high: float | Sequence[float] | None = None,
        alpha: float | Callable[[int], float] = 0.5,
        gamma: float = 0.99,
        epsilon: float | Callable[[int], float] = 0.05,
        seed: int | None = None,
    ) -> None:
        if not isinstance(observation_space, spaces.Box):
            raise ValueError(
                f"LinearSarsaAgent needs a Box observation space, got {observation_space!r}"
            )
        if isinstance(n_actions, bool) or not isinstance(n_actions, (int, np.integer)) \
                or n_actions <= 0:
            raise ValueError(f"n_actions must be a positive integer, got {n_actions!r}")
        check_rate("alpha", alpha, low_open=True)
        check_rate("gamma", gamma)
        check_rate("epsilon", epsilon)
        self.observation_space = observation_space
        self.n_actions = int(n_actions)
        self.low, self.high = _resolve_bounds(observation_space, low, high)
        self.coder = TileCoder(self.low, self.high, tilings=tilings, tiles=tiles)
        self.tilings, self.tiles = self.coder.tilings, list(self.coder.tiles)
        self.alpha = alpha if callable(alpha) else float(alpha)
        self.epsilon = epsilon if callable(epsilon) else float(epsilon)
        self.gamma = float(gamma)
        self.steps = 0
        self._w = [[0.0] * self.coder.n_features for _ in range(self.n_actions)]
        self._flat = len(observation_space.shape) == 1
        self._forget()
        self.seed(seed)

    @classmethod
    def for_env(cls, env, **kwargs) -> LinearSarsaAgent:
        """An agent for ``env`` (a ``Box`` observation and ``Discrete(n)`` action space).

        ``low``/``high`` default as in :class:`~rlsandbox.envs.DiscretizeObservation` for this
        env, including its per-environment defaults (CartPole's velocity bounds).
        """
        obs_space, act_space = env.observation_space, env.action_space
        if not isinstance(obs_space, spaces.Box):
            raise ValueError(
                f"LinearSarsaAgent needs a Box observation space, got {obs_space}; for "
                "Discrete observations use a tabular agent such as 'q-learning'"
            )
        if not isinstance(act_space, spaces.Discrete) or act_space.start != 0:
            raise ValueError(f"LinearSarsaAgent needs a Discrete(n) action space, got {act_space}")
        low, high = _resolve_bounds(env, kwargs.pop("low", None), kwargs.pop("high", None))
        return cls(obs_space, int(act_space.n), low=low, high=high, **kwargs)

    def seed(self, seed: int | None = None) -> None:
        super().seed(seed)
        self._uniforms: list[float] = []
        self._next = 0
        self._pending = None  # a next action chosen with the old generator is void

    def begin_episode(self) -> None:
        self._pending = None

    # -- the weights ---------------------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        return np.array(self._w, dtype=np.float64)

    @weights.setter
    def weights(self, weights) -> None:
        weights = np.asarray(weights, dtype=np.float64)
        shape = (self.n_actions, self.coder.n_features)
        if weights.shape != shape or not np.isfinite(weights).all():
            raise ValueError(
                f"weights must be a finite array of shape {shape}, got shape {weights.shape}"
            )
        self._w = weights.tolist()

    def q_values(self, observation: Any) -> np.ndarray:
        """``q(observation, a, w)`` for every action, shape ``(n_actions,)``.

        The same sums, in the same order, as ``act`` compares.
        """
        x = self.coder(observation).tolist()
        return np.array([sum([w[i] for i in x]) for w in self._w], dtype=np.float64)

    # -- acting and learning -------------------------------------------------------------------
    def act(self, observation: Any, *, explore: bool = True) -> int:
        values = self._values(observation)
        pending = self._pending
        if pending is not None:
            self._pending = None
            if explore and pending[0] == values:
                return pending[1]  # SARSA's A', chosen in update
        x = self._features(values)
        q = [sum([w[i] for i in x]) for w in self._w]
        if explore:
            eps = self.epsilon if type(self.epsilon) is float else self.epsilon(self.steps)
        else:
            eps = 0.0
        u1, u2 = self._two_uniforms()
        return epsilon_greedy(q, eps, u1, u2)

    def update(self, transition) -> None:
        s, a, r, s2, terminated, truncated = transition[:6]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        w = self._w[a]
        x = self._features(self._values(s))
        q_sa = sum([w[i] for i in x])
        self.steps += 1
        if terminated:
            target = r
            self._pending = None
        else:
            values2 = self._values(s2)
            x2 = self._features(values2)
            q2 = [sum([wb[i] for i in x2]) for wb in self._w]
            eps = self.epsilon if type(self.epsilon) is float else self.epsilon(self.steps)
            u1, u2 = self._two_uniforms()
            a2 = epsilon_greedy(q2, eps, u1, u2)
            target = r + self.gamma * q2[a2]
            # A truncated episode is over: its A' only served the bootstrap.
            self._pending = None if truncated else (values2, a2)
        step = alpha / self.tilings * (target - q_sa)
        for i in x:
            w[i] += step

    # -- helpers --------------------------------------------------------------------------------
    def _values(self, observation: Any) -> list[float]:
        if self._flat and type(observation) is np.ndarray:
            return observation.tolist()
        return np.asarray(observation, dtype=np.float64).ravel().tolist()

    def _features(self, values: list[float]) -> list[int]:
        """Tile indices of ``values``; those of the last observation are kept."""
        if values != self._cached_values:
            self._cached_values = values
            self._cached_features = self.coder.indices(values)
        return self._cached_features

    def _forget(self) -> None:
        self._cached_values: list[float] | None = None
        self._cached_features: list[int] = []

    def _two_uniforms(self) -> tuple[float, float]:
        i = self._next
        if i >= len(self._uniforms):
            self._uniforms = self.np_random.random(_BATCH).tolist()
            i = 0
        self._next = i + 2
        return self._uniforms[i], self._uniforms[i + 1]

    # -- persistence: weights as one array; the tile coder is rebuilt from its arguments --------
    def get_state(self) -> dict[str, Any]:
        state = super().get_state()
        del state["coder"], state["_cached_values"], state["_cached_features"]
        state["_w"] = self.weights
        state["_uniforms"] = np.array(self._uniforms, dtype=np.float64)
        state["_pending"] = None if self._pending is None else list(self._pending)
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["_w"] = np.asarray(state["_w"], dtype=np.float64).tolist()
        state["_uniforms"] = np.asarray(state["_uniforms"], dtype=np.float64).tolist()
        if state.get("_pending") is not None:
            values, action = state["_pending"]
            state["_pending"] = ([float(v) for v in values], int(action))
        super().set_state(state)
        self.coder = TileCoder(self.low, self.high, tilings=self.tilings, tiles=self.tiles)
        self._forget()


class _SpaceOnly(gymnasium.Env):
    """An env that is only an observation space, to ask DiscretizeObservation for bounds."""

    def __init__(self, observation_space: spaces.Box) -> None:
        self.observation_space = observation_space
        self.action_space = spaces.Discrete(1)


def _resolve_bounds(source, low, high) -> tuple[list[float], list[float]]:
    """``(low, high)`` resolved exactly as :class:`DiscretizeObservation` resolves them."""
    from rlsandbox.envs import DiscretizeObservation  # one rule for defaults, not a copy

    env = source if isinstance(source, gymnasium.Env) else _SpaceOnly(source)
    try:
        wrapper = DiscretizeObservation(env, 1, low=low, high=high)
    except ValueError as exc:
        hint = "" if env is source else " (or build the agent with LinearSarsaAgent.for_env(env))"
        raise ValueError(f"{exc}{hint}") from None
    return list(wrapper.low), list(wrapper.high)

