"""
Hierarchical clustering: the tutorial's Ward example, then a dendrogram of episodes
===================================================================================

Lesson: *Hierarchical Clustering* -- its SciPy and scikit-learn code, on the four points A, B, C, D.

Part 1 -- four points A (1, 2), B (2, 3), C (5, 8), D (6, 9). Ward linkage merges A+B and C+D
first, each at height sqrt(2) = 1.414 (two single points: their Euclidean distance), then the
two pairs at ``sqrt(2 n1 n2 / (n1 + n2)) |c1 - c2|`` = sqrt(2) * sqrt(52) = sqrt(104) = 10.198
(c1 = (1.5, 2.5) and c2 = (5.5, 8.5) are the pairs' centres). Cut into two clusters:
labels [0, 0, 1, 1]. ``rlsandbox.analysis`` gives what ``scipy.cluster.hierarchy.linkage``
and ``sklearn.cluster.AgglomerativeClustering`` give, with NumPy only.

Part 2 -- episodes of three robots (random, half-trained Q-learner, value-iteration planner)
on the slippery classic maze, one feature row each (cells visited, length, return). The
dendrogram groups them by behaviour without being told which robot ran which episode. Its
top split separates wandering (random) from walking to the exit; cut again, the exit-finders
split into the learner's detours and the planner's short walks (mostly: count them).

Run it (``--show`` opens the figures; the quick mode runs fewer episodes)::

    python examples/cluster_episodes.py [--show]
    RLSANDBOX_EXAMPLES_QUICK=1 python examples/cluster_episodes.py

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
from rlsandbox.analysis import (
    AgglomerativeClustering,
    episode_features,
    fcluster,
    linkage,
    standardize,
)
from rlsandbox.plots import plot_dendrogram

QUICK = os.environ.get("RLSANDBOX_EXAMPLES_QUICK", "0") not in ("", "0")
# This script's folder (the docs' gallery runs it there, without __file__).
HERE = Path(__file__).parent if "__file__" in globals() else Path.cwd()
OUT_DIR = Path(os.environ.get("RLSANDBOX_EXAMPLES_OUT", HERE / "output"))
SHOW = "--show" in sys.argv

LAYOUT, SLIP = "classic", 0.2
EPISODES_PER_ROBOT = 8 if QUICK else 12  # at most 40 leaves keep the names readable
LEARNER_EPISODES = 40
ROBOTS = ("random", "learner", "planner")
SEED = 0


def robot_episodes(n_each: int):
    """Greedy episodes of three robots on the slippery maze, and the robot of each episode."""
    env = gymnasium.make("rlsandbox/Maze-v0", layout=LAYOUT, slip=SLIP)
    learner = QLearningAgent.for_env(env, alpha=0.5, gamma=0.95, epsilon=0.1, seed=SEED)
    train(env, learner, LEARNER_EPISODES, seed=SEED, progress=False)
    robots = dict(zip(ROBOTS, (RandomAgent(env.action_space, seed=SEED), learner,
                               ValueIterationAgent(env, gamma=0.95)), strict=True))
    episodes, names = History(), []
    for name, robot in robots.items():
        history = evaluate(env, robot, n_each, seed=SEED + 1)
        episodes.extend(history)
        names += [name] * len(history)
    return env, episodes, np.array(names)


def print_table(title: str, robot: np.ndarray, clusters: np.ndarray) -> float:
    """Print how many episodes of each robot fall in each cluster; return the clusters' purity,
    the share of episodes whose cluster's majority robot is their own robot."""
    ids = np.unique(clusters)
    names = [name for name in ROBOTS if name in robot]
    table = np.array([[np.sum((robot == name) & (clusters == c)) for c in ids] for name in names])
    print(f"{title}:\n          " + "".join(f"  cluster {c}" for c in ids))
    for name, row in zip(names, table, strict=True):
        print(f"  {name:8s}" + "".join(f"{n:11d}" for n in row))
    return float(table.max(axis=0).sum() / table.sum())


def main() -> dict:
    OUT_DIR.mkdir(parents=True, exist_ok=True)

    # Part 1: the tutorial's code, with rlsandbox.analysis in place of SciPy and scikit-learn.
    X = np.array([[1, 2],
                  [2, 3],
                  [5, 8],
                  [6, 9]])
    Z = linkage(X, method="ward")  # Step 1: linkage matrix
    print("Ward linkage matrix (merged a, merged b, height, size):")
    print(Z)
    fig = plot_dendrogram(Z, labels=["A", "B", "C", "D"])  # Step 2: dendrogram plot
    ax = fig.axes[0]
    ax.set(title="Hierarchical Clustering Dendrogram", xlabel="Data Points", ylabel="Distance")
    fig.savefig(OUT_DIR / "cluster_ward_4_points.png", dpi=100, bbox_inches="tight")

    model = AgglomerativeClustering(n_clusters=2)
    model.fit(X)
    print("Cluster Labels:", model.labels_)

    # Part 2: a dendrogram of episodes.
    env, episodes, robot = robot_episodes(EPISODES_PER_ROBOT)
    features = standardize(episode_features(episodes, n_states=env.observation_space.n))
    Z_episodes = linkage(features, method="ward")
    print(f"\n{len(robot)} episodes, {EPISODES_PER_ROBOT} per robot:")
    # The top split: wandering vs finding the exit.
    top = fcluster(Z_episodes, 2, criterion="maxclust")
    print_table("cut into 2 clusters", robot, top)
    separated = set(top[robot == "random"]).isdisjoint(top[robot != "random"])
    print(f"  the random robot's episodes have a cluster of their own: {separated}")
    # Cluster the planner's cluster on its own, in two: do the learner and the planner differ?
    goal = top == top[robot == "planner"][0]
    sub = fcluster(linkage(features[goal], method="ward"), 2, criterion="maxclust")
    purity = print_table("the planner's cluster, cut in 2", robot[goal], sub)
    print(f"  purity {purity:.0%} (share of episodes in the cluster of their robot's majority)")
    # Coloured as the table above: the tree cut into its top 2 clusters.
    fig = plot_dendrogram(Z_episodes, labels=[name[0].upper() for name in robot], n_clusters=2)
    fig.axes[0].set(title="Episodes clustered by behaviour (R random, L learner, P planner)",
                    ylabel="Ward distance")
    fig.savefig(OUT_DIR / "cluster_episodes.png", dpi=100, bbox_inches="tight")
    print(f"figures saved in {OUT_DIR}")
    if SHOW:
        plt.show()
    plt.close("all")
    return {"ward_linkage": Z.tolist(), "ward_labels": model.labels_.tolist(),
            "random_separated": separated, "learner_vs_planner_purity": purity}


if __name__ == "__main__":
    main()
