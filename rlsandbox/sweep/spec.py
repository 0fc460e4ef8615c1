"""The sweep spec: what to run (envs × agent grids × seeds), read from TOML/JSON or Python.

A :class:`Sweep` is plain data. Building one checks its shape (types, ranges, unknown keys,
empty grids) and names the offending field; :meth:`Sweep.check` goes further and builds
every env and agent configuration once, so that a typo in a keyword fails before any trial
runs. :meth:`Sweep.trials` expands the spec into :class:`Trial` objects whose ids are stable
hashes of their configuration.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

from rlsandbox.envs.registration import ENV_NAMES

__all__ = ["Sweep", "Trial", "trial_id"]

DEFAULT_WINDOW = 100
_SPEC_KEYS = ("name", "env", "envs", "agents", "seeds", "episodes", "eval_episodes", "window",
              "threshold")
_AGENT_KEYS = ("name", "label", "params", "grid")


def trial_id(config: dict[str, Any]) -> str:
    """A stable id for a trial config: the first 12 hex digits of the SHA-256 of its
    canonical JSON (sorted keys, no spaces), so the same config gets the same id on any
    machine, in any process, with any backend."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Trial:
    """One run of a sweep: one env, one agent configuration, one seed.

    ``config`` is what the trial's result depends on (and what :func:`trial_id` hashes):
    ``env`` (a short name ``"maze"``/``"cartpole"`` or a Gymnasium id), ``env_kwargs``,
    ``agent``, ``params`` (agent keywords), ``seed``, ``episodes``, ``eval_episodes``.
    ``label`` only names the agent entry in reports.
    """

    config: dict[str, Any]
    label: str

    @property
    def id(self) -> str:
        return trial_id(self.config)


