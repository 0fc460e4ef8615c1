"""The ``rlsandbox`` command line: train, evaluate, plan, play, replay, analyze, check agents,
demo.

This is the only module that parses ``argv``. User errors (bad arguments, missing files)
exit with status 2 and one line on stderr, with no traceback (:class:`UsageError`);
anything else is a crash: exit status 1, the traceback, and a line saying whose bug it is.
Ctrl-C exits with 130; a closed pipe (``rlsandbox envs | head -2``) ends quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import time
from collections.abc import Sequence
from typing import Any

from rlsandbox.cli.common import (
    Parser,
    UsageError,
    float_value,
    format_rate,
    non_negative_int,
    one_line,
    origin,
    positive_int,
    report_crash,
    user_input,
)
from rlsandbox.cli.recorded import acts_by_itself
from rlsandbox.cli.rundir import load_run, make_env, read_json, save_run, write_run_dir
from rlsandbox.cli.show import cmd_analyze, cmd_demo, cmd_replay
from rlsandbox.envs.registration import CARTPOLE_BINS, ENV_NAMES

__all__ = ["build_parser", "main"]

ENV_KEYS = ("env", "layout", "slip", "max_steps", "bins")
SUMMARY_ABOVE = 10_000  # --record auto keeps summaries only for runs longer than this
DEFAULT_EPISODES = 500
DEFAULT_PLAY_EPISODES = 3
HYPERPARAMETERS = ("alpha", "gamma", "epsilon")  # the agent options with flags of their own
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `yes | head -1` reports for yes


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
    """The env part of a run's config: everything needed to build the same env again.

    Options that do not apply to the chosen env are refused, not ignored.
    """
    from rlsandbox.envs import LAYOUTS

    args.env = args.env or "maze"
    config: dict[str, Any] = {"env": args.env}
    if args.env == "maze":
        if args.bins is not None:
            raise UsageError(f"--bins {','.join(map(str, args.bins))} applies to --env cartpole "
                             "only (the maze's states are already discrete)")
        layout = "classic" if args.layout is None else args.layout
        if layout not in LAYOUTS:
            if not os.path.isfile(layout):
                raise UsageError(
                    f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)} "
                    "or the path of a layout text file"
                )
            with open(layout, encoding="utf-8") as f:
                layout = f.read()  # keep the text: the run dir must not depend on the file
        config.update(layout=layout, slip=0.0 if args.slip is None else args.slip)
    else:
        for option, value in (("--layout", args.layout), ("--slip", args.slip)):
            if value is not None:
                raise UsageError(f"{option} {value} applies to --env maze only; "
                                 f"--env {args.env} has no {option[2:]}")
        if _takes_box_observations(getattr(args, "agent", None)):
            if args.bins is not None:
                raise UsageError(f"--bins applies to tabular agents; {args.agent} takes "
                                 "CartPole's continuous observations as they are")
        else:
            config["bins"] = list(args.bins or CARTPOLE_BINS)
    if args.max_steps is not None:
        config["max_steps"] = args.max_steps
    return config


def _takes_box_observations(name: str | None) -> bool:
    """Whether the agent called ``name`` reads ``Box`` observations (no discretising).

    An agent whose constructor takes ``observation_space`` and no ``n_states`` (such as
    ``linear-sarsa``) gets CartPole's four numbers; a tabular agent gets discretised states.
    """
    import inspect

    from rlsandbox.agents.registry import agent_class

    if name is None:
        return False
    with user_input():
        cls = agent_class(name)
    parameters = inspect.signature(cls).parameters
    return "observation_space" in parameters and "n_states" not in parameters


def _agent_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Every agent keyword the user gave: --alpha/--gamma/--epsilon and --agent-arg."""
    kwargs: dict[str, Any] = {}
    for name in HYPERPARAMETERS:
        value = getattr(args, name, None)
        if value is not None:
            kwargs[name] = value
    for item in getattr(args, "agent_arg", None) or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(f"--agent-arg {item!r} must look like NAME=VALUE")
        if key in kwargs:
            raise UsageError(f"agent keyword {key!r} is given twice")
        try:
            kwargs[key] = json.loads(value)
        except json.JSONDecodeError:
            kwargs[key] = value  # a bare word: a string
    return kwargs


