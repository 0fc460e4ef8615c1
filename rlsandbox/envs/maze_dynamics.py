"""The maze's dynamics, the one definition every maze stepper uses.

:class:`~rlsandbox.envs.MazeEnv`, :class:`~rlsandbox.envs.MazeVectorEnv` and the lock-step
trainer behind :func:`rlsandbox.train_many` step the same maze in three ways (a Python list
look-up, numpy gathers over sub-envs, numpy gathers over runs). What a step does is defined
here once:

- **The slip rule.** A step draws one uniform ``u`` (when ``slip > 0``); the
  :func:`slip_cuts` ``(1 - slip, 1 - slip / 2)`` split ``[0, 1)`` into three bands, and band
  ``b`` (:func:`slip_bands`: the number of cuts at or below ``u``) turns the chosen
  direction by :data:`SLIP_OFFSETS` ``[b]``: 0 (as chosen), 3 (to its left) or 1 (to its
  right), added modulo 4.
- **The layout's arrays** (:func:`maze_arrays`): the state each direction leads to (walls
  stay), and the reward and the end flag of entering each state.
- **The step table** (:func:`step_table`) of ``MazeEnv.step``, and the model
  (:func:`outcome_arrays`, :func:`toy_text_model`) that planning reads.

Everything is vectorised over states (Python loops run over the four directions only), so
the model of a maze with a million cells takes well under a second; only the toy-text ``P``
(a dict of lists, by definition) is built state by state.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from rlsandbox.envs.layouts import WALL

__all__ = [
    "MOVES",
    "SLIP_OFFSETS",
    "MazeArrays",
    "maze_arrays",
    "outcome_arrays",
    "slip_bands",
    "slip_cuts",
    "slip_offsets",
    "state_cells",
    "step_table",
    "toy_text_model",
]

# Actions / directions: 0 up, 1 right, 2 down, 3 left, as (row, column) offsets.
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
# The direction offset of each slip band: as chosen, turn left (a + 3 = a - 1 mod 4), right.
SLIP_OFFSETS = (0, 3, 1)
_OFFSETS = np.array(SLIP_OFFSETS, dtype=np.int64)
_OFFSETS.flags.writeable = False
_SEARCH_UP_TO = 512  # slip_bands: draws up to which a search beats two compares


def slip_cuts(slip: float) -> np.ndarray:
    """The two cuts ``[1 - slip, 1 - slip + slip / 2]`` between the slip bands of a uniform.

    ``u < cuts[0]`` (probability ``1 - slip``): as chosen; ``cuts[0] <= u < cuts[1]``: turn
    left; ``u >= cuts[1]``: turn right (``slip / 2`` each, up to rounding of the cuts).

    Examples
    --------
    >>> slip_cuts(0.5).tolist()
    [0.5, 0.75]
    """
    keep = 1.0 - slip
    return np.array([keep, keep + slip / 2])


def slip_bands(u: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """The band (0, 1 or 2) of every uniform in ``u``: the number of ``cuts`` at or below it.

    Examples
    --------
    >>> slip_bands(np.array([0.1, 0.5, 0.6, 0.75, 0.9]), slip_cuts(0.5)).tolist()
    [0, 1, 1, 2, 2]
    """
    if u.size <= _SEARCH_UP_TO:  # one call: the cheapest on MazeEnv's batches of draws
        return cuts.searchsorted(u, "right")
    low, high = cuts.tolist()  # two compares: several times faster on large arrays
    bands = np.greater_equal(u, low).view(np.int8)
    bands += np.greater_equal(u, high).view(np.int8)
    return bands


def slip_offsets(u: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """The direction offsets (0, 3 or 1, int64) that the slip draws ``u`` give.

    Examples
    --------
    >>> slip_offsets(np.array([0.1, 0.6, 0.9]), slip_cuts(0.5)).tolist()
    [0, 3, 1]
    """
    return _OFFSETS[slip_bands(u, cuts)]


def state_cells(grid: np.ndarray) -> np.ndarray:
    """The flat grid index of every state: the non-wall cells, row by row."""
    return np.flatnonzero(grid.ravel() != WALL)


class MazeArrays(NamedTuple):
    """A maze's deterministic moves and what entering each of its ``S`` states gives."""

    move: np.ndarray
    """``(S, 4)`` int64: the state each direction leads to (a move into a wall stays)."""
    reward_in: np.ndarray
    """``(S,)`` float64: the reward of entering each state."""
    ends_in: np.ndarray
    """``(S,)`` bool: whether entering the state ends the episode (a goal or a trap)."""
    is_goal: np.ndarray
    """``(S,)`` bool: the goal states."""
    start: int
    """The start state."""


