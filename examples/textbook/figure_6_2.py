"""Figure 6.2: TD(0) against constant-alpha Monte Carlo on the random walk.
========================================================================

Sutton & Barto (2nd ed.), Example 6.2 (Figure 6.2 in the issue that asked for these
scripts). Five states A .. E in a row; every walk starts in C and steps left or right with
probability 1/2 until it leaves the row, with reward +1 off the right end and 0 everywhere
else; gamma = 1. The true values are 1/6 .. 5/6. Both methods start from V = 0.5 and learn
from the same walks:

    TD(0):          V(S_t) += alpha [R_{t+1} + V(S_{t+1}) - V(S_t)]   after every step
    constant-a MC:  V(S_t) += alpha [G_t - V(S_t)]                     at the walk's end

The walks are sampled from :func:`rlsandbox.textbook.random_walk`'s model, every run at
once, and both updates are written out below, vectorised over the runs.

The lesson: on this task TD(0) learns faster than Monte Carlo at every step size the book
tried; its root-mean-square error falls lower, sooner. Left: one run's TD(0) estimates
after 0, 1, 10 and 100 walks. Right: the RMS error over the five states, averaged over
runs (the book: 100 runs).

Run it (``--show`` opens the figure; the quick mode runs fewer runs)::

    python examples/textbook/figure_6_2.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/textbook/figure_6_2.py

The figure is saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np

from rlsandbox import textbook
from rlsandbox.mdp import policy_evaluation

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()  # gallery: no __file__
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE.parent / "output"))
SHOW = "--show" in sys.argv

# The book's settings.
RUNS = 20 if QUICK else 100
EPISODES = 100
TD_ALPHAS = (0.15, 0.1, 0.05)
MC_ALPHAS = (0.01, 0.02, 0.03, 0.04)
INITIAL_VALUE = 0.5
SNAPSHOTS = (0, 1, 10, 100)  # episodes after which the left panel shows TD(0)'s estimates
SEED = 0

MDP = textbook.random_walk()  # states 0 and 6 are the ends, 1 .. 5 are A .. E
WALK = np.arange(1, 6)
TRUE_VALUES = policy_evaluation(MDP, np.zeros(MDP.n_states, dtype=int))[WALK]


class Walks(NamedTuple):
    """``runs x episodes`` random walks, padded: ``states[r, e, t]`` for ``t <= lengths[r, e]``
    (the state stays at the end it reached after that), ``rewards[r, e, t]`` for
    ``t < lengths[r, e]`` (0 after)."""

    states: np.ndarray
    rewards: np.ndarray
    lengths: np.ndarray


def sample_walks(runs: int, episodes: int, seed: int = SEED) -> Walks:
    """Sample every run's every walk at once from the random walk's model."""
    rng = np.random.default_rng(seed)
    n = runs * episodes
    s = np.full(n, MDP.start)
    cumulative = np.cumsum(MDP.probs[:, 0, :], axis=1)  # (S, K) per state, one action
    states, rewards = [s], []
    lengths = np.zeros(n, dtype=int)
    live = np.ones(n, dtype=bool)
    while live.any():
        # Outcome k with probability probs[s, 0, k]: count the cumulative probabilities
        # a uniform passes.
        k = (rng.random(n)[:, None] >= cumulative[s][:, :-1]).sum(axis=1)
        rewards.append(np.where(live, MDP.rewards[s, 0, k], 0.0))
        lengths += live
        live = live & ~MDP.terminated[s, 0, k]
        s = MDP.next_states[s, 0, k]  # the ends are absorbing: finished walks stay there
        states.append(s)
    shape = (runs, episodes, -1)
    return Walks(np.stack(states, axis=1).reshape(shape),
                 np.stack(rewards, axis=1).reshape(shape), lengths.reshape(runs, episodes))


def rms_error(V: np.ndarray) -> np.ndarray:
    """Root-mean-square error over A .. E of each run's estimates (one number per run)."""
    return np.sqrt(((V[:, WALK] - TRUE_VALUES) ** 2).mean(axis=1))


def initial_values(runs: int) -> np.ndarray:
    V = np.zeros((runs, MDP.n_states))  # the ends stay 0: nothing follows them
    V[:, WALK] = INITIAL_VALUE
    return V


