"""The ``rlsandbox`` command line: train, evaluate, plan, replay, analyze and demo.

This is the only module that parses ``argv``. User errors (bad arguments, missing files)
exit with status 2 and one line on stderr; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from typing import Any

from rlsandbox.cli.common import (
    Parser,
    UserError,
    float_value,
    non_negative_int,
    positive_int,
)
from rlsandbox.cli.rundir import load_run, make_env, save_run, write_run_dir
from rlsandbox.cli.show import cmd_analyze, cmd_demo, cmd_replay
from rlsandbox.envs.registration import CARTPOLE_BINS, ENV_NAMES

__all__ = ["main"]

ENV_KEYS = ("env", "layout", "slip", "max_steps", "bins")
SUMMARY_ABOVE = 10_000  # --record auto keeps summaries only for runs longer than this


# -- helpers shared by the sub-commands ------------------------------------------------------
def _bins(text: str) -> tuple[int, ...]:
    try:
        bins = tuple(int(b) for b in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of integers"
        ) from None
    if not bins or min(bins) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: every bin count must be positive")
    return bins


def _env_config(args: argparse.Namespace) -> dict[str, Any]:
    """The env part of a run's config: everything needed to build the same env again."""
    from rlsandbox.envs import LAYOUTS

    config: dict[str, Any] = {"env": args.env}
    if args.env == "maze":
        layout = args.layout
        if layout not in LAYOUTS:
            if not os.path.isfile(layout):
                raise UserError(
                    f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)} "
                    "or the path of a layout text file"
                )
            with open(layout, encoding="utf-8") as f:
                layout = f.read()  # keep the text: the run dir must not depend on the file
        config.update(layout=layout, slip=args.slip)
        if args.max_steps is not None:
            config["max_steps"] = args.max_steps
    else:
        if args.max_steps is not None:
            config["max_steps"] = args.max_steps
        config["bins"] = list(args.bins or CARTPOLE_BINS)
    return config


def _agent_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if args.agent == "q-learning":
        for name in ("alpha", "gamma", "epsilon"):
            value = getattr(args, name)
            if value is not None:
                kwargs[name] = value
    elif args.agent == "value-iteration" and args.gamma is not None:
        kwargs["gamma"] = args.gamma
    for item in args.agent_arg or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"--agent-arg {item!r} must look like NAME=VALUE")
        try:
            kwargs[key] = json.loads(value)
        except json.JSONDecodeError:
            kwargs[key] = value
    return kwargs


def _default_out(kind: str, args: argparse.Namespace) -> str:
    base = os.path.join("runs", f"{kind}-{args.env}-{args.agent}-seed{args.seed}")
    out, i = base, 1
    while os.path.exists(out):
        out, i = f"{base}-{i}", i + 1
    return out


def _summary(label: str, history) -> str:
    rate = history.successes.mean() if len(history) else float("nan")
    return (f"{label}: {len(history)} episodes, mean return {history.returns.mean():.3f}, "
            f"mean length {history.lengths.mean():.1f}, success rate {rate:.0%}")


# -- sub-commands ------------------------------------------------------------------------------
def cmd_envs(args: argparse.Namespace) -> int:
    from rlsandbox.envs import LAYOUTS, MazeEnv

    print("environments:")
    for name, env_id in ENV_NAMES.items():
        print(f"  {name:<10} {env_id}")
    print("maze layouts (--layout NAME, or a text file):")
    for name in LAYOUTS:
        env = MazeEnv(name)
        rows, cols = env.grid_shape
        print(f"  {name:<16} {rows}x{cols} grid, {env.observation_space.n} states")
    return 0


