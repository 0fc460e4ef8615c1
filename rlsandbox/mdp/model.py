"""The finite MDP in outcome-list form: :class:`TabularMDP`, its validation and conversions.

Everything here turns user input (outcome arrays, Gymnasium toy-text ``P`` tables, dense
pymdptoolbox matrices) into the validated outcome-list arrays that ``TabularMDP`` stores, or
back into dense matrices. Errors are ``ValueError`` naming the offending state-action.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = ["TabularMDP"]

#: Largest allowed deviation of a state-action's outcome probabilities from a sum of 1.
PROB_ATOL = 1e-9


def as_array(name: str, value: Any) -> np.ndarray:
    """``np.asarray(value)``, turning NumPy's errors on ragged input into a clear ValueError."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, unconvertible objects
        raise ValueError(
            f"{name} could not be turned into a numeric array ({exc}); pass a regular "
            "(S, A, K) array"
        ) from None
    return array


def first_index(mask: np.ndarray) -> tuple[int, ...]:
    """Index of the first True entry of ``mask`` (row-major)."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def check_gamma(gamma: Any) -> float:
    """``gamma`` as a float in (0, 1], else ValueError."""
    if isinstance(gamma, bool) or not isinstance(gamma, Real) or not 0.0 < float(gamma) <= 1.0:
        raise ValueError(
            f"gamma must be a number in (0, 1], got {gamma!r}; e.g. gamma=0.99 (gamma=1 is "
            "allowed when every policy eventually terminates)"
        )
    return float(gamma)


def check_tol(tol: Any) -> float:
    """``tol`` as a positive finite float, else ValueError."""
    if isinstance(tol, bool) or not isinstance(tol, Real) or not 0 < float(tol) < np.inf:
        raise ValueError(f"tol must be a positive number, got {tol!r}; e.g. tol=1e-8")
    return float(tol)


def check_positive_int(name: str, value: Any) -> int:
    """``value`` as an int >= 1, else ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def check_values(values: Any, n_states: int) -> np.ndarray:
    """``values`` as a finite float64 array of shape ``(n_states,)``, else ValueError."""
    v = as_array("values", values)
    if v.shape != (n_states,) or v.dtype.kind not in "iuf":
        raise ValueError(
            f"values must be a real array of shape ({n_states},), one per state, got "
            f"shape {v.shape} and dtype {v.dtype}"
        )
    v = v.astype(np.float64)
    if not np.isfinite(v).all():
        raise ValueError(f"values[{int(np.argmin(np.isfinite(v)))}] is not finite")
    return v


def check_mdp(mdp: Any) -> None:
    """ValueError unless ``mdp`` is a ``TabularMDP``."""

    if not isinstance(mdp, TabularMDP):
        raise ValueError(
            f"expected a TabularMDP, got {type(mdp).__name__}; build one with "
            "TabularMDP.from_env(env) or TabularMDP.from_dense(P, R, gamma)"
        )


def check_q_values(q_values: Any) -> np.ndarray:
    """``q_values`` as a real ``(S, A)`` array without NaN, else ValueError."""
    q = as_array("q_values", q_values)
    if q.ndim != 2 or 0 in q.shape or q.dtype.kind not in "iuf":
        raise ValueError(
            f"q_values must be a real (S, A) array with A >= 1, got shape {q.shape} and "
            f"dtype {q.dtype}"
        )
    if np.isnan(q).any():
        s, a = first_index(np.isnan(q))
        raise ValueError(f"q_values[{s}, {a}] is NaN; a greedy action needs comparable values")
    return q


def validated_fields(mdp: Any) -> dict[str, Any]:
    """The validated fields of a new ``TabularMDP``: read-only arrays, ``gamma``, then the
    optional ``start`` and ``cells``."""
    names = ("next_states", "probs", "rewards", "terminated")
    arrays = validate_arrays(*(getattr(mdp, name) for name in names))
    n_states = arrays[0].shape[0]
    return {
        **dict(zip(names, arrays, strict=True)),
        "gamma": check_gamma(mdp.gamma),
        **validate_layout(mdp.start, mdp.cells, n_states),
    }


def validate_layout(start: Any, cells: Any, n_states: int) -> dict[str, Any]:
    """The optional ``start`` and ``cells`` of a ``TabularMDP`` with ``n_states`` states.

    ``start``: None, a state id (returned as an int) or a distribution over the states (a
    read-only float64 copy). ``cells``: None or distinct non-negative ``(row, col)`` pairs,
    one per state (a read-only intp copy). ValueError naming the problem otherwise.
    """
    return {"start": check_start(start, n_states), "cells": _check_cells(cells, n_states)}


