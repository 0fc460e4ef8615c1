"""Find agents by name: built-ins, entry points, or ``"module:Class"``.

Every command that builds or loads an agent resolves its name here, the same way:

- a built-in name (``"q-learning"``, ...);
- a name registered by an installed package in the entry-point group ``rlsandbox.agents``
  (``[project.entry-points."rlsandbox.agents"] my-agent = "my_package.agents:MyAgent"``);
- ``"module:Class"``, imported with the current directory on ``sys.path`` (as ``python -m``
  does), so ``my_agents.py`` beside you is found.

The object found must be a subclass of :class:`rlsandbox.agents.Agent`; that is checked
before anything of it is called.
"""

from __future__ import annotations

import importlib
import os
import sys
from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Any

from rlsandbox.agents.base import Agent, check_keywords, record_spaces

__all__ = ["ENTRY_POINT_GROUP", "agent_class", "agent_name", "available_agents", "make_agent"]

ENTRY_POINT_GROUP = "rlsandbox.agents"

_BUILTIN = {
    "random": "rlsandbox.agents.random_agent:RandomAgent",
    "q-learning": "rlsandbox.agents.q_learning:QLearningAgent",
    "value-iteration": "rlsandbox.agents.value_iteration:ValueIterationAgent",
    "sarsa": "rlsandbox.agents.sarsa:SarsaAgent",
    "expected-sarsa": "rlsandbox.agents.expected_sarsa:ExpectedSarsaAgent",
    "double-q-learning": "rlsandbox.agents.double_q_learning:DoubleQLearningAgent",
    "n-step-sarsa": "rlsandbox.agents.n_step_sarsa:NStepSarsaAgent",
    "monte-carlo": "rlsandbox.agents.monte_carlo:MonteCarloAgent",
    "sarsa-lambda": "rlsandbox.agents.sarsa_lambda:SarsaLambdaAgent",
    "dyna-q": "rlsandbox.agents.dyna_q:DynaQAgent",
    "keyboard": "rlsandbox.agents.keyboard:KeyboardAgent",
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
        package in the entry-point group ``rlsandbox.agents``, or ``"module:Class"``
        (imported with the current directory on ``sys.path``).
    env : gymnasium.Env
        The env the agent will act in (sizes its tables, gives its model).
    **kwargs
        The agent's hyperparameters, e.g. ``seed=0, alpha=0.5``. A keyword the agent does
        not take raises ``ValueError`` naming it and the accepted ones.

    The class is built with ``cls.for_env(env, **kwargs)``: its own ``for_env`` where it
    has one, else :meth:`Agent.for_env`, which fills the constructor's ``n_states``,
    ``n_actions``, ``observation_space``, ``action_space`` and ``env`` from the env. The
    env's spaces are recorded on the agent (and saved with it).

    Examples
    --------
    >>> import rlsandbox
    >>> from rlsandbox.envs import MazeEnv
    >>> agent = make_agent("q-learning", MazeEnv("tiny"), alpha=0.5, seed=0)
    >>> type(agent).__name__, agent.observation_space
    ('QLearningAgent', Discrete(10))
    >>> make_agent("q-learning", MazeEnv("tiny"), learning_rate=0.5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: agent 'q-learning' (QLearningAgent) does not take 'learning_rate'; it accepts ...
    """
    cls = agent_class(name)
    check_keywords(cls, kwargs, name=name)
    agent = cls.for_env(env, **kwargs)
    if not isinstance(agent, Agent):
        raise TypeError(f"{cls.__name__}.for_env returned {type(agent).__name__}, not an Agent")
    record_spaces(agent, env)
    return agent


def agent_class(name: str, *, run_dir: str | os.PathLike | None = None) -> type[Agent]:
    """The :class:`Agent` subclass called ``name`` (see :func:`make_agent` for the names).

    ``run_dir``: the run directory an agent is being loaded from. It is never searched for
    modules (a downloaded run cannot bring its own code), even when it is the current
    directory.

    Raises ``ValueError`` naming the agent when it cannot be found or is not an Agent
    subclass; an error raised by the agent's own module while it is imported propagates.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"agent name must be a non-empty string, got {name!r}")
    # Built-ins first: scanning installed entry points costs milliseconds per call.
    target = _BUILTIN.get(name)
    if target is None and ":" not in name:
        target = available_agents().get(name)
        if target is None:
            known = ", ".join(sorted(available_agents()))
            raise ValueError(f"unknown agent {name!r}; use one of {known}, or 'module:Class' "
                             "for a class in module.py of the current directory")
    module_name, _, attr = (target or name).partition(":")
    if not module_name or not attr:
        raise ValueError(f"agent {name!r} must look like 'module:Class'")
    if module_name == "__main__":  # saved from a script: no other process can import it
        raise ValueError(f"agent {name!r} was defined in a script (__main__), which other "
                         f"commands cannot import; move {attr} into a module file (say "
                         f"my_agents.py) and name it 'my_agents:{attr}'")
    obj: Any = _import(module_name, name, run_dir)
    for part in attr.split("."):
        if not hasattr(obj, part):
            found = sorted(k for k, v in vars(_import(module_name, name, run_dir)).items()
                           if isinstance(v, type) and issubclass(v, Agent) and v is not Agent)
            where = f"; it defines {', '.join(found)}" if found else ""
            raise ValueError(f"cannot load agent {name!r}: module {module_name!r} has no "
                             f"{attr!r}{where}")
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and issubclass(obj, Agent)):
        raise ValueError(f"agent {name!r} is {obj!r}, not a subclass of rlsandbox.agents.Agent")
    return obj


def agent_name(cls: type) -> str:
    """How to name ``cls`` for :func:`agent_class`: its registry name, or ``"module:Class"``.

    Examples
    --------
    >>> from rlsandbox.agents import QLearningAgent
    >>> agent_name(QLearningAgent)
    'q-learning'
    """
    path = f"{cls.__module__}:{cls.__qualname__}"
    for name, target in _BUILTIN.items():
        if target == path:
            return name
    if not cls.__module__.startswith("rlsandbox."):
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.value.replace(" ", "") == path:
                return ep.name
    return path


def _import(module_name: str, name: str, run_dir) -> Any:
    cwd = os.getcwd()
    try:
        with _search_path(cwd, run_dir):
            return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.split(".")[0] != exc.name.split(".")[0]:
            raise ValueError(f"cannot load agent {name!r}: importing {module_name!r} failed: "
                             f"{exc}") from None
        inside = run_dir is not None and _within(cwd, run_dir)
        raise ValueError(
            f"cannot load agent {name!r}: no module {module_name!r} "
            + ("(the run directory is never searched for code: run this command from the "
               "folder that holds your agent's module)" if inside else
               f"in the current directory ({cwd}) or the installed packages; run rlsandbox "
               f"from the folder that holds {module_name.split('.')[0]}.py, or install the "
               "package that provides it")
        ) from None


@contextmanager
def _search_path(cwd: str, run_dir):
    """``sys.path`` with the current directory first (as ``python -m`` has it) and without
    the run directory, for the duration of one import."""
    saved = list(sys.path)
    entries = [e for e in sys.path if not (run_dir is not None and _within(e or ".", run_dir))]
    if not (run_dir is not None and _within(cwd, run_dir)):
        if not any(os.path.abspath(e or ".") == cwd for e in entries):
            entries.insert(0, cwd)
    sys.path[:] = entries
    try:
        yield
    finally:
        sys.path[:] = saved


def _within(path: str, directory) -> bool:
    path, directory = os.path.realpath(path), os.path.realpath(os.fspath(directory))
    return path == directory or path.startswith(directory + os.sep)
