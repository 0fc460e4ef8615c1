"""SARSA(λ): SARSA with eligibility traces, crediting every recent state-action pair at once.

Sutton & Barto (2nd ed.), section 12.7, the box "Sarsa(λ) with binary features and linear
function approximation", with one binary feature per state-action pair (the tabular case).
After each transition ``(S, A, R, S')``, with ``A'`` chosen ε-greedily in ``S'``::

    delta = R - Q[S, A] + gamma * Q[S', A']      # without the last term if S' is terminal
    z[S, A] = z[S, A] + 1                         # "accumulating" traces, or
    z[S, A] = 1                                   # "replacing" traces
    Q += alpha * delta * z                        # every pair with a trace
    z *= gamma * lam

and ``A'`` is taken at the next step. Traces start at zero each episode. On truncation it
bootstraps from ``Q[S', A']`` (a time limit is not the end of the task) and then clears the
traces. ``lam=0`` is SARSA; ``lam=1`` approaches every-visit Monte Carlo.

Traces are kept for the pairs visited this episode only (a dict), so a step costs time in
proportion to them, not to the table.
"""

from __future__ import annotations

import numpy as np

from rlsandbox.agents.tabular import OnPolicyTabularAgent, Rate, check_rate

__all__ = ["SarsaLambdaAgent"]

_TRACES = ("replacing", "accumulating")


class SarsaLambdaAgent(OnPolicyTabularAgent):
    """ε-greedy tabular SARSA(λ) with replacing or accumulating traces.

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
    lam : float, default 0.9
        Trace decay λ in [0, 1].
    traces : {"replacing", "accumulating"}, default "replacing"
        How a visit sets its pair's trace: to 1, or up by 1.

    Attributes
    ----------
    q_table : ndarray, shape (n_states, n_actions)
        The live table.
    steps : int
        Number of updates so far.

    Examples
    --------
    >>> from rlsandbox.loop import Transition
    >>> agent = SarsaLambdaAgent(3, 2, alpha=0.5, gamma=1.0, lam=0.5, epsilon=0.0, seed=0)
    >>> agent.update(Transition(0, 1, 0.0, 1, False, False, {}))   # delta 0: nothing moves
    >>> agent.update(Transition(1, 1, 4.0, 2, True, False, {}))    # delta 4 reaches both
    >>> agent.q_table[:2, 1].tolist()                              # 0.5*4*0.5, 0.5*4*1
    [1.0, 2.0]
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
        lam: float = 0.9,
        traces: str = "replacing",
    ) -> None:
        check_rate("lam", lam)
        if callable(lam):
            raise ValueError(f"lam must be a number in [0, 1], got {lam!r}")
        if traces not in _TRACES:
            raise ValueError(f"traces must be 'replacing' or 'accumulating', got {traces!r}")
        self.lam, self.traces = float(lam), traces
        super().__init__(n_states, n_actions, alpha=alpha, gamma=gamma, epsilon=epsilon,
                         initial_q=initial_q, seed=seed)
        self.begin_episode()

    def _make_views(self) -> None:
        super()._make_views()
        self._flat = memoryview(self._table).cast("B").cast("d")  # Q[s, a] is _flat[s * A + a]

    def begin_episode(self) -> None:
        super().begin_episode()
        self._z: dict[int, float] = {}  # flat index s * n_actions + a -> trace

    def update(self, transition) -> None:
        s, a, r, s2, terminated, truncated = transition[:6]
        alpha = self.alpha if type(self.alpha) is float else self.alpha(self.steps)
        a2 = self._next_action(s2, terminated, truncated)  # chosen before Q changes
        q, z = self._flat, self._z
        i = s * self.n_actions + a
        delta = r - q[i]
        if a2 is not None:
            delta += self.gamma * q[s2 * self.n_actions + a2]
        z[i] = 1.0 if self.traces == "replacing" else z.get(i, 0.0) + 1.0
        step, decay = alpha * delta, self.gamma * self.lam
        for j, trace in z.items():  # values change, keys do not: safe while iterating
            q[j] += step * trace
            z[j] = trace * decay
        if terminated or truncated:
            z.clear()
        self.steps += 1

    # -- persistence: the traces as two arrays (a dict with int keys is not JSON) ---------------
    def get_state(self) -> dict:
        state = super().get_state()
        state["_z"] = np.array([list(self._z), list(self._z.values())], dtype=np.float64)
        return state

    def set_state(self, state: dict) -> None:
        state = dict(state)
        index, value = np.asarray(state.pop("_z"), dtype=np.float64).reshape(2, -1)
        super().set_state(state)
        self._z = dict(zip(index.astype(np.int64).tolist(), value.tolist(), strict=True))