def _build_agent(name: str, env, kwargs: dict[str, Any], seed: int):
    """``make_agent(name, env, **kwargs)``, seeded with ``seed``.

    The seed goes to the constructor where it takes one, else to ``agent.seed``. Every
    other keyword reaches the agent or is refused by name (exit 2).
    """
    from rlsandbox.agents.base import accepted_keywords, check_keywords
    from rlsandbox.agents.registry import agent_class, make_agent

    with user_input():
        cls = agent_class(name)
        check_keywords(cls, kwargs, name=name)
        takes_seed = "seed" in accepted_keywords(cls)
        agent = make_agent(name, env, **kwargs, **({"seed": seed} if takes_seed else {}))
    if not takes_seed:
        agent.seed(seed)
    return agent


def _default_out(kind: str, env: str, agent: str, seed: int) -> str:
    agent = agent.replace(":", "-").replace(os.sep, "-")  # module:Class -> a folder name
    base = os.path.join("runs", f"{kind}-{env}-{agent}-seed{seed}")
    out, i = base, 1
    while os.path.exists(out):
        out, i = f"{base}-{i}", i + 1
    return out


def _summary(label: str, history) -> str:
    if not len(history):
        return f"{label}: 0 episodes"
    return (f"{label}: {len(history)} episodes, mean return {history.returns.mean():.3f}, "
            f"mean length {history.lengths.mean():.1f}, "
            f"success rate {format_rate(history.success_rate)}")


