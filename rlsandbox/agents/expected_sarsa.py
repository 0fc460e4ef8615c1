"""Expected SARSA: TD control with the expectation over the next action.

Sutton & Barto (2nd ed.), section 6.6, equation (6.9). After each transition
``(S, A, R, S')``::

    Q[S, A] += alpha * (R + gamma * sum_a pi(a | S') Q[S', a] - Q[S, A])   # R alone if terminal

where ``pi`` is the agent's own ε-greedy policy (ties share the greedy probability), so the
expectation is ``(1 - epsilon) * max_a Q[S', a] + epsilon * mean_a Q[S', a]``
(:func:`rlsandbox.agents.egreedy.expected_value`). It bootstraps on truncation, not on
termination. It moves as SARSA does in expectation, without the variance of sampling ``A'``.
"""

from __future__ import annotations

from rlsandbox.agents.egreedy import expected_value
from rlsandbox.agents.tabular import TabularAgent

__all__ = ["ExpectedSarsaAgent"]


class ExpectedSarsaAgent(TabularAgent):
    """ε-greedy tabular Expected SARSA (on-policy: the expectation uses the current ε).

    Parameters
    ----------
    n_states, n_actions : int
        Size of the Q-table.
    alpha : float or callable, default 0.1
        Step size in (0, 1], or a schedule ``alpha(steps)``.
    gamma : float, default 0.99
        Discount factor in [0, 1].
    epsilon : float or callable, default 0.1
        Exploration rate in [0, 1], or a schedule ``epsilon(steps)``; both the behaviour and
        the target's expectation use it.
    initial_q : float, default 0.0
        Starting value of every Q-table entry.
    seed : int, optional
        Seed of the agent's random generator.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table.
    steps : int
        Number of updates so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = ExpectedSarsaAgent(3, 2, alpha=0.5, gamma=1.0, epsilon=0.5, seed=0)
    >>> agent.q_table[1] = [2.0, 4.0]        # expectation: 0.5 * 4 + 0.5 * 3 = 3.5
    >>> agent.update(Transition(0, 0, 1.0, 1, False, False, {}))
    >>> float(agent.q_table[0, 0])           # 0.5 * (1 + 3.5)
    2.25
    """

    def update(self, transition) -> None:
        s, a, r, s2, terminated = transition[:5]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        if terminated:
            target = r
        else:
            target = r + self.gamma * expected_value(self._rows[s2].tolist(), self._epsilon_now())
        row = self._rows[s]
        row[a] += alpha * (target - row[a])
        self.steps += 1
