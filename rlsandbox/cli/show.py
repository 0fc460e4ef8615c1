"""The ``replay``, ``analyze`` and ``demo`` sub-commands: watching and studying runs."""

from __future__ import annotations

import argparse
import os

import numpy as np

from rlsandbox.cli.common import UsageError, format_rate, user_input
from rlsandbox.cli.recorded import acts_by_itself, recorded_episodes, replay_recorded
from rlsandbox.cli.rundir import load_run, make_env, write_run_dir

__all__ = ["cmd_analyze", "cmd_demo", "cmd_replay"]


def cmd_replay(args: argparse.Namespace) -> int:
    from rlsandbox.envs import WindowClosed
    from rlsandbox.loop import run_episode

    if args.gif is not None:
        _check_gif_path(args.gif)
    with user_input():
        config, agent, history = load_run(args.run_dir)
    recorded = None
    if not acts_by_itself(agent):  # a person played: step the recorded actions again
        recorded = recorded_episodes(args.run_dir, config, history, args.episodes,
                                     seed_given=args.seed is not None)
    seed = 0 if args.seed is None else args.seed
    mode = "rgb_array" if args.gif else "human"
    env = make_env(config, render_mode=mode)
    if args.fps is not None:
        env.unwrapped.metadata = {**env.unwrapped.metadata, "render_fps": args.fps}
    frames: list = []
    show = {"render": mode == "human", "record_frames": mode == "rgb_array"}
    try:
        for i in range(args.episodes):
            if recorded is None:
                episode = run_episode(env, agent, learn=False, explore=False, seed=seed + i,
                                      **show)
            else:
                episode = replay_recorded(env, recorded[i], run_dir=args.run_dir, **show)
            frames.extend(episode.frames or [])
            print(f"episode {i}: return {episode.total_reward:.3f}, length {episode.length}")
    except WindowClosed:
        print("window closed")
    finally:
        env.close()
    if args.gif:
        from rlsandbox.plots import save_gif

        folder = os.path.dirname(os.path.abspath(args.gif))
        os.makedirs(folder, exist_ok=True)  # --gif out/ep.gif means: make out/ too
        save_gif(frames, args.gif, fps=args.fps or env.metadata.get("render_fps", 10))
        print(f"wrote {args.gif}")
    return 0


def _check_gif_path(path: str) -> None:
    if not path.lower().endswith(".gif"):
        raise UsageError(f"--gif {path}: the file name must end in .gif (it is written as an "
                         "animated GIF)")
    if os.path.isdir(path):
        raise UsageError(f"--gif {path} is a folder; give a file name such as "
                         f"{os.path.join(path, 'episode.gif')}")
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise UsageError(f"--gif {path}: {parent} is a file, not a folder")


def cmd_analyze(args: argparse.Namespace) -> int:
    from rlsandbox.analysis import behaviour_report
    from rlsandbox.plots import save_behaviour_report

    with user_input():
        config, agent, history = load_run(args.run_dir, need_history=True)
    if history.keep == "summary":
        raise UsageError(f"{args.run_dir!r} kept episode summaries only; analyze needs whole "
                        "episodes: train again with --record all")
    env = make_env(config)
    n_states = getattr(env.observation_space, "n", None)
    values = None
    if getattr(agent, "values", None) is not None:
        values = np.asarray(agent.values, dtype=np.float64)
    elif getattr(agent, "q_table", None) is not None:
        values = np.asarray(agent.q_table, dtype=np.float64).max(axis=1)
    out = os.path.join(os.path.abspath(args.run_dir), "analysis")
    if len(history) < 3:
        raise UsageError(f"{args.run_dir!r} has {len(history)} episode(s); analyze needs at "
                         "least 3: train longer")
    if args.clusters is not None and args.clusters > len(history):
        raise UsageError(f"--clusters {args.clusters} is more than the run's {len(history)} "
                         "episodes")
    report = behaviour_report(
        history, n_states=int(n_states) if n_states is not None else None, values=values,
        n_clusters=args.clusters, k=args.k)
    write_run_dir(out, lambda tmp: save_behaviour_report(report, tmp), replace=True)
    print(f"{len(report.labels)} episodes, {len(report.clusters)} behaviour type(s); "
          f"PCA explains {report.explained_variance_ratio.sum():.0%} of the variance in 2-D")
    print(f"{'cluster':>7} {'size':>6} {'mean return':>12} {'mean length':>12} {'success':>8}")
    for c in report.clusters:
        print(f"{c['cluster']:>7} {c['size']:>6} {c['mean_return']:>12.3f} "
              f"{c['mean_length']:>12.1f} {format_rate(c['success_rate']):>8}")
    for name, value in report.auc.items():
        print(f"ROC-AUC of {name} as a predictor of success: "
              f"{'undefined' if value is None else f'{value:.3f}'}")
    for note in report.notes:
        print(f"note: {note}")
    print(f"wrote {out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from rlsandbox.cli.demo import format_summary, run_demo

    if args.episodes is not None and args.episodes < 3:
        raise UsageError(f"--episodes {args.episodes}: the demo needs at least 3 episodes")
    summary = run_demo(args.out, cartpole=args.cartpole, episodes=args.episodes, seed=args.seed,
                       progress=not args.quiet)
    print(format_summary(summary))
    return 0
