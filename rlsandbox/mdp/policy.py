"""Evaluating a fixed policy and Howard's policy iteration."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from rlsandbox.mdp import model as _model
from rlsandbox.mdp.model import TabularMDP
from rlsandbox.mdp.planning import PlanResult, evaluate_deterministic

__all__ = ["policy_evaluation", "policy_iteration"]

_DENSE_MAX_STATES = 2000  # exact dense solve up to here (S x S float64: 32 MB at 2000)
_MAX_SWEEPS = 1_000_000  # iterative evaluation gives up (gamma = 1 only, in practice)
_TIE = 1e-12  # policy iteration switches action only for a gain above rounding


def run_policy_evaluation(mdp, policy: Any, tol: Any) -> np.ndarray:
    """Checked ``policy_evaluation``: validate the arguments, then :func:`evaluate`."""
    _model.check_mdp(mdp)
    tol = _model.check_tol(tol)
    return evaluate(mdp, as_policy_matrix(mdp, policy), tol)


def run_policy_iteration(mdp, max_iters: Any) -> dict[str, Any]:
    """Checked ``policy_iteration``, warning if it does not settle; a ``PlanResult``'s fields."""
    _model.check_mdp(mdp)
    max_iters = _model.check_positive_int("max_iters", max_iters)
    fields = iterate(mdp, max_iters)
    if not fields["converged"]:
        warnings.warn(
            f"policy iteration did not settle in {max_iters} iterations (Bellman residual "
            f"{fields['residuals'][-1]:.3g}); raise max_iters",
            RuntimeWarning,
            stacklevel=3,  # the caller of rlsandbox.mdp.policy_iteration
        )
    return fields


def as_policy_matrix(mdp, policy: Any) -> np.ndarray:
    """``policy`` as an (S, A) matrix of action probabilities, validated."""
    pi = _model.as_array("policy", policy)
    n_states, n_actions = mdp.n_states, mdp.n_actions
    if pi.shape == (n_states,):
        if pi.dtype.kind not in "iu":
            raise ValueError(
                f"a deterministic policy must hold integer actions, got dtype {pi.dtype}; "
                f"pass ints in [0, {n_actions}) or an (S, A) matrix of probabilities"
            )
        bad = (pi < 0) | (pi >= n_actions)
        if bad.any():
            s = int(np.argmax(bad))
            raise ValueError(
                f"policy[{s}] = {pi[s]} is not an action in [0, {n_actions})"
            )
        matrix = np.zeros((n_states, n_actions))
        matrix[np.arange(n_states), pi] = 1.0
        return matrix
    if pi.shape == (n_states, n_actions):
        if pi.dtype.kind not in "iuf":
            raise ValueError(f"policy probabilities must be real numbers, got {pi.dtype}")
        pi = pi.astype(np.float64)
        bad = ~np.isfinite(pi) | (pi < 0)
        if bad.any():
            s, a = _model.first_index(bad)
            raise ValueError(
                f"policy[{s}, {a}] = {pi[s, a]} is not a probability (finite and >= 0)"
            )
        total = pi.sum(axis=1)
        bad = np.abs(total - 1) > _model.PROB_ATOL
        if bad.any():
            s = int(np.argmax(bad))
            raise ValueError(
                f"the action probabilities of state {s} sum to {float(total[s])!r}, not 1"
            )
        return pi
    raise ValueError(
        f"policy must have shape ({n_states},) (an action per state) or ({n_states}, "
        f"{n_actions}) (action probabilities per state), got {pi.shape}"
    )


