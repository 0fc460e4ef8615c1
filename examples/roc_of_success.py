"""
ROC-AUC of success: does the value of a state predict the robot's escape?
=========================================================================

Lesson: *ROC-AUC Curve* -- its scikit-learn code, a robot's value in place of ``predict_proba``.

The robot learns the classic maze with a slippery floor (each move goes sideways with
probability 0.2). Then we test it with a battery that lasts 26 steps: the shortest way out
takes 20, so every slip costs time, and some runs fail (are truncated) before the exit.

Half-way through (after K = 10 steps) we ask the learned value of the cell the robot stands
in, V(s_K) = max_a Q[s_K, a], and treat it as the score of a binary classifier of success,
exactly as the tutorial scores ``model.predict_proba``: ``y`` = reached the exit (1) or not (0),
``y_scores`` = V(s_K). Runs that slipped are further from the exit, so their value is lower.
At K = 0 every run stands on the start, all scores tie, and the AUC is 0.5 -- a random guess;
the later we look, the better the forecast. The exact values V* of value iteration (the model
is known) give a second curve to compare with.

Run it (``--show`` opens the figure; the quick mode runs fewer episodes)::

    python examples/roc_of_success.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/roc_of_success.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import evaluate, train
from rlsandbox.agents import QLearningAgent, ValueIterationAgent
from rlsandbox.analysis import auc, roc_auc_score, roc_curve

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

LAYOUT, SLIP = "classic", 0.2
BATTERY = 26  # max_steps of the test runs (the shortest way out is 20 steps)
TRAIN_EPISODES = 150 if QUICK else 500
TEST_EPISODES = 50 if QUICK else 300
K = 10  # look at the robot's value after K steps
ALPHA, GAMMA, EPSILON = 0.5, 0.95, 0.1
SEED = 0


def value_after(history, values, k: int) -> np.ndarray:
    """The score of each run: values[s_k], the value of the state reached after k steps."""
    return np.array([values[episode.observations[k]] for episode in history])


def main() -> dict:
    # 1. Learn on the slippery floor (no battery: the default time limit, 4 x 51 steps).
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT, slip=SLIP)
    agent = QLearningAgent.for_env(env, alpha=ALPHA, gamma=GAMMA, epsilon=EPSILON, seed=SEED)
    train(env, agent, TRAIN_EPISODES, seed=SEED, progress=False)

    # 2. Test greedily with the battery. Every run lasts more than K steps (the exit is 20 away).
    test_env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT, slip=SLIP, max_steps=BATTERY)
    runs = evaluate(test_env, agent, TEST_EPISODES, seed=SEED + 1)
    y = runs.successes.astype(int)  # 1: reached the exit in time
    print(f"{len(runs)} test runs, {y.sum()} reached the exit within {BATTERY} steps")

    # 3. The tutorial's ROC code, with rlsandbox.analysis in place of sklearn.metrics.
    learned = agent.q_table.max(axis=1)
    y_scores = value_after(runs, learned, K)
    fpr, tpr, thresholds = roc_curve(y, y_scores)
    roc_auc = auc(fpr, tpr)
    print(f"AUC of the learned value V(s_{K}) as a predictor of success: {roc_auc:.3f}")

    optimal = ValueIterationAgent(test_env, gamma=GAMMA).values  # exact V* of the known model
    fpr_star, tpr_star, _ = roc_curve(y, value_after(runs, optimal, K))
    auc_star = auc(fpr_star, tpr_star)
    print(f"AUC of the exact value V*(s_{K}) from value iteration:         {auc_star:.3f}")

    print("the later we look, the better the forecast:")
    for k in (0, 5, 10, 15):
        scores = value_after(runs, learned, k)
        print(f"  k = {k:2d}: AUC {roc_auc_score(y, scores):.3f}")

    # Plot, as in the tutorial.
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    plt.figure(figsize=(8, 6))
    plt.plot(fpr, tpr, label=f"learned max-Q (AUC = {roc_auc:.2f})")
    plt.plot(fpr_star, tpr_star, ls=":", label=f"value iteration V* (AUC = {auc_star:.2f})")
    plt.plot([0, 1], [0, 1], "k--", label="Random Guess")
    plt.xlabel("False Positive Rate")
    plt.ylabel("True Positive Rate")
    plt.title(f"ROC-AUC: does V(s_{K}) predict reaching the exit in {BATTERY} steps?")
    plt.legend()
    plt.grid(True)
    plt.savefig(OUT_DIR / "roc_of_success.png", dpi=100, bbox_inches="tight")
    print(f"figure saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"auc": float(roc_auc), "auc_value_iteration": float(auc_star),
            "successes": int(y.sum()), "failures": int(len(y) - y.sum())}


if __name__ == "__main__":
    main()
