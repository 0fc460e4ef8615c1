"""``rlsandbox demo``: plan, learn, compare and draw, on the classic maze or on CartPole.

The maze demo is the whole sandbox in one run: value iteration gives the optimal policy,
Q-learning learns one by trial and error, both are evaluated, and every figure is written
into one directory (atomically: a demo that fails leaves no half-written directory).

The CartPole demo balances the pole: semi-gradient SARSA on tile-coded observations
(:class:`~rlsandbox.agents.LinearSarsaAgent`), tiled only where an episode can still run,
with exploration and step size decaying to a settled greedy policy. Over seeds 0-29 every run
held the pole for all 500 steps in 20 of 20 greedy episodes after 2000 training episodes
(about 10 s on one core).
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from rlsandbox.cli.rundir import make_env, save_run, write_run_dir

__all__ = ["DEFAULT_OUT", "run_demo"]

DEFAULT_OUT = {False: os.path.join("runs", "demo"), True: os.path.join("runs", "demo-cartpole")}
MAZE_EPISODES = 400
CARTPOLE_EPISODES = 2000
MAZE_AGENT = {"alpha": 0.5, "gamma": 0.95, "epsilon": 0.1}
# Tiles only where an episode still runs (|x| < 2.4 m, |theta| < 12 degrees), a horizon long
# enough to care about drifting off the track, and schedules that settle the greedy policy.
CARTPOLE_AGENT = {"tilings": 8, "tiles": 8, "low": [-2.4, -2.0, -0.21, -2.5],
                  "high": [2.4, 2.0, 0.21, 2.5], "gamma": 0.995}
CARTPOLE_EPSILON = (0.1, 0.0, 600_000)  # linear_decay(start, end, steps) over agent updates
CARTPOLE_ALPHA = (0.5, 0.01, 800_000)
GIF_FRAMES = 200  # enough to see the maze policy; keeps the GIF to a few hundred KB


def run_demo(out: str | os.PathLike | None = None, *, cartpole: bool = False,
             episodes: int | None = None, seed: int = 0, progress: bool = True) -> dict[str, Any]:
    """Run the demo and write its directory; return the summary printed by the CLI.

    Parameters
    ----------
    out : path, optional
        Directory to write (default ``runs/demo``, or ``runs/demo-cartpole`` for CartPole);
        an existing one is replaced once the new one is complete.
    cartpole : bool, default False
        Run the CartPole counterpart (tile-coded linear SARSA) instead of the maze.
    episodes : int, optional
        Training episodes (default 400 on the maze, 2000 on CartPole).
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

    summary["out"] = write_run_dir(DEFAULT_OUT[cartpole] if out is None else out, write,
                                   replace=True)
    return summary


