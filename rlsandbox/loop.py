"""The agent–environment loop: run episodes, train and evaluate agents, keep their history.

The loop speaks only the Gymnasium ``Env`` protocol (``reset``/``step``/``render``) and the
agent protocol (``act``/``update``/``begin_episode``), so it runs any Gymnasium env and any
object that looks like an :class:`rlsandbox.agents.Agent`.

Seeding: ``train(env, agent, n, seed=s)`` resets episode ``i`` with a seed drawn from
``numpy.random.SeedSequence([s, i])``. Every episode's randomness is therefore a function of
``(s, i)`` alone, runs with nearby seeds do not share streams, and a run can be continued from
episode ``i`` without replaying the ones before it. The agent's own randomness comes from its
own seed (``make_agent(..., seed=...)`` or the agent's constructor).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rlsandbox._io import save_npz
from rlsandbox.agents.base import Agent, Transition

__all__ = ["Episode", "History", "Transition", "evaluate", "run_episode", "train"]

_HISTORY_FORMAT = "rlsandbox.History/1"


@dataclass
class Episode:
    """A finished episode.

    Attributes
    ----------
    observations : ndarray, shape (T + 1, ...)
        Every observation, from the one ``reset`` returned to the last one ``step`` returned.
    actions : ndarray, shape (T, ...)
    rewards : ndarray of float, shape (T,)
    terminated, truncated : bool
        How the episode ended (Gymnasium's meaning).
    success : bool or None
        The last step's ``info["is_success"]``, or ``None`` if the env does not report it.
    frames : list of ndarray or None
        ``rgb_array`` frames (T + 1 of them) when recorded.
    """

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    terminated: bool
    truncated: bool
    success: bool | None = None
    frames: list | None = field(default=None, repr=False)

    @property
    def length(self) -> int:
        """Number of steps T."""
        return len(self.rewards)

    @property
    def total_reward(self) -> float:
        """Undiscounted return, the sum of the rewards."""
        return float(self.rewards.sum())

    def discounted_return(self, gamma: float) -> float:
        """G_0 = sum_t gamma^t r_t."""
        from rlsandbox.returns import discounted_return

        return float(discounted_return(self.rewards, gamma))


class History(Sequence):
    """The episodes of a run, in order, with per-episode summary arrays.

    ``history[i]`` is an :class:`Episode`; ``returns``, ``lengths`` and ``successes`` are
    arrays with one entry per episode (``successes`` counts ``None`` as ``False``).
    """

    def __init__(self, episodes: Iterable[Episode] = ()) -> None:
        self._episodes: list[Episode] = list(episodes)
        self.interrupted = False  # set by train() when Ctrl-C ended the run

    # -- sequence protocol ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._episodes)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return History(self._episodes[index])
        return self._episodes[index]

    def __iter__(self) -> Iterator[Episode]:
        return iter(self._episodes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History) or len(self) != len(other):
            return False
        return all(_episodes_equal(a, b) for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        if not self._episodes:
            return "History(0 episodes)"
        return (
            f"History({len(self)} episodes, mean return {self.returns.mean():.3f}, "
            f"mean length {self.lengths.mean():.1f})"
        )

    def append(self, episode: Episode) -> None:
        self._episodes.append(episode)

    # -- summaries -------------------------------------------------------------------
    @property
    def returns(self) -> np.ndarray:
        """Total (undiscounted) reward of each episode."""
        return np.array([ep.total_reward for ep in self._episodes], dtype=np.float64)

    @property
    def lengths(self) -> np.ndarray:
        return np.array([ep.length for ep in self._episodes], dtype=np.int64)

    @property
    def successes(self) -> np.ndarray:
        return np.array([bool(ep.success) for ep in self._episodes], dtype=bool)

    # -- persistence (no pickle) -------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        """Write the history to ``path`` (``.npz``), atomically.

        Arrays are stored flat with per-episode offsets; flags and metadata as JSON text.
        Nothing is pickled, so :meth:`load` never executes code from the file.
        """
        path = os.fspath(path)
        eps = self._episodes
        meta = {
            "format": _HISTORY_FORMAT,
            "episodes": len(eps),
            "terminated": [ep.terminated for ep in eps],
            "truncated": [ep.truncated for ep in eps],
            "success": [ep.success for ep in eps],
        }
        arrays = {
            "meta": np.array(json.dumps(meta)),
            "lengths": self.lengths,
            "observations": _concat([ep.observations for ep in eps]),
            "actions": _concat([ep.actions for ep in eps]),
            "rewards": _concat([ep.rewards for ep in eps], dtype=np.float64),
        }
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> History:
        """Read a history written by :meth:`save`; raise ``ValueError`` for any other file."""
        path = os.fspath(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != _HISTORY_FORMAT:
                    raise ValueError("wrong format tag")
                lengths = data["lengths"]
                obs, acts, rews = data["observations"], data["actions"], data["rewards"]
        except FileNotFoundError:
            raise ValueError(f"history file {path!r} does not exist") from None
        except Exception as exc:  # a foreign, truncated or pickle-bearing file
            raise ValueError(
                f"{path!r} is not an rlsandbox history file ({exc}); "
                "write one with History.save"
            ) from None
        history = cls()
        o = a = 0
        for i, n in enumerate(lengths.tolist()):
            history.append(
                Episode(
                    observations=obs[o : o + n + 1],
                    actions=acts[a : a + n],
                    rewards=rews[a : a + n],
                    terminated=bool(meta["terminated"][i]),
                    truncated=bool(meta["truncated"][i]),
                    success=meta["success"][i],
                )
            )
            o += n + 1
            a += n
        return history

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write one row per episode: episode, length, return, terminated, truncated, success."""
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["episode", "length", "return", "terminated", "truncated", "success"])
            for i, ep in enumerate(self._episodes):
                success = "" if ep.success is None else int(ep.success)
                writer.writerow(
                    [i, ep.length, repr(ep.total_reward), int(ep.terminated),
                     int(ep.truncated), success]
                )


