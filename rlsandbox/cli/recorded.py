"""Replaying a run's recorded episodes: the actions of ``history[i]`` stepped again.

Most runs are replayed by their agent, which acts again. A run whose agent cannot act again
(a person: :class:`rlsandbox.agents.KeyboardAgent`, saved without its window) is replayed
from its history instead: episode ``i`` is reset with the seed it was played with
(``episode_seed(config["seed"], i)``, as ``train`` and ``evaluate`` seed it) and stepped
with its recorded actions. The same env, seed and actions give the same episode; every
observation is compared with the recorded one, so what is shown is what was played, or the
replay stops and says where it went apart.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from rlsandbox.agents.base import Agent
from rlsandbox.cli.common import UsageError

__all__ = ["RecordedActions", "RecordedEpisode", "acts_by_itself", "recorded_episodes",
           "replay_recorded"]


class RecordedEpisode(NamedTuple):
    """Episode ``index`` of a run, with the seed its env was reset with."""

    index: int
    seed: int
    episode: Any  # rlsandbox.loop.Episode


class _Mismatch(Exception):
    """The env went another way than the recorded episode."""


def acts_by_itself(agent: Agent) -> bool:
    """Whether a loaded agent can act again (False for a person at the keyboard)."""
    from rlsandbox.agents import KeyboardAgent

    return not isinstance(agent, KeyboardAgent)


class RecordedActions(Agent):
    """An agent that takes the actions of one recorded episode, checking what it sees.

    Parameters
    ----------
    episode : Episode
        The recorded episode (observations and actions).
    """

    def __init__(self, episode: Any) -> None:
        self._observations = episode.observations
        self._actions = episode.actions
        self._step = 0

    def begin_episode(self) -> None:
        self._step = 0

    def act(self, observation: Any, *, explore: bool = True) -> Any:
        step = self._step
        if step >= len(self._actions):
            raise _Mismatch(f"the episode did not end after its {step} recorded steps")
        if not np.array_equal(observation, self._observations[step]):
            raise _Mismatch(f"step {step} shows observation {_short(observation)}, the record "
                            f"{_short(self._observations[step])}")
        self._step = step + 1
        action = self._actions[step]
        return action.item() if action.ndim == 0 else action


def recorded_episodes(run_dir: str, config: dict[str, Any], history, count: int, *,
                      seed_given: bool) -> list[RecordedEpisode]:
    """The first ``count`` episodes of the run, to replay; :class:`UsageError` if the run
    cannot be replayed from its history."""
    from rlsandbox.loop import episode_seed

    who = f"the agent of {run_dir!r} ({config.get('agent')}) cannot act again"
    if seed_given:
        raise UsageError(f"--seed does not apply: {who}, so its own episodes are replayed with "
                         "the seeds they were played with")
    if history is None:
        raise UsageError(f"{who}, and the run has no history.npz to replay its episodes from")
    if history.keep == "summary":
        raise UsageError(f"{who}, and the run kept episode summaries only (no actions to "
                         "replay); record whole episodes to replay them")
    if count > len(history):
        raise UsageError(f"--episodes {count}: {run_dir!r} recorded {len(history)} episode(s); "
                         f"its episodes are replayed, so ask for at most {len(history)}")
    seed = config.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"{who}, and its config.json has no seed (got {seed!r}) to reset "
                         "the env as the episodes were played")
    return [RecordedEpisode(i, episode_seed(seed, i), history[i]) for i in range(count)]


def replay_recorded(env, recorded: RecordedEpisode, *, render: bool = False,
                    record_frames: bool = False, run_dir: str = "the run"):
    """Step ``env`` through ``recorded`` again and return the replayed ``Episode``.

    Raises :class:`UsageError` if the env does not give the recorded episode back (other
    observations, or an end at another step).
    """
    from rlsandbox.loop import TrainingError, run_episode

    want = recorded.episode
    try:
        episode = run_episode(env, RecordedActions(want), learn=False, explore=False,
                              seed=recorded.seed, render=render, record_frames=record_frames)
        problem = _difference(episode, want)
    except TrainingError as exc:
        if not isinstance(exc.__cause__, _Mismatch):
            raise
        problem = str(exc.__cause__)
    if problem is not None:
        raise UsageError(
            f"episode {recorded.index} of {run_dir!r} does not replay as recorded: {problem}; "
            "its env is not the one it was played in (was config.json edited, or the run "
            "written by another version of rlsandbox?)")
    return episode


def _difference(episode, want) -> str | None:
    """What differs between a replayed and a recorded episode (None: nothing)."""
    if episode.length != want.length:
        return f"it ended after {episode.length} steps, the record after {want.length}"
    if not np.array_equal(episode.observations[-1], want.observations[-1]):
        return (f"it ended in {_short(episode.observations[-1])}, the record in "
                f"{_short(want.observations[-1])}")
    if not np.array_equal(episode.rewards, want.rewards):
        return "its rewards differ from the recorded ones"
    if (episode.terminated, episode.truncated) != (bool(want.terminated), bool(want.truncated)):
        return "it ended in another way (terminated or truncated) than the record"
    return None


def _short(observation: Any) -> str:
    return np.array2string(np.asarray(observation), precision=4, threshold=8)
