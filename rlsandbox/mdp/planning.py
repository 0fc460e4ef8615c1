"""Value iteration: fast Bellman backups, the value-iteration loop, and its results.

Value iteration here is asynchronous ("wavefront") value iteration:

1. **Compact model.** Outcomes that never bootstrap (probability 0 or terminated) are dropped
   and each state-action keeps only ``expected reward + sum_k w_k V(next_k)`` with
   ``w_k = gamma p_k (1 - terminated_k)``. A deterministic model (our mazes, Taxi) then has
   no outcome axis at all: one gather, one multiply, one add per action.
2. **A start below the answer.** ``V_0 = c`` with ``c`` the largest constant for which
   ``T V_0 >= V_0`` (:meth:`CompactModel.lower_constant`). From such a sub-solution every
   backup can only raise a value, and in a maze ``c`` is already the value of a cell that
   never reaches the goal (``step_reward / (1 - gamma)``): only cells near a goal have
   anything to learn.
3. **Back up only where something changed.** After a full sweep, only the predecessors of
   states whose value moved by more than ``theta`` are backed up in the next round (one
   vectorised step per round, with the newest values: Gauss-Seidel between rounds). The
   active set is a wave running backwards from the goals along the model's edges, in
   breadth-first order, and it dies out once the changes are negligible: a change shrinks
   by ``gamma`` per step it travels, so the rounds are bounded by about
   ``log(change / theta) / (1 - gamma)``, not by the depth of the maze (230,000 steps in a
   generated 1415 x 1415 one, where one pass in breadth-first layers would need as many
   numpy steps). Each cell is backed up a few times in all instead of once per sweep.
4. **Stop on a full sweep.** The loop only stops after a full synchronous sweep whose
   sup-norm change ``||T V - V||`` is below ``tol``: the same test as plain synchronous value
   iteration, so the result has the same guarantee and the same fixed point.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from rlsandbox.mdp import model as _model
from rlsandbox.mdp.model import TabularMDP

__all__ = ["PlanResult", "greedy_policy", "q_values", "value_iteration"]

# Switch from the wave to a full sweep when the wave covers more than 1/_WIDE of the states:
# gathering scattered rows then costs more than streaming through contiguous arrays.
_WIDE = 4
# Largest in-degree for which the reverse graph is a padded (S, D) table (one gather per
# wave round) rather than CSR ranges (about ten numpy calls per round).
_PAD_MAX = 8


class CompactModel:
    """The Bellman backup of a ``TabularMDP`` in the fewest arrays numpy can stream.

    ``Q(s, a) = r[a, s] + sum_k w[a, k, s] * V[nxt[a, k, s]]`` with action-major arrays
    (each action's slice is contiguous, so a full sweep is a few passes over flat memory).
    """

    def __init__(self, mdp) -> None:
        n_states, n_actions, n_out = mdp.probs.shape
        self.n_states, self.n_actions, self.gamma = n_states, n_actions, mdp.gamma
        # Work straight in the action-major layout, writing into preallocated arrays: every
        # temporary of this size is a fresh mmap and its page faults cost more than the maths.
        probs = mdp.probs.transpose(1, 2, 0)  # (A, K, S) views
        self.r = np.empty((n_actions, n_states))  # expected reward: no outcome axis
        np.einsum("aks,aks->as", probs, mdp.rewards.transpose(1, 2, 0), out=self.r)
        weight = np.empty((n_actions, n_out, n_states))
        np.multiply(probs, self.gamma, out=weight)
        weight[mdp.terminated.transpose(1, 2, 0)] = 0.0  # terminated outcomes never bootstrap
        next_states = mdp.next_states.transpose(1, 2, 0)
        if n_out > 1:
            bootstraps = weight != 0
            keep_out = int(bootstraps.sum(axis=1).max())
            if keep_out < n_out:
                # Keep only outcomes that bootstrap: K = 1 for a deterministic model, K = 0
                # (no gather at all) when every outcome terminates.
                keep = np.argsort(~bootstraps, axis=1, kind="stable")[:, :keep_out]
                weight = np.take_along_axis(weight, keep, axis=1)
                next_states = np.take_along_axis(next_states, keep, axis=1)
                n_out = keep_out
        elif not weight.any():
            n_out = 0
            weight, next_states = weight[:, :0], next_states[:, :0]
        self.n_outcomes = n_out
        self.w = np.ascontiguousarray(weight)  # (A, K, S)
        if next_states.flags.c_contiguous:
            self.nxt = next_states  # (A, K, S)
        else:
            self.nxt = np.empty(next_states.shape, np.intp)
            np.copyto(self.nxt, next_states)
        self._buffer = np.empty((n_states,))
        self._flat_nxt = self.nxt.reshape(-1, self.n_states)  # (A*K, S) views
        self._flat_w = self.w.reshape(-1, self.n_states)
        self._reverse: np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._owner = np.empty(0, dtype=np.intp)  # scratch for de-duplication

    # -- full sweep -------------------------------------------------------------------------
    def sweep(self, values: np.ndarray, q_out: np.ndarray, v_out: np.ndarray) -> None:
        """``q_out (A, S) = Q(values)``, ``v_out (S,) = max_a q_out``, no temporaries."""
        buf = self._buffer
        for a in range(self.n_actions):
            q = q_out[a]
            if self.n_outcomes == 0:
                q[:] = self.r[a]
            for k in range(self.n_outcomes):
                # mode="clip" skips numpy's bounds check, which would also force a buffered
                # copy of ``out``; the indices were validated once when the MDP was built.
                target = q if k == 0 else buf
                np.take(values, self.nxt[a, k], out=target, mode="clip")
                target *= self.w[a, k]
                if k == 0:
                    q += self.r[a]
                else:
                    q += buf
            # A running maximum over actions: no (S, A) reduction along a short axis.
            if a == 0:
                v_out[:] = q
            else:
                np.maximum(v_out, q, out=v_out)

    # -- partial backups ----------------------------------------------------------------------
    def backup(self, values: np.ndarray, states: np.ndarray) -> np.ndarray:
        """``max_a Q(s, a)`` for the given states only."""
        n_actions, n_out, m = self.n_actions, self.n_outcomes, len(states)
        # ndarray.take along an axis is several times faster than fancy indexing of 2-D
        # arrays (and than the np.take wrapper, on the few states of a wave round); the
        # (A*K, m) result keeps each action's values contiguous for the maximum.
        r = self.r.take(states, axis=1)
        if n_out == 0:
            return r.max(axis=0)
        q = values.take(self._flat_nxt.take(states, axis=1))
        q *= self._flat_w.take(states, axis=1)
        if n_out > 1:
            q = q.reshape(n_actions, n_out, m).sum(axis=1)
        q += r
        return q.max(axis=0)

    def predecessors(self, states: np.ndarray) -> np.ndarray:
        """Ids (unsorted, unique) of the states with an outcome that bootstraps from ``states``."""
        if self._reverse is None:
            self._reverse = self._build_reverse()
        if isinstance(self._reverse, np.ndarray):
            # Padded table: one gather finds every predecessor.
            found = self._reverse.take(states, axis=0).ravel()
        else:
            start, degree, source = self._reverse
            first, count = start[states], degree[states]
            total = int(count.sum())
            # Concatenate the CSR ranges [first, first + count) without a Python loop.
            offsets = np.repeat(first - (np.cumsum(count) - count), count)
            found = source[offsets + np.arange(total)]
        # Drop duplicates without sorting: of the entries naming the same state, only the
        # last one written to ``owner`` reads its own position back.
        position = self._positions[: len(found)]
        self._owner[found] = position
        return found[self._owner[found] == position]

    def _build_reverse(self) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Who bootstraps from each state: a padded (S, D) table, or CSR if D is large."""
        n = self.n_states
        # One edge per (target, source) pair: several actions (bumping into walls) or
        # outcomes (slipping) often lead to the same state. Comparing each of a source's
        # A*K targets with the ones before it finds the repeats without sorting all edges.
        targets = np.empty(self._flat_nxt.shape, np.intp)  # (A*K, S)
        np.copyto(targets, self._flat_nxt)
        targets[self._flat_w == 0] = -1  # -1: no edge
        for j in range(1, len(targets)):
            targets[j][(targets[j] == targets[:j]).any(axis=0)] = -1
        degree = np.bincount(targets.ravel() + 1, minlength=n + 1)[1:]  # -1 -> bin 0, dropped
        width = int(degree.max(initial=0))
        self._owner = np.empty((n,), np.intp)
        if width > _PAD_MAX:
            self._positions = np.arange(int(degree.sum()))
            return self._csr(targets, degree)
        # Padded table, filled one row of targets at a time without sorting: row j holds at
        # most one edge per source, so per-row arrays stay S long; a target hit twice in the
        # same row gets its slots over a few passes.
        width = max(width, 1)
        self._positions = np.arange(n * width)
        table = np.empty((n, width), np.intp)
        table[...] = np.arange(n)[:, None]  # padding: the state itself
        fill = np.empty((n,), np.intp)
        fill.fill(0)
        for row in targets:
            source = np.flatnonzero(row >= 0)
            target = row[source]
            while len(target):
                position = self._positions[: len(target)]
                self._owner[target] = position
                first = self._owner[target] == position  # one edge per target this pass
                t = target[first]
                table[t, fill[t]] = source[first]
                fill[t] += 1
                target, source = target[~first], source[~first]
        return table

    def _csr(self, targets: np.ndarray, degree: np.ndarray) -> tuple[np.ndarray, ...]:
        """Reverse adjacency as CSR ranges ``(start, degree, source)`` (large in-degrees)."""
        flat = targets.ravel()
        edge = np.flatnonzero(flat >= 0)
        order = np.argsort(flat[edge], kind="stable")
        source = edge[order] % self.n_states
        return np.cumsum(degree) - degree, degree, source

    # -- start ------------------------------------------------------------------------------
    def lower_constant(self) -> float | None:
        """The largest ``c`` with ``T c >= c`` (a constant sub-solution), or None if none exists.

        ``r + c * sum_k w_k >= c`` holds iff ``c <= r / (1 - sum_k w_k)``; a state needs one
        action satisfying it, every state must: ``c = min_s max_a r / (1 - sum_k w_k)``.
        With gamma = 1 and non-terminating actions the bound can be infinite: no such ``c``.
        """
        slack = np.empty(self.r.shape)
        np.sum(self.w, axis=1, out=slack)
        np.subtract(1.0, slack, out=slack)  # (A, S), >= 1 - gamma
        if self.gamma < 1:
            bound = np.divide(self.r, slack, out=slack)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = np.where(slack > 0, self.r / slack, np.where(self.r >= 0, np.inf, -np.inf))
        c = float(bound.max(axis=0).min())
        return c if np.isfinite(c) else None


def q_backup(mdp, values: Any) -> np.ndarray:
    """Checked ``q_values``: one Bellman backup of ``values`` in the outcome-list model."""
    _model.check_mdp(mdp)
    v = _model.check_values(values, mdp.n_states)
    bootstrap = mdp.gamma * ~mdp.terminated * v[mdp.next_states]
    return np.einsum("sak,sak->sa", mdp.probs, mdp.rewards + bootstrap)


def run_value_iteration(mdp, tol: Any, max_iters: Any) -> dict[str, Any]:
    """Checked ``value_iteration``, warning if it does not converge; a ``PlanResult``'s fields."""
    _model.check_mdp(mdp)
    tol = _model.check_tol(tol)
    max_iters = _model.check_positive_int("max_iters", max_iters)
    model = CompactModel(mdp)
    values, q, residuals, converged = wave_value_iteration(model, tol, max_iters)
    if not converged:
        hint = (
            " With gamma=1, some policy may never terminate, so values can drift forever; "
            "use gamma < 1 or make every policy reach a terminal outcome."
            if mdp.gamma == 1.0
            else " Raise max_iters or tol."
        )
        warnings.warn(
            f"value iteration did not converge in {len(residuals)} rounds (last change "
            f"{residuals[-1]:.3g}, tol {tol:g}).{hint}",
            RuntimeWarning,
            stacklevel=3,  # the caller of rlsandbox.mdp.value_iteration
        )
    q_sa = np.ascontiguousarray(q.T)
    return {
        "values": values,
        "q_values": q_sa,
        "policy": greedy_policy(q_sa),
        "iterations": len(residuals),
        "converged": converged,
        "residuals": np.asarray(residuals, dtype=np.float64),
    }


def wave_value_iteration(
    model: CompactModel, tol: float, max_iters: int
) -> tuple[np.ndarray, np.ndarray, list[float], bool]:
    """Run value iteration; return ``(values, q (A, S), residuals, converged)``.

    ``residuals[i]`` is the largest change of a value in round ``i`` (for a full sweep, the
    sup-norm Bellman residual). The last round of a converged run is a full sweep with
    residual below ``tol``, and ``values == q.max(axis=0)`` (``q`` is the backup of the
    values before that sweep). Otherwise ``q`` is the backup of the returned values.
    """
    n_states, gamma = model.n_states, model.gamma
    # Changes below theta are not chased by the wave. A value whose successors all moved by
    # less than theta is off its backup by at most gamma * theta, far below tol; theta scales
    # with (1 - gamma) so that the neglected error, summed along a path, stays below tol too.
    theta = tol * max(1.0 - gamma, 1e-3)
    start = model.lower_constant()
    values = np.full(n_states, 0.0 if start is None else start)
    # From a sub-solution values only rise (up to rounding), so a round's signed change is
    # its absolute change: one numpy call less per round.
    monotone = start is not None
    new = np.empty(n_states)
    q = np.empty((model.n_actions, n_states))  # run_value_iteration copies it
    residuals: list[float] = []
    append = residuals.append
    converged, full, swept = False, True, True
    changed = active = np.empty(0, dtype=np.intp)
    while len(residuals) < max_iters:
        swept = full
        if full:
            model.sweep(values, q, new)
            change = np.abs(new - values)
            residual = float(change.max())
            values, new = new, values
            append(residual)
            if residual < tol or not np.isfinite(residual):
                converged = residual < tol
                break
            changed = np.flatnonzero(change > theta)
        else:
            # One round of the wave: back up the states that depend on the last changes.
            backed_up = model.backup(values, active)
            change = backed_up - values[active]
            values[active] = backed_up
            if not monotone:
                np.abs(change, out=change)
            append(float(change.max()))
            changed = active[change > theta]
        # Nothing moved: the wave has died out and a full sweep checks convergence. Too much
        # moved: a full sweep streams through memory faster than scattered gathers would.
        full = len(changed) == 0 or len(changed) * _WIDE > n_states
        if not full:
            active = model.predecessors(changed)
            full = len(active) * _WIDE > n_states
    if not swept:  # stopped by max_iters after a partial round: q is stale, refresh it
        model.sweep(values, q, new)
    return values, q, residuals, converged


def evaluate_deterministic(
    reward: np.ndarray, weight: np.ndarray, successor: np.ndarray
) -> np.ndarray:
    """Exact values of a deterministic policy in a deterministic model by pointer doubling.

    ``V(s) = reward[s] + weight[s] * V(successor[s])`` with ``0 <= weight <= gamma < 1``.
    After round j, ``V = acc + disc * V(ptr)`` summarises ``2**j`` steps (``disc`` is the
    product of the weights along them); rounds stop when ``disc`` is below double precision,
    so the neglected tail ``disc * V(ptr)`` is below rounding of ``V`` and the answer is exact
    after about ``log2(horizon)`` rounds instead of ``horizon`` sweeps.
    """
    acc, disc, ptr = reward.copy(), weight.copy(), successor.copy()
    while disc.max() > 1e-17:
        acc += disc * acc[ptr]
        disc *= disc[ptr]
        ptr = ptr[ptr]
    return acc


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
    return PlanResult(**run_value_iteration(mdp, tol, max_iters))


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
    return q_backup(mdp, values)


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
    return np.argmax(_model.check_q_values(q_values), axis=1).astype(np.intp)
