"""Double Q-learning: two tables, so that one picks the best next action and the other values it.

Sutton & Barto (2nd ed.), section 6.7, the box "Double Q-learning, for estimating
Q1 ≈ Q2 ≈ q*" and equation (6.10). After each transition ``(S, A, R, S')``, with
probability 1/2::

    A* = argmax_a Q1[S', a]                                   # ties at random
    Q1[S, A] += alpha * (R + gamma * Q2[S', A*] - Q1[S, A])   # R alone if S' is terminal

and otherwise the same with Q1 and Q2 swapped. Maximising and evaluating with independent
estimates removes Q-learning's maximisation bias (the book's Figure 6.5). It bootstraps on
truncation, not on termination.

Actions are ε-greedy on ``Q1 + Q2``; ``q_table`` is their mean. Each update takes two
uniforms from the agent's stream: one for the coin, one to break ties in ``argmax``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rlsandbox.agents.egreedy import epsilon_greedy, greedy
from rlsandbox.agents.tabular import TabularAgent, own_table, row_views

__all__ = ["DoubleQLearningAgent"]


class DoubleQLearningAgent(TabularAgent):
    """ε-greedy tabular Double Q-learning.

    Parameters
    ----------
    n_states, n_actions : int
        Size of each table.
    alpha : float or callable, default 0.1
        Step size in (0, 1], or a schedule ``alpha(steps)``.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(steps)``.
    initial_q : float, default 0.0
        Starting value of every entry of both tables.
    seed : int, optional
        Seed of the agent's random generator (actions, coins and ties).

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The mean ``(Q1 + Q2) / 2``, read-only (it is derived; writing into it raises).
        Assigning ``agent.q_table = values`` sets both tables to ``values``.
    q_tables : tuple of two ndarrays
        ``Q1`` and ``Q2`` themselves, live: writes take effect at the next act/update.
    steps : int
        Number of updates so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = DoubleQLearningAgent(3, 2, alpha=0.5, gamma=1.0, seed=0)
    >>> agent.q_table = [[0.0, 0.0], [2.0, 4.0], [0.0, 0.0]]
    >>> agent.update(Transition(0, 1, 1.0, 1, False, False, {}))
    >>> [t[0, 1].item() for t in agent.q_tables]   # one table moved 0.5 * (1 + 4)
    [0.0, 2.5]
    >>> float(agent.q_table[0, 1])
    1.25
    """

    def _new_tables(self, initial_q: float) -> None:
        self._q1 = np.full((self.n_states, self.n_actions), initial_q)
        self._q2 = self._q1.copy()

    def _make_views(self) -> None:
        self._q1, self._q2 = own_table(self._q1), own_table(self._q2)
        self._rows1, self._rows2 = row_views(self._q1), row_views(self._q2)

    @property
    def q_table(self) -> np.ndarray:
        mean = (self._q1 + self._q2) / 2
        mean.flags.writeable = False  # derived: a write into it would be lost, so it raises
        return mean

    @q_table.setter
    def q_table(self, table) -> None:
        self._q1[...] = self._q2[...] = self._checked_table(table)

    @property
    def q_tables(self) -> tuple[np.ndarray, np.ndarray]:
        return self._q1, self._q2

    def act(self, observation: Any, *, explore: bool = True) -> int:
        u1, u2 = self._uniform_pair()
        epsilon = self._epsilon_now() if explore else 0.0
        q1, q2 = self._rows1[observation], self._rows2[observation]
        both = [x + y for x, y in zip(q1, q2, strict=True)]
        return epsilon_greedy(both, epsilon, u1, u2)

    def update(self, transition) -> None:
        s, a, r, s2, terminated = transition[:5]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        coin, tie = self._uniform_pair()
        learner, judge = (self._rows1, self._rows2) if coin < 0.5 else (self._rows2, self._rows1)
        if terminated:
            target = r
        else:
            best = greedy(learner[s2].tolist(), tie)  # the learner picks, the judge values
            target = r + self.gamma * judge[s2][best]
        row = learner[s]
        row[a] += alpha * (target - row[a])
        self.steps += 1
