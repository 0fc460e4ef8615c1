"""Figure 4.2: Jack's car rental, solved by policy iteration.
==========================================================

Sutton & Barto (2nd ed.), Example 4.2 and Figure 4.2. Jack runs two locations of at most
20 cars each; rentals pay $10, requests are Poisson with means 3 and 4, returns Poisson with
means 3 and 2, and overnight he may move up to 5 cars between them at $2 a car; gamma = 0.9.
:func:`rlsandbox.textbook.car_rental` builds the 441-state model with its Poisson outcomes.

Policy iteration, as the book runs it: start from pi_0 = "never move a car", evaluate it
exactly (:func:`~rlsandbox.mdp.policy_evaluation`), make it greedy with respect to its
values, and repeat until the policy no longer changes. The book shows the sequence
pi_0 .. pi_4 and the value v_pi4 of the last, optimal, one.

The lesson: policy iteration needs very few improvements (four here) even on a problem whose
every evaluation is a 441-equation linear solve; each improved policy moves cars towards the
second location, whose requests outrun its returns.

Run it (``--show`` opens the figure)::

    python examples/textbook/figure_4_2.py [--show]

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import policy_evaluation, q_values

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

MAX_CARS, MAX_MOVE = 20, 5
#: What Figure 4.2 shows: five policies, then v_pi4 on an axis labelled 420 .. 612.
BOOK_POLICIES = 5
BOOK_VALUE_AXIS = (420, 612)


def policy_iteration_sequence() -> tuple[list[np.ndarray], np.ndarray]:
    """The policies pi_0, pi_1, ... until stable (cars moved from the first location to
    the second, as (first, second) tables), and the values of the last one."""
    mdp = textbook.car_rental(MAX_CARS, MAX_MOVE)
    n = MAX_CARS + 1
    policy = np.full(mdp.n_states, MAX_MOVE)  # action MAX_MOVE moves 0 cars: pi_0
    policies = [policy]
    while True:
        values = policy_evaluation(mdp, policy)  # exact: a linear solve
        q = q_values(mdp, values)
        current = q[np.arange(mdp.n_states), policy]
        # Change an action only for a strictly better one (beyond rounding), so that ties
        # cannot make the policy flip back and forth.
        better = q.max(axis=1) > current + 1e-9 * np.abs(current)
        improved = np.where(better, q.argmax(axis=1), policy)
        if np.array_equal(improved, policy):
            break
        policy = improved
        policies.append(policy)
    moves = [(p - MAX_MOVE).reshape(n, n) for p in policies]  # moves[k][n1, n2]
    return moves, values.reshape(n, n)


def print_policy(moves: np.ndarray) -> None:
    """The table as the book draws it: first location's cars up the side, 20 at the top."""
    print("  cars at the first location (rows, 20 at the top) x cars at the second (columns)")
    for n1 in range(MAX_CARS, -1, -1):
        print(f"  {n1:>2} " + "".join(f"{m:>3}" for m in moves[n1]))
    print("     " + "".join(f"{n2:>3}" for n2 in range(MAX_CARS + 1)))


def main(out_dir: Path = OUT_DIR) -> dict:
    moves, values = policy_iteration_sequence()
    print("Figure 4.2: Jack's car rental by policy iteration from pi_0 = never move")
    print(f"policies until stable: pi_0 .. pi_{len(moves) - 1} "
          f"(the book: pi_0 .. pi_{BOOK_POLICIES - 1})")
    for k, m in enumerate(moves):
        print(f"  pi_{k}: moves from {m.min()} to {m.max()} cars")
    print("pi_4, cars moved overnight from the first location to the second:")
    print_policy(moves[-1])
    print(f"v_pi4 from {values.min():.1f} (no cars) to {values.max():.1f} (20 and 20); "
          f"the book labels its value axis {BOOK_VALUE_AXIS[0]} .. {BOOK_VALUE_AXIS[1]}")

    fig = plt.figure(figsize=(13, 7.5))
    for k, m in enumerate(moves):
        ax = fig.add_subplot(2, 3, k + 1)
        ax.imshow(m, origin="lower", cmap="coolwarm", vmin=-MAX_MOVE, vmax=MAX_MOVE)
        # Lines between the regions, and each region's number once, at its centre of mass.
        ax.contour(m, levels=np.arange(-MAX_MOVE, MAX_MOVE) + 0.5, colors="k", linewidths=0.8)
        for level in np.unique(m):
            rows, cols = np.nonzero(m == level)
            ax.text(cols.mean(), rows.mean(), str(level), ha="center", va="center",
                    fontsize=9, weight="bold")
        ax.set_title(f"\u03c0{k}")
        ax.set_xlabel("#cars at second location")
        ax.set_ylabel("#cars at first location")
    ax = fig.add_subplot(2, 3, 6, projection="3d")
    n2, n1 = np.meshgrid(np.arange(MAX_CARS + 1), np.arange(MAX_CARS + 1))
    ax.plot_surface(n2, n1, values, cmap="viridis")
    ax.set_title("v\u03c0" + str(len(moves) - 1))
    ax.set_xlabel("#cars at second")
    ax.set_ylabel("#cars at first")
    fig.tight_layout()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_4_2.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"policies": [m.tolist() for m in moves], "values": values.tolist()}


if __name__ == "__main__":
    main()
