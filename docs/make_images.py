"""Regenerate the README's figures in ``docs/img/``.

Run from anywhere, after ``pip install -e .``::

    python docs/make_images.py

It trains Q-learning on the ``classic`` maze with a few seeds, plans the same maze with
value iteration, and draws what the README shows: the learning curve (mean of the seeds
with a 95% band), the value heat-map with the greedy policy, the learned agent's path, and
the behaviour analysis of episodes sampled across training (PCA scatter, dendrogram, and
the ROC of "does the planned value of the start predict success?"). Everything is seeded,
so the images change only when the code does. The PNGs are small (dpi 80) to keep the
repository light.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported anywhere: no window, ever

import matplotlib.pyplot as plt  # noqa: E402

from rlsandbox import run_episode, train  # noqa: E402
from rlsandbox.agents import ValueIterationAgent, make_agent  # noqa: E402
from rlsandbox.analysis import behaviour_report  # noqa: E402
from rlsandbox.envs import MazeEnv  # noqa: E402
from rlsandbox.plots import (  # noqa: E402
    plot_learning_curve,
    plot_roc,
    plot_trajectory,
    plot_values,
    save_behaviour_figures,
)

OUT = Path(__file__).resolve().parent / "img"
DPI = 80
EPISODES = 300
SEEDS = (0, 1, 2, 3, 4)
SAMPLE_EVERY = 5  # training episodes between two episodes of the behaviour analysis


def save(fig, name: str) -> Path:
    """Write ``fig`` to ``docs/img/name`` and free it."""
    path = OUT / name
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def main() -> list[Path]:
    """Draw every README figure; return the paths written."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = MazeEnv("classic")
    agents, histories = [], []
    for seed in SEEDS:
        agent = make_agent("q-learning", env, seed=seed)
        histories.append(train(env, agent, EPISODES, seed=seed, progress=False))
        agents.append(agent)
    fig = plot_learning_curve(histories)
    fig.axes[0].set_title(f"Q-learning on the classic maze ({len(SEEDS)} seeds)")
    written = [save(fig, "learning_curve.png")]

    planner = ValueIterationAgent(env)
    fig = plot_values(env, planner.values, planner.policy)
    fig.axes[0].set_title("Value iteration: V* and greedy policy")
    written.append(save(fig, "values.png"))

    episode = run_episode(env, agents[0], learn=False, explore=False, seed=0)
    fig = plot_trajectory(env, episode)
    fig.axes[0].set_title(f"Learned greedy path: {episode.length} steps, "
                          f"return {episode.total_reward:.1f}")
    written.append(save(fig, "trajectory.png"))

    # Episodes from across training: early wandering and later direct runs side by side.
    sample = histories[0][::SAMPLE_EVERY]
    report = behaviour_report(sample, n_states=env.observation_space.n, values=planner.values)
    with tempfile.TemporaryDirectory() as tmp:
        for path in save_behaviour_figures(report, tmp, dpi=DPI)[:2]:
            written.append(Path(shutil.copy(path, OUT / os.path.basename(path))))
    # The ROC of the predictors that rank episodes at all: every episode starts in the same
    # cell, so "start_value" gives one score to all and its curve is the chance diagonal.
    informative = {name: curve for name, curve in report.roc.items() if len(curve[0]) > 2}
    if informative:
        fig = None
        for name, (fpr, tpr) in informative.items():
            fig = plot_roc(fpr, tpr, report.auc[name], ax=fig and fig.axes[0],
                           label=name.replace("_", " "))
        fig.axes[0].set_title("Does V* early in an episode\npredict success?")
        written.append(save(fig, "roc.png"))
    else:
        print(f"no ROC figure: {'; '.join(report.notes) or 'no predictor ranks the episodes'}")
    return written


if __name__ == "__main__":
    for path in main():
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
