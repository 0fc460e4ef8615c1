"""Find agents by name: built-ins, entry points, or ``"module:Class"``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from rlsandbox.agents.base import Agent

__all__ = ["available_agents", "make_agent"]

ENTRY_POINT_GROUP = "rlsandbox.agents"

_BUILTIN = {
    "random": "rlsandbox.agents.random_agent:RandomAgent",
    "q-learning": "rlsandbox.agents.q_learning:QLearningAgent",
    "value-iteration": "rlsandbox.agents.value_iteration:ValueIterationAgent",
    "linear-sarsa": "rlsandbox.agents.linear_sarsa:LinearSarsaAgent",
}


def available_agents() -> dict[str, str]:
    """Agent names and where they come from: built-ins and installed entry points."""
    names = dict(_BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        names.setdefault(ep.name, ep.value)
    return names


def make_agent(name: str, env, **kwargs: Any) -> Agent:
    """Build the agent called ``name`` for ``env``.

    Parameters
    ----------
    name : str
        ``"random"``, ``"q-learning"``, ``"value-iteration"``, a name registered by another
        package in the entry-point group ``rlsandbox.agents``, or ``"module:Class"``.
    env : gymnasium.Env
        The env the agent will act in (sizes its tables, gives its model).
    **kwargs
        Passed on, e.g. ``seed=0, alpha=0.5``.

    A class is built with ``cls.for_env(env, **kwargs)`` when it has ``for_env`` (every
    :class:`Agent` subclass does), any other callable with ``factory(env, **kwargs)``.

    Examples
    --------
    >>> import rlsandbox
    >>> from rlsandbox.envs import MazeEnv
    >>> agent = make_agent("q-learning", MazeEnv("tiny"), alpha=0.5, seed=0)
    >>> type(agent).__name__
    'QLearningAgent'
    """
    factory = _resolve(name)
    build = getattr(factory, "for_env", None)
    try:
        return build(env, **kwargs) if build is not None else factory(env, **kwargs)
    except TypeError as exc:  # an unknown keyword: say which agent refused it
        raise ValueError(f"cannot build agent {name!r} with {sorted(kwargs)}: {exc}") from None


def _resolve(name: str) -> Callable[..., Any]:
    if not isinstance(name, str) or not name:
        raise ValueError(f"agent name must be a non-empty string, got {name!r}")
    # Built-ins first: scanning installed entry points costs milliseconds per call.
    target = _BUILTIN.get(name) or (None if ":" in name else available_agents().get(name))
    if target is None and ":" not in name:
        known = ", ".join(sorted(available_agents()))
        raise ValueError(f"unknown agent {name!r}; use one of {known} or 'module:Class'")
    module_name, _, attr = (target or name).partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot load agent {name!r}: {exc}") from None
    if not callable(obj):
        raise ValueError(f"agent {name!r} resolves to {obj!r}, which is not a class or factory")
    return obj
