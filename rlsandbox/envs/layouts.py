"""Maze layouts: the named ``LAYOUTS``, the layout parser, and the random maze generator.

A layout is text, one line per grid row:

| char           | cell                                             |
|----------------|--------------------------------------------------|
| ``#``          | wall (the outside of the grid is wall too)       |
| ``.`` or space | floor                                            |
| ``S``          | start (exactly one)                              |
| ``G``          | goal (one or more); entering it ends the episode |
| ``X``          | trap; entering it ends the episode               |

Leading and trailing blank lines (empty or spaces only) are ignored: row 0 is the first
non-blank line and column 0 its first character. Shorter rows are padded with wall. Rows and
columns count from 0 in error messages, as in ``MazeEnv.state_to_cell``.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

__all__ = ["LAYOUTS", "generate_maze", "parse_layout"]

WALL, FLOOR, START, GOAL, TRAP = "#", ".", "S", "G", "X"
_ALLOWED = "#. SGX"
_ALLOWED_TEXT = "'#', '.', ' ', 'S', 'G', 'X'"

LAYOUTS: dict[str, str] = {
    # Three steps to the goal, or a detour past a trap.
    "tiny": """
######
#S..G#
#.##X#
#....#
######
""",
    # The tutorial's robot in a maze: one way out (+10), -0.1 for every step on the way.
    "classic": """
############
#S.#.......#
#..#.##.##.#
#.##..#..#.#
#....##.##.#
##.#.#...#.#
#..#.#.#.#.#
#.##...#...#
#....#.###G#
############
""",
    # Sutton, Precup & Singh (1999): four 5x5-ish rooms joined by four hallways.
    "four-rooms": """
#############
#S    #     #
#     #     #
#           #
#     #     #
#     #     #
## ####     #
#     ### ###
#     #     #
#     #     #
#           #
#     #    G#
#############
""",
    # Sutton & Barto's cliff walking (Example 6.6): the bottom row between S and G is a cliff.
    "cliff": """
............
............
............
SXXXXXXXXXXG
""",
    # Gymnasium's FrozenLake 4x4 / 8x8 maps (holes H -> traps X): same state ids as FrozenLake.
    "frozen-lake-4x4": """
S...
.X.X
...X
X..G
""",
    "frozen-lake-8x8": """
