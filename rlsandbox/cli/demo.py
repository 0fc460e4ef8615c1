"""``rlsandbox demo``: plan, learn, compare and draw, on the classic maze or on CartPole.

The maze demo is the whole sandbox in one run: value iteration gives the optimal policy,
Q-learning learns one by trial and error, both are evaluated, and every figure is written
into one directory (atomically: a demo that fails leaves no half-written directory).
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from rlsandbox.cli.rundir import make_env, save_run, write_run_dir
from rlsandbox.envs.registration import CARTPOLE_BINS

__all__ = ["run_demo"]

MAZE_EPISODES = 400
CARTPOLE_EPISODES = 600
MAZE_AGENT = {"alpha": 0.5, "gamma": 0.95, "epsilon": 0.1}
CARTPOLE_AGENT = {"alpha": 0.2, "gamma": 0.99}
CARTPOLE_EPSILON = (0.5, 0.01, 1e-4)  # exponential_decay(start, end, rate) over agent steps
GIF_FRAMES = 200  # enough to see the policy; keeps the GIF to a few hundred KB


def run_demo(out: str | os.PathLike = "runs/demo", *, cartpole: bool = False,
             episodes: int | None = None, seed: int = 0, progress: bool = True) -> dict[str, Any]:
    """Run the demo and write its directory; return the summary printed by the CLI.

    Parameters
    ----------
    out : path, default ``runs/demo``
        Directory to write; an existing one is replaced once the new one is complete.
    cartpole : bool, default False
        Run the CartPole counterpart (discretised Q-learning) instead of the maze.
    episodes : int, optional
        Q-learning episodes (default 400 on the maze, 600 on CartPole).
    seed : int, default 0
    progress : bool, default True
        Show the training progress bar.
    """
    run = _cartpole_demo if cartpole else _maze_demo
    default = CARTPOLE_EPISODES if cartpole else MAZE_EPISODES
    episodes = default if episodes is None else episodes
    if isinstance(episodes, bool) or not isinstance(episodes, int) or episodes < 3:
        raise ValueError(f"episodes must be an integer >= 3, got {episodes!r}")
    summary: dict[str, Any] = {}

    def write(tmp: str) -> None:
        summary.update(run(tmp, episodes=episodes, seed=seed, progress=progress))
        with open(os.path.join(tmp, "summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)

    summary["out"] = write_run_dir(out, write, replace=True)
    return summary


def _maze_demo(tmp: str, *, episodes: int, seed: int, progress: bool) -> dict[str, Any]:
    from rlsandbox.agents import QLearningAgent, ValueIterationAgent
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.loop import evaluate, run_episode, train
    from rlsandbox.plots import (
        plot_trajectory,
        plot_values,
        save_behaviour_report,
        save_figure,
        save_gif,
    )

    config = {"env": "maze", "layout": "classic", "slip": 0.0}
    env = make_env(config)
    maze = env.unwrapped
    planner = ValueIterationAgent(env, gamma=MAZE_AGENT["gamma"])
    learner = QLearningAgent.for_env(env, seed=seed, **MAZE_AGENT)
    history = train(env, learner, episodes, seed=seed, progress=progress)
    save_run(tmp, {**config, "agent": "q-learning", "agent_kwargs": MAZE_AGENT, "seed": seed,
                   "episodes": len(history)}, learner, history)

    optimal, learned = evaluate(env, planner, 20, seed=seed), evaluate(env, learner, 20, seed=seed)
    learned_q = np.asarray(learner.q_table)
    fig = plot_values(env, planner.values, planner.policy)
    fig.axes[0].set_title("Value iteration: optimal values V* and policy")
    save_figure(fig, os.path.join(tmp, "values_optimal.png"))
    fig = plot_values(env, learned_q.max(axis=1), learned_q.argmax(axis=1))
    fig.axes[0].set_title("Q-learning: learned values max Q and greedy policy")
    save_figure(fig, os.path.join(tmp, "values_learned.png"))

    render_env = make_env(config, render_mode="rgb_array")
    greedy = run_episode(render_env, learner, learn=False, explore=False, seed=seed,
                         record_frames=True)
    render_env.close()
    save_figure(plot_trajectory(env, greedy), os.path.join(tmp, "trajectory.png"))
    save_gif(greedy.frames[:GIF_FRAMES], os.path.join(tmp, "greedy.gif"),
             fps=maze.metadata["render_fps"])

    report = behaviour_report(history, n_states=maze.observation_space.n, values=planner.values)
    save_behaviour_report(report, os.path.join(tmp, "behaviour"))
    differ = _policy_differences(maze, planner.q_values, learned_q)
    return {
        "env": "maze (classic)",
        "episodes": len(history),
        "optimal": _scores(optimal),
        "learned": _scores(learned),
        "optimal_start_value": float(planner.values[maze.start_state]),
        "policy_differs_in": differ,
        "behaviour_clusters": report.clusters,
        "auc": report.auc,
    }


def _cartpole_demo(tmp: str, *, episodes: int, seed: int, progress: bool) -> dict[str, Any]:
    from rlsandbox.agents import QLearningAgent, exponential_decay
    from rlsandbox.loop import evaluate, run_episode, train
    from rlsandbox.plots import save_gif

    config = {"env": "cartpole", "bins": list(CARTPOLE_BINS)}
    env = make_env(config)
    # Explore a lot early, then act nearly greedily: a fixed small epsilon learns far slower.
    learner = QLearningAgent.for_env(env, seed=seed, epsilon=exponential_decay(*CARTPOLE_EPSILON),
                                     **CARTPOLE_AGENT)
    history = train(env, learner, episodes, seed=seed, progress=progress)
    agent_kwargs = {**CARTPOLE_AGENT, "epsilon": "exponential_decay({}, {}, {})".format(
        *CARTPOLE_EPSILON)}
    save_run(tmp, {**config, "agent": "q-learning", "agent_kwargs": agent_kwargs, "seed": seed,
                   "episodes": len(history)}, learner, history)
    learned = evaluate(env, learner, 20, seed=seed)

    render_env = make_env(config, render_mode="rgb_array")
    greedy = run_episode(render_env, learner, learn=False, explore=False, seed=seed,
                         record_frames=True)
    render_env.close()
    # Every second frame at half the rate: the same playing time in half the file.
    fps = render_env.unwrapped.metadata["render_fps"] / 2
    save_gif(greedy.frames[: 2 * GIF_FRAMES : 2], os.path.join(tmp, "greedy.gif"), fps=fps)
    first, last = history.returns[:50].mean(), history.returns[-50:].mean()
    return {"env": "cartpole", "episodes": len(history), "learned": _scores(learned),
            "mean_return_first_50": float(first), "mean_return_last_50": float(last)}


def _scores(history) -> dict[str, float]:
    return {"mean_return": float(history.returns.mean()),
            "success_rate": float(history.successes.mean())}


def _policy_differences(maze, optimal_q: np.ndarray, learned_q: np.ndarray) -> list[list[int]]:
    """Cells (row, col) whose learned greedy action is not among the optimal actions.

    Only states the learner visited count (an unvisited row of zeros says nothing), and
    ties in the optimal Q-values make every tied action optimal.
    """
    best = optimal_q.max(axis=1, keepdims=True)
    optimal_actions = np.isclose(optimal_q, best, rtol=0.0, atol=1e-9)
    chosen = learned_q.argmax(axis=1)
    visited = np.any(learned_q != 0.0, axis=1)
    terminal = np.zeros(len(chosen), dtype=bool)
    terminal[np.asarray(maze.goal_states, dtype=np.int64)] = True
    terminal[np.asarray(maze.trap_states, dtype=np.int64)] = True
    wrong = visited & ~terminal & ~optimal_actions[np.arange(len(chosen)), chosen]
    return [list(maze.state_to_cell(int(s))) for s in np.flatnonzero(wrong)]


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as the few lines the CLI prints."""
    lines = [f"demo on {summary['env']}: {summary['episodes']} Q-learning episodes"]
    for name in ("optimal", "learned"):
        if name in summary:
            s = summary[name]
            who = "value iteration (optimal)" if name == "optimal" else "Q-learning (greedy)"
            lines.append(f"  {who:<26} mean return {s['mean_return']:8.3f}   "
                         f"success rate {s['success_rate']:.0%}")
    if "optimal_start_value" in summary:
        lines.append(f"  optimal value of the start state: {summary['optimal_start_value']:.4f}")
        cells = summary["policy_differs_in"]
        where = ", ".join(f"({r},{c})" for r, c in cells[:8]) + (" ..." if len(cells) > 8 else "")
        lines.append(f"  learned policy differs from the optimal one in {len(cells)} visited "
                     f"cell(s){': ' + where if cells else ''}")
    if "mean_return_first_50" in summary:
        lines.append(f"  mean return, first 50 episodes {summary['mean_return_first_50']:.1f} "
                     f"-> last 50 {summary['mean_return_last_50']:.1f}")
    lines.append(f"wrote {summary['out']}")
    return "\n".join(lines)
