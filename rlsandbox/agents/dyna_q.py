"""Dyna-Q: Q-learning that also learns a model and replays it (Dyna-Q+ with ``kappa > 0``).

Sutton & Barto (2nd ed.), section 8.2, the box "Tabular Dyna-Q". After each real transition
``(S, A, R, S')``::

    Q[S, A] += alpha * (R + gamma * max_a Q[S', a] - Q[S, A])     # (d) direct RL
    model[S, A] = R, S'                                            # (e) model learning
    repeat planning_steps times:                                   # (f) planning
        s = a random state seen before;  a = a random action taken in s
        r, s' = model[s, a]
        Q[s, a] += alpha * (r + gamma * max_a' Q[s', a'] - Q[s, a])

The model keeps the last outcome of each pair (the book's deterministic model) and whether it
terminated: targets bootstrap on truncation, never from a terminal outcome, in planning too.

Dyna-Q+ (section 8.3): planning uses the reward ``r + kappa * sqrt(tau)``, where ``tau`` is
the number of real steps since the pair was last tried; as in the book's footnote, the actions
never tried in a state seen before are planned with too, modelled as leading back to the
same state with reward 0 (their ``tau`` counts from when the state was first seen).

Each planning step takes two uniforms from the agent's stream (the state, then the action),
so a run is reproducible from the agent's seed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from rlsandbox.agents.tabular import Rate, TabularAgent

__all__ = ["DynaQAgent"]


class DynaQAgent(TabularAgent):
    """ε-greedy tabular Dyna-Q (and Dyna-Q+).

    Parameters
    ----------
    n_states, n_actions : int
        Size of the Q-table.
    alpha : float or callable, default 0.1
        Step size in (0, 1], or a schedule ``alpha(steps)``; real and planned updates use it.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(steps)``.
    initial_q : float, default 0.0
        Starting value of every Q-table entry.
    seed : int, optional
        Seed of the agent's random generator (actions and planning samples).
    planning_steps : int, default 5
        Planned updates after each real one (``0``: plain Q-learning).
    kappa : float, default 0.0
        Dyna-Q+'s exploration bonus weight; ``0`` is Dyna-Q.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table.
    steps : int
        Number of real updates so far (the clock of Dyna-Q+'s ``tau``).

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = DynaQAgent(3, 2, alpha=0.5, gamma=1.0, planning_steps=1, seed=0)
    >>> agent.update(Transition(0, 1, 4.0, 1, True, False, {}))
    >>> float(agent.q_table[0, 1])   # direct 0 -> 2, then the one planned step 2 -> 3
    3.0
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
        planning_steps: int = 5,
        kappa: float = 0.0,
    ) -> None:
        steps = planning_steps
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
            raise ValueError(f"planning_steps must be a non-negative integer, got {steps!r}")
        if isinstance(kappa, bool) or not isinstance(kappa, (int, float)) or not (
            math.isfinite(kappa) and kappa >= 0
        ):
            raise ValueError(f"kappa must be a finite number >= 0, got {kappa!r}")
        self.planning_steps, self.kappa = int(planning_steps), float(kappa)
        super().__init__(n_states, n_actions, alpha=alpha, gamma=gamma, epsilon=epsilon,
                         initial_q=initial_q, seed=seed)
        # model[s][a] = [reward, next_state, terminated, step last tried], or None if unknown
        self._model: list[list[Any]] = [[None] * self.n_actions for _ in range(self.n_states)]
        self._seen: list[int] = []  # states seen, in order (the planning samples' index)
        self._tried: list[list[int]] = [[] for _ in range(self.n_states)]  # actions, in order

    def update(self, transition) -> None:
        s, a, r, s2, terminated = transition[:5]
        s, a, s2 = int(s), int(a), int(s2)
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        self._q_update(s, a, r, s2, terminated, alpha)  # (d) direct RL
        self._remember(s, a, r, s2, terminated)  # (e) model learning
        for _ in range(self.planning_steps):  # (f) planning
            u1, u2 = self._uniform_pair()
            ps = self._seen[int(u1 * len(self._seen))]
            actions = self._tried[ps]
            pa = actions[int(u2 * len(actions))]
            pr, ps2, done, last = self._model[ps][pa]
            if self.kappa:
                pr += self.kappa * math.sqrt(self.steps - last)
            self._q_update(ps, pa, pr, ps2, done, alpha)
        self.steps += 1

    def _q_update(self, s: int, a: int, r: float, s2: int, terminated: bool,
                  alpha: float) -> None:
        target = r if terminated else r + self.gamma * max(self._rows[s2])
        row = self._rows[s]
        row[a] += alpha * (target - row[a])

    def _remember(self, s: int, a: int, r: float, s2: int, terminated: bool) -> None:
        model = self._model[s]
        if not self._tried[s]:  # a state seen for the first time
            self._seen.append(s)
            if self.kappa:  # Dyna-Q+: every action plannable, untried ones as "stay, 0"
                self._tried[s] = list(range(self.n_actions))
                for b in range(self.n_actions):
                    model[b] = [0.0, s, False, self.steps]
        if model[a] is None:
            self._tried[s].append(a)
        model[a] = [float(r), s2, bool(terminated), self.steps]

    # -- persistence: the model as arrays (-1: unknown / no action), not as nested JSON ------
    def get_state(self) -> dict[str, Any]:
        state = super().get_state()
        shape = (self.n_states, self.n_actions)
        reward, time = np.zeros(shape), np.full(shape, -1, dtype=np.int64)
        next_state = np.full(shape, -1, dtype=np.int64)
        terminated = np.zeros(shape, dtype=bool)
        tried = np.full(shape, -1, dtype=np.int64)
        for s in self._seen:
            tried[s, : len(self._tried[s])] = self._tried[s]
            for a, entry in enumerate(self._model[s]):
                if entry is not None:
                    reward[s, a], next_state[s, a], terminated[s, a], time[s, a] = entry
        del state["_tried"]
        state["_model"] = {"reward": reward, "next_state": next_state,
                           "terminated": terminated, "time": time, "tried": tried}
        state["_seen"] = np.array(self._seen, dtype=np.int64)
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        state = dict(state)
        model = state.pop("_model")
        seen = np.asarray(state.pop("_seen"), dtype=np.int64).tolist()
        super().set_state(state)
        self._seen = seen
        self._model = [[None] * self.n_actions for _ in range(self.n_states)]
        self._tried = [[] for _ in range(self.n_states)]
        for s in seen:
            self._tried[s] = [a for a in model["tried"][s].tolist() if a >= 0]
            for a in range(self.n_actions):
                if model["time"][s, a] >= 0:
                    self._model[s][a] = [float(model["reward"][s, a]),
                                         int(model["next_state"][s, a]),
                                         bool(model["terminated"][s, a]),
                                         int(model["time"][s, a])]
