"""Run directories: build the env a run describes, write a run atomically, read it back.

A run directory holds ``config.json`` (everything needed to rebuild the env and agent,
plus wall-clock facts), ``history.npz``, ``episodes.csv``, ``agent.npz`` + ``agent.json``
and ``learning_curve.png``. Only ``config.json`` carries timestamps, so the same command
writes byte-identical data files every time.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

__all__ = ["CARTPOLE_BINS", "ENV_NAMES", "build_env", "load_run", "make_env", "save_run",
           "write_run_dir"]

ENV_NAMES = {"maze": "rlsandbox/Maze-v0", "cartpole": "rlsandbox/CartPole-v0"}
CARTPOLE_BINS = (1, 6, 12, 12)  # cart position barely matters for balancing; angle most


def build_env(env_id: str, env_kwargs: dict[str, Any], render_mode: str | None = None, *,
              discrete: bool = True):
    """``gymnasium.make`` of a short name (``maze``, ``cartpole``) or any registered id.

    CartPole with ``bins`` in ``env_kwargs`` is discretised for tabular agents (unless
    ``discrete=False``); every other keyword goes to the env.
    """
    import gymnasium

    import rlsandbox  # noqa: F401  (registers the ids)
    from rlsandbox.envs import DiscretizeObservation

    kwargs = dict(env_kwargs)
    bins = kwargs.pop("bins", None) if env_id == "cartpole" else None
    if render_mode is not None:
        kwargs["render_mode"] = render_mode
    env = gymnasium.make(ENV_NAMES.get(env_id, env_id), **kwargs)
    return DiscretizeObservation(env, tuple(bins)) if bins and discrete else env


def make_env(config: dict[str, Any], render_mode: str | None = None, *, discrete: bool = True):
    """Build the env a run config describes (CartPole discretised for tabular agents)."""
    if config.get("env") not in ENV_NAMES:
        raise ValueError(f"unknown env {config.get('env')!r}; use one of {', '.join(ENV_NAMES)}")
    kwargs = {k: v for k, v in config.items() if k in ("layout", "slip", "max_steps", "bins")}
    return build_env(config["env"], kwargs, render_mode, discrete=discrete)


def write_run_dir(out: str | os.PathLike, write: Callable[[str], None], *,
                  replace: bool = False) -> str:
    """Fill a temporary directory with ``write(tmp)``, then rename it to ``out``.

    A run that fails leaves nothing behind. An existing ``out`` is an error unless
    ``replace``; then the old directory is swapped out only once the new one is complete.
    """
    out = os.path.abspath(os.fspath(out))
    if os.path.exists(out) and not replace:
        raise ValueError(f"output directory {out!r} already exists; choose another --out")
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.", dir=parent)
    old = None
    try:
        write(tmp)
        if os.path.exists(out):
            old = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.old.", dir=parent)
            os.rename(out, os.path.join(old, "run"))
        os.rename(tmp, out)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return out


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