def check_start(start: Any, n_states: int) -> int | np.ndarray | None:
    """A validated start: ``None``, a state id, or a read-only ``(S,)`` distribution."""
    if start is None:
        return None
    if isinstance(start, Integral) and not isinstance(start, bool):
        if not 0 <= start < n_states:
            raise ValueError(
                f"start = {start} is not a state id in [0, {n_states}); give a state or a "
                f"distribution over the {n_states} states"
            )
        return int(start)
    p = as_array("start", start)
    if p.shape != (n_states,) or p.dtype.kind not in "iuf":
        raise ValueError(
            f"start must be a state id (int) or a distribution over the {n_states} states "
            f"(shape ({n_states},)), got {start!r:.60}"
        )
    p = p.astype(np.float64)
    if not np.isfinite(p).all() or (p < 0).any():
        s = int(np.argmax(~np.isfinite(p) | (p < 0)))
        raise ValueError(f"start[{s}] = {p[s]}; start probabilities must be finite and >= 0")
    if abs(float(p.sum()) - 1.0) > PROB_ATOL:
        raise ValueError(
            f"the start probabilities sum to {float(p.sum())!r}, not 1 (within {PROB_ATOL:g}); "
            "normalise them, e.g. start / start.sum()"
        )
    p.flags.writeable = False
    return p


def _check_cells(cells: Any, n_states: int) -> np.ndarray | None:
    if cells is None:
        return None
    c = as_array("cells", cells)
    if c.shape != (n_states, 2) or c.dtype.kind not in "iu":
        raise ValueError(
            f"cells must be an integer array of shape ({n_states}, 2), the (row, col) of each "
            f"state, got shape {c.shape} and dtype {c.dtype}"
        )
    if (c < 0).any():
        s = first_index(c < 0)[0]
        raise ValueError(
            f"cells[{s}] = {tuple(c[s].tolist())} is negative; rows and columns start at 0"
        )
    flat = c[:, 0].astype(np.int64) * (int(c[:, 1].max()) + 1) + c[:, 1]
    _, first, counts = np.unique(flat, return_index=True, return_counts=True)
    if (counts > 1).any():
        dup = flat[first[np.argmax(counts > 1)]]
        s1, s2 = np.flatnonzero(flat == dup)[:2].tolist()
        raise ValueError(
            f"states {s1} and {s2} share the cell {tuple(c[s1].tolist())}; each state needs "
            "its own cell"
        )
    out = c.astype(np.intp)
    out.flags.writeable = False
    return out


