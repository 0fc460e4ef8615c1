"""
PCA of iris, then of how robots behave in a maze
================================================

Lesson: *PCA -- Principal Component Analysis* -- its iris code and "Explained Variance".

Part 1 -- iris (150 flowers x 4 measurements, shipped as examples/data/iris.csv). Two
principal components keep almost all of the variance: ``explained_variance_ratio_`` is
[0.92461872, 0.05306648], the tutorial's "[0.9246, 0.0530]" (cut, not rounded, to four
digits; rounded the second is 0.0531). Standardised first -- the tutorial's step 1 --
the ratios are [0.7296, 0.2285]: with unit variances, petal length no longer dominates.

Part 2 -- episodes. Each episode of a robot in the slippery classic maze becomes one row of
numbers (the fraction of time spent in each cell, its length and its return:
``rlsandbox.analysis.episode_features``). Three robots -- random, a half-trained Q-learner
and the value-iteration planner -- leave clouds that PCA spreads apart on two axes.

Run it (``--show`` opens the figures; the quick mode runs fewer episodes)::

    python examples/pca_of_behaviour.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/pca_of_behaviour.py

The figures are saved into ``$RLSANDBOX_EXAMPLES_OUT`` (default: ``examples/output/``).
"""

import os
import sys
from pathlib import Path

import gymnasium
import matplotlib.pyplot as plt
import numpy as np

import rlsandbox  # noqa: F401  (registers rlsandbox/Maze-v0 with Gymnasium)
from rlsandbox import History, evaluate, train
from rlsandbox.agents import QLearningAgent, RandomAgent, ValueIterationAgent
from rlsandbox.analysis import PCA, episode_features, standardize
from rlsandbox.plots import plot_pca

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

IRIS = HERE / "data" / "iris.csv"
LAYOUT, SLIP = "classic", 0.2
EPISODES_PER_ROBOT = 12 if QUICK else 30
LEARNER_EPISODES = 40  # "half-trained": it finds the exit, not yet the shortest way
SEED = 0


def load_iris():
    """The iris data: X (150, 4) in cm, and the species name of each flower."""
    X = np.loadtxt(IRIS, delimiter=",", skiprows=1, usecols=range(4))
    species = np.loadtxt(IRIS, delimiter=",", skiprows=1, usecols=4, dtype=str)
    return X, species


def robot_episodes(n_each: int):
    """Greedy episodes of three robots on the slippery maze, and the robot of each episode."""
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT, slip=SLIP)
    learner = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.1, seed=SEED)
    train(env, learner, LEARNER_EPISODES, seed=SEED, progress=False)
    robots = {
        "random": RandomAgent(env.action_space, seed=SEED),
        "learner": learner,
        "planner": ValueIterationAgent(env, gamma=0.95),
    }
    episodes, names = History(), []
    for name, robot in robots.items():
        history = evaluate(env, robot, n_each, seed=SEED + 1)
        print(f"  {name:8s} mean return {history.returns.mean():7.2f}, "
              f"mean length {history.lengths.mean():6.1f}, success {history.successes.mean():.0%}")
        episodes.extend(history)
        names += [name] * len(history)
    return env, episodes, np.array(names)


def main() -> dict:
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    # Part 1: the tutorial's code, with rlsandbox.analysis.PCA in place of sklearn's.
    X, y = load_iris()
    pca = PCA(n_components=2)
    X_pca = pca.fit_transform(X)
    ratio = pca.explained_variance_ratio_
    print("iris explained_variance_ratio_:", ratio)
    cut = np.trunc(ratio * 1e4) / 1e4
    print(f"  to four digits, as the tutorial prints it: [{cut[0]:.4f}, {cut[1]:.4f}]; "
          f"two components explain {ratio.sum():.2%} of the variance")
    scaled = PCA(n_components=2).fit(standardize(X)).explained_variance_ratio_
    print(f"  standardised first: [{scaled[0]:.4f}, {scaled[1]:.4f}]")
    fig = plot_pca(X_pca, labels=y, explained_variance_ratio=ratio)
    fig.axes[0].set_title("PCA: Iris Dataset")
    fig.savefig(OUT_DIR / "pca_iris.png", dpi=100, bbox_inches="tight")

    # Part 2: PCA of episodes.
    print(f"\n{EPISODES_PER_ROBOT} episodes per robot on the {LAYOUT} maze, slip {SLIP}:")
    env, episodes, robot = robot_episodes(EPISODES_PER_ROBOT)
    features = episode_features(episodes, n_states=env.observation_space.n)
    behaviour = PCA(n_components=2)
    # Standardise first (visit fractions, lengths and returns have different scales), then
    # project: Z = X W, the tutorial's projected data.
    Z = behaviour.fit_transform(standardize(features))
    b_ratio = behaviour.explained_variance_ratio_
    print(f"episodes: {features.shape[0]} rows x {features.shape[1]} features; "
          f"explained_variance_ratio_ {np.round(b_ratio, 4)}")
    centres = {name: Z[robot == name].mean(axis=0) for name in ("random", "learner", "planner")}
    for name, centre in centres.items():
        print(f"  {name:8s} centre on (PC1, PC2): ({centre[0]:6.2f}, {centre[1]:6.2f})")
    fig = plot_pca(Z, labels=robot, explained_variance_ratio=b_ratio)
    fig.axes[0].set_title(f"PCA of episodes ({LAYOUT} maze, slip {SLIP})")
    fig.savefig(OUT_DIR / "pca_behaviour.png", dpi=100, bbox_inches="tight")
    print(f"figures saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"iris_ratio": ratio.tolist(), "iris_ratio_standardized": scaled.tolist(),
            "behaviour_ratio": b_ratio.tolist(),
            "centres": {name: centre.tolist() for name, centre in centres.items()}}


if __name__ == "__main__":
    main()
