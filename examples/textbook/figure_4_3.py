"""Figure 4.3: the gambler's problem, solved by value iteration.
=============================================================

Sutton & Barto (2nd ed.), Example 4.3 and Figure 4.3. A gambler with capital s (1 .. 99)
stakes any whole amount up to min(s, 100 - s) on a coin that comes up heads with
probability p_h = 0.4; heads wins the stake, tails loses it. Reaching 100 pays +1, nothing
else pays, gamma = 1: a capital's value is the probability of winning from it.

We run value iteration as the book's box "Value Iteration" writes it: sweep the capitals in
order, replacing each V(s) in place by the best one-step look-ahead, until a sweep changes
no value by more than theta. The figure shows the value estimates after the first sweeps and
at the end, and the stakes that are optimal for the final values.

The lesson: with an unfair coin, bold play is optimal: V(50) = p_h = 0.4 by staking
everything at 50, yet at 51 the gambler stakes just 1 (the book's Exercise 4.8 asks why).
Many capitals have several optimal stakes; we draw the smallest and mark the others.

Run it (``--show`` opens the figure)::

    python examples/textbook/figure_4_3.py [--show]

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import q_values

HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

P_HEADS, GOAL = 0.4, 100
THETA = 1e-12  # stop when a sweep changes no value by more than this
SHOWN_SWEEPS = (1, 2, 3)  # the book also draws sweep 32 of its (unstated) theta
#: Exact values under bold play: V(50) = p_h (the book's figure passes through 0.4 at 50),
#: V(25) = p_h^2 and V(75) = p_h + (1 - p_h) p_h.
EXACT_VALUES = {25: P_HEADS**2, 50: P_HEADS, 75: P_HEADS + (1 - P_HEADS) * P_HEADS}


def value_iteration_sweeps() -> tuple[list[np.ndarray], np.ndarray]:
    """The value estimates after every in-place sweep, and the optimal stakes' mask.

    Returns ``(sweeps, optimal)``: ``sweeps[i]`` is V after sweep ``i + 1`` (capital 0 .. 100),
    ``optimal[s, stake]`` is True where ``stake`` is optimal in ``s`` for the final V.
    """
    mdp = textbook.gamblers_problem(p_heads=P_HEADS, goal=GOAL)
    nxt, probs, rewards, ends = mdp.next_states, mdp.probs, mdp.rewards, mdp.terminated
    V = np.zeros(mdp.n_states)
    sweeps = []
    while True:
        delta = 0.0
        for s in range(1, GOAL):
            # Each stake's expected reward plus the value of where the coin leaves us.
            q = (probs[s] * (rewards[s] + ~ends[s] * V[nxt[s]])).sum(axis=1)
            delta = max(delta, abs(q.max() - V[s]))
            V[s] = q.max()  # in place: later capitals in this sweep already see it
        sweeps.append(V.copy())
        if delta < THETA:
            break
    q = q_values(mdp, V)
    # A stake above min(s, 100 - s) is not allowed (the model lets it change nothing, as
    # does a stake of 0): keep the real stakes, and those within rounding of the best.
    stakes = np.arange(mdp.n_actions)
    s = np.arange(mdp.n_states)[:, None]
    allowed = (stakes >= 1) & (stakes <= np.minimum(s, GOAL - s))
    q = np.where(allowed, q, -np.inf)
    optimal = allowed & (q >= q.max(axis=1, keepdims=True) - 1e-9)
    return sweeps, optimal


def main(out_dir: Path = OUT_DIR) -> dict:
    sweeps, optimal = value_iteration_sweeps()
    final = sweeps[-1]
    print(f"Figure 4.3: the gambler's problem, p_h = {P_HEADS}, value iteration in place")
    print(f"sweeps until no value changes by more than {THETA:g}: {len(sweeps)}")
    print("capital   V after sweeps 1, 2, 3     final    exact (the book: V(50) = 0.4)")
    for s, exact in EXACT_VALUES.items():
        early = "  ".join(f"{sweeps[k - 1][s]:.4f}" for k in SHOWN_SWEEPS)
        print(f"{s:>7}   {early}    {final[s]:.4f}   {exact:.4f}")
    stakes = {s: np.flatnonzero(optimal[s]).tolist() for s in (25, 50, 51, 75)}
    for s, best in stakes.items():
        print(f"optimal stakes at capital {s}: {best}")
    print("the book: stake everything at 50, but not at 51 (Exercise 4.8)")

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 8))
    capital = np.arange(1, GOAL)
    for k in SHOWN_SWEEPS:
        top.plot(capital, sweeps[k - 1][1:GOAL], label=f"sweep {k}", lw=1)
    top.plot(capital, final[1:GOAL], label=f"final (sweep {len(sweeps)})", lw=2, color="k")
    top.set_xlabel("Capital")
    top.set_ylabel("Value estimates")
    top.legend()
    rows, cols = np.nonzero(optimal[1:GOAL])
    bottom.scatter(rows + 1, cols, s=6, color="0.6", label="every optimal stake")
    smallest = optimal[1:GOAL].argmax(axis=1)
    bottom.plot(capital, smallest, color="k", lw=1, label="smallest optimal stake")
    bottom.set_xlabel("Capital")
    bottom.set_ylabel("Final policy (stake)")
    bottom.legend()
    fig.tight_layout()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_4_3.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"values": final.tolist(), "sweeps": len(sweeps), "stakes": stakes}


if __name__ == "__main__":
    main()
