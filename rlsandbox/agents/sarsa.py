"""SARSA: on-policy TD control.

Sutton & Barto (2nd ed.), section 6.4, the box "Sarsa (on-policy TD control) for estimating
Q ≈ q*" and equation (6.7). After each transition ``(S, A, R, S')``, choose ``A'`` from
``S'`` ε-greedily, then::

    Q[S, A] += alpha * (R + gamma * Q[S', A'] - Q[S, A])      # R alone if S' is terminal

and take ``A'`` at the next step. On truncation it still bootstraps from ``Q[S', A']`` (a time
limit is not the end of the task); the ``A'`` chosen for that is then dropped, since the next
episode starts elsewhere.
"""

from __future__ import annotations

from rlsandbox.agents.tabular import OnPolicyTabularAgent

__all__ = ["SarsaAgent"]


class SarsaAgent(OnPolicyTabularAgent):
    """ε-greedy tabular SARSA; the next action is chosen in ``update``, taken by the next ``act``.

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
        Starting value of every Q-table entry.
    seed : int, optional
        Seed of the agent's random generator.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table: ``agent.q_table[s, a] = v`` takes effect at the next act/update.
    steps : int
        Number of updates so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = SarsaAgent(3, 2, alpha=0.5, gamma=0.9, epsilon=0.0, seed=0)
    >>> agent.q_table[1] = [2.0, 4.0]
    >>> agent.update(Transition(0, 1, 1.0, 1, False, False, {}))   # A' = 1, the greedy one
    >>> float(agent.q_table[0, 1]), agent.act(1)                  # 0.5 * (1 + 0.9 * 4)
    (2.3, 1)
    """

    def update(self, transition) -> None:
        s, a, r, s2, terminated, truncated = transition[:6]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        a2 = self._next_action(s2, terminated, truncated)  # None when S' is terminal
        target = r if a2 is None else r + self.gamma * self._rows[s2][a2]
        row = self._rows[s]
        row[a] += alpha * (target - row[a])
        self.steps += 1
