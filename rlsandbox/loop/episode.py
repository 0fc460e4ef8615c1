"""Episode and History: what a run leaves behind (re-exported by :mod:`rlsandbox.loop`)."""

from __future__ import annotations

import csv
import json
import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from rlsandbox._io import save_npz

__all__ = ["Episode", "History"]

_FORMAT = "rlsandbox.History/1"
_NO_SUCCESS = -1  # success flag of an env that does not report info["is_success"]


@dataclass(eq=False)
class Episode:
    """A finished episode.

    Two episodes are equal when their contents are: the same arrays (``np.array_equal``),
    end flags, success and frames.

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

    def __post_init__(self) -> None:
        # Accept lists from users building episodes by hand; the loop already gives arrays.
        for name in ("observations", "actions", "rewards"):
            value = getattr(self, name)
            if not isinstance(value, np.ndarray):
                setattr(self, name, np.asarray(value))

    def __eq__(self, other: object) -> bool:
        # The dataclass default would compare arrays with ``==`` and fail on their truth value.
        if not isinstance(other, Episode):
            return NotImplemented
        return _episodes_equal(self, other) and _same_frames(self.frames, other.frames)

    __hash__ = None  # mutable, like its arrays

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


def _same_frames(a: list | None, b: list | None) -> bool:
    if a is None or b is None:
        return a is b
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


class History(Sequence):
    """The episodes of a run, in order, with one summary entry per episode.

    Parameters
    ----------
    episodes : iterable of Episode
    keep : {"all", "summary"}
        ``"all"`` keeps every :class:`Episode` (``history[i]``); ``"summary"`` keeps only
        ``returns``, ``lengths``, ``successes`` and the end flags, so memory stays flat on
        runs of millions of steps.

    Attributes
    ----------
    returns, lengths, successes, terminated, truncated : ndarray
        One entry per episode. ``successes`` is 1.0 / 0.0, and NaN for an episode whose
        env did not report ``info["is_success"]`` (unknown is not failure).
    success_rate : float
        Fraction of successful episodes among those that report success; NaN when none
        does (Gymnasium's FrozenLake or Taxi never report it).
    interrupted : bool
        ``train`` sets it when Ctrl-C ended the run early.
    """

    def __init__(self, episodes: Iterable[Episode] = (), *, keep: str = "all") -> None:
        if keep not in ("all", "summary"):
            raise ValueError(f"keep must be 'all' or 'summary', got {keep!r}")
        self.keep = keep
        self.interrupted = False
        self._episodes: list[Episode] | None = [] if keep == "all" else None
        self._returns = array("d")
        self._lengths = array("q")
        self._success = array("b")
        self._terminated = array("b")
        self._truncated = array("b")
        for episode in episodes:
            self.append(episode)

    def append(self, episode: Episode) -> None:
        if self._episodes is not None:
            self._episodes.append(episode)
        self._add_summary(episode.total_reward, episode.length, episode.success,
                          episode.terminated, episode.truncated)

    def extend(self, other: Iterable[Episode]) -> None:
        """Append every episode of ``other`` (a History of either kind, or episodes)."""
        if isinstance(other, History) and other._episodes is None:
            if self._episodes is not None and len(other):
                raise ValueError("cannot extend a keep='all' history with a summary-only one")
            for name in ("_returns", "_lengths", "_success", "_terminated", "_truncated"):
                getattr(self, name).extend(getattr(other, name))
            return
        for episode in other:
            self.append(episode)

    def _add_summary(self, total, length, success, terminated, truncated) -> None:
        self._returns.append(total)
        self._lengths.append(length)
        self._success.append(_NO_SUCCESS if success is None else int(success))
        self._terminated.append(int(terminated))
        self._truncated.append(int(truncated))

    # -- sequence protocol ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._returns)

    def __getitem__(self, index):
        if isinstance(index, slice):
            sliced = History(keep=self.keep)
            for name in ("_returns", "_lengths", "_success", "_terminated", "_truncated"):
                getattr(sliced, name).extend(getattr(self, name)[index])
            if self._episodes is not None:
                sliced._episodes = self._episodes[index]
            return sliced
        return self._all_episodes()[index]

    def __iter__(self) -> Iterator[Episode]:
        return iter(self._all_episodes())

    def _all_episodes(self) -> list[Episode]:
        if self._episodes is None:
            raise ValueError(
                "this History kept summaries only (keep='summary'); use returns, lengths and "
                "successes, or train with record='all' to keep whole episodes"
            )
        return self._episodes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History) or self.keep != other.keep:
            return False
        if any(getattr(self, n) != getattr(other, n)
               for n in ("_returns", "_lengths", "_success", "_terminated", "_truncated")):
            return False
        if self._episodes is None:
            return True
        return all(_episodes_equal(a, b) for a, b in zip(self, other, strict=True))

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        if not len(self):
            return "History(0 episodes)"
        return (f"History({len(self)} episodes, mean return {self.returns.mean():.3f}, "
                f"mean length {self.lengths.mean():.1f})")

    # -- summaries ---------------------------------------------------------------------------
    @property
    def returns(self) -> np.ndarray:
        """Total (undiscounted) reward of each episode."""
        return np.array(self._returns, dtype=np.float64)

    @property
    def lengths(self) -> np.ndarray:
        return np.array(self._lengths, dtype=np.int64)

    @property
    def successes(self) -> np.ndarray:
        """1.0 for success, 0.0 for failure, NaN where the env did not say."""
        flags = np.array(self._success, dtype=np.float64)
        flags[flags == _NO_SUCCESS] = np.nan
        return flags

    @property
    def success_rate(self) -> float:
        """Mean of ``successes`` over the episodes that report one; NaN if none does.

        Examples
        --------
        >>> History([Episode([0, 1], [1], [1.0], True, False, success=True),
        ...          Episode([0, 1], [0], [0.0], True, False, success=False)]).success_rate
        0.5
        >>> History([Episode([0, 1], [1], [1.0], True, False)]).success_rate  # never reported
        nan
        """
        known = [s for s in self._success if s != _NO_SUCCESS]
        return sum(known) / len(known) if known else float("nan")

    @property
    def terminated(self) -> np.ndarray:
        return np.array(self._terminated, dtype=bool)

    @property
    def truncated(self) -> np.ndarray:
        return np.array(self._truncated, dtype=bool)

    # -- persistence (no pickle) ---------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        """Write the history to ``path`` (``.npz``) atomically; the same history gives the
        same bytes. Nothing is pickled, so :meth:`load` never executes code from the file."""
        arrays = {
            "meta": np.array(json.dumps({"format": _FORMAT, "keep": self.keep})),
            "returns": self.returns,
            "lengths": self.lengths,
            "success": np.array(self._success, dtype=np.int8),
            "terminated": self.terminated,
            "truncated": self.truncated,
        }
        if self._episodes is not None:
            eps = self._episodes
            arrays["observations"] = _concat([ep.observations for ep in eps])
            arrays["actions"] = _concat([ep.actions for ep in eps])
            arrays["rewards"] = _concat([ep.rewards for ep in eps], dtype=np.float64)
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> History:
        """Read a history written by :meth:`save`; raise ``ValueError`` for any other file."""
        path = os.fspath(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != _FORMAT or meta.get("keep") not in ("all", "summary"):
                    raise ValueError("wrong format tag")
                arrays = {k: data[k] for k in data.files}
        except FileNotFoundError:
            raise ValueError(f"history file {path!r} does not exist") from None
        except Exception as exc:  # a foreign, truncated or pickle-bearing file
            raise ValueError(f"{path!r} is not an rlsandbox history file ({exc}); "
                             "write one with History.save") from None
        history = cls(keep=meta["keep"])
        flags = zip(arrays["returns"].tolist(), arrays["lengths"].tolist(),
                    arrays["success"].tolist(), arrays["terminated"].tolist(),
                    arrays["truncated"].tolist(), strict=True)
        if history._episodes is None:
            for total, n, success, term, trunc in flags:
                history._add_summary(total, n, None if success == _NO_SUCCESS else bool(success),
                                     term, trunc)
            return history
        obs, acts, rews = arrays["observations"], arrays["actions"], arrays["rewards"]
        o = a = 0
        for _, n, success, term, trunc in flags:
            history.append(Episode(obs[o:o + n + 1], acts[a:a + n], rews[a:a + n], bool(term),
                                   bool(trunc), None if success == _NO_SUCCESS else bool(success)))
            o, a = o + n + 1, a + n
        return history

    def to_csv(self, path: str | os.PathLike) -> None:
        """Write one row per episode: episode, length, return, terminated, truncated, success."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["episode", "length", "return", "terminated", "truncated", "success"])
            rows = zip(self._lengths, self._returns, self._terminated, self._truncated,
                       self._success, strict=True)
            for i, (n, total, term, trunc, success) in enumerate(rows):
                writer.writerow([i, n, repr(total), term, trunc,
                                 "" if success == _NO_SUCCESS else success])


def _concat(parts: list[np.ndarray], dtype=None) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype or np.float64)
    joined = np.concatenate([np.asarray(p) for p in parts])
    return joined if dtype is None else joined.astype(dtype, copy=False)


def _episodes_equal(a: Episode, b: Episode) -> bool:
    """Equal contents, frames aside (a saved History keeps no frames)."""
    return (a.terminated == b.terminated and a.truncated == b.truncated
            and a.success == b.success
            and np.array_equal(a.observations, b.observations)
            and np.array_equal(a.actions, b.actions)
            and np.array_equal(a.rewards, b.rewards))
