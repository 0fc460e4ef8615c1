"""Tabular Q-learning (Watkins, 1989), readable top to bottom.

Sutton & Barto (2nd ed.), section 6.5, the box "Q-learning (off-policy TD control)" and
equation (6.8). After each transition ``(s, a, r, s', terminated)``::

    Q[s, a] += alpha * (r + gamma * (1 - terminated) * max_a' Q[s', a'] - Q[s, a])

It bootstraps on truncation (a time limit is not the end of the task) but not on termination.
Actions are ε-greedy with random tie-breaking, drawn as every tabular agent draws them
(:mod:`rlsandbox.agents.tabular`): two uniforms per ``act``, so a vectorised trainer
(:func:`rlsandbox.loop.train_many`) reproduces this agent exactly.
"""

from __future__ import annotations

from rlsandbox.agents.tabular import TabularAgent

__all__ = ["QLearningAgent"]


class QLearningAgent(TabularAgent):
    """ε-greedy tabular Q-learning for discrete observations and actions.

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
        The live table: ``agent.q_table[s, a] = v`` takes effect at the next act/update.
    steps : int
        Number of updates so far (the argument of the schedules).

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = QLearningAgent(3, 2, alpha=0.5, gamma=0.9, seed=0)
    >>> agent.q_table[1] = [2.0, 4.0]
    >>> agent.update(Transition(0, 1, 1.0, 1, False, False, {}))
    >>> float(agent.q_table[0, 1])   # 0 + 0.5 * (1 + 0.9 * 4 - 0)
    2.3
    """

    def update(self, transition) -> None:
        s, a, r, s2, terminated = transition[:5]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        if terminated:
            target = r
        else:
            target = r + self.gamma * max(self._rows[s2])
        row = self._rows[s]
        row[a] += alpha * (target - row[a])
        self.steps += 1