def td0(walks: Walks, alpha: float) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """TD(0) on every run: RMS error after each episode ``(runs, episodes + 1)``, and run
    0's estimates after the SNAPSHOTS episodes."""
    runs, episodes = walks.lengths.shape
    V, row = initial_values(runs), np.arange(runs)
    errors = np.empty((runs, episodes + 1))
    errors[:, 0] = rms_error(V)
    snapshots = {0: V[0, WALK].copy()}
    for e in range(episodes):
        S, R, T = walks.states[:, e], walks.rewards[:, e], walks.lengths[:, e]
        for t in range(T.max()):
            live = t < T  # runs whose walk has not ended before step t
            s, s_next = S[:, t], S[:, t + 1]
            V[row, s] += live * alpha * (R[:, t] + V[row, s_next] - V[row, s])
        errors[:, e + 1] = rms_error(V)
        if e + 1 in SNAPSHOTS:
            snapshots[e + 1] = V[0, WALK].copy()
    return errors, snapshots


def constant_alpha_mc(walks: Walks, alpha: float) -> np.ndarray:
    """Every-visit constant-alpha MC on every run: RMS error after each episode."""
    runs, episodes = walks.lengths.shape
    V, row = initial_values(runs), np.arange(runs)
    errors = np.empty((runs, episodes + 1))
    errors[:, 0] = rms_error(V)
    for e in range(episodes):
        S, R, T = walks.states[:, e], walks.rewards[:, e], walks.lengths[:, e]
        G = np.cumsum(R[:, ::-1], axis=1)[:, ::-1]  # G_t = R_{t+1} + R_{t+2} + ... (gamma 1)
        for t in range(T.max()):
            live = t < T
            s = S[:, t]
            V[row, s] += live * alpha * (G[:, t] - V[row, s])
        errors[:, e + 1] = rms_error(V)
    return errors


def learning_curves(runs: int = RUNS, episodes: int = EPISODES, seed: int = SEED) -> dict:
    """The averaged RMS curves ``{("TD", alpha) | ("MC", alpha): (episodes + 1,)}`` and
    TD(0)'s snapshots (alpha 0.1, run 0), all methods learning from the same walks."""
    walks = sample_walks(runs, episodes, seed)
    curves = {}
    for alpha in TD_ALPHAS:
        errors, snaps = td0(walks, alpha)
        curves["TD", alpha] = errors.mean(axis=0)
        if alpha == 0.1:
            snapshots = snaps
    for alpha in MC_ALPHAS:
        curves["MC", alpha] = constant_alpha_mc(walks, alpha).mean(axis=0)
    return {"curves": curves, "snapshots": snapshots}


def main(out_dir: Path = OUT_DIR) -> dict:
    result = learning_curves()
    curves = result["curves"]
    print(f"Figure 6.2: random walk, TD(0) vs constant-alpha MC, {RUNS} runs x {EPISODES} "
          "walks (the book: 100 runs)")
    print("true values A .. E:", np.round(TRUE_VALUES, 4), "(1/6 .. 5/6)")
    start = curves["TD", 0.1][0]
    print(f"RMS error before learning: {start:.4f} (sqrt(1/18); the book's curves start there)")
    print("RMS error averaged over runs  after 10 walks   after 100 walks   (mean of 91..100)")
    last = {}
    for (method, alpha), curve in curves.items():
        last[f"{method} {alpha}"] = float(curve[-10:].mean())
        print(f"  {method:<2} alpha {alpha:<5}              {curve[10]:.4f}          "
              f"{curve[-1]:.4f}           {curve[-10:].mean():.4f}")
    td = [v for k, v in last.items() if k.startswith("TD")]
    mc = [v for k, v in last.items() if k.startswith("MC")]
    print(f"every TD(0) curve ends below every MC curve (worst TD {max(td):.4f} < best MC "
          f"{min(mc):.4f}): {max(td) < min(mc)}; the book: TD(0) ends lower too")
    print("TD(0) alpha 0.1, run 0, estimates A .. E:")
    for k, v in result["snapshots"].items():
        print(f"  after {k:>3} walks: {np.round(v, 3)}")

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for k, v in result["snapshots"].items():
        left.plot(WALK, v, marker="o", label=f"{k}")
    left.plot(WALK, TRUE_VALUES, marker="o", color="k", label="true values")
    left.set_xticks(WALK, list("ABCDE"))
    left.set_xlabel("State")
    left.set_title("Estimated value (TD(0), alpha 0.1)")
    left.legend(title="walks")
    for (method, alpha), curve in curves.items():
        right.plot(curve, ls="-" if method == "TD" else "--",
                   label=f"{method} alpha={alpha}")
    right.set_xlabel("Walks / Episodes")
    right.set_title(f"Empirical RMS error, averaged over states and {RUNS} runs")
    right.legend()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_dir / "figure_6_2.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {out_dir}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"runs": RUNS, "initial_rms": float(start), "final_rms": last,
            "best_td": min(td), "worst_td": max(td), "best_mc": min(mc)}


if __name__ == "__main__":
    main()