def run_episode(
    env,
    agent,
    *,
    learn: bool = True,
    explore: bool = True,
    seed: int | None = None,
    render: bool = False,
    record_frames: bool = False,
) -> Episode:
    """Run one episode of ``agent`` in ``env`` and return it.

    Parameters
    ----------
    env : gymnasium.Env
    agent : Agent
        Anything with ``act(observation, *, explore)``; ``update(transition)`` and
        ``begin_episode()`` are called when present.
    learn : bool
        Call ``agent.update`` after every step.
    explore : bool
        Passed to ``agent.act``; ``False`` asks for the agent's greedy behaviour.
    seed : int, optional
        Passed to ``env.reset``.
    render : bool
        Show the episode live; the env must have been made with ``render_mode="human"``.
    record_frames : bool
        Keep ``env.render()`` frames in ``Episode.frames``; needs ``render_mode="rgb_array"``.
    """
    if render and env.render_mode != "human":
        raise ValueError(
            f"render=True needs an env made with render_mode='human', not {env.render_mode!r}"
        )
    if record_frames and env.render_mode != "rgb_array":
        raise ValueError(
            "record_frames=True needs an env made with render_mode='rgb_array', "
            f"not {env.render_mode!r}"
        )
    begin = getattr(agent, "begin_episode", None)
    if begin is not None:
        begin()
    act = agent.act
    update = _update_method(agent) if learn else None
    step = env.step

    obs, info = env.reset(seed=seed)
    observations = [obs]
    actions = []
    rewards = []
    frames = [env.render()] if record_frames else None
    terminated = truncated = False
    while not (terminated or truncated):
        action = act(obs, explore=explore)
        next_obs, reward, terminated, truncated, info = step(action)
        if update is not None:
            update(Transition(obs, action, reward, next_obs, terminated, truncated, info))
        observations.append(next_obs)
        actions.append(action)
        rewards.append(reward)
        if frames is not None:
            frames.append(env.render())
        obs = next_obs
    return Episode(
        observations=np.asarray(observations),
        actions=np.asarray(actions),
        rewards=np.asarray(rewards, dtype=np.float64),
        terminated=bool(terminated),
        truncated=bool(truncated),
        success=None if "is_success" not in info else bool(info["is_success"]),
        frames=frames,
    )


