"""The :class:`Agent` base class: the small interface every agent speaks.

An agent needs one method, :meth:`Agent.act`. Learning agents also override
:meth:`Agent.update`; everything else has a working default, so a subclass that only
defines ``act`` is a valid agent (``check_agent`` passes it).

Building from an env: :meth:`Agent.for_env` fills the constructor's parameters by name from
the env (``n_states``, ``n_actions``, ``observation_space``, ``action_space``, ``env``), so
any subclass can be named on the command line (``--agent my_agents:MyAgent``) without
writing ``for_env`` itself.

Persistence is generic and never pickles: ``save`` writes the agent's attributes to an
``.npz`` file (arrays as arrays, everything else as JSON text inside it) plus a readable
``.json`` copy of the metadata beside it. Supported attribute values are JSON data (numbers,
strings, booleans, ``None``, lists and dicts of them), numpy arrays, numpy random
generators, Gymnasium ``Discrete``/``Box`` spaces and the schedules of
:mod:`rlsandbox.agents.schedules`. An agent holding anything else overrides
:meth:`Agent.get_state` / :meth:`Agent.set_state`. The spaces of the env the agent was
built for are saved with it, and ``load(path, env=env)`` refuses an env whose spaces differ.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import os
import sys
from typing import Any, NamedTuple

import numpy as np

from rlsandbox._io import atomic_write, save_npz

__all__ = ["ENV_PARAMETERS", "Agent", "RestartEpisode", "Transition", "accepted_keywords",
           "check_keywords", "check_spaces", "record_spaces"]

_FORMAT = "rlsandbox.Agent/1"


class Transition(NamedTuple):
    """One step of experience, handed to ``agent.update`` (re-exported by ``rlsandbox.loop``).

    Attributes
    ----------
    observation
        What the agent saw when it chose ``action`` (the observation ``act`` was given).
    action
        The action ``act`` returned and the env took.
    reward : float
        The reward ``env.step(action)`` returned for this step.
    next_observation
        The observation ``env.step`` returned: where the step led. On the last step of an
        episode it is the final observation (no later ``act`` sees it).
    terminated : bool
        The episode ended in a terminal state (goal, trap, pole fallen): bootstrap nothing
        from ``next_observation``.
    truncated : bool
        The episode was cut by a time limit: the task itself did not end, so a learner
        may still bootstrap from ``next_observation``.
    info : dict
        The env's ``info`` of this step (e.g. ``info["is_success"]`` on a maze's last step).
    """

    observation: Any
    action: Any
    reward: float
    next_observation: Any
    terminated: bool
    truncated: bool
    info: dict


#: Constructor parameters that :meth:`Agent.for_env` fills from the env, and how.
ENV_PARAMETERS = ("n_states", "n_actions", "observation_space", "action_space", "env")


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

    Only :meth:`act` is required. The loop calls the methods in this order
    (:func:`rlsandbox.run_episode`)::

        agent.begin_episode()
        observation, info = env.reset(seed=...)
        until the episode is terminated or truncated:
            action = agent.act(observation, explore=explore)
            next_observation, reward, terminated, truncated, info = env.step(action)
            agent.update(Transition(observation, action, reward, next_observation,
                                    terminated, truncated, info))      # only when learning
            observation = next_observation

    :func:`rlsandbox.train` runs such episodes with ``explore=True`` and ``update``;
    :func:`rlsandbox.evaluate` runs them with ``explore=False`` and never calls ``update``
    (it still calls ``begin_episode`` before each episode). Neither calls :meth:`seed`:
    seed the agent when you build it (``make_agent(name, env, seed=0)``) or call
    ``agent.seed(s)`` yourself.

    Methods
    -------
    act(observation, *, explore=True)
        Return an action for ``observation``. ``explore=False`` asks for the greedy action.
    update(transition)
        Learn from one :class:`Transition` (its fields are documented there). Default:
        do nothing.
    begin_episode()
        Called before each episode's ``env.reset``. Default: do nothing.
    seed(seed)
        Reset the agent's random generator ``self.np_random``.
    for_env(env, **kwargs)
        Build the agent for ``env``: the constructor's parameters named ``n_states``,
        ``n_actions``, ``observation_space``, ``action_space`` and ``env`` are filled from
        the env; the others come from ``kwargs``.
    save(path) / load(path, *, env=None)
        Write / read the agent (``.npz`` + ``.json``, never pickle).

    Attributes
    ----------
    observation_space, action_space : gymnasium.spaces.Space or None
        The spaces of the env the agent was built for (set by :meth:`for_env` and
        :func:`rlsandbox.agents.make_agent`; ``None`` when unknown). Saved with the agent.

    Examples
    --------
    >>> from rlsandbox.envs import MazeEnv
    >>> class Stubborn(Agent):
    ...     def __init__(self, n_actions, *, action=0):
    ...         self.action = action % n_actions
    ...     def act(self, observation, *, explore=True):
    ...         return self.action
    >>> agent = Stubborn.for_env(MazeEnv("tiny"), action=5)   # n_actions comes from the env
    >>> agent.action, agent.action_space
    (1, Discrete(4))
    """

    observation_space: Any = None
    action_space: Any = None

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
    def for_env(cls, env, **kwargs: Any) -> Agent:
        """Build the agent for ``env``; :func:`rlsandbox.agents.make_agent` calls this.

        The default fills the constructor's parameters by name: ``n_states`` and
        ``n_actions`` from ``Discrete`` observation / action spaces, ``observation_space``
        and ``action_space`` from the env's spaces, ``env`` with the env itself; every
        other parameter comes from ``kwargs`` (or its default). A keyword the constructor
        does not take raises ``ValueError`` naming it and the accepted ones. Subclasses with
        other needs override this.
        """
        check_keywords(cls, kwargs)
        args, call = [], dict(kwargs)
        for p in _parameters(cls):
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if p.name in ENV_PARAMETERS:
                value = _from_env(cls, env, p.name)
            elif p.default is p.empty and p.name not in call:
                raise ValueError(
                    f"{cls.__name__} needs {p.name!r}, which the env cannot give: pass it as a "
                    f"keyword ({p.name}=..., or --agent-arg {p.name}=VALUE on the command line)"
                )
            else:
                continue
            if p.kind is p.POSITIONAL_ONLY:
                args.append(value)
            else:
                call[p.name] = value
        agent = cls(*args, **call)
        record_spaces(agent, env)
        return agent

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
        from rlsandbox.agents.registry import agent_name

        # "agent": how to import the class again (a registry name or "module:Class").
        meta = {"format": _FORMAT, "agent": agent_name(type(self)),
                "class": _class_path(type(self)), "attributes": attributes}
        text = json.dumps(meta, sort_keys=True)
        arrays["__meta__"] = np.array(text)
        save_npz(npz_path, arrays)
        atomic_write(json_path, lambda f: f.write(json.dumps(meta, indent=2).encode()))

    @classmethod
    def load(cls, path: str | os.PathLike, *, env=None) -> Agent:
        """Read an agent written by :meth:`save`.

        ``Agent.load`` returns an instance of the class recorded in the file (it must be an
        rlsandbox agent class or one already imported); ``SomeAgent.load`` checks that the
        file holds a ``SomeAgent``. Any other file raises ``ValueError``; nothing is unpickled
        and no module is imported but rlsandbox's own.

        Parameters
        ----------
        path : path
            The ``.npz`` file (the ``.json`` beside it is for people).
        env : gymnasium.Env, optional
            The env the agent will act in: if the agent was built for other observation or
            action spaces, raise ``ValueError`` naming both.
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
        if env is not None:
            check_spaces(agent, env, source=npz_path)
        return agent


# -- the spaces an agent was built for ---------------------------------------------------------
def record_spaces(agent: Agent, env) -> None:
    """Remember the spaces of ``env`` on ``agent`` (unless the agent set its own).

    ``observation_space`` / ``action_space`` are then saved with the agent, and
    :func:`check_spaces` can tell whether a loaded agent fits another env.
    """
    attributes = getattr(agent, "__dict__", None)
    if attributes is None:  # an agent with __slots__ keeps no extra attributes
        return
    for name in ("observation_space", "action_space"):
        space = getattr(env, name, None)
        # Only where the agent has no value of its own (nor a property of that name).
        own = name in attributes or getattr(type(agent), name, None) is not None
        if space is not None and not own:
            setattr(agent, name, copy.deepcopy(space))


def check_spaces(agent: Agent, env, *, source: str | None = None) -> None:
    """Raise ``ValueError`` if ``agent`` was built for other spaces than ``env``'s.

    Compares the spaces recorded on the agent (:func:`record_spaces`); a tabular agent
    without them is compared by its ``n_states`` / ``n_actions``. Unknown spaces pass.
    """
    from gymnasium.spaces import Discrete

    env_obs, env_act = env.observation_space, env.action_space
    obs, act = getattr(agent, "observation_space", None), getattr(agent, "action_space", None)
    if obs is None and act is None:
        n_states, n_actions = getattr(agent, "n_states", None), getattr(agent, "n_actions", None)
        if not (isinstance(n_states, int) and isinstance(n_actions, int)
                and isinstance(env_obs, Discrete) and isinstance(env_act, Discrete)):
            return
        obs, act = Discrete(n_states), Discrete(n_actions)
        env_obs, env_act = Discrete(int(env_obs.n)), Discrete(int(env_act.n))
    if (obs is None or obs == env_obs) and (act is None or act == env_act):
        return
    where = f" in {source!r}" if source else ""
    raise ValueError(
        f"the agent{where} was built for observation space {obs} and action space {act}, "
        f"but this env has observation space {env_obs} and action space {env_act}; use the "
        "env it was trained on, or train an agent for this one"
    )


def accepted_keywords(cls: type) -> tuple[str, ...]:
    """The keywords ``cls.for_env(env, **kwargs)`` accepts (those the env does not fill).

    With the default :meth:`Agent.for_env`: the constructor's parameters other than
    :data:`ENV_PARAMETERS`. With a ``for_env`` of the class's own: its keyword parameters,
    plus, when it passes ``**kwargs`` on, the constructor's parameters that have a default
    or are keyword-only (the required ones are the ones ``for_env`` fills). A constructor
    (or ``for_env``) with ``**kwargs`` accepts any keyword besides these.
    """
    ctor = [p for p in _parameters(cls) if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            and p.kind is not p.POSITIONAL_ONLY and p.name not in ENV_PARAMETERS]
    own = getattr(cls.for_env, "__func__", None)
    if own is None or own is Agent.for_env.__func__:
        return tuple(p.name for p in ctor)
    try:
        params = list(inspect.signature(cls.for_env).parameters.values())[1:]  # after env
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if any(p.kind is p.VAR_KEYWORD for p in params):
        names += [p.name for p in ctor if p.name not in names
                  and (p.default is not p.empty or p.kind is p.KEYWORD_ONLY)]
    return tuple(names)


def check_keywords(cls: type, kwargs: dict[str, Any], *, name: str | None = None) -> None:
    """Raise ``ValueError`` naming every keyword ``cls.for_env`` would not accept.

    The message lists the accepted ones (:func:`accepted_keywords`); ``name`` is how the
    user called the agent (``"q-learning"``, ``"my_agents:MyAgent"``).
    """
    accepted = accepted_keywords(cls)
    refused = [k for k in kwargs if k not in accepted]
    if not refused or _takes_any_keyword(cls):
        return
    who = cls.__name__ if name is None else f"agent {name!r} ({cls.__name__})"
    if any(k in ENV_PARAMETERS for k in refused):
        env_given = ", ".join(k for k in refused if k in ENV_PARAMETERS)
        raise ValueError(f"{who}: {env_given} comes from the env; do not pass it")
    raise ValueError(f"{who} does not take {', '.join(map(repr, refused))}; it accepts "
                     f"{', '.join(accepted) if accepted else 'no keyword arguments'}")


def _takes_any_keyword(cls: type) -> bool:
    ctor = any(p.kind is p.VAR_KEYWORD for p in _parameters(cls))
    own = getattr(cls.for_env, "__func__", None)
    if own is None or own is Agent.for_env.__func__:
        return ctor
    try:
        params = inspect.signature(cls.for_env).parameters.values()
    except (TypeError, ValueError):
        return True  # cannot tell: let the call decide
    return ctor and any(p.kind is p.VAR_KEYWORD for p in params)


def _parameters(cls: type) -> list[inspect.Parameter]:
    try:
        return list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):  # a constructor without a signature: nothing to fill
        return []


def _from_env(cls: type, env, name: str) -> Any:
    """The value of constructor parameter ``name`` taken from ``env``."""
    from gymnasium.spaces import Discrete

    if name == "env":
        return env
    if name in ("observation_space", "action_space"):
        return getattr(env, name)
    space = env.observation_space if name == "n_states" else env.action_space
    if not isinstance(space, Discrete):
        which = "observation" if name == "n_states" else "action"
        hint = (" (wrap it in rlsandbox.envs.DiscretizeObservation, or take observation_space)"
                if name == "n_states" else "")
        raise ValueError(f"{cls.__name__} needs {name}, which only a Discrete {which} space "
                         f"gives; this env's is {space}{hint}")
    return int(space.n)


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
