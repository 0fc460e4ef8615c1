"""On-policy Monte Carlo control with an ε-soft (ε-greedy) policy.

Sutton & Barto (2nd ed.), section 5.4, the box "On-policy first-visit MC control (for ε-soft
policies)". At the end of each episode, walking back from its last step::

    G = gamma * G + R_t+1
    if first_visit and (S_t, A_t) occurs earlier in the episode: skip
    N[S_t, A_t] += 1
    Q[S_t, A_t] += (G - Q[S_t, A_t]) / N[S_t, A_t]     # alpha=None: the sample average
    Q[S_t, A_t] += alpha * (G - Q[S_t, A_t])            # or constant-α MC, equation (6.1)

The sample average is kept incrementally (section 2.4, equation (2.3)), so ``Q`` after ``N``
returns is their mean whatever its initial value. ``G`` starts at 0 when the episode
terminated; when it was truncated it starts at the value of the last state under the
ε-greedy policy, ``(1 - ε) max_a Q[S_T, a] + ε mean_a Q[S_T, a]`` (a time limit is not the
end of the task). ``first_visit=False`` is every-visit MC.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rlsandbox.agents.egreedy import expected_value
from rlsandbox.agents.tabular import Rate, TabularAgent, check_rate, own_table, row_views

__all__ = ["MonteCarloAgent"]


class MonteCarloAgent(TabularAgent):
    """ε-greedy on-policy Monte Carlo control, learning at each episode's end.

    Parameters
    ----------
    n_states, n_actions : int
        Size of the Q-table.
    alpha : float, callable or None, default None
        ``None`` averages the returns (step ``1 / N``); a number in (0, 1] or a schedule
        ``alpha(steps)`` is constant-α MC.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(steps)``.
    initial_q : float, default 0.0
        Starting value of every Q-table entry.
    seed : int, optional
        Seed of the agent's random generator.
    first_visit : bool, default True
        Learn from the first visit of each state-action pair in an episode only
        (``False``: from every visit).

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table.
    counts : ndarray, shape (n_states, n_actions)
        Returns learned from by each entry so far (live); with ``alpha=None`` the step of
        an entry's update is ``1 / count``.
    steps : int
        Number of updates (environment steps) so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = MonteCarloAgent(3, 2, gamma=0.5, seed=0)
    >>> agent.update(Transition(0, 1, 1.0, 1, False, False, {}))   # mid-episode: remembered
    >>> agent.update(Transition(1, 0, 4.0, 2, True, False, {}))    # the end: learn
    >>> float(agent.q_table[0, 1]), float(agent.q_table[1, 0])     # 1 + 0.5 * 4, and 4
    (3.0, 4.0)
    """

    def __init__(
        self,
        n_states: int,
        n_actions: int,
        *,
        alpha: Rate | None = None,
        gamma: float = 0.99,
        epsilon: Rate = 0.1,
        initial_q: float = 0.0,
        seed: int | None = None,
        first_visit: bool = True,
    ) -> None:
        if not isinstance(first_visit, (bool, np.bool_)):
            raise ValueError(f"first_visit must be True or False, got {first_visit!r}")
        self.first_visit = bool(first_visit)
        super().__init__(n_states, n_actions, alpha=alpha, gamma=gamma, epsilon=epsilon,
                         initial_q=initial_q, seed=seed)
        self.begin_episode()

    def _check_alpha(self, alpha: Any) -> None:
        if alpha is not None:
            check_rate("alpha", alpha, low_open=True)

    def _new_tables(self, initial_q: float) -> None:
        super()._new_tables(initial_q)
        self._counts = np.zeros_like(self._table)

    def _make_views(self) -> None:
        super()._make_views()
        self._counts = own_table(self._counts)
        self._count_rows = row_views(self._counts)

    @property
    def counts(self) -> np.ndarray:
        return self._counts

    def begin_episode(self) -> None:
        # The episode so far; an unfinished episode's steps are dropped.
        self._states: list[int] = []
        self._actions: list[int] = []
        self._rewards: list[float] = []

    def update(self, transition) -> None:
        s, a, r, s2, terminated, truncated = transition[:6]
        self._states.append(int(s))
        self._actions.append(int(a))
        self._rewards.append(float(r))
        self.steps += 1
        if terminated:
            self._learn_from_episode(0.0)
        elif truncated:
            self._learn_from_episode(expected_value(self._rows[s2].tolist(), self._epsilon_now()))

    def _learn_from_episode(self, g: float) -> None:
        states, actions, rewards = self._states, self._actions, self._rewards
        first: dict[tuple[int, int], int] = {}
        if self.first_visit:
            for t, pair in enumerate(zip(states, actions, strict=True)):
                first.setdefault(pair, t)
        alpha = None if self.alpha is None else self._alpha_now()
        for t in range(len(states) - 1, -1, -1):
            g = self.gamma * g + rewards[t]
            s, a = states[t], actions[t]
            if self.first_visit and first[s, a] != t:
                continue
            row, counts = self._rows[s], self._count_rows[s]
            counts[a] += 1.0
            if alpha is None:
                n = counts[a]
                row[a] = g if n == 1.0 else row[a] + (g - row[a]) / n
            else:
                row[a] += alpha * (g - row[a])
        self.begin_episode()
