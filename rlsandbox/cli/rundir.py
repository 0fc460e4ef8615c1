"""Run directories: build the env a run describes, write a run atomically, read it back.

A run directory holds ``config.json`` (everything needed to rebuild the env and agent,
plus wall-clock facts), ``history.npz``, ``episodes.csv``, ``agent.npz`` + ``agent.json``
and ``learning_curve.png`` (and ``values.png`` for a planner on a maze). Only
``config.json`` carries timestamps, so the same command writes byte-identical data files
every time.

Every command that reads a run builds its agent the way ``train`` did: the agent's name
(``agent.json``'s ``"agent"``, else ``config.json``'s) is resolved by
:func:`rlsandbox.agents.registry.agent_class` (built-ins, entry points, ``module:Class``
from the current directory, never from the run directory), and the agent is loaded for
the run's env, whose spaces must match the ones it was built for.
"""

from __future__ import annotations

import json
import os
from typing import Any

from rlsandbox._io import write_run_dir
from rlsandbox.envs.registration import ENV_NAMES, build_env

__all__ = ["load_agent", "load_run", "make_env", "save_run", "write_run_dir"]


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
            _save_learning_curve(history, os.path.join(directory, "learning_curve.png"),
                                 title=f"{run_label(config)}: learning curve")
    agent.save(os.path.join(directory, "agent.npz"))
    if config.get("env") == "maze" and getattr(agent, "values", None) is not None:
        _save_values(config, agent, os.path.join(directory, "values.png"))


def load_run(run_dir: str | os.PathLike, *, need_history: bool = False):
    """Read ``(config, agent, history)`` from a run directory (history ``None`` if absent).

    ``ValueError`` for anything wrong with the directory (not a run, unreadable files, an
    agent that cannot be imported here or does not fit the run's env).
    """
    from rlsandbox.loop import History

    run_dir = os.fspath(run_dir)
    config_path = os.path.join(run_dir, "config.json")
    if not os.path.isfile(config_path):
        raise ValueError(f"{run_dir!r} is not a run directory (no config.json); make one with "
                         "'rlsandbox train --out DIR'")
    config = read_json(config_path)
    agent = load_agent(run_dir, config, os.path.join(run_dir, "agent.npz"))
    history_path = os.path.join(run_dir, "history.npz")
    history = History.load(history_path) if os.path.exists(history_path) else None
    if need_history and history is None:
        raise ValueError(f"{run_dir!r} has no history.npz; it was not written by "
                         "'rlsandbox train'")
    return config, agent, history


def load_agent(run_dir: str, config: dict[str, Any], path: str):
    """The agent saved at ``path`` in ``run_dir``, imported as ``train`` named it and checked
    against the env of ``config``."""
    from rlsandbox.agents.registry import agent_class

    if not os.path.isfile(path):
        raise ValueError(f"{run_dir!r} has no {os.path.basename(path)}; it is not a complete run "
                         "directory")
    name = agent_recorded(path) or config.get("agent")
    if not isinstance(name, str):
        raise ValueError(f"{run_dir!r} does not say which agent it holds (no 'agent' in "
                         "agent.json or config.json)")
    cls = agent_class(name, run_dir=run_dir)
    return cls.load(path, env=make_env(config))


def agent_recorded(npz_path: str) -> str | None:
    """The ``"agent"`` name in the ``.json`` beside an agent file (None if absent)."""
    json_path = npz_path[:-4] + ".json" if npz_path.endswith(".npz") else npz_path + ".json"
    if not os.path.isfile(json_path):
        return None
    name = read_json(json_path).get("agent")
    return name if isinstance(name, str) else None


def read_json(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {path!r} ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path!r} does not hold a JSON object")
    return data


def _save_values(config: dict[str, Any], agent, path: str) -> None:
    import numpy as np

    from rlsandbox.plots import plot_values, save_figure

    policy = getattr(agent, "policy", None)
    fig = plot_values(make_env(config), np.asarray(agent.values, dtype=np.float64),
                      None if policy is None or callable(policy) else policy)
    fig.axes[0].set_title(f"{run_label(config)}: optimal values V* and policy")
    save_figure(fig, path)


def run_label(config: dict[str, Any]) -> str:
    """The env and agent of a run, for figure titles: ``"maze (classic), q-learning"``."""
    env = str(config.get("env", "?"))
    layout = config.get("layout")
    if isinstance(layout, str) and "\n" not in layout:  # a named layout, not a layout's text
        env = f"{env} ({layout})"
    return f"{env}, {config.get('agent', '?')}"


def _save_learning_curve(history, path: str, *, title: str) -> None:
    from rlsandbox.plots import plot_learning_curve, save_figure

    save_figure(plot_learning_curve(history, title=title), path)
