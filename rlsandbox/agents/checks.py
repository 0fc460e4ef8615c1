"""``check_agent``: Gymnasium's ``check_env``, for agents."""

from __future__ import annotations

import copy
import os
import tempfile
from dataclasses import dataclass

from rlsandbox.agents.base import Agent, Transition

__all__ = ["AgentCheck", "check_agent"]


@dataclass(frozen=True)
class AgentCheck:
    """What :func:`check_agent` checked (it raises on the first failure, so all passed).

    Attributes
    ----------
    agent : str
        The agent's class name.
    env : str
        The env's registered id, or its class name.
    steps : int
        Env steps each check ran.
    checks : tuple of (str, str)
        ``(name, what was verified)`` for each check, in the order they ran.
    """

    agent: str
    env: str
    steps: int
    checks: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        lines = [f"check_agent: {self.agent} on {self.env}: {len(self.checks)} checks passed"]
        lines += [f"  {name:<10} {what}" for name, what in self.checks]
        return "\n".join(lines)


def check_agent(agent: Agent, env, *, steps: int = 200, seed: int = 0) -> AgentCheck:
    """Check that ``agent`` can be used with ``env``; raise ``ValueError`` naming what failed.

    The checks run on copies, so ``agent`` itself is left as it was:

    1. *actions*: ``act`` returns actions inside ``env.action_space``, exploring (while
       learning through ``update``) and greedy;
    2. *seeding*: two copies reseeded with the same seed act the same on the same episodes,
       even when one copy drew random numbers before it was reseeded;
    3. *save/load*: a saved and reloaded copy acts like the original.

    Each check runs episodes the way :func:`rlsandbox.run_episode` does: ``begin_episode``,
    then ``act``, ``env.step`` and ``update`` on every step.

    Parameters
    ----------
    agent : Agent
    env : gymnasium.Env
    steps : int, default 200
        Environment steps each check runs.
    seed : int, default 0

    Returns
    -------
    AgentCheck
        What was checked; ``print`` it for a short report.

    Examples
    --------
    >>> from rlsandbox.agents import RandomAgent
    >>> from rlsandbox.envs import MazeEnv
    >>> env = MazeEnv("tiny")
    >>> print(check_agent(RandomAgent(env.action_space, seed=0), env, steps=20))
    check_agent: RandomAgent on MazeEnv: 3 checks passed
      actions    act returned actions in Discrete(4): 20 exploring (with update), 20 greedy
      seeding    two copies seeded with 0 chose the same 20 actions, one after drawing first
      save/load  a saved and reloaded copy chose the same 20 actions as the original
    """
    if not callable(getattr(agent, "act", None)):
        raise ValueError(f"check 'interface' failed: {type(agent).__name__} has no act method")
    _check_actions(copy.deepcopy(agent), env, steps, seed)
    _check_seeding(agent, env, steps, seed)
    _check_save_load(agent, env, steps, seed)
    space = env.action_space
    return AgentCheck(
        agent=type(agent).__name__, env=_env_name(env), steps=steps,
        checks=(
            ("actions", f"act returned actions in {space}: {steps} exploring (with update), "
                        f"{steps} greedy"),
            ("seeding", f"two copies seeded with {seed} chose the same {steps} actions, one "
                        "after drawing first"),
            ("save/load", f"a saved and reloaded copy chose the same {steps} actions as the "
                          "original"),
        ),
    )


def _rollout(agent, env, steps: int, seed: int, *, learn: bool, explore: bool) -> list:
    """Run ``steps`` steps (resetting as needed); return the actions, each checked."""
    actions = []
    obs, _ = env.reset(seed=seed)
    if hasattr(agent, "begin_episode"):
        agent.begin_episode()
    for _ in range(steps):
        action = agent.act(obs, explore=explore)
        if not env.action_space.contains(action):
            raise ValueError(
                f"check 'actions' failed: act returned {action!r}, which is not in the env's "
                f"action space {env.action_space}"
            )
        actions.append(_plain(action))
        next_obs, reward, terminated, truncated, info = env.step(action)
        if learn and hasattr(agent, "update"):
            agent.update(Transition(obs, action, reward, next_obs, terminated, truncated, info))
        obs = next_obs
        if terminated or truncated:
            obs, _ = env.reset()
            if hasattr(agent, "begin_episode"):
                agent.begin_episode()
    return actions


def _check_actions(agent, env, steps, seed) -> None:
    _rollout(agent, env, steps, seed, learn=True, explore=True)
    _rollout(agent, env, steps, seed, learn=False, explore=False)


def _check_seeding(agent, env, steps, seed) -> None:
    """Reseeding must fix every random choice, whatever the generator did before."""
    runs = []
    for burn_in in (False, True):
        twin = copy.deepcopy(agent)
        if burn_in:  # advance any hidden generator; seed() must undo this
            _rollout(twin, env, steps, seed + 1, learn=False, explore=True)
        if hasattr(twin, "seed"):
            twin.seed(seed)
        runs.append(_rollout(twin, env, steps, seed, learn=True, explore=True))
    if runs[0] != runs[1]:
        step = next(i for i, (a, b) in enumerate(zip(*runs, strict=True)) if a != b)
        raise ValueError(
            f"check 'seeding' failed: two copies seeded with {seed} chose different actions "
            f"at step {step} ({runs[0][step]!r} vs {runs[1][step]!r}); draw every random "
            "number from self.np_random (reset by seed())"
        )


def _check_save_load(agent, env, steps, seed) -> None:
    original = copy.deepcopy(agent)
    if hasattr(original, "seed"):
        original.seed(seed)  # a generator that does not exist yet cannot be saved
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "agent.npz")
        try:
            original.save(path)
            loaded = type(original).load(path)
        except Exception as exc:
            raise ValueError(f"check 'save/load' failed: {type(exc).__name__}: {exc}") from exc
    a = _rollout(original, env, steps, seed, learn=True, explore=True)
    b = _rollout(loaded, env, steps, seed, learn=True, explore=True)
    if a != b:
        raise ValueError(
            "check 'save/load' failed: the reloaded agent acts differently from the original; "
            "make get_state/set_state cover every attribute that affects act"
        )


def _env_name(env) -> str:
    spec = getattr(env, "spec", None)
    return spec.id if spec is not None else type(getattr(env, "unwrapped", env)).__name__


def _plain(action):
    tolist = getattr(action, "tolist", None)
    return tolist() if tolist is not None else action
