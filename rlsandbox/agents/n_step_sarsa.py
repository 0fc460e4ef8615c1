"""n-step SARSA: SARSA whose target looks n rewards ahead before it bootstraps.

Sutton & Barto (2nd ed.), section 7.2, the box "n-step Sarsa for estimating Q ≈ q* or q_π"
and equation (7.4). With the last ``n`` steps ``S_τ, A_τ, R_τ+1, ..., S_τ+n, A_τ+n`` in hand::

    G = R_τ+1 + gamma R_τ+2 + ... + gamma^(n-1) R_τ+n + gamma^n Q[S_τ+n, A_τ+n]
    Q[S_τ, A_τ] += alpha * (G - Q[S_τ, A_τ])

``A_τ+n`` is chosen ε-greedily in ``update`` and taken by the next ``act`` (as SARSA's ``A'``).
At the episode's end the steps still waiting are flushed, oldest first, each with the rewards
up to the end: with no bootstrap on termination, and on truncation with
``gamma^k Q[S_T, A']`` for an ``A'`` chosen in the last state (a time limit is not the end of
the task). ``n=1`` is SARSA.
"""

from __future__ import annotations

from typing import Any

from rlsandbox.agents.tabular import OnPolicyTabularAgent, Rate, check_positive_int

__all__ = ["NStepSarsaAgent"]


class NStepSarsaAgent(OnPolicyTabularAgent):
    """ε-greedy tabular n-step SARSA.

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
    n : int, default 4
        Rewards in each target before it bootstraps.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table.
    steps : int
        Number of updates so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = NStepSarsaAgent(4, 2, n=2, alpha=1.0, gamma=0.5, epsilon=0.0, seed=0)
    >>> agent.update(Transition(0, 1, 1.0, 1, False, False, {}))   # one step: nothing yet
    >>> agent.update(Transition(1, 1, 2.0, 2, True, False, {}))    # terminal: flush both
    >>> agent.q_table[:2, 1].tolist()                              # 1 + 0.5 * 2, then 2
    [2.0, 2.0]
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
        n: int = 4,
    ) -> None:
        check_positive_int("n", n)
        self.n = int(n)
        super().__init__(n_states, n_actions, alpha=alpha, gamma=gamma, epsilon=epsilon,
                         initial_q=initial_q, seed=seed)
        self.begin_episode()

    def begin_episode(self) -> None:
        super().begin_episode()
        # The steps whose update waits for n more rewards; an unfinished episode's are dropped.
        self._states: list[int] = []
        self._actions: list[int] = []
        self._rewards: list[float] = []

    def update(self, transition) -> None:
        s, a, r, s2, terminated, truncated = transition[:6]
        self._states.append(int(s))
        self._actions.append(int(a))
        self._rewards.append(float(r))
        a2 = self._next_action(s2, terminated, truncated)  # A_τ+n: None when S' is terminal
        if terminated or truncated:
            while self._states:
                self._update_oldest(s2, a2)
        elif len(self._states) == self.n:
            self._update_oldest(s2, a2)
        self.steps += 1

    def _update_oldest(self, last_state: Any, last_action: int | None) -> None:
        """Update ``Q[S_τ, A_τ]`` for the oldest waiting step and forget it."""
        g, discount = 0.0, 1.0
        for reward in self._rewards:
            g += discount * reward
            discount *= self.gamma
        if last_action is not None:
            g += discount * self._rows[last_state][last_action]
        row, a = self._rows[self._states.pop(0)], self._actions.pop(0)
        del self._rewards[0]
        row[a] += self._alpha_now() * (g - row[a])