def cmd_agents(args: argparse.Namespace) -> int:
    from rlsandbox.agents import available_agents

    print("agents (--agent NAME, or module:Class):")
    for name, target in available_agents().items():
        print(f"  {name:<16} {target}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from rlsandbox.agents import make_agent
    from rlsandbox.loop import TrainingError, train

    history = None
    if args.resume:
        config, agent, history = _resume_source(args.resume)
        if args.episodes is None:
            args.episodes = config.get("episodes_requested", 0) - len(history)
            if args.episodes <= 0:
                raise UserError(f"the run in {args.resume!r} is complete; pass --episodes MORE "
                                "to train further")
        env = make_env({k: v for k, v in config.items() if k in ENV_KEYS})
        out, replace = args.out or config.get("out") or args.resume, args.out is None
        requested = len(history) + args.episodes
    else:
        args.episodes = 500 if args.episodes is None else args.episodes
        env_config, agent_kwargs = _env_config(args), _agent_kwargs(args)
        env = make_env(env_config)
        agent = make_agent(args.agent, env, seed=args.seed, **agent_kwargs)
        config = {**env_config, "agent": args.agent, "agent_kwargs": agent_kwargs,
                  "seed": args.seed}
        out, replace = args.out or _default_out("train", args), False
        requested = args.episodes
        if os.path.exists(out):
            raise UserError(f"output directory {out!r} already exists; choose another --out")
    record = args.record
    if record == "auto":
        record = "summary" if requested > SUMMARY_ABOVE or (history and history.keep ==
                                                              "summary") else "all"
    checkpoints = None
    if args.checkpoint_every:
        checkpoints = os.path.abspath(out) + ".checkpoints"
        os.makedirs(checkpoints, exist_ok=True)
        with open(os.path.join(checkpoints, "config.json"), "w", encoding="utf-8") as f:
            json.dump({**config, "episodes_requested": requested, "out": out}, f, indent=2)
    started, error = time.time(), None
    try:
        history = train(env, agent, args.episodes, seed=config["seed"], progress=not args.quiet,
                        history=history, record=record, checkpoint_every=args.checkpoint_every,
                        checkpoint_dir=checkpoints)
    except TrainingError as exc:  # keep every finished episode, then report
        history, error = exc.history, str(exc)
    config = {**config, "episodes": len(history), "episodes_requested": requested,
              "interrupted": history.interrupted, "error": error,
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
              "seconds": round(time.time() - started, 3)}
    out = write_run_dir(out, lambda tmp: save_run(tmp, config, agent, history), replace=replace)
    if checkpoints and error is None and not history.interrupted:
        shutil.rmtree(checkpoints, ignore_errors=True)  # the run dir now holds everything
    print(_summary("train", history))
    print(f"wrote {out}")
    if error is not None:
        print(f"rlsandbox train: error: {error} (finished episodes saved)", file=sys.stderr)
        return 1
    return 130 if history.interrupted else 0


def _resume_source(path: str):
    """Config, agent and history to continue: a run dir, or a checkpoints dir."""
    from rlsandbox.loop import load_checkpoint

    if os.path.isfile(os.path.join(path, "agent.npz")):
        config, agent, history = load_run(path, need_history=True)
        return config, agent, history
    config_path = os.path.join(path, "config.json")
    if not os.path.isfile(config_path):
        raise UserError(f"nothing to resume in {path!r}: give a run directory or its "
                        "'.checkpoints' directory")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    agent, history, _ = load_checkpoint(path)
    return config, agent, history


def cmd_eval(args: argparse.Namespace) -> int:
    from rlsandbox.loop import evaluate

    config, agent, _ = load_run(args.run_dir)
    env = make_env(config)
    history = evaluate(env, agent, args.episodes, seed=args.seed)
    print(_summary("eval", history))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from rlsandbox.agents import ValueIterationAgent

    if args.env != "maze":
        raise UserError(f"plan needs a model and --env {args.env} has none; use --env maze")
    args.agent = "value-iteration"
    env_config = _env_config(args)
    env = make_env(env_config)
    agent = ValueIterationAgent(env, gamma=args.gamma, tol=args.tol)
    start = env.unwrapped.start_state
    print(f"value iteration: {agent.iterations} iterations, gamma {agent.gamma}")
    print(f"optimal value of the start state: {agent.values[start]:.6f}")
    config = {**env_config, "agent": "value-iteration",
              "agent_kwargs": {"gamma": agent.gamma, "tol": args.tol}, "seed": args.seed}

    out = write_run_dir(args.out or _default_out("plan", args),
                        lambda tmp: save_run(tmp, config, agent, None))
    print(f"wrote {out}")
    return 0


# -- the parser ----------------------------------------------------------------------------------
def _add_env_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--env", choices=sorted(ENV_NAMES), default="maze", help="environment")
    p.add_argument("--layout", default="classic", help="maze layout name or text file")
    p.add_argument("--slip", type=float_value, default=0.0, help="maze slip probability in [0, 1]")
    p.add_argument("--max-steps", type=positive_int, default=None, help="episode step limit")
    p.add_argument("--bins", type=_bins, default=None,
                   help=f"CartPole bins per dimension for tabular agents (default "
                        f"{','.join(map(str, CARTPOLE_BINS))})")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="rlsandbox", description="A reinforcement-learning sandbox.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)

    p = sub.add_parser("train", help="train an agent and write a run directory")
    _add_env_options(p)
    p.add_argument("--agent", default="q-learning", help="agent name (see 'rlsandbox agents')")
    p.add_argument("--episodes", type=non_negative_int, default=None,
                   help="episodes to run (default 500; with --resume: the rest of the run)")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument("--resume", metavar="RUN_DIR",
                   help="continue a run directory (or its .checkpoints directory)")
    p.add_argument("--checkpoint-every", type=positive_int, metavar="N",
                   help="write a checkpoint every N episodes into OUT.checkpoints/")
    p.add_argument("--record", choices=("all", "summary", "auto"), default="auto",
                   help=f"keep whole episodes or summaries only (auto: summaries above "
                        f"{SUMMARY_ABOVE} episodes)")
    p.add_argument("--alpha", type=float_value, help="Q-learning step size in (0, 1]")
    p.add_argument("--gamma", type=float_value, help="discount factor in [0, 1]")
    p.add_argument("--epsilon", type=float_value, help="exploration rate in [0, 1]")
    p.add_argument("--agent-arg", action="append", metavar="NAME=VALUE",
                   help="extra agent keyword (JSON value), repeatable")
    p.add_argument("--out", help="run directory to create (default: runs/train-...)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="evaluate a saved agent greedily")
    p.add_argument("run_dir", help="a directory written by 'rlsandbox train' or 'plan'")
    p.add_argument("--episodes", type=positive_int, default=100)
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("plan", help="plan with value iteration and save the agent")
    _add_env_options(p)
    p.add_argument("--gamma", type=float_value, default=0.99, help="discount factor in (0, 1]")
    p.add_argument("--tol", type=float_value, default=1e-8, help="value iteration tolerance")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument("--out", help="run directory to create (default: runs/plan-...)")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("replay", help="watch a saved agent (pygame window) or write a GIF")
    p.add_argument("run_dir", help="a directory written by 'rlsandbox train' or 'plan'")
    p.add_argument("--episodes", type=positive_int, default=1)
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument("--gif", help="write the episodes to this GIF instead of a window")
    p.add_argument("--fps", type=positive_int, default=None, help="frames per second")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("analyze", help="behaviour report of a run: clusters, PCA, ROC")
    p.add_argument("run_dir", help="a directory written by 'rlsandbox train'")
    p.add_argument("--clusters", type=positive_int, default=None,
                   help="number of behaviour types (default: the largest gap in the tree)")
    p.add_argument("--k", type=positive_int, default=5,
                   help="steps averaged by the mean-value success predictor")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("demo", help="plan, learn and draw on the classic maze (or CartPole)")
    p.add_argument("--cartpole", action="store_true", help="run the CartPole demo instead")
    p.add_argument("--out", default=os.path.join("runs", "demo"),
                   help="directory to write (replaced if it exists; default runs/demo)")
    p.add_argument("--episodes", type=positive_int, default=None,
                   help="Q-learning episodes (default 400 maze, 600 CartPole)")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_demo)

    from rlsandbox.cli.sweep import add_sweep_commands

    add_sweep_commands(sub)
    from rlsandbox.cli.textbook import add_textbook_command

    add_textbook_command(sub)

    p = sub.add_parser("envs", help="list environments and maze layouts")
    p.set_defaults(func=cmd_envs)
    p = sub.add_parser("agents", help="list available agents")
    p.set_defaults(func=cmd_agents)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UserError, ValueError) as exc:  # our ValueErrors say what to fix: one line
        message = " ".join(str(exc).split())
        print(f"rlsandbox {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rlsandbox {args.command}: interrupted", file=sys.stderr)
        return 130