def _refuse_with_resume(args: argparse.Namespace) -> None:
    given = [f"--{name.replace('_', '-')}" for name in
             ("env", "layout", "slip", "max_steps", "bins", "agent", "seed", *HYPERPARAMETERS,
              "agent_arg")
             if getattr(args, name) is not None]
    if given:
        raise UsageError(f"{given[0]} does not apply with --resume: a resumed run keeps its "
                         "env, agent, hyperparameters and seed")


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

    print("agents (--agent NAME, or module:Class for a class in module.py here):")
    for name, target in available_agents().items():
        print(f"  {name:<16} {target}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from rlsandbox.loop import TrainingError, train

    history = None
    if args.resume:
        _refuse_with_resume(args)
        config, agent, history = _resume_source(args.resume)
        _refuse_a_person(agent, args.resume, "train")
        if args.episodes is None:
            args.episodes = config.get("episodes_requested", 0) - len(history)
            if args.episodes <= 0:
                raise UsageError(f"the run in {args.resume!r} is complete; pass --episodes MORE "
                                 "to train further")
        env = make_env({k: v for k, v in config.items() if k in ENV_KEYS})
        out, replace = args.out or config.get("out") or args.resume, args.out is None
        requested = len(history) + args.episodes
    else:
        args.episodes = DEFAULT_EPISODES if args.episodes is None else args.episodes
        args.agent = args.agent or "q-learning"
        args.seed = 0 if args.seed is None else args.seed
        env_config, agent_kwargs = _env_config(args), _agent_kwargs(args)
        with user_input():
            env = make_env(env_config)
        agent = _build_agent(args.agent, env, agent_kwargs, args.seed)
        config = {**env_config, "agent": args.agent, "agent_kwargs": agent_kwargs,
                  "seed": args.seed}
        out = args.out or _default_out("train", args.env, args.agent, args.seed)
        replace = False
        requested = args.episodes
        if os.path.exists(out):
            raise UsageError(f"output directory {out!r} already exists; choose another --out")
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
        progress = not args.quiet and args.episodes > 0  # no empty bar for --episodes 0
        history = train(env, agent, args.episodes, seed=config["seed"], progress=progress,
                        history=history, record=record, checkpoint_every=args.checkpoint_every,
                        checkpoint_dir=checkpoints)
    except TrainingError as exc:  # keep every finished episode, then report
        history, error = exc.history, _with_origin(exc)
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
    if history.interrupted:
        left = requested - len(history)
        print(f"rlsandbox train: interrupted after {len(history)} of {requested} episodes; "
              f"the finished ones are saved in {out}. Continue the other {left} with: "
              f"rlsandbox train --resume {shlex.quote(_shown_path(out))}", file=sys.stderr)
        return 130
    return 0


def _shown_path(path: str) -> str:
    """``path`` relative to the current directory when it lies inside it (shorter to type)."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _with_origin(exc: BaseException) -> str:
    where = origin(exc)
    message = one_line(exc)
    return f"{message} (raised in {where[0]}, line {where[1]})" if where else message


def _resume_source(path: str):
    """Config, agent and history to continue: a run dir, or a checkpoints dir."""
    from rlsandbox.agents.base import check_spaces
    from rlsandbox.agents.registry import agent_class
    from rlsandbox.loop import load_checkpoint

    with user_input("--resume"):
        if os.path.isfile(os.path.join(path, "agent.npz")):
            return load_run(path, need_history=True)
        config_path = os.path.join(path, "config.json")
        if not os.path.isfile(config_path):
            raise UsageError(f"nothing to resume in {path!r}: give a run directory or its "
                             "'.checkpoints' directory")
        config = read_json(config_path)
        agent_class(str(config.get("agent")), run_dir=path)  # imports the agent's module
        agent, history, _ = load_checkpoint(path)
        check_spaces(agent, make_env(config), source=path)
    return config, agent, history


def cmd_eval(args: argparse.Namespace) -> int:
    from rlsandbox.loop import evaluate

    with user_input():
        config, agent, _ = load_run(args.run_dir)
    _refuse_a_person(agent, args.run_dir, "be evaluated")
    env = make_env(config)
    history = evaluate(env, agent, args.episodes, seed=args.seed)
    print(_summary("eval", history))
    return 0


def _refuse_a_person(agent, run_dir: str, what: str) -> None:
    if not acts_by_itself(agent):
        raise UsageError(
            f"{run_dir!r} was played by a person, who is not here to {what}; "
            f"'rlsandbox replay {run_dir}' shows the recorded episodes, 'rlsandbox play' "
            "plays again")


def cmd_play(args: argparse.Namespace) -> int:
    """Let a person play N episodes in the env's window; write the run like ``train``."""
    from rlsandbox.agents import KeyboardAgent
    from rlsandbox.envs._viewer import no_screen
    from rlsandbox.loop import TrainingError, evaluate

    args.env = args.env or "maze"
    if args.bins is not None:
        raise UsageError(f"--bins {args.bins} does not apply to play: a person plays CartPole "
                         "itself, not a discretised one")
    if args.env != "maze":
        for option, value in (("--layout", args.layout), ("--slip", args.slip)):
            if value is not None:
                raise UsageError(f"{option} {value} applies to the maze only; {args.env} has "
                                 f"no {option[2:]}")
    env_config = _env_config(args)
    env_config.pop("bins", None)
    out = args.out or _default_out("play", args.env, "keyboard", args.seed)
    if os.path.exists(out):
        raise UsageError(f"output directory {out!r} already exists; choose another --out")
    if no_screen() and "SDL_VIDEODRIVER" not in os.environ:
        # The window would open nowhere and wait for keys no one can press.
        raise UsageError("no screen to play on: neither DISPLAY nor WAYLAND_DISPLAY is set; "
                         "play on a computer with a desktop (or over 'ssh -X')")
    with user_input():
        env = make_env(env_config, render_mode="human", discrete=False)
        agent = KeyboardAgent(env)
    print(_play_keys(args, agent, env.unwrapped.metadata.get("render_fps")), flush=True)
    config = {**env_config, "agent": "keyboard", "agent_kwargs": {}, "seed": args.seed}
    started, error = time.time(), None
    try:
        history = evaluate(env, agent, args.episodes, seed=args.seed)
    except TrainingError as exc:  # keep every finished episode, then report
        history, error = exc.history, _with_origin(exc)
    finally:
        env.close()
    if not len(history):
        if error is not None:
            print(f"rlsandbox play: error: {error} (no episode finished; nothing was written)",
                  file=sys.stderr)
            return 1
        print("rlsandbox play: ended before the first episode was finished; nothing was "
              "written", file=sys.stderr)
        return 130
    config = {**config, "episodes": len(history), "episodes_requested": args.episodes,
              "interrupted": history.interrupted, "error": error,
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
              "seconds": round(time.time() - started, 3)}
    out = write_run_dir(out, lambda tmp: save_run(tmp, config, agent, history))
    print(_summary("play", history))
    more = f" --episodes {len(history)}" if len(history) > 1 else ""
    print(f"wrote {out}; watch it again with: rlsandbox replay "
          f"{shlex.quote(_shown_path(out))}{more}")
    if error is not None:
        print(f"rlsandbox play: error: {error} (finished episodes saved)", file=sys.stderr)
        return 1
    if history.interrupted:
        print(f"rlsandbox play: ended after {len(history)} of {args.episodes} episodes; the "
              f"finished ones are saved in {out}", file=sys.stderr)
        return 130
    return 0


def _play_keys(args: argparse.Namespace, agent, fps) -> str:
    """What is played and the keys, printed before the window opens."""
    what = "CartPole" if args.env == "cartpole" else f"the maze {args.layout or 'classic'!r}"
    if agent.real_time:
        moves = (f"hold Left or Right (or A or D) to push the cart; the game runs in real time "
                 f"({fps} steps a second); with neither key held the pushes alternate")
    else:
        moves = "arrow keys or W A S D move one cell per key press; reach the goal"
    return (f"rlsandbox play: {what}, {args.episodes} episode(s), seed {args.seed}. "
            "In the window:\n"
            f"  {moves}\n"
            "  Space pauses, R restarts the episode, Esc ends play (finished episodes are kept)")


def cmd_plan(args: argparse.Namespace) -> int:
    from rlsandbox.agents import make_agent

    if (args.env or "maze") != "maze":
        raise UsageError(f"plan needs a model and --env {args.env} has none; use --env maze")
    env_config = _env_config(args)
    with user_input():
        env = make_env(env_config)
        agent = make_agent("value-iteration", env, gamma=args.gamma, tol=args.tol)
    agent.seed(args.seed)
    start = env.unwrapped.start_state
    print(f"value iteration: {agent.iterations} iterations, gamma {agent.gamma}")
    print(f"optimal value of the start state: {agent.values[start]:.6f}")
    config = {**env_config, "agent": "value-iteration",
              "agent_kwargs": {"gamma": agent.gamma, "tol": args.tol}, "seed": args.seed}

    out = write_run_dir(args.out or _default_out("plan", "maze", "value-iteration", args.seed),
                        lambda tmp: save_run(tmp, config, agent, None))
    print(f"wrote {out}")
    return 0


def cmd_check_agent(args: argparse.Namespace) -> int:
    from rlsandbox.agents import check_agent

    env_config = _env_config(args)
    with user_input():
        env = make_env(env_config)
    agent = _build_agent(args.agent, env, _agent_kwargs(args), args.seed)
    try:
        report = check_agent(agent, env, steps=args.steps, seed=args.seed)
    except ValueError as exc:  # a failed check: the agent's answer is "no", not a usage error
        print(f"rlsandbox check-agent: {args.agent} FAILED: {one_line(exc)}", file=sys.stderr)
        return 1
    print(report)
    return 0


# -- the parser ----------------------------------------------------------------------------------
def _add_env_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--env", choices=sorted(ENV_NAMES), default=None,
                   help="environment (default maze)")
    p.add_argument("--layout", default=None,
                   help="maze layout name or text file (default classic; maze only)")
    p.add_argument("--slip", type=float_value, default=None,
                   help="maze slip probability in [0, 1] (default 0; maze only)")
    p.add_argument("--max-steps", type=positive_int, default=None, help="episode step limit")
    p.add_argument("--bins", type=_bins, default=None,
                   help=f"CartPole bins per dimension for tabular agents (default "
                        f"{','.join(map(str, CARTPOLE_BINS))}; cartpole only)")


