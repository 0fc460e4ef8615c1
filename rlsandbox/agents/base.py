"""The :class:`Agent` base class: the small interface every agent speaks.

An agent needs one method, :meth:`Agent.act`. Learning agents also override
:meth:`Agent.update`; everything else has a working default, so a subclass that only
defines ``act`` is a valid agent (``check_agent`` passes it).

Persistence is generic and never pickles: ``save`` writes the agent's attributes to an
``.npz`` file (arrays as arrays, everything else as JSON text inside it) plus a readable
``.json`` copy of the metadata beside it. Supported attribute values are JSON data (numbers,
strings, booleans, ``None``, lists and dicts of them), numpy arrays, numpy random
generators, Gymnasium ``Discrete``/``Box`` spaces and the schedules of
:mod:`rlsandbox.agents.schedules`. An agent holding anything else overrides
:meth:`Agent.get_state` / :meth:`Agent.set_state`.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Any, NamedTuple

import numpy as np

from rlsandbox._io import atomic_write, save_npz

__all__ = ["Agent", "RestartEpisode", "Transition"]

_FORMAT = "rlsandbox.Agent/1"


class Transition(NamedTuple):
    """One step of experience, handed to ``agent.update`` (re-exported by ``rlsandbox.loop``)."""

    observation: Any
    action: Any
    reward: float
    next_observation: Any
    terminated: bool
    truncated: bool
    info: dict


class RestartEpisode(KeyboardInterrupt):
    """Abandon the episode being played and start it again (same reset seed).

    An agent's ``act`` may raise it: :class:`~rlsandbox.agents.KeyboardAgent` does when the
    player presses **R**. It is a ``KeyboardInterrupt`` (as the window's
    ``WindowClosed`` is), so it passes through ``run_episode`` as it is, never wrapped in a
    ``TrainingError``; ``train`` and ``evaluate`` catch it and run the same episode (same
    index, same reset seed) again.
    """


class Agent:
    """Base class for agents; subclass it to write a new one.

    Methods
    -------
    act(observation, *, explore=True)
        Return an action for ``observation``. ``explore=False`` asks for the greedy action.
    update(transition)
        Learn from one :class:`rlsandbox.Transition`. Default: do nothing.
    begin_episode()
        Called before each episode. Default: do nothing.
    seed(seed)
        Reset the agent's random generator ``self.np_random``.
    save(path) / load(path)
        Write / read the agent (``.npz`` + ``.json``, never pickle).
    """

    def act(self, observation: Any, *, explore: bool = True) -> Any:
        """Return the action to take in ``observation``."""
        raise NotImplementedError(f"{type(self).__name__} must define act(observation, *, explore)")

    def update(self, transition) -> None:  # noqa: B027  (an intentional no-op default)
        """Learn from one transition. The default agent does not learn."""

    def begin_episode(self) -> None:  # noqa: B027
        """Prepare for a new episode. Default: nothing to do."""

    # -- randomness ----------------------------------------------------------------------
    @property
    def np_random(self) -> np.random.Generator:
        """The agent's random generator (created unseeded on first use)."""
        rng = self.__dict__.get("_np_random")
        if rng is None:
            rng = self._np_random = np.random.default_rng()
        return rng

    @np_random.setter
    def np_random(self, rng: np.random.Generator) -> None:
        self._np_random = rng

    def seed(self, seed: int | None = None) -> None:
        """Reseed ``self.np_random``; subclasses with other random state extend this."""
        self._np_random = np.random.default_rng(seed)

    @classmethod
    def for_env(cls, env, **kwargs) -> Agent:
        """Build the agent for ``env``; ``make_agent`` calls this. Default: ``cls(**kwargs)``."""
        return cls(**kwargs)

    # -- persistence ----------------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        """The attributes that ``save`` writes. Default: all of ``self.__dict__``."""
        return dict(self.__dict__)

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore attributes read by ``load``. Default: update ``self.__dict__``."""
        self.__dict__.update(state)

    def save(self, path: str | os.PathLike) -> None:
        """Write the agent to ``path`` (``.npz``) and its metadata to the ``.json`` beside it."""
        npz_path, json_path = _paths(path)
        arrays: dict[str, np.ndarray] = {}
        attributes = {
            name: _encode(value, name, arrays) for name, value in sorted(self.get_state().items())
        }
        meta = {"format": _FORMAT, "class": _class_path(type(self)), "attributes": attributes}
        text = json.dumps(meta, sort_keys=True)
        arrays["__meta__"] = np.array(text)
        save_npz(npz_path, arrays)
        atomic_write(json_path, lambda f: f.write(json.dumps(meta, indent=2).encode()))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Agent:
        """Read an agent written by :meth:`save`.

        ``Agent.load`` returns an instance of the class recorded in the file (it must be an
        rlsandbox agent class or one already imported); ``SomeAgent.load`` checks that the
        file holds a ``SomeAgent``. Any other file raises ``ValueError``; nothing is unpickled.
        """
        npz_path, _ = _paths(path)
        try:
            with np.load(npz_path, allow_pickle=False) as data:
                meta = json.loads(str(data["__meta__"]))
                if meta.get("format") != _FORMAT:
                    raise ValueError("wrong format tag")
                arrays = {k: data[k] for k in data.files if k != "__meta__"}
        except FileNotFoundError:
            raise ValueError(f"agent file {npz_path!r} does not exist") from None
        except Exception as exc:
            raise ValueError(
                f"{npz_path!r} is not an rlsandbox agent file ({type(exc).__name__}: {exc}); "
                "write one with agent.save(path)"
            ) from None
        target = _resolve_class(meta["class"], cls)
        agent = target.__new__(target)
        state = {name: _decode(v, arrays) for name, v in meta["attributes"].items()}
        agent.set_state(state)
        return agent


# -- encoding helpers -------------------------------------------------------------------------
def _encode(value: Any, name: str, arrays: dict[str, np.ndarray]) -> Any:
    from gymnasium import spaces

    from rlsandbox.agents.schedules import Schedule

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise ValueError(f"cannot save attribute {name!r}: object arrays are not supported")
        key = f"attr/{name}"
        arrays[key] = value
        return {"__ndarray__": key}
    if isinstance(value, np.random.Generator):
        return {"__generator__": value.bit_generator.state}
    if isinstance(value, Schedule):
        return {"__schedule__": value.to_config()}
    if isinstance(value, spaces.Discrete):
        return {"__space__": "Discrete", "n": int(value.n), "start": int(value.start)}
    if isinstance(value, spaces.Box):
        arrays[f"attr/{name}.low"], arrays[f"attr/{name}.high"] = value.low, value.high
        return {"__space__": "Box", "low": f"attr/{name}.low", "high": f"attr/{name}.high",
                "dtype": np.dtype(value.dtype).name}
    if isinstance(value, (list, tuple)):
        return [_encode(v, f"{name}[{i}]", arrays) for i, v in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: _encode(v, f"{name}.{k}", arrays) for k, v in value.items()}}
    raise ValueError(
        f"cannot save attribute {name!r} of type {type(value).__name__}; store numbers, "
        "strings, lists, numpy arrays or schedules, or override get_state/set_state"
    )


def _decode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        return arrays[value["__ndarray__"]]
    if "__generator__" in value:
        state = value["__generator__"]
        bit_generator = getattr(np.random, state["bit_generator"])()
        bit_generator.state = state
        return np.random.Generator(bit_generator)
    if "__schedule__" in value:
        from rlsandbox.agents.schedules import Schedule

        return Schedule.from_config(value["__schedule__"])
    if "__space__" in value:
        from gymnasium import spaces

        if value["__space__"] == "Discrete":
            return spaces.Discrete(value["n"], start=value["start"])
        return spaces.Box(arrays[value["low"]], arrays[value["high"]], dtype=value["dtype"])
    if "__dict__" in value:
        return {k: _decode(v, arrays) for k, v in value["__dict__"].items()}
    raise ValueError(f"unknown value in agent file: {value!r}")


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _resolve_class(path: str, requested: type) -> type:
    """Find the class named in a file without importing arbitrary modules."""
    module_name, _, qualname = path.partition(":")
    if _class_path(requested) == path:
        return requested
    module = sys.modules.get(module_name)
    if module is None and (module_name == "rlsandbox" or module_name.startswith("rlsandbox.")):
        module = importlib.import_module(module_name)
    target: Any = module
    for part in qualname.split(".") if module is not None else ():
        target = getattr(target, part, None)
    if not (isinstance(target, type) and issubclass(target, Agent)):
        raise ValueError(
            f"the file holds an agent of class {path!r}, which is not importable here; "
            "import its module first or call that class's load()"
        )
    if not issubclass(target, requested):
        raise ValueError(
            f"the file holds a {qualname}, not a {requested.__name__}; load it with Agent.load"
        )
    return target


def _paths(path: str | os.PathLike) -> tuple[str, str]:
    path = os.fspath(path)
    stem = path[:-4] if path.endswith(".npz") else path
    return stem + ".npz", stem + ".json"