def _maze_demo(tmp: str, *, episodes: int, seed: int, progress: bool) -> dict[str, Any]:
    from rlsandbox.agents import QLearningAgent, ValueIterationAgent
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.loop import evaluate, run_episode, train
    from rlsandbox.plots import (
        episode_captions,
        plot_trajectory,
        plot_values,
        save_behaviour_report,
        save_figure,
        save_gif,
        value_limits,
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
    # One colour scale for both maps, so equal colours mean equal values.
    vmin, vmax = value_limits(env, planner.values, learned_q.max(axis=1))
    fig = plot_values(env, planner.values, planner.policy, vmin=vmin, vmax=vmax,
                      title="Classic maze, value iteration: optimal V* and policy")
    save_figure(fig, os.path.join(tmp, "values_optimal.png"))
    fig = plot_values(env, learned_q.max(axis=1), learned_q.argmax(axis=1), vmin=vmin, vmax=vmax,
                      title=f"Classic maze, Q-learning ({len(history)} episodes): max Q and "
                            "greedy policy")
    save_figure(fig, os.path.join(tmp, "values_learned.png"))

    render_env = make_env(config, render_mode="rgb_array")
    greedy = run_episode(render_env, learner, learn=False, explore=False, seed=seed,
                         record_frames=True)
    render_env.close()
    save_figure(plot_trajectory(env, greedy, title="Classic maze, Q-learning: greedy path"),
                os.path.join(tmp, "trajectory.png"))
    save_gif(greedy.frames[:GIF_FRAMES], os.path.join(tmp, "greedy.gif"),
             fps=maze.metadata["render_fps"], captions=episode_captions(greedy)[:GIF_FRAMES])

    report = behaviour_report(history, n_states=maze.observation_space.n, values=planner.values)
    save_behaviour_report(report, os.path.join(tmp, "behaviour"),
                          title=f"classic maze, Q-learning, {len(history)} training episodes")
    differ = _policy_differences(maze, planner.q_values, learned_q)
    return {
        "env": "maze (classic)",
        "episodes": len(history),
        "optimal": _scores(optimal),
        "learned": _scores(learned),
        "gamma": MAZE_AGENT["gamma"],
        "optimal_start_value": float(planner.values[maze.start_state]),
        "policy_differs_in": differ,
        "behaviour_clusters": report.clusters,
        "auc": report.auc,
    }


def _cartpole_demo(tmp: str, *, episodes: int, seed: int, progress: bool) -> dict[str, Any]:
    from rlsandbox.agents import LinearSarsaAgent, linear_decay
    from rlsandbox.loop import evaluate, run_episode, train
    from rlsandbox.plots import episode_captions, save_gif

    config = {"env": "cartpole"}  # no bins: the agent tile-codes the observations itself
    env = make_env(config, discrete=False)
    learner = LinearSarsaAgent.for_env(env, epsilon=linear_decay(*CARTPOLE_EPSILON),
                                       alpha=linear_decay(*CARTPOLE_ALPHA), seed=seed,
                                       **CARTPOLE_AGENT)
    # Summaries only: 2000 episodes of up to 500 steps need no per-step record.
    history = train(env, learner, episodes, seed=seed, progress=progress, record="summary")
    agent_kwargs = {**CARTPOLE_AGENT,
                    "epsilon": "linear_decay({}, {}, {})".format(*CARTPOLE_EPSILON),
                    "alpha": "linear_decay({}, {}, {})".format(*CARTPOLE_ALPHA)}
    save_run(tmp, {**config, "agent": "linear-sarsa", "agent_kwargs": agent_kwargs, "seed": seed,
                   "episodes": len(history)}, learner, history)
    learned = evaluate(env, learner, 20, seed=seed + 1)

    render_env = make_env(config, render_mode="rgb_array", discrete=False)
    greedy = run_episode(render_env, learner, learn=False, explore=False, seed=seed + 1,
                         record_frames=True)
    render_env.close()
    # Every second frame at half the rate: the whole episode's playing time in half the file.
    fps = render_env.unwrapped.metadata["render_fps"] / 2
    save_gif(greedy.frames[::2], os.path.join(tmp, "greedy.gif"), fps=fps,
             captions=episode_captions(greedy)[::2])
    first, last = history.returns[:50].mean(), history.returns[-50:].mean()
    return {"env": "cartpole", "agent": "linear-sarsa", "episodes": len(history),
            "learned": _scores(learned), "greedy_gif_steps": greedy.length,
            "mean_return_first_50": float(first), "mean_return_last_50": float(last)}


def _scores(history) -> dict[str, float]:
    return {"mean_return": float(history.returns.mean()),
            "success_rate": float(history.success_rate)}


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
    learner = "linear SARSA" if summary.get("agent") == "linear-sarsa" else "Q-learning"
    lines = [f"demo on {summary['env']}: {summary['episodes']} {learner} training episodes"]
    for name in ("optimal", "learned"):
        if name in summary:
            s = summary[name]
            who = "value iteration (optimal)" if name == "optimal" else f"{learner} (greedy)"
            lines.append(f"  {who:<26} mean return {s['mean_return']:8.3f}   "
                         f"success rate {s['success_rate']:.0%}")
    if "optimal_start_value" in summary:
        lines.append(f"  optimal value of the start state: {summary['optimal_start_value']:.4f} "
                     f"(discounted, gamma {summary['gamma']}: the mean returns above are "
                     "undiscounted sums)")
        cells = summary["policy_differs_in"]
        where = ", ".join(f"({r},{c})" for r, c in cells[:8]) + (" ..." if len(cells) > 8 else "")
        lines.append(f"  learned policy differs from the optimal one in {len(cells)} visited "
                     f"cell(s){': ' + where if cells else ''}")
    if "greedy_gif_steps" in summary:
        lines.append(f"  greedy.gif: the pole held for {summary['greedy_gif_steps']} steps")
    if "mean_return_first_50" in summary:
        lines.append(f"  mean return, first 50 episodes {summary['mean_return_first_50']:.1f} "
                     f"-> last 50 {summary['mean_return_last_50']:.1f}")
    lines.append(f"wrote {summary['out']}")
    return "\n".join(lines)