def validate_arrays(
    next_states: Any, probs: Any, rewards: Any, terminated: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check the four outcome arrays and return read-only copies with canonical dtypes.

    ``next_states`` becomes ``intp``, ``probs`` and ``rewards`` ``float64``, ``terminated``
    ``bool``. Raises ValueError naming the first offending ``(s, a)`` (and outcome ``k``).
    """
    arrays = {
        "next_states": as_array("next_states", next_states),
        "probs": as_array("probs", probs),
        "rewards": as_array("rewards", rewards),
        "terminated": as_array("terminated", terminated),
    }
    for name, array in arrays.items():
        if array.ndim != 3:
            raise ValueError(
                f"{name} must be a 3-D array (S states, A actions, K outcomes), got shape "
                f"{array.shape}; e.g. a deterministic model has K = 1"
            )
    shape = arrays["next_states"].shape
    for name, array in arrays.items():
        if array.shape != shape:
            raise ValueError(
                f"{name} has shape {array.shape} but next_states has shape {shape}; all four "
                "outcome arrays must have the same (S, A, K) shape"
            )
    if 0 in shape:
        raise ValueError(
            f"the outcome arrays have shape {shape}; an MDP needs at least one state, one "
            "action and one outcome per state-action"
        )
    n_states = shape[0]

    ns, p, r, t = (arrays[k] for k in ("next_states", "probs", "rewards", "terminated"))
    if ns.dtype.kind not in "iu":
        raise ValueError(
            f"next_states must hold integers (state ids), got dtype {ns.dtype}; convert it "
            "with np.asarray(next_states, dtype=int)"
        )
    bad = (ns < 0) | (ns >= n_states)
    if bad.any():
        s, a, k = first_index(bad)
        raise ValueError(
            f"next_states[s={s}, a={a}, k={k}] = {ns[s, a, k]} is not a state id in "
            f"[0, {n_states}); point unused (probability 0) outcomes at any valid state"
        )
    for name, array in (("probs", p), ("rewards", r)):
        if array.dtype.kind not in "iuf":
            raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
    p = p.astype(np.float64)
    r = r.astype(np.float64)
    for name, array in (("probs", p), ("rewards", r)):
        bad = ~np.isfinite(array)
        if bad.any():
            s, a, k = first_index(bad)
            raise ValueError(
                f"{name}[s={s}, a={a}, k={k}] is {array[s, a, k]}; {name} must be finite"
            )
    bad = p < 0
    if bad.any():
        s, a, k = first_index(bad)
        raise ValueError(
            f"probs[s={s}, a={a}, k={k}] = {p[s, a, k]} is negative; probabilities must be >= 0"
        )
    total = p.sum(axis=2)
    bad = np.abs(total - 1.0) > PROB_ATOL
    if bad.any():
        s, a = first_index(bad)
        raise ValueError(
            f"the outcome probabilities of (s={s}, a={a}) sum to {float(total[s, a])!r}, not 1 "
            f"(within {PROB_ATOL:g}); give every state-action a distribution, padding unused "
            "outcomes with probability 0"
        )
    if t.dtype.kind != "b":
        if t.dtype.kind not in "iuf" or not np.isin(t, (0, 1)).all():
            raise ValueError(
                f"terminated must hold booleans (or 0/1), got dtype {t.dtype}"
                + ("" if t.dtype.kind not in "iuf" else " with values other than 0 and 1")
            )
    # astype copies by default: the caller's arrays stay theirs, ours cannot change behind
    # our back, and read-only flags make the TabularMDP a value nobody edits.
    out = (ns.astype(np.intp), p, r, t.astype(bool))
    for array in out:
        array.flags.writeable = False
    return out


# ------------------------------------------------------------------------ Gymnasium toy-text


def arrays_from_env(env: Any) -> tuple[Any, ...]:
    """Outcome arrays of ``env.unwrapped``: its ``outcome_arrays()``, else its toy-text ``P``."""
    base = getattr(env, "unwrapped", env)
    if callable(getattr(base, "outcome_arrays", None)):
        return base.outcome_arrays()
    if getattr(base, "P", None) is None:
        raise ValueError(
            f"{type(base).__name__} publishes no model: TabularMDP.from_env needs "
            "env.unwrapped.P in Gymnasium's toy-text format (P[s][a] = [(prob, "
            "next_state, reward, terminated), ...]) or an outcome_arrays() method"
        )
    return arrays_from_toy_text(base)


def _n_from_space(space: Any) -> int | None:
    n = getattr(space, "n", None)
    return int(n) if isinstance(n, Integral) else None


def arrays_from_toy_text(env: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome arrays from ``env.unwrapped.P[s][a] = [(prob, next_s, reward, terminated)]``."""
    table = env.P
    n_states = _n_from_space(getattr(env, "observation_space", None)) or len(table)
    n_actions = _n_from_space(getattr(env, "action_space", None))
    rows: list[list[Any]] = []
    for s in range(n_states):
        try:
            by_action = table[s]
        except (KeyError, IndexError, TypeError):
            raise ValueError(
                f"env.P has no entry for state {s}; toy-text models list every state "
                f"0..{n_states - 1}"
            ) from None
        if n_actions is None:
            n_actions = len(by_action)
        for a in range(n_actions):
            try:
                outcomes = list(by_action[a])
            except (KeyError, IndexError, TypeError):
                raise ValueError(
                    f"env.P[{s}] has no list of outcomes for action {a}; expected "
                    "P[s][a] = [(prob, next_state, reward, terminated), ...]"
                ) from None
            if not outcomes:
                raise ValueError(f"env.P[{s}][{a}] is empty; list at least one outcome")
            for outcome in outcomes:
                if not isinstance(outcome, (tuple, list)) or len(outcome) != 4:
                    raise ValueError(
                        f"env.P[{s}][{a}] holds {outcome!r}; each outcome must be a "
                        "(prob, next_state, reward, terminated) tuple"
                    )
            rows.append(outcomes)
    if not rows:
        raise ValueError("env.P describes no state-action; the model is empty")
    n_actions = len(rows) // n_states
    n_out = max(len(o) for o in rows)
    # Pad short outcome lists with probability-0 self-loops (any valid state would do).
    padded = [
        o + [(0.0, i // n_actions, 0.0, False)] * (n_out - len(o)) for i, o in enumerate(rows)
    ]
    try:
        cols = list(zip(*(x for o in padded for x in o), strict=True))
        probs = np.array(cols[0], dtype=np.float64)
        nexts = np.array(cols[1])
        rewards = np.array(cols[2], dtype=np.float64)
        terms = np.array(cols[3])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"env.P holds a non-numeric outcome field ({exc})") from None
    shape = (n_states, n_actions, n_out)
    return nexts.reshape(shape), probs.reshape(shape), rewards.reshape(shape), terms.reshape(shape)


# ------------------------------------------------------------------- dense (pymdptoolbox) form


def arrays_from_dense(
    P: Any, R: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Outcome arrays from dense ``P (A, S, S)`` and ``R (S, A)`` or ``(A, S, S)``.

    Only next states with positive probability become outcomes, so ``K`` is the largest
    number of successors of any state-action (a sparse model stays small).
    """
    P = as_array("P", P)
    R = as_array("R", R)
    if P.ndim != 3 or P.shape[1] != P.shape[2] or 0 in P.shape:
        raise ValueError(
            f"P must have shape (A, S, S) with P[a, s, s'] the probability of s -> s' under "
            f"action a, got shape {P.shape}"
        )
    n_actions, n_states, _ = P.shape
    if P.dtype.kind not in "iuf" or R.dtype.kind not in "iuf":
        raise ValueError(f"P and R must hold real numbers, got dtypes {P.dtype} and {R.dtype}")
    if R.shape == (n_states, n_actions):
        rewards = np.broadcast_to(R.astype(np.float64)[:, :, None], (n_states, n_actions, n_states))
    elif R.shape == P.shape:
        rewards = R.astype(np.float64).transpose(1, 0, 2)
    else:
        raise ValueError(
            f"R must have shape (S, A) = {(n_states, n_actions)} (reward per state-action) or "
            f"(A, S, S) = {P.shape} (reward per transition), got {R.shape}"
        )
    probs = P.astype(np.float64).transpose(1, 0, 2)  # (S, A, S'): outcome k is next state k
    positive = probs > 0
    n_out = max(int(positive.sum(axis=2).max()), 1)
    # Stable sort puts each state-action's successors first, in increasing state order.
    order = np.argsort(~positive, axis=2, kind="stable")[:, :, :n_out]
    take = np.take_along_axis
    return (
        order,
        take(probs, order, axis=2),
        take(rewards, order, axis=2),
        np.zeros(order.shape, dtype=bool),
    )


def to_dense(
    next_states: np.ndarray, probs: np.ndarray, rewards: np.ndarray, terminated: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Dense ``P (A, S, S)`` and expected reward ``R (S, A)`` of validated outcome arrays."""
    n_states, n_actions, _ = probs.shape
    live = terminated & (probs > 0)
    if live.any():
        # Termination can only be dropped where it changes no value: the terminal state must
        # be absorbing with zero reward under every action (as in FrozenLake and MazeEnv).
        ends = np.unique(next_states[live])
        moves = probs[ends] > 0
        absorbing = (
            np.all((next_states[ends] == ends[:, None, None]) | ~moves, axis=(1, 2))
            & np.all((rewards[ends] == 0) | ~moves, axis=(1, 2))
        )
        if not absorbing.all():
            bad = int(ends[np.argmin(absorbing)])
            s, a, k = first_index(live & (next_states == bad))
            raise ValueError(
                f"outcome (s={s}, a={a}, k={k}) terminates in state {bad}, which is not "
                "absorbing with zero reward; the dense (P, R) form has no 'terminated' flag, "
                "so it cannot represent this model. Make terminal states absorbing with "
                "reward 0, or keep the outcome-list form"
            )
    P = np.zeros((n_actions, n_states, n_states))
    s_idx = np.broadcast_to(np.arange(n_states)[:, None, None], probs.shape)
    a_idx = np.broadcast_to(np.arange(n_actions)[None, :, None], probs.shape)
    np.add.at(P, (a_idx, s_idx, next_states), probs)  # add: two outcomes may share a state
    R = (probs * rewards).sum(axis=2)
    return P, R


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
        for name, value in validated_fields(self).items():
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
        return cls(*arrays_from_env(env), gamma)

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
        return cls(*arrays_from_dense(P, R), gamma)

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
        return to_dense(self.next_states, self.probs, self.rewards, self.terminated)