def _policy_model(mdp, pi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``r_pi (S,)``, and bootstrap weights and successors ``(S, M)`` of the Markov chain.

    ``V = r_pi + sum_m weight[:, m] * V[successor[:, m]]``; outcomes with zero weight
    (untaken actions, probability 0, terminated) are dropped, so ``M`` is often 1.
    """
    n_states = mdp.n_states
    reward = np.einsum("sa,sak,sak->s", pi, mdp.probs, mdp.rewards)
    weight = (mdp.gamma * pi[:, :, None] * mdp.probs * ~mdp.terminated).reshape(n_states, -1)
    successor = mdp.next_states.reshape(n_states, -1)
    live = weight != 0
    width = int(live.sum(axis=1).max())
    keep = np.argsort(~live, axis=1, kind="stable")[:, :width]
    return (
        reward,
        np.take_along_axis(weight, keep, axis=1),
        np.take_along_axis(successor, keep, axis=1),
    )


def evaluate(mdp, pi: np.ndarray, tol: float) -> np.ndarray:
    """``V^pi``: dense solve, pointer doubling or sweeps (see ``policy_evaluation``)."""
    reward, weight, successor = _policy_model(mdp, pi)
    gamma = mdp.gamma
    if gamma == 1.0:
        reward, weight = _drop_endless_loops(reward, weight, successor)
    if mdp.n_states <= _DENSE_MAX_STATES:
        matrix = np.eye(mdp.n_states)
        rows = np.broadcast_to(np.arange(mdp.n_states)[:, None], successor.shape)
        np.add.at(matrix, (rows, successor), -weight)
        return np.linalg.solve(matrix, reward)
    if weight.shape[1] <= 1 and gamma < 1:
        w = weight[:, 0] if weight.shape[1] else np.zeros(mdp.n_states)
        nxt = successor[:, 0] if weight.shape[1] else np.arange(mdp.n_states)
        return evaluate_deterministic(reward, w, nxt)
    return _sweeps(reward, weight, successor, gamma, tol)


def _drop_endless_loops(
    reward: np.ndarray, weight: np.ndarray, successor: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """With gamma = 1: pin the values of never-ending recurrent states to 0, or raise.

    A closed class of states that never terminates is visited forever: its values are
    defined only if it earns nothing (then they are 0, like an absorbing state of the dense
    form). Cutting the edges into such classes leaves a chain that ends with probability 1
    from every state, so the linear system is regular and sweeps converge.
    """
    recurrent = _closed_classes(weight, successor)
    if not recurrent.any():
        return reward, weight
    earning = recurrent & (reward != 0)
    if earning.any():
        s = int(np.argmax(earning))
        raise ValueError(
            f"with gamma=1 the policy never terminates from state {s}, and it keeps earning "
            f"reward there ({reward[s]:g} per step), so its value is not defined; use "
            "gamma < 1 or a policy that reaches a terminal outcome"
        )
    return reward, np.where(recurrent[successor], 0.0, weight)


def _closed_classes(weight: np.ndarray, successor: np.ndarray) -> np.ndarray:
    """States in closed communicating classes of the chain (Tarjan's SCC, iterative)."""
    n = len(weight)
    edges = [row[w > 0].tolist() for row, w in zip(successor, weight, strict=True)]
    index, low = [-1] * n, [0] * n
    on_stack, stack, closed = [False] * n, [], np.zeros(n, dtype=bool)
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if i < len(edges[v]):
                work.append((v, i + 1))
                u = edges[v][i]
                if index[u] < 0:
                    work.append((u, 0))
                elif on_stack[u]:
                    low[v] = min(low[v], index[u])
                continue
            if work:  # v is done: pass its low-link to the parent on the work stack
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:  # v roots a strongly connected component
                members = []
                while True:
                    u = stack.pop()
                    on_stack[u] = False
                    members.append(u)
                    if u == v:
                        break
                inside = set(members)
                # Closed: no probability leaves the class, neither to a state nor to an end.
                if all(u in inside for m in members for u in edges[m]) and all(
                    weight[m].sum() >= 1 - 1e-12 for m in members
                ):
                    closed[members] = True
    return closed


def _sweeps(
    reward: np.ndarray, weight: np.ndarray, successor: np.ndarray, gamma: float, tol: float
) -> np.ndarray:
    """Jacobi sweeps ``V <- r + W V`` until the change guarantees error <= tol."""
    # ||V_k - V|| <= gamma / (1 - gamma) * change; never ask for less than rounding noise.
    target = tol * (1 - gamma) / gamma if gamma < 1 else tol
    values = reward.copy()
    for _ in range(_MAX_SWEEPS):
        new = reward + np.einsum("sm,sm->s", weight, values[successor])
        change = float(np.abs(new - values).max())
        values = new
        if change < max(target, 4 * np.finfo(float).eps * float(np.abs(values).max())):
            return values
    raise ValueError(
        f"policy evaluation did not converge in {_MAX_SWEEPS} sweeps (last change "
        f"{change:.3g}); with gamma=1 the policy may never terminate"
    )


def iterate(mdp, max_iters: int) -> dict[str, Any]:
    """Howard's policy iteration; the fields of a ``PlanResult``."""
    from rlsandbox.mdp.planning import greedy_policy, q_values

    states = np.arange(mdp.n_states)
    q = np.einsum("sak,sak->sa", mdp.probs, mdp.rewards)  # myopic start
    policy = greedy_policy(q)
    residuals: list[float] = []
    converged = False
    for _ in range(max_iters):
        pi = np.zeros((mdp.n_states, mdp.n_actions))
        pi[states, policy] = 1.0
        values = evaluate(mdp, pi, tol=1e-12)
        q = q_values(mdp, values)
        best = q.max(axis=1)
        residuals.append(float(np.abs(best - values).max()))
        # Switch only for a real gain, so equal actions cannot make the policy cycle.
        better = best > q[states, policy] + _TIE * np.maximum(1.0, np.abs(best))
        if not better.any():
            converged = True
            break
        policy = np.where(better, np.argmax(q, axis=1), policy)
    return {
        "values": values,
        "q_values": q,
        "policy": greedy_policy(q),
        "iterations": len(residuals),
        "converged": converged,
        "residuals": np.asarray(residuals),
    }


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
    return run_policy_evaluation(mdp, policy, tol)


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
    return PlanResult(**run_policy_iteration(mdp, max_iters))