def train(
    env,
    agent,
    episodes: int,
    *,
    seed: int | None = None,
    progress: bool = True,
    callbacks: Iterable[Callable[[History, Episode], Any]] = (),
) -> History:
    """Run ``episodes`` learning episodes and return their :class:`History`.

    Each ``callback(history, episode)`` runs after the finished episode was appended;
    returning ``False`` stops training. Ctrl-C (``KeyboardInterrupt``, also when raised by a
    callback) stops training too: the episodes finished so far are returned and
    ``history.interrupted`` is set.
    """
    return _run(env, agent, episodes, seed=seed, progress=progress, callbacks=callbacks,
                learn=True, explore=True, desc="train")


def evaluate(env, agent, episodes: int, *, seed: int | None = None) -> History:
    """Run ``episodes`` greedy episodes without learning or exploring."""
    return _run(env, agent, episodes, seed=seed, progress=False, callbacks=(),
                learn=False, explore=False, desc="evaluate")


def episode_seed(seed: int | None, index: int) -> int | None:
    """The ``env.reset`` seed of episode ``index`` in a run seeded with ``seed``."""
    if seed is None:
        return None
    return int(np.random.SeedSequence([seed, index]).generate_state(1, np.uint32)[0])


def _run(env, agent, episodes, *, seed, progress, callbacks, learn, explore, desc) -> History:
    episodes = _check_count(episodes)
    if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    callbacks = list(callbacks)
    history = History()
    bar = _progress_bar(episodes, desc) if progress else None
    recent: list[float] = []
    try:
        for i in range(episodes):
            episode = run_episode(env, agent, learn=learn, explore=explore,
                                  seed=episode_seed(seed, i))
            history.append(episode)
            if bar is not None:
                recent.append(episode.total_reward)
                if len(recent) > 100:
                    del recent[0]
                bar.set_postfix_str(f"mean return (last 100) {sum(recent) / len(recent):.2f}",
                                    refresh=False)
                bar.update()
            stop = False
            for callback in callbacks:
                if callback(history, episode) is False:
                    stop = True
            if stop:
                break
    except KeyboardInterrupt:
        history.interrupted = True
    finally:
        if bar is not None:
            bar.close()
    return history


def _progress_bar(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="ep", mininterval=0.2)


def _check_count(episodes) -> int:
    if isinstance(episodes, bool) or not isinstance(episodes, (int, np.integer)) or episodes < 0:
        raise ValueError(f"episodes must be a non-negative integer, got {episodes!r}")
    return int(episodes)


def _update_method(agent):
    """``agent.update``, or ``None`` when it is the base class's no-op (saves a call a step)."""
    update = getattr(agent, "update", None)
    if update is None:
        return None
    if isinstance(agent, Agent) and type(agent).update is Agent.update:
        return None
    return update


def _concat(parts: list[np.ndarray], dtype=None) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype or np.float64)
    return np.concatenate([np.asarray(p) for p in parts]).astype(dtype or None, copy=False)


def _episodes_equal(a: Episode, b: Episode) -> bool:
    return (
        a.terminated == b.terminated
        and a.truncated == b.truncated
        and a.success == b.success
        and np.array_equal(a.observations, b.observations)
        and np.array_equal(a.actions, b.actions)
        and np.array_equal(a.rewards, b.rewards)
    )