@dataclass
class Sweep:
    """Seeds × agent hyperparameter grids × envs, each trial trained then evaluated.

    Parameters
    ----------
    envs : list of str or dict
        Each an env name (``"maze"``, ``"cartpole"``, or any registered Gymnasium id such as
        ``"FrozenLake-v1"``), or a dict ``{"id": NAME, **env_kwargs}``, e.g.
        ``{"id": "maze", "layout": "tiny", "slip": 0.1}``. CartPole also takes ``bins``
        (observation bins for tabular agents; default ``(1, 6, 12, 12)``).
    agents : list of dict
        Each ``{"name": AGENT, "params": {...}, "grid": {...}, "label": TEXT}``: ``name`` as
        for :func:`rlsandbox.agents.make_agent`; ``params`` fixed keywords; ``grid`` maps a
        keyword to a non-empty list of values, and every combination of the lists is tried;
        ``label`` (default: the name) tells entries apart in reports.
    seeds : list of int or int
        Seeds run for every configuration; an integer ``n`` means ``0 .. n-1``. A trial's
        seed seeds its agent (``agent.seed(seed)``) and its training episodes; evaluation
        episodes use ``seed + 1_000_000`` so they never replay a training episode.
    episodes : int
        Training episodes per trial (positive).
    eval_episodes : int
        Greedy evaluation episodes after training (0 for none).
    window : int
        Episodes averaged for ``final_mean_return``, ``success_rate`` and
        ``steps_to_threshold`` (default 100; capped at ``episodes``).
    threshold : float, optional
        Return threshold for ``steps_to_threshold`` (none: that column stays empty).
    name : str
        Shown in reports.

    Raises
    ------
    ValueError
        Naming the field (``agents[1].grid.alpha``, ``episodes``, ...) and how to fix it.
    """

    envs: list[Any]
    agents: list[Any]
    seeds: Any
    episodes: int
    eval_episodes: int = 0
    window: int = DEFAULT_WINDOW
    threshold: float | None = None
    name: str = "sweep"
    _trials: list[Trial] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.envs = [_env_entry(e, f"envs[{i}]") for i, e in enumerate(_list(self.envs, "envs"))]
        self.agents = [_agent_entry(a, f"agents[{i}]")
                       for i, a in enumerate(_list(self.agents, "agents"))]
        self.seeds = _seeds(self.seeds)
        self.episodes = _count(self.episodes, "episodes", low=1)
        self.eval_episodes = _count(self.eval_episodes, "eval_episodes", low=0)
        self.window = _count(self.window, "window", low=1)
        if self.threshold is not None:
            if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) \
                    or not math.isfinite(self.threshold):
                raise ValueError(f"threshold must be a finite number, got {self.threshold!r}")
            self.threshold = float(self.threshold)
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        self._trials = self._expand()

    # -- reading -----------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sweep:
        """Build a sweep from a dict shaped like the TOML/JSON file (see :meth:`load`)."""
        if not isinstance(data, dict):
            raise ValueError(f"a sweep spec must be a table/object, got {type(data).__name__}")
        unknown = [k for k in data if k not in _SPEC_KEYS]
        if unknown:
            raise ValueError(f"unknown spec field {unknown[0]!r}; use {', '.join(_SPEC_KEYS)}")
        if ("env" in data) == ("envs" in data):
            raise ValueError("give exactly one of 'env' (one environment) or 'envs' (a list)")
        for required in ("agents", "seeds", "episodes"):
            if required not in data:
                raise ValueError(f"missing spec field {required!r}")
        kwargs = {k: v for k, v in data.items() if k not in ("env", "envs")}
        return cls(envs=data["envs"] if "envs" in data else [data["env"]], **kwargs)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Sweep:
        """Read a spec from a ``.toml`` or ``.json`` file.

        Examples
        --------
        A TOML spec::

            episodes = 200
            eval_episodes = 20
            seeds = [0, 1, 2]
            threshold = 5.0
            env = { id = "maze", layout = "tiny" }

            [[agents]]
            name = "q-learning"
            params = { epsilon = 0.1 }
            grid = { alpha = [0.1, 0.5] }
        """
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise ValueError(f"sweep spec {path!r} does not exist")
        if path.endswith(".toml"):
            data = _read_toml(path)
        elif path.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                try:
                    data = json.load(f)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path!r} is not valid JSON ({exc})") from None
        else:
            raise ValueError(f"sweep spec {path!r} must end in .toml or .json")
        try:
            return cls.from_dict(data)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        """The spec as JSON data; ``Sweep.from_dict(s.to_dict())`` equals ``s``."""
        return {"name": self.name, "envs": self.envs, "agents": self.agents,
                "seeds": self.seeds, "episodes": self.episodes,
                "eval_episodes": self.eval_episodes, "window": self.window,
                "threshold": self.threshold}

    # -- expanding and checking ------------------------------------------------------------------
    def trials(self) -> list[Trial]:
        """Every trial, in order: envs, then agent entries, then grid points, then seeds."""
        return list(self._trials)

    def check(self) -> None:
        """Build every env and agent configuration once; raise ``ValueError`` naming the
        entry if one fails (unknown agent, keyword the agent does not take, bad layout,
        an agent that cannot run on an env)."""
        from rlsandbox.agents import make_agent
        from rlsandbox.envs.registration import build_env

        for i, env_entry in enumerate(self.envs):
            env_id, env_kwargs = _split_env(env_entry)
            try:
                env = build_env(env_id, env_kwargs)
            except Exception as exc:  # gymnasium raises several error types; all are user errors
                raise ValueError(f"envs[{i}] ({env_id}): {_one_line(exc)}") from None
            for j, agent in enumerate(self.agents):
                for params in _grid_points(agent):
                    try:
                        make_agent(agent["name"], env, **params)
                    except Exception as exc:
                        raise ValueError(f"agents[{j}] ({agent['name']}, params {params}) on "
                                         f"envs[{i}] ({env_id}): {_one_line(exc)}") from None
            env.close()

    def _expand(self) -> list[Trial]:
        trials: list[Trial] = []
        seen: dict[str, str] = {}
        for i, env_entry in enumerate(self.envs):
            env_id, env_kwargs = _split_env(env_entry)
            for j, agent in enumerate(self.agents):
                for params in _grid_points(agent):
                    for seed in self.seeds:
                        config = {"env": env_id, "env_kwargs": env_kwargs,
                                  "agent": agent["name"], "params": params, "seed": seed,
                                  "episodes": self.episodes,
                                  "eval_episodes": self.eval_episodes}
                        trial = Trial(config, agent["label"])
                        where = f"envs[{i}] × agents[{j}] {params} seed {seed}"
                        if trial.id in seen:
                            raise ValueError(f"{where} repeats {seen[trial.id]}; every trial "
                                             "must differ (remove the duplicate agent entry)")
                        seen[trial.id] = where
                        trials.append(trial)
        return trials