def _add_agent_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--alpha", type=float_value, help="step size (agents that take alpha)")
    p.add_argument("--gamma", type=float_value, help="discount factor (agents that take gamma)")
    p.add_argument("--epsilon", type=float_value,
                   help="exploration rate (agents that take epsilon)")
    p.add_argument("--agent-arg", action="append", metavar="NAME=VALUE",
                   help="any other agent keyword (the value is read as JSON, else as a "
                        "string), repeatable; a keyword the agent does not take is refused")


def _version() -> str:
    import platform

    from rlsandbox import __version__

    return f"rlsandbox {__version__} (Python {platform.python_version()})"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="rlsandbox", description="A reinforcement-learning sandbox.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=Parser)

    p = sub.add_parser(
        "train", help="train an agent and write a run directory",
        description="Train an agent and write a run directory. --agent is a built-in name "
                    "(see 'rlsandbox agents'), an installed entry point, or module:Class for "
                    "a class in module.py of the current directory.")
    _add_env_options(p)
    p.add_argument("--agent", default=None,
                   help="agent name or module:Class (default q-learning)")
    p.add_argument("--episodes", type=non_negative_int, default=None,
                   help=f"episodes to run (default {DEFAULT_EPISODES}; with --resume: the rest "
                        "of the run)")
    p.add_argument("--seed", type=non_negative_int, default=None, help="seed (default 0)")
    p.add_argument("--resume", metavar="RUN_DIR",
                   help="continue a run directory (or its .checkpoints directory)")
    p.add_argument("--checkpoint-every", type=positive_int, metavar="N",
                   help="write a checkpoint every N episodes into OUT.checkpoints/")
    p.add_argument("--record", choices=("all", "summary", "auto"), default="auto",
                   help=f"keep whole episodes or summaries only (auto: summaries above "
                        f"{SUMMARY_ABOVE} episodes)")
    _add_agent_options(p)
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
    p.add_argument("run_dir", help="a directory written by 'rlsandbox train', 'plan' or 'play'")
    p.add_argument("--episodes", type=positive_int, default=1)
    p.add_argument("--seed", type=non_negative_int, default=None,
                   help="seed of the first episode (default 0); a run played by a person "
                        "replays its own episodes, with their seeds")
    p.add_argument("--gif", help="write the episodes to this .gif file (its folder is created) "
                                 "instead of opening a window")
    p.add_argument("--fps", type=positive_int, default=None, help="frames per second")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser(
        "play", help="play the maze or CartPole yourself and write a run directory",
        description="Play ENV yourself in a pygame window: the maze turn by turn (arrow keys "
                    "or W A S D, one move per key press), CartPole in real time (hold Left "
                    "or Right, or A or D); Space pauses, R restarts the episode, Esc ends "
                    "play. The episodes are written as the run directory 'train' writes "
                    "(agent 'keyboard'), for 'replay' and 'analyze'. Exit status 130 when "
                    "play ends before the last episode (the finished ones are kept).")
    p.add_argument("env", nargs="?", choices=sorted(ENV_NAMES), default=None, metavar="ENV",
                   help="maze (default) or cartpole")
    p.add_argument("--layout", default=None,
                   help="maze layout name or text file (default classic; maze only)")
    p.add_argument("--slip", type=float_value, default=None,
                   help="maze slip probability in [0, 1] (default 0; maze only)")
    p.add_argument("--max-steps", type=positive_int, default=None, help="episode step limit")
    p.add_argument("--bins", default=None, help=argparse.SUPPRESS)  # refused with a reason
    p.add_argument("--seed", type=non_negative_int, default=0,
                   help="seed: episode i starts as episode i of 'train --seed S' (default 0)")
    p.add_argument("--episodes", type=positive_int, default=DEFAULT_PLAY_EPISODES,
                   help=f"episodes to play (default {DEFAULT_PLAY_EPISODES})")
    p.add_argument("--out", help="run directory to create (default: runs/play-...)")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("analyze", help="behaviour report of a run: clusters, PCA, ROC")
    p.add_argument("run_dir", help="a directory written by 'rlsandbox train' or 'play'")
    p.add_argument("--clusters", type=positive_int, default=None,
                   help="number of behaviour types (default: the largest gap in the tree)")
    p.add_argument("--k", type=positive_int, default=5,
                   help="steps averaged by the mean-value success predictor")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "check-agent", help="check an agent on an env: actions, seeding, save/load",
        description="Build AGENT for the env (as 'train' would) and run "
                    "rlsandbox.agents.check_agent on it; print what was checked. Exit 1 "
                    "if a check fails.")
    p.add_argument("agent", metavar="AGENT", help="module:Class, or an agent name")
    _add_env_options(p)
    _add_agent_options(p)
    p.add_argument("--steps", type=positive_int, default=200,
                   help="env steps each check runs (default 200)")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.set_defaults(func=cmd_check_agent)

    p = sub.add_parser("demo", help="plan, learn and draw on the classic maze (or CartPole)")
    p.add_argument("--cartpole", action="store_true", help="run the CartPole demo instead")
    p.add_argument("--out", default=None,
                   help="directory to write (replaced if it exists; default runs/demo, or "
                        "runs/demo-cartpole with --cartpole)")
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
    from rlsandbox.loop import TrainingError

    parser = build_parser()
    args = parser.parse_args(argv)
    command = f"rlsandbox {args.command}"
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except UsageError as exc:
        print(f"{command}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except TrainingError as exc:  # the agent (or env) failed inside an episode
        print(f"{command}: error: {_with_origin(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        report_crash(command, exc)
        return 1


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: the reader has gone, and Python's final flush must not
    print a second BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured)
        pass
    finally:
        os.close(devnull)
