"""Finite MDPs and planning: value iteration, policy evaluation and policy iteration.

A :class:`TabularMDP` holds a finite MDP in *outcome-list* form, the tabular analogue of
Gymnasium's toy-text ``P[s][a] = [(prob, next_state, reward, terminated), ...]``: taking
action ``a`` in state ``s`` leads to outcome ``k`` with probability ``probs[s, a, k]``, landing
in ``next_states[s, a, k]`` with reward ``rewards[s, a, k]``; a ``terminated`` outcome ends
the episode, so it does not bootstrap::

    Q(s, a) = sum_k p[s,a,k] * (r[s,a,k] + gamma * (1 - terminated[s,a,k]) * V(next[s,a,k]))

**Stopping rule of value iteration.** As in Gymnasium's tutorials, value iteration stops
when a sweep changes no value by ``tol`` or more: ``||T V - V||_inf < tol`` (``T`` the
Bellman optimality operator; pymdptoolbox tests the span of the change against
``epsilon * (1 - gamma) / gamma`` instead). The returned values ``T V`` are then within
``gamma * tol / (1 - gamma)`` of the optimal values ``V*`` (the contraction bound: ``tol =
1e-8`` at ``gamma = 0.99`` guarantees ``1e-6``, and usually gives much better). To get
``V*`` within ``eps``, pass ``tol = eps * (1 - gamma) / gamma``. With ``gamma = 1`` there is
no such bound.

The planner is pure NumPy; :func:`value_iteration` explains its tricks (a compact model
without an outcome axis where the model is deterministic, a start below the answer, and
backups only where values still move) and reaches the same fixed point as plain
synchronous value iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rlsandbox import _mdp_build, _mdp_policy, _mdp_sweep

__all__ = ["PlanResult", "TabularMDP", "greedy_policy", "policy_evaluation", "policy_iteration",
           "q_values", "value_iteration"]

@dataclass(frozen=True, eq=False, repr=False)
class TabularMDP:
    """A finite Markov decision process in outcome-list form.

    Parameters
    ----------
    next_states : array-like of int, shape (S, A, K)
        ``next_states[s, a, k]`` is the state outcome ``k`` of action ``a`` in ``s`` leads to.
        Every entry must be a state id in ``[0, S)``, even for probability-0 padding.
    probs : array-like of float, shape (S, A, K)
        Outcome probabilities: finite, ``>= 0``, summing to 1 (within 1e-9) over ``k``.
    rewards : array-like of float, shape (S, A, K)
        Finite reward of each outcome.
    terminated : array-like of bool, shape (S, A, K)
        Whether the outcome ends the episode (its next state's value is not added).
    gamma : float
        Discount factor in (0, 1]. ``gamma = 1`` is allowed for models where every policy
        eventually terminates; otherwise values may be unbounded and planning will say so.
    start : int or array-like of float, shape (S,), optional
        Where episodes start: a state id, or a distribution over states (finite, ``>= 0``,
        summing to 1 within 1e-9). ``None`` (the default) says nothing; an environment built
        from the model (:class:`rlsandbox.envs.TabularEnv`) then starts uniformly.
    cells : array-like of int, shape (S, 2), optional
        ``cells[s]`` is the ``(row, col)`` of state ``s`` on a grid (row 0 on top), for models
        that are grids: environments render them and plots draw them as such. Coordinates
        are ``>= 0`` and no two states share a cell. ``None`` (the default): not a grid.

    Attributes
    ----------
    next_states, probs, rewards, terminated : ndarray, shape (S, A, K)
        Read-only validated copies (dtypes ``intp``, ``float64``, ``float64``, ``bool``).
    gamma : float
    start : None, int or ndarray of float64, shape (S,)
        As given (a distribution as a read-only copy).
    cells : None or ndarray of intp, shape (S, 2)
        A read-only copy.
    n_states, n_actions : int

    Raises
    ------
    ValueError
        If an array is not 3-D, the shapes differ, probabilities are negative, not finite or
        do not sum to 1, a next state is out of range, a reward is not finite, ``gamma``
        is outside (0, 1], ``start`` is neither a state nor a distribution over states, or
        ``cells`` is not ``(S, 2)`` distinct non-negative integer pairs. The message names
        the offending ``(s, a)`` or state.

    See Also
    --------
    TabularMDP.from_env, TabularMDP.from_dense, value_iteration

    Examples
    --------
    A two-state chain: action 0 stays put, action 1 moves to state 1 and ends the episode
    with reward 1.

    >>> import numpy as np
    >>> from rlsandbox.mdp import TabularMDP, value_iteration
    >>> next_states = np.array([[[0], [1]], [[1], [1]]])
    >>> probs = np.ones((2, 2, 1))
    >>> rewards = np.array([[[0.0], [1.0]], [[0.0], [0.0]]])
    >>> terminated = np.array([[[False], [True]], [[True], [True]]])
    >>> mdp = TabularMDP(next_states, probs, rewards, terminated, gamma=0.9)
    >>> mdp
    TabularMDP(n_states=2, n_actions=2, n_outcomes=1, gamma=0.9)
    >>> value_iteration(mdp).values
    array([1., 0.])
    """

    next_states: np.ndarray
    probs: np.ndarray
    rewards: np.ndarray
    terminated: np.ndarray
    gamma: float
    start: Any = None
    cells: Any = None

    def __post_init__(self) -> None:
        for name, value in _mdp_build.validated_fields(self).items():
            object.__setattr__(self, name, value)  # frozen: store the validated copies

    @property
    def n_states(self) -> int:
        """Number of states ``S``."""
        return self.probs.shape[0]

    @property
    def n_actions(self) -> int:
        """Number of actions ``A``."""
        return self.probs.shape[1]

    def __repr__(self) -> str:
        S, A, K = self.probs.shape
        return f"TabularMDP(n_states={S}, n_actions={A}, n_outcomes={K}, gamma={self.gamma:g})"

    @classmethod
    def from_env(cls, env: Any, gamma: float = 0.99) -> TabularMDP:
        """The model of an environment that publishes its dynamics.

        Parameters
        ----------
        env : gymnasium.Env
            An env whose ``env.unwrapped`` has either ``outcome_arrays()`` returning
            ``(next_states, probs, rewards, terminated)`` arrays (our ``MazeEnv``: no Python
            dict is ever built) or a toy-text table ``P[s][a] = [(prob, next_state, reward,
            terminated), ...]`` (Gymnasium's FrozenLake, Taxi, CliffWalking).
        gamma : float, default 0.99
            Discount factor in (0, 1].

        Returns
        -------
        TabularMDP

        Raises
        ------
        ValueError
            If the env has neither, or the table is malformed.

        Examples
        --------
        >>> import gymnasium
        >>> from rlsandbox.mdp import TabularMDP
        >>> TabularMDP.from_env(gymnasium.make("FrozenLake-v1"), gamma=0.99)
        TabularMDP(n_states=16, n_actions=4, n_outcomes=3, gamma=0.99)
        """
        return cls(*_mdp_build.arrays_from_env(env), gamma)

    @classmethod
    def from_dense(cls, P: Any, R: Any, gamma: float) -> TabularMDP:
        """An MDP from pymdptoolbox-style dense matrices.

        The dense form has no notion of termination: every outcome gets
        ``terminated=False``, and an episode's end must be modelled, as pymdptoolbox does,
        by an absorbing state with reward 0.

        Parameters
        ----------
        P : array-like, shape (A, S, S)
            ``P[a, s, s2]``: probability of moving from ``s`` to ``s2`` under action ``a``.
        R : array-like, shape (S, A) or (A, S, S)
            Reward per state-action, or per transition ``R[a, s, s2]``.
        gamma : float
            Discount factor in (0, 1].

        Returns
        -------
        TabularMDP
            With one outcome per successor of positive probability (so ``K`` is the largest
            number of successors of a state-action, not ``S``).

        Examples
        --------
        >>> import numpy as np
        >>> from rlsandbox.mdp import TabularMDP
        >>> P = np.array([[[0.5, 0.5], [0.0, 1.0]], [[1.0, 0.0], [1.0, 0.0]]])
        >>> R = np.array([[0.0, 1.0], [2.0, 0.0]])
        >>> mdp = TabularMDP.from_dense(P, R, gamma=0.9)
        >>> P2, R2 = mdp.to_dense()
        >>> bool(np.array_equal(P2, P)), bool(np.allclose(R2, R))
        (True, True)
        """
        return cls(*_mdp_build.arrays_from_dense(P, R), gamma)

    def to_dense(self) -> tuple[np.ndarray, np.ndarray]:
        """Dense ``P (A, S, S)`` and expected reward ``R (S, A)``, pymdptoolbox's format.

        The inverse of :meth:`from_dense` (for ``R`` given per state-action).
        ``R[s, a] = sum_k probs[s,a,k] * rewards[s,a,k]``; outcomes that share a next state
        add up in ``P``.

        Raises
        ------
        ValueError
            If a terminated outcome enters a state that is not absorbing with reward 0: the
            dense form cannot say "terminated", and only then is dropping it harmless (true
            of FrozenLake and ``MazeEnv``, not of Taxi or CliffWalking).
        """
        return _mdp_build.to_dense(self.next_states, self.probs, self.rewards, self.terminated)


@dataclass(frozen=True, eq=False)
class PlanResult:
    """What a planner found.

    Attributes
    ----------
    values : ndarray, shape (S,)
        State values (optimal ones, up to the stopping rule).
    q_values : ndarray, shape (S, A)
        Action values ``Q(s, a)``; ``policy`` is greedy with respect to them.
    policy : ndarray of int, shape (S,)
        Greedy action per state (the first best action on ties).
    iterations : int
        Sweeps (value iteration: update rounds, see :func:`value_iteration`) or
        improvement steps (policy iteration).
    converged : bool
        Whether the stopping rule was met before the iteration limit.
    residuals : ndarray, shape (iterations,)
        Sup-norm change of the values in each iteration.
    """

    values: np.ndarray
    q_values: np.ndarray
    policy: np.ndarray
    iterations: int
    converged: bool
    residuals: np.ndarray


def value_iteration(mdp: TabularMDP, *, tol: float = 1e-8, max_iters: int = 100_000) -> PlanResult:
    """Optimal values and a greedy policy by value iteration.

    Stops when a full sweep changes no value by ``tol`` or more (``||T V - V||_inf < tol``,
    the usual rule; see the module docstring for the error bound it gives).

    The sweeps are asynchronous to save work, and the fixed point is the same as
    synchronous value iteration's: (1) outcomes that never bootstrap are dropped, so a
    deterministic model has no outcome axis; (2) values start at the largest constant ``c``
    with ``T c >= c`` (0 if there is none), so they only ever rise; (3) after a full sweep,
    only states whose successors moved by more than about ``tol * (1 - gamma)`` are backed
    up next, a wave running backwards from the goals, until it dies out; (4) a final full
    sweep must then pass the stopping rule, or the waves resume.

    Parameters
    ----------
    mdp : TabularMDP
    tol : float, default 1e-8
        Stop when the sup-norm change of a full sweep falls below ``tol`` (> 0).
    max_iters : int, default 100_000
        Most update rounds (full sweeps plus partial backups) to run.

    Returns
    -------
    PlanResult
        ``iterations`` counts update rounds and ``residuals`` their largest change; on
        convergence the last round is a full sweep with ``residuals[-1] < tol``, and
        ``values == q_values.max(axis=1)``.

    Warns
    -----
    RuntimeWarning
        If ``max_iters`` rounds do not converge (``converged=False``); with ``gamma=1`` the
        message points out that some policy may never terminate.

    Examples
    --------
    >>> import gymnasium
    >>> from rlsandbox.mdp import TabularMDP, value_iteration
    >>> mdp = TabularMDP.from_env(gymnasium.make("FrozenLake-v1"), gamma=0.99)
    >>> result = value_iteration(mdp)
    >>> round(float(result.values[0]), 3), result.converged
    (0.542, True)
    """
    return PlanResult(**_mdp_sweep.run_value_iteration(mdp, tol, max_iters))


def q_values(mdp: TabularMDP, values: Any) -> np.ndarray:
    """Action values ``Q(s, a)`` of state values ``V`` (one Bellman backup).

    ``Q(s, a) = sum_k p_k (r_k + gamma (1 - terminated_k) V(next_k))``.

    Parameters
    ----------
    mdp : TabularMDP
    values : array-like of float, shape (S,)

    Returns
    -------
    ndarray, shape (S, A)

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.mdp import TabularMDP, q_values
    >>> mdp = TabularMDP.from_dense(np.ones((2, 1, 1)), np.array([[1.0, 2.0]]), gamma=0.5)
    >>> q_values(mdp, np.array([4.0]))
    array([[3., 4.]])
    """
    return _mdp_sweep.q_backup(mdp, values)


def greedy_policy(q_values: Any) -> np.ndarray:
    """The greedy action of each state; ties go to the lowest action index.

    Parameters
    ----------
    q_values : array-like of float, shape (S, A)

    Returns
    -------
    ndarray of int, shape (S,)

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.mdp import greedy_policy
    >>> greedy_policy(np.array([[0.0, 1.0, 1.0], [2.0, 0.0, 2.0]]))
    array([1, 0])
    """
    return np.argmax(_mdp_build.check_q_values(q_values), axis=1).astype(np.intp)


def policy_evaluation(mdp: TabularMDP, policy: Any, *, tol: float = 1e-10) -> np.ndarray:
    """The values ``V^pi`` of a fixed policy.

    Exact for models with at most 2000 states (a dense solve of ``(I - gamma P_pi) V =
    r_pi``) and for deterministic policies in deterministic models (pointer doubling: the
    values along each path are summed over 1, 2, 4, ... steps, exact in ``log2(horizon)``
    vectorised rounds). Otherwise iterative: sweeps ``V <- r_pi + gamma P_pi V`` until the
    change is below ``tol * (1 - gamma) / gamma`` (so ``V`` is within ``tol`` of ``V^pi``).

    Parameters
    ----------
    mdp : TabularMDP
    policy : array-like, shape (S,) of int or (S, A) of float
        An action per state, or a distribution over actions per state (rows sum to 1).
    tol : float, default 1e-10
        Accuracy of the iterative method.

    Returns
    -------
    ndarray, shape (S,)

    Raises
    ------
    ValueError
        If the policy is malformed, or (``gamma = 1``) it never terminates from some state,
        so its values are not defined.

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.mdp import TabularMDP, policy_evaluation
    >>> mdp = TabularMDP.from_dense(np.ones((2, 1, 1)), np.array([[1.0, 2.0]]), gamma=0.5)
    >>> policy_evaluation(mdp, np.array([1]))
    array([4.])
    >>> policy_evaluation(mdp, np.array([[0.5, 0.5]]))
    array([3.])
    """
    return _mdp_policy.run_policy_evaluation(mdp, policy, tol)


def policy_iteration(mdp: TabularMDP, *, max_iters: int = 1_000) -> PlanResult:
    """Optimal values and policy by Howard's policy iteration.

    Starts from the greedy policy of the immediate rewards, then alternates exact
    :func:`policy_evaluation` and greedy improvement until the policy is stable. An action
    is only replaced by one that is better by more than rounding (``1e-12`` relative), so
    ties cannot make it cycle. Few iterations on small models; on large long-horizon models
    each iteration moves information one step, so prefer :func:`value_iteration` there.

    Parameters
    ----------
    mdp : TabularMDP
    max_iters : int, default 1000
        Most improvement steps.

    Returns
    -------
    PlanResult
        ``iterations`` counts evaluations, ``residuals`` the Bellman residual
        ``||max_a Q - V||_inf`` after each.

    Raises
    ------
    ValueError
        With ``gamma = 1``, if a policy met on the way never terminates.

    Examples
    --------
    >>> import gymnasium
    >>> from rlsandbox.mdp import TabularMDP, policy_iteration
    >>> mdp = TabularMDP.from_env(gymnasium.make("FrozenLake-v1"), gamma=0.99)
    >>> round(float(policy_iteration(mdp).values[0]), 3)
    0.542
    """
    return PlanResult(**_mdp_policy.run_policy_iteration(mdp, max_iters))