# -- field checks ----------------------------------------------------------------------------------
def _list(value: Any, name: str) -> list:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{name} must be a non-empty list, got {value!r}")
    return list(value)


def _count(value: Any, name: str, *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        kind = "a positive integer" if low == 1 else "an integer >= 0"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return int(value)


def _seeds(value: Any) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return list(range(_count(value, "seeds", low=1)))
    seeds = [_count(s, f"seeds[{i}]", low=0) for i, s in enumerate(_list(value, "seeds"))]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must not repeat, got {seeds}")
    return seeds


def _json_value(value: Any, name: str) -> Any:
    try:  # a trial config must hash and travel to workers as JSON
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be JSON data (numbers, strings, booleans, lists), "
                         f"got {value!r}") from None


def _env_entry(entry: Any, where: str) -> dict[str, Any]:
    if isinstance(entry, str):
        entry = {"id": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
        raise ValueError(f"{where} must be an env name or a table with an 'id', got {entry!r}")
    env_id = entry["id"]
    # One spelling per env, so "maze" and "rlsandbox/Maze-v0" give the same trial ids.
    short = {v: k for k, v in ENV_NAMES.items()}.get(env_id, env_id)
    kwargs = {k: _json_value(v, f"{where}.{k}") for k, v in entry.items() if k != "id"}
    if "render_mode" in kwargs:
        raise ValueError(f"{where}.render_mode: sweeps do not render; remove it")
    if short == "cartpole":
        from rlsandbox.envs.registration import CARTPOLE_BINS

        bins = kwargs.setdefault("bins", list(CARTPOLE_BINS))
        if not isinstance(bins, list) or not bins or not all(
                isinstance(b, int) and not isinstance(b, bool) and b > 0 for b in bins):
            raise ValueError(f"{where}.bins must be a list of positive integers, got {bins!r}")
    return {"id": short, **kwargs}


def _agent_entry(entry: Any, where: str) -> dict[str, Any]:
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be a table with a 'name', got {entry!r}")
    unknown = [k for k in entry if k not in _AGENT_KEYS]
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r}; use {', '.join(_AGENT_KEYS)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"{where}.name must be an agent name such as 'q-learning', got {name!r}")
    params = entry.get("params") or {}
    grid = entry.get("grid") or {}
    for field_name, table in (("params", params), ("grid", grid)):
        if not isinstance(table, dict):
            raise ValueError(f"{where}.{field_name} must be a table of keywords, got {table!r}")
        if "seed" in table:
            raise ValueError(f"{where}.{field_name}.seed: set seeds with the top-level 'seeds'")
    if "grid" in entry and not grid:
        raise ValueError(f"{where}.grid is empty; give keyword = [values], or drop 'grid'")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ValueError(f"{where}.grid.{key} must be a non-empty list of values, "
                             f"got {values!r}")
        if key in params:
            raise ValueError(f"{where}.grid.{key} is also in {where}.params; keep one")
    label = entry.get("label", name)
    if not isinstance(label, str) or not label:
        raise ValueError(f"{where}.label must be a non-empty string, got {label!r}")
    return {"name": name, "label": label,
            "params": _json_value(params, f"{where}.params"),
            "grid": _json_value(grid, f"{where}.grid")}


def _grid_points(agent: dict[str, Any]) -> list[dict[str, Any]]:
    keys = list(agent["grid"])
    return [{**agent["params"], **dict(zip(keys, values, strict=True))}
            for values in itertools.product(*(agent["grid"][k] for k in keys))]


def _split_env(entry: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return entry["id"], {k: v for k, v in entry.items() if k != "id"}


def _read_toml(path: str) -> Any:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError("reading TOML needs Python 3.11+ or 'pip install tomli'; "
                             "or write the spec as JSON") from None
    with open(path, "rb") as f:
        try:
            return tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path!r} is not valid TOML ({exc})") from None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
