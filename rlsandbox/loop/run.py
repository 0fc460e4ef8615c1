"""The agent–environment loop: run episodes, train and evaluate agents, keep their history.

The loop speaks only the Gymnasium ``Env`` protocol (``reset``/``step``/``render``) and the
agent protocol (``act``/``update``/``begin_episode``), so it runs any Gymnasium env and any
object that looks like an :class:`rlsandbox.agents.Agent`.

Seeding: ``train(env, agent, n, seed=s)`` resets episode ``i`` with
:func:`episode_seed` ``(s, i)``, drawn from ``numpy.random.SeedSequence([s, i])``. Every
episode's randomness is a function of ``(s, i)`` alone, runs with nearby seeds do not share
streams, and a run continued from episode ``i`` (a resumed checkpoint) sees exactly the
episodes a straight run would. The agent's randomness comes from its own seed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rlsandbox.agents.base import Agent, RestartEpisode, Transition
from rlsandbox.loop.episode import Episode, History

__all__ = [
    "Episode",
    "History",
    "TrainingError",
    "Transition",
    "episode_seed",
    "evaluate",
    "load_checkpoint",
    "run_episode",
    "train",
]


class TrainingError(RuntimeError):
    """An exception inside an episode, with where it happened and what was finished.

    Attributes
    ----------
    episode : int or None
        Index of the episode that failed (in the run's numbering).
    step : int
        Step of that episode at which it failed.
    history : History or None
        Every episode finished before the failure.
    """

    def __init__(self, message: str, *, step: int, episode: int | None = None,
                 history: History | None = None) -> None:
        super().__init__(message)
        self.step, self.episode, self.history = step, episode, history


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
        Show the episode live; the env must have been made with ``render_mode="human"``
        (space pauses, the right arrow steps while paused, Esc or closing the window stops).
    record_frames : bool
        Keep ``env.render()`` frames in ``Episode.frames``; needs ``render_mode="rgb_array"``.

    Raises
    ------
    TrainingError
        When ``act``, ``step`` or ``update`` raises; its ``step`` says where (the original
        exception is its ``__cause__``).
    """
    if render and env.render_mode != "human":
        raise ValueError(
            f"render=True needs an env made with render_mode='human', not {env.render_mode!r}"
        )
    if record_frames and env.render_mode != "rgb_array":
        raise ValueError("record_frames=True needs an env made with render_mode='rgb_array', "
                         f"not {env.render_mode!r}")
    begin = getattr(agent, "begin_episode", None)
    if begin is not None:
        begin()
    act = agent.act
    update = _update_method(agent) if learn else None
    step = env.step

    obs, info = env.reset(seed=seed)
    observations = [obs]
    actions: list = []
    rewards: list = []
    frames = [env.render()] if record_frames else None
    # Bound methods and tuple.__new__ (the namedtuple's own __new__ adds a Python call) save
    # about a fifth of the loop's own time per step; the loop is the hot path of training.
    keep_obs, keep_action, keep_reward = observations.append, actions.append, rewards.append
    new_tuple = tuple.__new__
    terminated = truncated = False
    try:
        while not (terminated or truncated):
            action = act(obs, explore=explore)
            next_obs, reward, terminated, truncated, info = step(action)
            if update is not None:
                update(new_tuple(Transition,
                                 (obs, action, reward, next_obs, terminated, truncated, info)))
            keep_obs(next_obs)
            keep_action(action)
            keep_reward(reward)
            if frames is not None:
                frames.append(env.render())
            obs = next_obs
    except Exception as exc:  # KeyboardInterrupt (and a closed window) passes through
        raise TrainingError(f"step {len(rewards)}: {type(exc).__name__}: {exc}",
                            step=len(rewards)) from exc
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
    history: History | None = None,
    record: str = "all",
    checkpoint_every: int | None = None,
    checkpoint_dir: str | os.PathLike | None = None,
    keep: int = 3,
) -> History:
    """Run ``episodes`` learning episodes and return their :class:`History`.

    Parameters
    ----------
    env, agent
        The environment and the agent, which learns in place.
    episodes : int
        Number of episodes to run (more, when continuing ``history``).
    seed : int, optional
        Seeds episode ``i`` with ``episode_seed(seed, i)``.
    progress : bool
        Show a tqdm bar with the mean return of the last 100 episodes.
    callbacks : iterable of callables
        ``callback(history, episode)`` runs after each finished episode was appended;
        returning ``False`` stops training.
    history : History, optional
        Continue this run: new episodes are appended to it and numbered after it (so a
        resumed run equals a straight one, bit for bit).
    record : {"all", "summary"}
        Keep whole episodes, or only returns/lengths/successes (flat memory on long runs).
    checkpoint_every : int, optional
        Every that many episodes, write a checkpoint (agent, history, state) into
        ``checkpoint_dir``, atomically; the newest ``keep`` checkpoints are kept.

    Ctrl-C (``KeyboardInterrupt``, also when raised by a callback) stops training: the
    finished episodes are returned and ``history.interrupted`` is set. An exception inside
    an episode raises :class:`TrainingError` naming the episode and step; its ``history``
    holds the finished episodes.
    """
    episodes = check_count(episodes)
    _check_seed(seed)
    if checkpoint_every is not None:
        check_count(checkpoint_every, "checkpoint_every", positive=True)
        if checkpoint_dir is None:
            raise ValueError("checkpoint_every needs a checkpoint_dir to write into")
        check_count(keep, "keep", positive=True)
    if history is None:
        history = History(keep=record)
    return _run(env, agent, episodes, history, seed=seed, progress=progress,
                callbacks=list(callbacks), learn=True, explore=True, desc="train",
                checkpoint=(checkpoint_every, checkpoint_dir, keep))


