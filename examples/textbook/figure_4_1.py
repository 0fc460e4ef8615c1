"""Figure 4.1: iterative policy evaluation on the small gridworld.
===============================================================

Sutton & Barto (2nd ed.), Example 4.1 and Figure 4.1. A 4 x 4 grid whose top-left and
bottom-right corners are terminal; every move costs -1 (off the grid: stay), gamma = 1. We
evaluate the equiprobable random policy by sweeping the Bellman expectation equation,

    v_{k+1}(s) = sum_a pi(a|s) sum_{s', r} p(s', r | s, a) [r + gamma v_k(s')],

all states at once from v_0 = 0 (the book's "two-array" version), and print v_k for
k = 0, 1, 2, 3, 10 and infinity (:func:`~rlsandbox.mdp.policy_evaluation`'s exact solve)
with the greedy policy of each.

The lesson: the values converge slowly (-14, -18, -20, -22 are expected numbers of steps to
a corner by a random walk), but the greedy policy with respect to them is already optimal
after three sweeps: policy improvement does not need exact values.

Run it (``--show`` opens the figure)::

    python examples/textbook/figure_4_1.py [--show]

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import policy_evaluation, q_values
from rlsandbox.plots import plot_values

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

INF = -1  # stands for k = infinity in the tables below
#: Figure 4.1 (left column), as printed in the book.
BOOK = {
    0: np.zeros((4, 4)),
    1: np.array([[0.0, -1.0, -1.0, -1.0], [-1.0] * 4, [-1.0] * 4, [-1.0, -1.0, -1.0, 0.0]]),
    # The exact -1.75 is printed as -1.7 (we print -1.8: Python rounds half to even).
    2: np.array([[0.0, -1.7, -2.0, -2.0], [-1.7, -2.0, -2.0, -2.0],
                 [-2.0, -2.0, -2.0, -1.7], [-2.0, -2.0, -1.7, 0.0]]),
    3: np.array([[0.0, -2.4, -2.9, -3.0], [-2.4, -2.9, -3.0, -2.9],
                 [-2.9, -3.0, -2.9, -2.4], [-3.0, -2.9, -2.4, 0.0]]),
    10: np.array([[0.0, -6.1, -8.4, -9.0], [-6.1, -7.7, -8.4, -8.4],
                  [-8.4, -8.4, -7.7, -6.1], [-9.0, -8.4, -6.1, 0.0]]),
    INF: np.array([[0.0, -14.0, -20.0, -22.0], [-14.0, -18.0, -20.0, -20.0],
                   [-20.0, -20.0, -18.0, -14.0], [-22.0, -20.0, -14.0, 0.0]]),
}
ARROWS = "\u2191\u2192\u2193\u2190"  # actions 0 up, 1 right, 2 down, 3 left


def sweeps(ks=(0, 1, 2, 3, 10)) -> dict[int, np.ndarray]:
    """v_k of the random policy after each k in ``ks`` sweeps, and v_pi under key INF."""
    mdp = textbook.small_gridworld()
    pi = np.full((mdp.n_states, mdp.n_actions), 1 / mdp.n_actions)
    v = np.zeros(mdp.n_states)  # v_0
    tables = {0: v.copy()}
    for k in range(1, max(ks) + 1):
        # One synchronous sweep: q_values backs up every (s, a) from the old v at once.
        v = (pi * q_values(mdp, v)).sum(axis=1)
        if k in ks:
            tables[k] = v.copy()
    tables[INF] = policy_evaluation(mdp, pi)
    return tables


def greedy_actions(v: np.ndarray) -> np.ndarray:
    """The greedy actions with respect to ``v``, ties all kept: a boolean (state, action)
    table."""
    q = q_values(textbook.small_gridworld(), v)
    return np.isclose(q, q.max(axis=1, keepdims=True), rtol=0, atol=1e-9)


def greedy_moves(v: np.ndarray) -> list[str]:
    """The greedy actions of every state with respect to ``v``, ties all kept, as arrows."""
    best = greedy_actions(v)
    terminal = (0, len(v) - 1)
    return ["" if s in terminal else "".join(ARROWS[a] for a in np.flatnonzero(best[s]))
            for s in range(len(v))]


def main(out_dir: Path = OUT_DIR) -> dict:
    tables = sweeps()
    print("Figure 4.1: iterative policy evaluation of the random policy, small gridworld")
    agree = {}
    for k, v in tables.items():
        name = "infinity" if k == INF else str(k)
        book, ours = BOOK[k], v.reshape(4, 4)
        agree[name] = int((np.abs(ours - book) <= 0.05 + 1e-9).sum())
        print(f"k = {name:<9}ours{'':<21}book")
        for mine, theirs in zip(ours, book, strict=True):
            print("   ", "".join(f"{x:6.1f}" for x in mine), "  ",
                  "".join(f"{x:6.1f}" for x in theirs))
        print(f"    agree with the book to its printed decimal: {agree[name]} of 16 cells")
        if k == 2:
            print("    (-1.8 here is the exact -1.75, which the book prints as -1.7)")
    optimal = greedy_moves(tables[INF])
    finite = sorted(k for k in tables if k != INF)
    # The first tabulated k from which every later greedy policy is the optimal one.
    first_optimal = min(k for k in finite
                        if all(greedy_moves(tables[j]) == optimal for j in finite if j >= k))
    print(f"the greedy policy is optimal from k = {first_optimal} on "
          "(the book: from the third sweep on)")

    # Each row: v_k written on the grid, and every greedy action w.r.t. v_k as an arrow
    # from the centre; one colour scale for all (v_infinity spans it), as the book's table.
    mdp = textbook.small_gridworld()
    fig, axes = plt.subplots(len(tables), 2, figsize=(5.6, 2.3 * len(tables)),
                             layout="constrained")
    for (k, v), (left, right) in zip(tables.items(), axes, strict=True):
        name = "\u221e" if k == INF else str(k)
        plot_values(mdp, v, annotate=True, ax=left, vmin=-22, vmax=0, colorbar=False,
                    title="")
        plot_values(mdp, v, greedy_actions(v), ax=right, vmin=-22, vmax=0, colorbar=False,
                    title="")
        left.set_ylabel(f"k = {name}", fontsize="large")
        for ax in (left, right):
            ax.set_xlabel("")  # the key (G: the terminal corners) once, under the last row
    axes[-1, 0].set_xlabel("G: the terminal corners", fontsize="small")
    axes[0, 0].set_title("v_k, random policy")
    axes[0, 1].set_title("greedy w.r.t. v_k")
    fig.colorbar(axes[0, 0].images[-1], ax=axes, label="value", shrink=0.4, aspect=30)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_4_1.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"tables": {("infinity" if k == INF else k): v.reshape(4, 4).tolist()
                       for k, v in tables.items()},
            "agree": agree, "greedy_optimal_from": first_optimal}


if __name__ == "__main__":
    main()
