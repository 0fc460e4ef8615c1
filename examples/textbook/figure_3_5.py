"""Figure 3.5: the gridworld's optimal values and optimal policy.
==============================================================

Sutton & Barto (2nd ed.), Example 3.5 and Figure 3.5. The same 5 x 5 gridworld as in
Figure 3.2 (A jumps to A' for +10, B to B' for +5, off the grid -1, gamma = 0.9), now
solved for the best policy: :func:`~rlsandbox.mdp.value_iteration` finds v*, and the
optimal actions in each cell are those whose q*(s, a) equals v*(s).

The lesson: where the random policy of Figure 3.2 valued A at 8.8, acting optimally makes it
24.4 = 10 + 0.9^5 * 24.4 (jump to A', walk straight back up in four steps, repeat), and
every other cell's best move heads for A. Several moves are optimal in many cells: the book
draws all of them, and so do we.

Run it (``--show`` opens the figure)::

    python examples/textbook/figure_3_5.py [--show]

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import q_values, value_iteration
from rlsandbox.plots import plot_values

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

#: Figure 3.5 (middle): v*, as printed in the book.
BOOK_VALUES = np.array([
    [22.0, 24.4, 22.0, 19.4, 17.5],
    [19.8, 22.0, 19.8, 17.8, 16.0],
    [17.8, 19.8, 17.8, 16.0, 14.4],
    [16.0, 17.8, 16.0, 14.4, 13.0],
    [14.4, 16.0, 14.4, 13.0, 11.7],
])
#: Figure 3.5 (right): pi*, the optimal moves of each cell (u up, r right, d down, l left).
BOOK_POLICY = [
    ["r", "urdl", "l", "urdl", "l"],
    ["ur", "u", "ul", "l", "l"],
    ["ur", "u", "ul", "ul", "ul"],
    ["ur", "u", "ul", "ul", "ul"],
    ["ur", "u", "ul", "ul", "ul"],
]
MOVES = "urdl"  # rlsandbox's grid actions: 0 up, 1 right, 2 down, 3 left
ARROWS = {"u": "\u2191", "r": "\u2192", "d": "\u2193", "l": "\u2190"}


def optimal_actions() -> tuple[np.ndarray, np.ndarray]:
    """v* per state, and the optimal actions: a boolean (state, action) table."""
    mdp = textbook.gridworld()
    v = value_iteration(mdp, tol=1e-12).values
    q = q_values(mdp, v)
    # Optimal actions are the ones whose value ties the best (up to rounding).
    return v, np.isclose(q, q.max(axis=1, keepdims=True), rtol=0, atol=1e-9)


def optimal_values_and_moves() -> tuple[np.ndarray, list[list[str]]]:
    """v* as a 5 x 5 table, and the optimal moves of each cell as letters."""
    v, optimal = optimal_actions()
    moves = ["".join(MOVES[a] for a in np.flatnonzero(row)) for row in optimal]
    return v.reshape(5, 5), [moves[5 * r: 5 * r + 5] for r in range(5)]


def arrows(moves: str) -> str:
    return "".join(ARROWS[m] for m in moves)


def main(out_dir: Path = OUT_DIR) -> dict:
    values, moves = optimal_values_and_moves()
    print("Figure 3.5: v* and pi* of the gridworld, gamma 0.9")
    print(f"{'v* ours':<30}   book")
    for mine, theirs in zip(values, BOOK_VALUES, strict=True):
        print("".join(f"{v:6.1f}" for v in mine), "  ", "".join(f"{v:6.1f}" for v in theirs))
    agree = int((np.abs(values - BOOK_VALUES) <= 0.05 + 1e-9).sum())
    print(f"agree with the book to its printed decimal: {agree} of 25 cells")
    print(f"{'pi* ours':<30}   book")
    for mine, theirs in zip(moves, BOOK_POLICY, strict=True):
        print("".join(f"{arrows(m):>6}" for m in mine), "  ",
              "".join(f"{arrows(m):>6}" for m in theirs))
    same = sum(m == b for row, book in zip(moves, BOOK_POLICY, strict=True)
               for m, b in zip(row, book, strict=True))
    print(f"the same optimal moves as the book: {same} of 25 cells")

    # v* written in its cells, and pi* as the book draws it: an arrow from the centre for
    # every optimal move, over the same colours.
    mdp = textbook.gridworld()
    v, optimal = optimal_actions()
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.8), layout="constrained")
    plot_values(mdp, v, annotate=True, ax=left, colorbar=False,
                title="v* (Figure 3.5, middle)")
    plot_values(mdp, v, optimal, ax=right, title="pi* (Figure 3.5, right)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_3_5.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"values": values.tolist(), "moves": moves, "book_values": BOOK_VALUES.tolist(),
            "book_moves": BOOK_POLICY}


if __name__ == "__main__":
    main()
