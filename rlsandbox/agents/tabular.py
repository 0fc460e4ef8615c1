"""What the tabular agents share: a live Q-table, their hyperparameters, and ε-greedy acting.

Every tabular agent (Q-learning, the SARSA family, Monte Carlo control, Dyna-Q) holds a table
``Q[s, a]`` for ``Discrete`` observations and actions, learns with a step size ``alpha`` and a
discount ``gamma``, and acts ε-greedily with random tie-breaking by the one rule of
:mod:`rlsandbox.agents.egreedy`. :class:`TabularAgent` holds all of that, so that an agent's
own file is its update rule and little else.

The table
    ``q_table`` is the agent's own float64 array, not a copy: ``agent.q_table[s, a] = v``
    takes effect at the next ``act``/``update``. The hot path reads and writes it through one
    ``memoryview`` per row (``self._rows[s][a]`` is a plain Python float, and
    ``self._rows[s].tolist()`` a list for :func:`~rlsandbox.agents.egreedy.greedy`), which
    costs a few tens of nanoseconds more per step than the lists of lists it replaces and no
    numpy call. Assigning ``agent.q_table = array`` copies ``array`` into the table in place.

The random numbers
    Uniforms are drawn from ``self.np_random`` 1024 at a time into ``self._uniforms`` (a
    list); ``self._next`` is the index of the next unused one. Every ε-greedy decision takes
    exactly two, ``u1`` and ``u2``, and so does every other random choice an agent makes
    (:meth:`TabularAgent._uniform_pair`), so the stream never splits a pair across a refill.
    :func:`rlsandbox.loop.train_many` relies on both names and on this use to reproduce
    :class:`~rlsandbox.agents.QLearningAgent` exactly.

Schedules
    ``alpha`` and ``epsilon`` may be numbers or callables of ``self.steps``, the number of
    ``update`` calls so far (for instance :func:`~rlsandbox.agents.linear_decay`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from rlsandbox.agents.base import Agent
from rlsandbox.agents.egreedy import epsilon_greedy

__all__ = ["OnPolicyTabularAgent", "TabularAgent", "check_positive_int", "check_rate", "own_table",
           "row_views"]

_BATCH = 1024  # uniforms drawn per numpy call; even, so a pair never straddles a refill

Rate = float | Callable[[int], float]


class TabularAgent(Agent):
    """Base class of the tabular agents: the Q-table, hyperparameters and ε-greedy ``act``.

    Subclasses define :meth:`update` (and, when they keep per-episode state,
    :meth:`begin_episode`). A subclass with more float tables creates them in
    ``_new_tables`` and makes their row views in ``_make_views``; one that keeps other
    non-saveable helpers extends :meth:`get_state`/:meth:`set_state`.

    Parameters
    ----------
    n_states, n_actions : int
        Size of the Q-table.
    alpha : float or callable, default 0.1
        Step size in (0, 1], or a schedule ``alpha(steps)``.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(steps)``.
    initial_q : float, default 0.0
        Starting value of every entry (optimistic values make a greedy agent explore).
    seed : int, optional
        Seed of the agent's random generator; the same seed gives the same run.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table: writes into it take effect at the next ``act``/``update``.
    steps : int
        Number of ``update`` calls so far (the argument of the schedules).
    """

    def __init__(
        self,
        n_states: int,
        n_actions: int,
        *,
        alpha: Rate = 0.1,
        gamma: float = 0.99,
        epsilon: Rate = 0.1,
        initial_q: float = 0.0,
        seed: int | None = None,
    ) -> None:
        check_positive_int("n_states", n_states)
        check_positive_int("n_actions", n_actions)
        self._check_alpha(alpha)
        check_rate("gamma", gamma)
        check_rate("epsilon", epsilon)
        if isinstance(initial_q, bool) or not (
            isinstance(initial_q, (int, float)) and math.isfinite(initial_q)
        ):
            raise ValueError(f"initial_q must be a finite number, got {initial_q!r}")
        self.n_states, self.n_actions = int(n_states), int(n_actions)
        self.alpha = alpha if alpha is None or callable(alpha) else float(alpha)
        self.epsilon = epsilon if callable(epsilon) else float(epsilon)
        self.gamma = float(gamma)
        self.steps = 0
        self._new_tables(float(initial_q))
        self._make_views()
        self.seed(seed)

    def _new_tables(self, initial_q: float) -> None:
        """Create the tables (``_table``, and a subclass's own ones) on construction."""
        self._table = np.full((self.n_states, self.n_actions), initial_q)

    def _check_alpha(self, alpha: Any) -> None:
        check_rate("alpha", alpha, low_open=True)

    @classmethod
    def for_env(cls, env, **kwargs) -> TabularAgent:
        """The agent sized for ``env``, which needs ``Discrete(n)`` observations and actions."""
        from gymnasium.spaces import Discrete

        name = cls.__name__
        obs_space, act_space = env.observation_space, env.action_space
        if not isinstance(obs_space, Discrete):
            raise ValueError(
                f"{name} needs a Discrete observation space, got {obs_space}; "
                "wrap the env in rlsandbox.envs.DiscretizeObservation"
            )
        if obs_space.start != 0:
            raise ValueError(
                f"{name} needs observations numbered from 0, got {obs_space}; "
                "wrap the env in a gymnasium.ObservationWrapper that subtracts the start"
            )
        if not isinstance(act_space, Discrete) or act_space.start != 0:
            raise ValueError(f"{name} needs a Discrete(n) action space, got {act_space}")
        return cls(int(obs_space.n), int(act_space.n), **kwargs)

    def seed(self, seed: int | None = None) -> None:
        super().seed(seed)
        self._uniforms: list[float] = []
        self._next = 0

    # -- the table ---------------------------------------------------------------------------
    @property
    def q_table(self) -> np.ndarray:
        return self._table

    @q_table.setter
    def q_table(self, table) -> None:
        # In place: the row views, and any reference a user holds, stay on the same memory.
        self._table[...] = self._checked_table(table)

    def _checked_table(self, table) -> np.ndarray:
        shape = (self.n_states, self.n_actions)
        table = np.asarray(table, dtype=np.float64)
        if table.shape != shape or not np.isfinite(table).all():
            raise ValueError(
                f"q_table must be a finite array of shape {shape}, got shape {table.shape}"
            )
        return table

    def _make_views(self) -> None:
        """(Re)build the row views of the tables; called on construction, copy and load."""
        self._table = own_table(self._table)
        self._rows = row_views(self._table)

    # -- acting --------------------------------------------------------------------------------
    def act(self, observation: Any, *, explore: bool = True) -> int:
        """The ε-greedy action for ``observation`` (greedy, ties at random, if not ``explore``)."""
        # The stream, inlined: this is the hot path (see _uniform_pair for the same in a call).
        i = self._next
        if i >= len(self._uniforms):
            self._uniforms = self.np_random.random(_BATCH).tolist()
            i = 0
        self._next = i + 2
        if explore:
            epsilon = self.epsilon if type(self.epsilon) is float else self.epsilon(self.steps)
        else:
            epsilon = 0.0  # u1 < 0 never holds: greedy, and u2 still breaks ties
        return epsilon_greedy(self._rows[observation].tolist(), epsilon,
                              self._uniforms[i], self._uniforms[i + 1])

    # The base's ε-greedy choice under a name that subclasses overriding ``act`` (the SARSA
    # family takes the action its update chose) can still call.
    _epsilon_greedy = act

    def _uniform_pair(self) -> tuple[float, float]:
        """The next two uniforms of the stream (for random choices other than ``act``'s)."""
        i = self._next
        if i >= len(self._uniforms):
            self._uniforms = self.np_random.random(_BATCH).tolist()
            i = 0
        self._next = i + 2
        return self._uniforms[i], self._uniforms[i + 1]

    def _alpha_now(self) -> float:
        return self.alpha if type(self.alpha) is float else self.alpha(self.steps)

    def _epsilon_now(self) -> float:
        return self.epsilon if type(self.epsilon) is float else self.epsilon(self.steps)

    # -- persistence and copies: the views are rebuilt, never saved ---------------------------
    def get_state(self) -> dict[str, Any]:
        state = {k: v for k, v in super().get_state().items() if not _is_view(v)}
        state["_uniforms"] = np.array(self._uniforms, dtype=np.float64)
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        state = dict(state)
        if "_q" in state and "_table" not in state:  # a QLearningAgent saved before tabular.py
            state["_table"] = state.pop("_q")
        state["_uniforms"] = np.asarray(state["_uniforms"], dtype=np.float64).tolist()
        super().set_state(state)
        self._make_views()

    def __getstate__(self) -> dict[str, Any]:
        # memoryviews cannot be pickled or deep-copied; copy.deepcopy (check_agent) comes here
        return {k: v for k, v in self.__dict__.items() if not _is_view(v)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._make_views()


class OnPolicyTabularAgent(TabularAgent):
    """Base of SARSA, n-step SARSA and SARSA(λ): the next action is chosen in ``update``.

    As in the book's boxes, ``update`` chooses ``A'`` from ``S'`` (ε-greedy on the table as
    it is before this step's change) and bootstraps from ``Q(S', A')``; the next ``act`` in
    ``S'`` returns that same ``A'``, so the agent follows the policy it evaluates. ``act``
    with ``explore=False``, or in another observation than ``S'`` (a loop that reset the
    env), chooses afresh. The chosen action is dropped at the episode's end: on termination
    none is chosen, on truncation one is chosen for the bootstrap and then discarded.
    """

    def act(self, observation: Any, *, explore: bool = True) -> int:
        state = self._pending_state
        if state is not None:
            self._pending_state = None
            if explore and state == observation:
                return self._pending_action
        return self._epsilon_greedy(observation, explore=explore)

    def begin_episode(self) -> None:
        self._pending_state = None

    def seed(self, seed: int | None = None) -> None:
        super().seed(seed)
        self._pending_state: int | None = None  # S' of the last update, if A' waits for it
        self._pending_action = 0

    def _next_action(self, next_state: Any, terminated: bool, truncated: bool) -> int | None:
        """``A'`` for ``S'`` (``None`` on termination); kept for the next ``act`` unless the
        episode ended."""
        self._pending_state = None
        if terminated:
            return None
        action = self._epsilon_greedy(next_state)
        if not truncated:
            self._pending_state, self._pending_action = next_state, action
        return action


# -- shared helpers -------------------------------------------------------------------------------
def row_views(table: np.ndarray) -> list[memoryview]:
    """One writable ``memoryview`` per row of a C-contiguous float64 2-D ``table``.

    Indexing a view gives a Python float and assigning to it writes into ``table``: scalar
    speed on the hot path, one array for everything else.

    Examples
    --------
    >>> table = np.zeros((2, 3))
    >>> rows = row_views(table)
    >>> rows[1][2] = 5.0
    >>> table[1, 2], rows[1].tolist()
    (np.float64(5.0), [0.0, 0.0, 5.0])
    """
    if table.ndim != 2 or table.dtype != np.float64 or not table.flags.c_contiguous:
        raise ValueError("row_views needs a C-contiguous float64 2-D array")
    flat = memoryview(table).cast("B").cast("d")
    width = table.shape[1]
    return [flat[s * width:(s + 1) * width] for s in range(table.shape[0])]


def check_positive_int(name: str, value: Any) -> None:
    """Raise ``ValueError`` unless ``value`` is an integer above 0 (``bool`` excluded)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_rate(name: str, value: Any, *, low_open: bool = False) -> None:
    """Numbers must lie in [0, 1] ((0, 1] when ``low_open``); callables are accepted as is."""
    if callable(value):
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise ValueError(f"{name} must be a number or a schedule callable, got {value!r}")
    low_ok = value > 0 if low_open else value >= 0
    if not (low_ok and value <= 1):
        interval = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")


def own_table(table: Any) -> np.ndarray:
    """A writable C-contiguous float64 array: ``table`` itself when it already is one."""
    return np.require(np.asarray(table, dtype=np.float64), requirements=["C", "W", "O"])


def _is_view(value: Any) -> bool:
    return isinstance(value, memoryview) or (
        isinstance(value, list) and bool(value) and isinstance(value[0], memoryview)
    )