def maze_arrays(maze: Any) -> MazeArrays:
    """The :class:`MazeArrays` of a :class:`~rlsandbox.envs.MazeEnv` (built anew each call).

    Reads the maze's public attributes only: ``grid``, ``start_state``, ``goal_states``,
    ``trap_states`` and the three rewards.

    Examples
    --------
    >>> from rlsandbox.envs import MazeEnv
    >>> arrays = maze_arrays(MazeEnv("S.G"))
    >>> arrays.move.tolist(), arrays.reward_in.tolist(), arrays.ends_in.tolist()
    ([[0, 1, 0, 0], [1, 2, 1, 0], [2, 2, 2, 1]], [-0.1, -0.1, 10.0], [False, False, True])
    """
    move = _moves(maze.grid.shape, state_cells(maze.grid))
    n = len(move)
    reward_in = np.full(n, maze.step_reward, dtype=np.float64)
    reward_in[maze.goal_states] = maze.goal_reward
    reward_in[maze.trap_states] = maze.trap_reward
    ends_in = np.zeros(n, dtype=bool)
    ends_in[maze.goal_states] = True
    ends_in[maze.trap_states] = True
    is_goal = np.zeros(n, dtype=bool)
    is_goal[maze.goal_states] = True
    return MazeArrays(move, reward_in, ends_in, is_goal, int(maze.start_state))


def _moves(grid_shape: tuple[int, int], cells: np.ndarray) -> np.ndarray:
    """``(S, 4)`` int64: the state reached from each state by each direction, walls stay."""
    rows, cols = grid_shape
    n = len(cells)
    state_of = np.full(rows * cols, -1, dtype=np.int64)
    state_of[cells] = np.arange(n)
    r, c = np.divmod(cells, cols)
    out = np.empty((n, 4), dtype=np.int64)
    for d, (dr, dc) in enumerate(MOVES):
        nr, nc = r + dr, c + dc
        inside = (nr >= 0) & (nr < rows) & (nc >= 0) & (nc < cols)
        target = np.where(inside, state_of[np.where(inside, nr * cols + nc, 0)], -1)
        out[:, d] = np.where(target >= 0, target, np.arange(n))
    return out


def outcome_arrays(
    arrays: MazeArrays, slip: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(next_states, probs, rewards, terminated)``, each ``(S, 4, K)``; see ``MazeEnv``.

    ``K = 1`` without slip; else ``K = 3``, outcome ``k`` turned by ``SLIP_OFFSETS[k]``.
    """
    move, reward_in, ends_in = arrays.move, arrays.reward_in, arrays.ends_in
    a = np.arange(4)
    if slip == 0.0:
        dirs = a[:, None]
        p = np.array([1.0])
    else:
        dirs = (a[:, None] + _OFFSETS) % 4  # intended, perpendicular left, right
        p = np.array([1.0 - slip, slip / 2, slip / 2])
    next_states = move[:, dirs]
    probs = np.broadcast_to(p, next_states.shape).copy()
    rewards = reward_in[next_states]
    terminated = ends_in[next_states]
    # Goal and trap states are absorbing with reward 0 (as FrozenLake's holes and goal).
    absorbing = np.flatnonzero(ends_in)
    next_states[absorbing] = absorbing[:, None, None]
    probs[absorbing] = 0.0
    probs[absorbing, :, 0] = 1.0
    rewards[absorbing] = 0.0
    terminated[absorbing] = True
    return next_states, probs, rewards, terminated


def toy_text_model(
    outcomes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> dict[int, dict[int, list[tuple[float, int, float, bool]]]]:
    """Gymnasium's ``P[s][a]`` lists from :func:`outcome_arrays`' arrays.

    Outcomes with the same next state are merged (their probabilities added: the reward
    and the end flag depend on the next state only) and zero-probability outcomes dropped.
    """
    next_states, probs, rewards, terminated = (x.tolist() for x in outcomes)
    model = {}
    for s, (ns_s, p_s, r_s, t_s) in enumerate(
        zip(next_states, probs, rewards, terminated, strict=True)
    ):
        row = {}
        for a in range(4):
            merged: dict[int, list] = {}
            for ns, p, r, t in zip(ns_s[a], p_s[a], r_s[a], t_s[a], strict=True):
                if p > 0.0:
                    if ns in merged:
                        merged[ns][0] += p
                    else:
                        merged[ns] = [p, ns, r, t]
            row[a] = [tuple(x) for x in merged.values()]
        model[s] = row
    return model


def step_table(arrays: MazeArrays) -> list[tuple[int, float, bool, bool]]:
    """``table[8 * s + j]``: (next state, reward, terminated, is goal) of moving ``j % 4``.

    Eight slots per state, the last four repeating the first, so that a slip offset (0, 1
    or 3) can be added to the action without taking it modulo 4. Plain Python values, so
    a step is a list look-up.
    """
    move = arrays.move
    # One tuple per state, shared by every move into it: memory stays O(states).
    entering = list(zip(range(len(move)), arrays.reward_in.tolist(), arrays.ends_in.tolist(),
                        arrays.is_goal.tolist(), strict=True))
    return [entering[s] for s in np.concatenate([move, move], axis=1).ravel().tolist()]
