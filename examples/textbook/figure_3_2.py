"""Figure 3.2: the gridworld's values under the equiprobable random policy.
========================================================================

Sutton & Barto (2nd ed.), Example 3.5. On a 5 x 5 grid every action moves one cell; a move
off the grid costs -1 and stays; from A every action jumps to A' for +10, from B to B' for
+5; gamma = 0.9. A policy that picks each of the four moves with probability 1/4 has the
values the Bellman equation for v_pi gives, a linear system of 25 equations that
:func:`~rlsandbox.mdp.policy_evaluation` solves exactly.

The lesson: values look ahead. A is worth 8.8, less than its immediate +10, because A'
lies on the bottom edge where a random walker keeps bumping off the grid; B is worth 5.3,
more than its +5, because B' is near A. The cells along the bottom edge are negative.

Run it (``--show`` opens the figure)::

    python examples/textbook/figure_3_2.py [--show]

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import policy_evaluation
from rlsandbox.plots import plot_values

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

#: Figure 3.2 (right), as printed in the book.
BOOK = np.array([
    [3.3, 8.8, 4.4, 5.3, 1.5],
    [1.5, 3.0, 2.3, 1.9, 0.5],
    [0.1, 0.7, 0.7, 0.4, -0.4],
    [-1.0, -0.4, -0.4, -0.6, -1.2],
    [-1.9, -1.3, -1.2, -1.4, -2.0],
])
SPECIAL = {(0, 1): "A", (0, 3): "B", (4, 1): "A'", (2, 3): "B'"}


def random_policy_values() -> np.ndarray:
    """v_pi of the equiprobable random policy, as a 5 x 5 table."""
    mdp = textbook.gridworld()
    pi = np.full((mdp.n_states, mdp.n_actions), 1 / mdp.n_actions)  # pi(a | s) = 1/4
    return policy_evaluation(mdp, pi).reshape(5, 5)


def print_tables(ours: np.ndarray, book: np.ndarray, title: str) -> None:
    """Our table (one decimal) beside the book's."""
    width = 6 * ours.shape[1]
    print(f"{title}\n{'ours':<{width}}   book")
    for mine, theirs in zip(ours, book, strict=True):
        print("".join(f"{v:6.1f}" for v in mine), "  ", "".join(f"{v:6.1f}" for v in theirs))
    # The book prints one decimal: a value agrees when it is within half a unit of the last
    # printed digit.
    agree = int((np.abs(ours - book) <= 0.05 + 1e-9).sum())
    print(f"agree with the book to its printed decimal: {agree} of {book.size} cells")


def main(out_dir: Path = OUT_DIR) -> dict:
    values = random_policy_values()
    print_tables(values, BOOK, "Figure 3.2: v_pi of the equiprobable random policy, gamma 0.9")

    # The values on the grid, written in as the book prints them; A, B and their targets
    # are named in the cells' corners.
    fig, ax = plt.subplots(figsize=(4.8, 4), layout="constrained")
    plot_values(textbook.gridworld(), values.ravel(), annotate=True, ax=ax,
                title="v of the random policy (Figure 3.2)")
    ink = {text.get_position(): text.get_color() for text in ax.texts}  # the number's colour
    for (r, c), name in SPECIAL.items():
        ax.text(c + 0.45, r - 0.45, name, ha="right", va="top", fontsize=8, color=ink[c, r])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_3_2.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"values": values.tolist(), "book": BOOK.tolist()}


if __name__ == "__main__":
    main()