def evaluate(env, agent, episodes: int, *, seed: int | None = None) -> History:
    """Run ``episodes`` greedy episodes without learning or exploring."""
    episodes = check_count(episodes)
    _check_seed(seed)
    return _run(env, agent, episodes, History(), seed=seed, progress=False, callbacks=[],
                learn=False, explore=False, desc="evaluate", checkpoint=(None, None, 0))


def episode_seed(seed: int | None, index: int) -> int | None:
    """The ``env.reset`` seed of episode ``index`` in a run seeded with ``seed``."""
    if seed is None:
        return None
    return int(np.random.SeedSequence([seed, index]).generate_state(1, np.uint32)[0])


def _run(env, agent, episodes, history, *, seed, progress, callbacks, learn, explore, desc,
         checkpoint) -> History:
    every, directory, keep = checkpoint
    bar = _progress_bar(episodes, desc) if progress else None
    recent: list[float] = []
    first = len(history)
    try:
        for i in range(first, first + episodes):
            while True:
                try:
                    episode = run_episode(env, agent, learn=learn, explore=explore,
                                          seed=episode_seed(seed, i))
                    break
                except RestartEpisode:  # the agent (a player) asked for the episode again
                    continue
                except TrainingError as exc:
                    raise TrainingError(f"episode {i}, {exc}", step=exc.step, episode=i,
                                        history=history) from exc.__cause__
            history.append(episode)
            if bar is not None:
                recent.append(episode.total_reward)
                if len(recent) > 100:
                    del recent[0]
                bar.set_postfix_str(f"mean return (last 100) {sum(recent) / len(recent):.2f}",
                                    refresh=False)
                bar.update()
            if every is not None and (i + 1 - first) % every == 0:
                save_checkpoint(directory, agent, history, seed=seed, keep=keep)
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


# -- checkpoints --------------------------------------------------------------------------------
def save_checkpoint(directory, agent, history: History, *, seed: int | None, keep: int = 3) -> str:
    """Write ``directory/episode-NNNNNNNN/`` (agent, history, state) atomically.

    The checkpoint is filled in a temporary directory and renamed into place, so a crash
    never leaves half a checkpoint under a checkpoint's name. Older checkpoints beyond the
    newest ``keep`` are removed.
    """
    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    final = os.path.join(directory, f"episode-{len(history):08d}")
    tmp = tempfile.mkdtemp(prefix=".partial-", dir=directory)
    try:
        agent.save(os.path.join(tmp, "agent.npz"))
        history.save(os.path.join(tmp, "history.npz"))
        with open(os.path.join(tmp, "checkpoint.json"), "w", encoding="utf-8") as f:
            json.dump({"episodes": len(history), "seed": seed}, f)
        if os.path.exists(final):
            shutil.rmtree(final)
        os.rename(tmp, final)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    for old in _checkpoints(directory)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load_checkpoint(path) -> tuple[Agent, History, dict[str, Any]]:
    """Read ``(agent, history, state)`` from a checkpoint, or the newest one in a directory."""
    path = os.fspath(path)
    if not os.path.isfile(os.path.join(path, "checkpoint.json")):
        found = _checkpoints(path) if os.path.isdir(path) else []
        if not found:
            raise ValueError(f"no checkpoint in {path!r}; train with checkpoint_every=N first")
        path = found[-1]
    with open(os.path.join(path, "checkpoint.json"), encoding="utf-8") as f:
        state = json.load(f)
    agent = Agent.load(os.path.join(path, "agent.npz"))
    history = History.load(os.path.join(path, "history.npz"))
    return agent, history, state


def _checkpoints(directory: str) -> list[str]:
    names = sorted(n for n in os.listdir(directory) if n.startswith("episode-"))
    return [os.path.join(directory, n) for n in names]


# -- small helpers ---------------------------------------------------------------------------
def _progress_bar(total: int, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="ep", mininterval=0.2)


def check_count(value, name: str = "episodes", *, positive: bool = False) -> int:
    low = 1 if positive else 0
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        kind = "positive" if positive else "non-negative"
        raise ValueError(f"{name} must be a {kind} integer, got {value!r}")
    return int(value)


def _check_seed(seed) -> None:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                             or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")


def _update_method(agent):
    """``agent.update``, or ``None`` when it is the base class's no-op (saves a call a step)."""
    update = getattr(agent, "update", None)
    if update is None:
        return None
    if isinstance(agent, Agent) and type(agent).update is Agent.update:
        return None
    return update