S.......
........
...X....
.....X..
...X....
.XX...X.
.X..X.X.
...X...G
""",
}


def parse_layout(text: str) -> np.ndarray:
    """Turn a layout string into a validated grid of layout characters.

    Parameters
    ----------
    text : str
        The layout (see the module docstring for the characters).

    Returns
    -------
    numpy.ndarray
        A 2-D array of dtype ``'<U1'`` holding ``'#'``, ``'.'``, ``'S'``, ``'G'``, ``'X'``
        (spaces become ``'.'``, short rows are padded with ``'#'``).

    Raises
    ------
    ValueError
        If ``text`` is not a string or is blank, has an unknown character, no start or more
        than one, no goal, or a goal that cannot be reached from the start through floor
        (walls and traps block the way). Messages name the row and column involved.
    """
    if not isinstance(text, str):
        raise ValueError(
            f"a layout must be a string, got {type(text).__name__}; pass a name from "
            f"LAYOUTS ({', '.join(LAYOUTS)}) or text made of {_ALLOWED_TEXT}"
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blank = [line.strip(" ") == "" for line in lines]
    if all(blank):
        raise ValueError(
            "the layout is empty (no non-blank line); give at least one row such as 'S.G'"
        )
    first = blank.index(False)
    last = len(lines) - blank[::-1].index(False)
    lines = lines[first:last]
    width = max(len(line) for line in lines)
    flat = np.array(["".join(line.ljust(width, WALL) for line in lines)])
    grid = flat.view("<U1").reshape(len(lines), width).copy()

    bad = ~np.isin(grid, list(_ALLOWED))
    if bad.any():
        r, c = _first(bad)
        # From the text, not the grid: numpy reads a NUL character back as ''.
        raise ValueError(
            f"layout row {r}, column {c}: unknown character {lines[r][c]!r}; use one of "
            f"{_ALLOWED_TEXT}"
        )
    grid[grid == " "] = FLOOR

    starts = np.argwhere(grid == START)
    if len(starts) == 0:
        raise ValueError("the layout has no start 'S'; put exactly one 'S' on a floor cell")
    if len(starts) > 1:
        (r0, c0), (r1, c1) = starts[0], starts[1]
        raise ValueError(
            f"layout row {r1}, column {c1}: a second start 'S' (the first is at row {r0}, "
            f"column {c0}); keep exactly one 'S'"
        )
    if not (grid == GOAL).any():
        raise ValueError("the layout has no goal 'G'; add at least one 'G' reachable from 'S'")
    unreached = (grid == GOAL) & ~_reachable(grid, tuple(starts[0]))
    if unreached.any():
        r, c = _first(unreached)
        r0, c0 = starts[0]
        raise ValueError(
            f"layout row {r}, column {c}: goal 'G' cannot be reached from the start at row "
            f"{r0}, column {c0} (walls '#' and traps 'X' block the way); open a path to it or "
            "remove it"
        )
    return grid


def _first(mask: np.ndarray) -> tuple[int, int]:
    """(row, column) of the first True cell of ``mask`` in row-major order."""
    r, c = divmod(int(np.argmax(mask)), mask.shape[1])
    return r, c


def _reachable(grid: np.ndarray, start: tuple[int, int]) -> np.ndarray:
    """Boolean mask of the cells reachable from ``start`` (goals reached, not crossed).

    Depth-first search on flat indices of the grid padded with a wall border, so neighbour
    indices never leave the array; a Python loop over bytearrays is ~1 s for 10^6 cells.
    """
    rows, cols = grid.shape
    width = cols + 2
    # 1: floor to cross, 2: goal (an episode ends there, so the search stops), 0: blocked.
    kind = np.zeros((rows + 2, width), dtype=np.uint8)
    kind[1:-1, 1:-1] = np.isin(grid, [FLOOR, START]) + 2 * (grid == GOAL)
    todo = bytearray(kind.tobytes())
    first = (start[0] + 1) * width + start[1] + 1
    todo[first] = 0
    stack = [first]
    pop, push = stack.pop, stack.append
    while stack:
        i = pop()
        for j in (i - width, i + 1, i + width, i - 1):
            k = todo[j]
            if k:
                todo[j] = 0
                if k == 1:
                    push(j)
    left = np.frombuffer(bytes(todo), dtype=np.uint8).reshape(rows + 2, width)[1:-1, 1:-1]
    return (kind[1:-1, 1:-1] > 0) & (left == 0) | (grid == START)


def generate_maze(rows: int, cols: int, *, seed: int | None = None, loops: float = 0.0) -> str:
    """A random maze layout with one start (top left) and one goal (bottom right).

    The maze is carved on a lattice: cells sit at odd (row, column) positions, walls between
    them; a randomized depth-first search (iterative, one random neighbour order per cell)
    opens a spanning tree of passages, so every floor cell is reachable and, with
    ``loops=0``, there is exactly one path between any two cells. ``loops`` then opens that
    fraction of the walls that still separate two neighbouring cells, adding cycles.

    Parameters
    ----------
    rows, cols : int
        Size of the layout in characters, the outer walls included: odd and >= 3, and not
        both 3 (the start and the goal need two cells). ``(2*h + 1, 2*w + 1)`` gives a maze of
        ``h x w`` cells.
    seed : int, optional
        Seed of ``numpy.random.default_rng``; the same seed gives the same maze.
    loops : float, default 0.0
        Fraction in [0, 1] of the remaining removable interior walls to open.

    Returns
    -------
    str
        The layout: ``rows`` lines of ``cols`` characters joined by newlines, ``S`` at
        (1, 1) and ``G`` at (rows - 2, cols - 2).

    Raises
    ------
    ValueError
        If ``rows`` or ``cols`` is not an odd int >= 3 (or both are 3), or ``loops`` is not a
        number in [0, 1].

    Examples
    --------
    >>> print(generate_maze(5, 7, seed=1))
    #######
    #S..#.#
    ###.#.#
    #....G#
    #######
    """
    for name, value in (("rows", rows), ("cols", cols)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 3:
            raise ValueError(
                f"{name} must be an odd int >= 3 (characters, outer walls included), got "
                f"{value!r}; e.g. {name}=11 for a maze 5 cells across"
            )
        if value % 2 == 0:
            raise ValueError(
                f"{name} must be odd (cells at odd positions, walls between), got {value}; "
                f"use {value - 1} or {value + 1}"
            )
    if rows == 3 and cols == 3:
        raise ValueError("a 3x3 layout has one cell, no room for both 'S' and 'G'; use 3x5")
    if isinstance(loops, bool) or not isinstance(loops, Real) or not 0.0 <= loops <= 1.0:
        raise ValueError(f"loops must be a number in [0, 1], got {loops!r}; e.g. loops=0.1")
    rng = np.random.default_rng(seed)
    h, w = (int(rows) - 1) // 2, (int(cols) - 1) // 2
    grid = np.full((int(rows), int(cols)), WALL)
    grid[1::2, 1::2] = FLOOR
    open_right, open_down = _carve(h, w, rng)
    grid[1::2, 2:-1:2][open_right] = FLOOR
    grid[2:-1:2, 1::2][open_down] = FLOOR
    if loops > 0:
        # The walls between two cells still standing: (row, col) in grid coordinates.
        closed = np.concatenate(
            [
                np.argwhere(~open_right) * 2 + (1, 2),
                np.argwhere(~open_down) * 2 + (2, 1),
            ]
        )
        n_open = int(round(loops * len(closed)))
        if n_open:
            picked = closed[rng.choice(len(closed), size=n_open, replace=False)]
            grid[picked[:, 0], picked[:, 1]] = FLOOR
    grid[1, 1], grid[-2, -2] = START, GOAL
    return "\n".join("".join(row) for row in grid.tolist())


def _carve(h: int, w: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Randomized depth-first search over an ``h x w`` cell lattice.

    Returns boolean arrays ``open_right (h, w - 1)`` and ``open_down (h - 1, w)``: which
    passages between neighbouring cells the spanning tree opens. Each cell gets a random
    order of its four directions up front (vectorised), so the loop below only does list
    look-ups: ~1 s for the 500 x 500 cells of a 1001 x 1001 layout.
    """
    n = h * w
    # Directions as flat-index offsets: up, right, down, left.
    order = rng.permuted(np.tile(np.arange(4, dtype=np.int64), (n, 1)), axis=1)
    # Neighbour of each cell in each direction, -1 outside the lattice.
    idx = np.arange(n).reshape(h, w)
    nbr = np.full((h, w, 4), -1, dtype=np.int64)
    nbr[1:, :, 0], nbr[:, :-1, 1] = idx[:-1, :], idx[:, 1:]
    nbr[:-1, :, 2], nbr[:, 1:, 3] = idx[1:, :], idx[:, :-1]
    choices = np.take_along_axis(nbr.reshape(n, 4), order, axis=1).tolist()
    directions = order.tolist()

    visited = bytearray(n)
    visited[0] = 1
    tried = [0] * n  # how many of its directions each cell on the stack has tried
    stack = [0]
    froms, dirs = [], []  # the opened passages: from cell, direction
    while stack:
        cell = stack[-1]
        k = tried[cell]
        if k == 4:
            stack.pop()
            continue
        tried[cell] = k + 1
        nxt = choices[cell][k]
        if nxt >= 0 and not visited[nxt]:
            visited[nxt] = 1
            froms.append(cell)
            dirs.append(directions[cell][k])
            stack.append(nxt)
    cell = np.array(froms, dtype=np.int64)
    d = np.array(dirs, dtype=np.int64)
    # Name each passage by its upper / left cell: moving up or left starts one cell further.
    lo = cell - np.select([d == 0, d == 3], [w, 1], 0)
    open_right = np.zeros((h, w - 1), dtype=bool)
    open_down = np.zeros((h - 1, w), dtype=bool)
    horizontal = (d == 1) | (d == 3)
    r, c = np.divmod(lo[horizontal], w)
    open_right[r, c] = True
    r, c = np.divmod(lo[~horizontal], w)
    open_down[r, c] = True
    return open_right, open_down
