"""Helpers shared by the vector envs: argument checks and every sub-env's generator."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.utils import seeding

from rlsandbox._seeding import KnownSeedSequence, first_uniforms, fresh_words, int_seed_words

__all__ = ["SubEnvGenerators", "check_actions", "check_num_envs"]

_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}  # by itemsize


def check_actions(actions: Any, n: int, highest: int, kinds: str, meaning: str) -> np.ndarray:
    """``actions`` checked to be ``n`` integers in ``0..highest`` (a ValueError if not),
    returned viewed as unsigned integers of the same width.

    ``kinds`` are the accepted dtype kinds ("iu", or "iub" to accept booleans);
    ``meaning`` ends the message on a bad value, e.g. "CartPole takes 0 (push left) or 1".
    """
    a = np.asarray(actions)
    if a.shape != (n,) or a.dtype.kind not in kinds:
        raise ValueError(
            f"actions must be {n} integers in 0..{highest} (one per sub-env), got shape "
            f"{a.shape} and dtype {a.dtype}"
        )
    # Viewed as unsigned, a negative action is huge: one max reduction checks both ends
    # (2.5 µs at n = 16384, where a compare plus count_nonzero took 4.2).
    unsigned = a.view(_UNSIGNED[a.dtype.itemsize])
    if np.maximum.reduce(unsigned) > highest:
        bad = int((unsigned > highest).nonzero()[0][0])
        raise ValueError(f"invalid action {a[bad].item()!r} for sub-env {bad}; {meaning}")
    return unsigned


def check_num_envs(num_envs: Any) -> int:
    if isinstance(num_envs, bool) or not isinstance(num_envs, Integral) or num_envs < 1:
        raise ValueError(f"num_envs must be a positive integer, got {num_envs!r}")
    return int(num_envs)


class SubEnvGenerators:
    """Every sub-env's random generator, as ``Env.reset(seed=...)`` would make it.

    Sub-env ``i`` draws exactly what Gymnasium's ``np_random`` seeded like it (numpy's
    ``Generator(PCG64(SeedSequence(seed)))``) would. Building those generators one by one
    costs about 8 µs each, mostly the SeedSequence hash: 130 ms for 16384 sub-envs. Here
    :meth:`reseed` hashes every seed at once as array code (:mod:`rlsandbox._seeding`) and
    draws there the first uniforms the caller needs; a sub-env's numpy ``Generator`` is made
    from its hashed words (about 2 µs, no hashing) only when it needs more draws, and moved
    past the draws already taken.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        # Row i: SeedSequence(seed_i).generate_state(4, np.uint64), sub-env i's PCG64 seeding.
        self._words = np.zeros((n, 4), dtype=np.uint64)
        self._taken = np.zeros(n, dtype=np.int64)  # draws made as array code before _rngs[i]
        self._rngs: list[np.random.Generator | None] = [None] * n
        self._seeded = False

    def reseed(self, seed: int | Sequence[int | None] | None,
               first: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Apply ``reset(seed=...)``: a new generator for every sub-env given a seed.

        ``seed`` is an int (sub-env ``i`` gets ``seed + i``), a sequence of ``n`` ints or
        ``None`` s, or ``None``; a ``None`` keeps the sub-env's generator (on the first
        call: one from fresh entropy), as ``Env.reset(seed=None)`` does. Returns the indices
        of the sub-envs with a new generator and their first ``first`` uniforms,
        ``(first, len(envs))``: ``uniforms[:, j]`` is ``Generator.random(first)`` of
        sub-env ``envs[j]``.
        """
        envs, words = self._new_words(seed)
        self._words[envs] = words
        self._taken[envs] = first
        if len(envs) == self.n:
            self._rngs = [None] * self.n
        else:
            for i in envs.tolist():
                self._rngs[i] = None
        self._seeded = True
        if not first:
            return envs, np.empty((0, len(envs)))
        return envs, first_uniforms(words, first)

    def random(self, i: int, out: np.ndarray) -> None:
        """Fill ``out`` with sub-env ``i``'s next uniforms, as ``Generator.random`` does."""
        rng = self._rngs[i]
        if rng is None:
            rng = np.random.Generator(np.random.PCG64(KnownSeedSequence(self._words[i])))
            if self._taken[i]:
                rng.bit_generator.advance(int(self._taken[i]))
            self._rngs[i] = rng
        rng.random(out=out)

    def _new_words(self, seed: Any) -> tuple[np.ndarray, np.ndarray]:
        """The sub-envs that ``seed`` reseeds and their seeding words."""
        n = self.n
        if isinstance(seed, np.ndarray):
            seed = seed.tolist()
        if seed is None:
            if self._seeded:
                return np.empty(0, dtype=np.int64), np.empty((0, 4), dtype=np.uint64)
            return np.arange(n), fresh_words(n)
        if isinstance(seed, Integral) and not isinstance(seed, bool):
            seed = int(seed)
            if 0 <= seed <= 2**64 - n:  # the usual case: seed + i as uint64 array code
                return np.arange(n), int_seed_words(np.arange(n, dtype=np.uint64) + seed)
            seeds: list[Any] = [seed + i for i in range(n)]
        elif isinstance(seed, Sequence) and not isinstance(seed, str):
            seeds = list(seed)
            if len(seeds) != n:
                raise ValueError(f"seed must list one seed per sub-env ({n}), got {len(seeds)}")
        else:
            raise ValueError(f"seed must be an int, a list of {n} ints or None, got {seed!r}")
        if not self._seeded:  # None: fresh entropy on the first call
            envs = np.arange(n)
        else:
            envs = np.array([i for i, s in enumerate(seeds) if s is not None], dtype=np.int64)
        words = np.empty((len(envs), 4), dtype=np.uint64)
        given = [seeds[i] for i in envs.tolist()]
        plain = np.array([type(s) is int and 0 <= s < 2**64 for s in given], dtype=bool)
        if plain.any():
            words[plain] = int_seed_words(np.array(
                [s for s, p in zip(given, plain.tolist(), strict=True) if p], dtype=np.uint64))
        unseeded = np.array([s is None for s in given], dtype=bool)
        if unseeded.any():
            words[unseeded] = fresh_words(int(unseeded.sum()))
        for j in np.flatnonzero(~plain & ~unseeded).tolist():
            # Others (ints of 2**64 or more, or invalid seeds): Gymnasium's own seeding,
            # which raises its error on a seed that is not a non-negative int.
            rng = seeding.np_random(given[j])[0]
            words[j] = rng.bit_generator.seed_seq.generate_state(4, np.uint64)
        return envs, words
