"""Run directories: build the env a run describes, write a run atomically, read it back.

A run directory holds ``config.json`` (everything needed to rebuild the env and agent,
plus wall-clock facts), ``history.npz``, ``episodes.csv``, ``agent.npz`` + ``agent.json``
and ``learning_curve.png``. Only ``config.json`` carries timestamps, so the same command
writes byte-identical data files every time.
"""

from __future__ import annotations

import json
import os
from typing import Any

from rlsandbox._io import write_run_dir
from rlsandbox.envs.registration import ENV_NAMES, build_env

__all__ = ["load_run", "make_env", "save_run", "write_run_dir"]

def make_env(config: dict[str, Any], render_mode: str | None = None, *, discrete: bool = True):
    """Build the env a run config describes (CartPole discretised for tabular agents)."""
    if config.get("env") not in ENV_NAMES:
        raise ValueError(f"unknown env {config.get('env')!r}; use one of {', '.join(ENV_NAMES)}")
    kwargs = {k: v for k, v in config.items() if k in ("layout", "slip", "max_steps", "bins")}
    return build_env(config["env"], kwargs, render_mode, discrete=discrete)


def save_run(directory: str, config: dict[str, Any], agent, history) -> None:
    """Write every file of a run into ``directory`` (normally a temporary one)."""
    with open(os.path.join(directory, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    if history is not None:
        history.save(os.path.join(directory, "history.npz"))
        history.to_csv(os.path.join(directory, "episodes.csv"))
        if len(history):
            _save_learning_curve(history, os.path.join(directory, "learning_curve.png"))
    agent.save(os.path.join(directory, "agent.npz"))


def load_run(run_dir: str | os.PathLike, *, need_history: bool = False):
    """Read ``(config, agent, history)`` from a run directory (history ``None`` if absent)."""
    from rlsandbox.agents import Agent
    from rlsandbox.loop import History

    run_dir = os.fspath(run_dir)
    config_path = os.path.join(run_dir, "config.json")
    if not os.path.isfile(config_path):
        raise ValueError(f"{run_dir!r} is not a run directory (no config.json); make one with "
                         "'rlsandbox train --out DIR'")
    try:
        with open(config_path, encoding="utf-8") as f:
            config = json.load(f)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{config_path!r} is not valid JSON ({exc})") from None
    agent = Agent.load(os.path.join(run_dir, "agent.npz"))
    history_path = os.path.join(run_dir, "history.npz")
    history = History.load(history_path) if os.path.exists(history_path) else None
    if need_history and history is None:
        raise ValueError(f"{run_dir!r} has no history.npz; it was not written by "
                         "'rlsandbox train'")
    return config, agent, history


def _save_learning_curve(history, path: str) -> None:
    from rlsandbox.plots import plot_learning_curve
    from rlsandbox.plots._common import save_figure

    save_figure(plot_learning_curve(history), path)
