"""The shared vectorised seeding helper: numpy's SeedSequence and PCG64 for many seeds at once.

Building one ``np.random.Generator`` per seed costs about 10-20 µs (a SeedSequence hash,
PCG64's seeding, a Generator object). Where thousands of generators are wanted only for
their first few draws - the sub-envs of a vector env reset with ``seed``, the episodes of
``train_many``'s runs - this module computes the same numbers as array code: both
SeedSequence hashes (uint32 arithmetic), PCG64's seeding and its first outputs (128-bit
LCG steps on pairs of uint64 words), bit for bit what numpy's objects give.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

__all__ = [
    "KnownSeedSequence",
    "first_draws",
    "first_uniforms",
    "fresh_words",
    "int_seed_words",
    "pcg64_states",
    "raw_draws",
    "seed_words",
]

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx) and PCG64's multiplier.
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _M32 = 0xCA01F9DD, 0x4973F715, 0xFFFFFFFF
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_MASK64 = (1 << 64) - 1
# The multiplier's words (and the low word's 32-bit halves) as numpy scalars.
_MUL_HI, _MUL_LO = np.uint64(_PCG_MULT >> 64), np.uint64(_PCG_MULT & _MASK64)
_MUL_LO0, _MUL_LO1 = np.uint64(_PCG_MULT & _M32), np.uint64((_PCG_MULT >> 32) & _M32)
_LOW32, _32, _58, _64, _11 = (np.uint64(v) for v in (_M32, 32, 58, 64, 11))
_ONE = np.uint64(1)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53: Generator.random is (next_uint64 >> 11) * 2**-53


def seed_words(entropy: np.ndarray, n_words: int) -> np.ndarray:
    """``SeedSequence(row).generate_state(n_words)`` for every row of uint32 ``entropy``.

    numpy's algorithm (pool size 4, entropy of at most 4 words), on columns: hash the
    entropy into the pool, mix every pool word into every other, then hash the pool out.
    Missing entropy words hash as 0, so ``[s]`` and ``[s, 0]`` give the same words (as
    numpy's ``SeedSequence(s)`` for an ``s`` below 2**32 and 2**64 alike).
    """
    m, n_entropy = entropy.shape
    hash_const = _INIT_A

    def hashmix(value: np.ndarray) -> np.ndarray:
        nonlocal hash_const
        value = value ^ np.uint32(hash_const)
        hash_const = (hash_const * _MULT_A) & _M32
        value = value * np.uint32(hash_const)
        return value ^ (value >> np.uint32(16))

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        result = x * np.uint32(_MIX_L) - y * np.uint32(_MIX_R)
        return result ^ (result >> np.uint32(16))

    zeros = np.zeros(m, dtype=np.uint32)
    pool = [hashmix(entropy[:, i] if i < n_entropy else zeros) for i in range(4)]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hashmix(pool[src]))
    hash_const = _INIT_B
    out = np.empty((m, n_words), dtype=np.uint32)
    for i in range(n_words):
        value = pool[i % 4] ^ np.uint32(hash_const)
        hash_const = (hash_const * _MULT_B) & _M32
        value = value * np.uint32(hash_const)
        out[:, i] = value ^ (value >> np.uint32(16))
    return out


def int_seed_words(seeds: np.ndarray) -> np.ndarray:
    """``SeedSequence(s).generate_state(4, np.uint64)`` for every seed ``s`` of a uint64 array.

    The ``(m, 4)`` uint64 words that seed ``PCG64(SeedSequence(s))``: the generator of
    ``np.random.default_rng(s)`` and of Gymnasium's ``Env.reset(seed=s)``.
    """
    seeds = np.asarray(seeds, dtype=np.uint64)
    entropy = np.empty((len(seeds), 2), dtype=np.uint32)
    entropy[:, 0] = seeds & _LOW32  # numpy splits an int seed into 32-bit words, low first
    entropy[:, 1] = seeds >> _32
    # generate_state(4, np.uint64) is generate_state(8) viewed as uint64, as numpy does it.
    return seed_words(entropy, 8).view(np.uint64)


def fresh_words(m: int) -> np.ndarray:
    """The ``(m, 4)`` uint64 seeding words of ``m`` unseeded generators (fresh OS entropy).

    As ``SeedSequence()`` makes them: 128 bits of entropy each, hashed.
    """
    entropy = np.frombuffer(os.urandom(16 * m), dtype=np.uint32).reshape(m, 4)
    return seed_words(entropy, 8).view(np.uint64)


class KnownSeedSequence(ISeedSequence):
    """A seed sequence whose words are already computed (by :func:`int_seed_words` or
    :func:`fresh_words`), for numpy's bit generators.

    ``np.random.PCG64(KnownSeedSequence(words))`` is ``PCG64(SeedSequence(s))`` when
    ``words`` is ``SeedSequence(s).generate_state(4, np.uint64)``, made without hashing
    ``s`` again (about 2 µs instead of 8).
    """

    def __init__(self, words: np.ndarray) -> None:
        self.words = np.array(words, dtype=np.uint64).reshape(4)

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray:
        # SeedSequence's words do not depend on how many are asked for: a prefix is exact.
        words = self.words if np.dtype(dtype) == np.uint64 else self.words.view(np.uint32)
        if n_words > len(words) or np.dtype(dtype) not in (np.uint32, np.uint64):
            raise ValueError(f"KnownSeedSequence holds {len(words)} words of {words.dtype}; "
                             f"{n_words} of {np.dtype(dtype)} were asked for")
        return words[:n_words].copy()


def pcg64_states(words: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """PCG64's ``(state_hi, state_lo, inc_hi, inc_lo)`` as seeded by every row of ``words``.

    ``words`` is ``(m, 4)`` uint64, each row ``SeedSequence(...).generate_state(4, np.uint64)``:
    ``PCG64`` takes the first two as the initial state and the last two as the stream,
    high word first (numpy's ``pcg64_set_seed``).
    """
    seed_hi, seed_lo, seq_hi, seq_lo = (np.ascontiguousarray(w) for w in words.T)
    inc_hi = (seq_hi << _ONE) | (seq_lo >> np.uint64(63))
    inc_lo = (seq_lo << _ONE) | _ONE
    # pcg64_srandom_r: state = ((inc + initstate) * MULT + inc) mod 2**128.
    lo = inc_lo + seed_lo
    hi = inc_hi + seed_hi + (lo < seed_lo)
    hi, lo = _lcg_step(hi, lo, inc_hi, inc_lo)
    return hi, lo, inc_hi, inc_lo


def first_uniforms(words: np.ndarray, n_draws: int) -> np.ndarray:
    """The first ``n_draws`` ``Generator.random()`` values of every row's generator.

    ``words`` as in :func:`pcg64_states`; returns ``(n_draws, m)`` float64: column ``k``
    is ``np.random.Generator(np.random.PCG64(KnownSeedSequence(words[k]))).random(n_draws)``.
    """
    raw = np.empty((n_draws, len(words)), dtype=np.uint64)
    _draw(pcg64_states(words), n_draws, raw.__setitem__)
    return (raw >> _11) * _TO_UNIT


def _lcg_step(hi, lo, inc_hi, inc_lo):
    """PCG64's ``state * MULT + inc`` (mod 2**128) on states split in uint64 words."""
    # The high word of lo * MULT_lo, from 32-bit halves: numpy has no 128-bit product.
    l0, l1 = lo & _LOW32, lo >> _32
    p00, p01, p10 = l0 * _MUL_LO0, l0 * _MUL_LO1, l1 * _MUL_LO0
    mid = (p00 >> _32) + (p01 & _LOW32) + (p10 & _LOW32)
    high = l1 * _MUL_LO1 + (p01 >> _32) + (p10 >> _32) + (mid >> _32)
    new_lo = lo * _MUL_LO + inc_lo
    new_hi = hi * _MUL_LO + lo * _MUL_HI + high + inc_hi + (new_lo < inc_lo)  # + carry
    return new_hi, new_lo


def _initial_states(seeds: np.ndarray, episodes: np.ndarray, episode_seed: Callable):
    """PCG64 ``(state_hi, state_lo, inc_hi, inc_lo)`` of every (episode, run), episode-major.

    As ``PCG64(SeedSequence(episode_seed(s, i)))`` makes them; seeds of 2**32 or more
    (several entropy words) take numpy's own, slower, route.
    """
    m = len(episodes) * len(seeds)
    if seeds.max() < 2**32:
        entropy = np.empty((m, 2), dtype=np.uint32)
        entropy[:, 0] = np.tile(seeds, len(episodes))
        entropy[:, 1] = np.repeat(episodes, len(seeds))
        return pcg64_states(int_seed_words(seed_words(entropy, 1)[:, 0]))
    out = np.empty((4, m), dtype=np.uint64)
    for j, (i, s) in enumerate((i, s) for i in episodes.tolist() for s in seeds.tolist()):
        state = np.random.PCG64(episode_seed(s, i)).state["state"]
        for w, value in enumerate((state["state"], state["inc"])):
            out[2 * w, j], out[2 * w + 1, j] = value >> 64, value & _MASK64
    return tuple(out)


def first_draws(seeds, episodes, n_draws: int, episode_seed: Callable):
    """The first ``n_draws`` uniforms of every (episode, run) generator, and what follows.

    Returns ``(uniforms, hi, lo, inc_hi, inc_lo)``: uniforms ``(n_draws, m)`` with column
    ``(i - episodes[0]) * len(seeds) + k`` for episode ``i`` of run ``k``, and the PCG64
    state after those draws (``Generator.random`` is ``(next_uint64 >> 11) * 2**-53``).
    """
    raw = np.empty((n_draws, len(seeds) * len(episodes)), dtype=np.uint64)
    state = raw_draws(seeds, episodes, n_draws, episode_seed, raw.__setitem__)
    return (raw >> _11) * _TO_UNIT, *state


def raw_draws(seeds, episodes, n_draws: int, episode_seed: Callable,
              emit: Callable[[int, np.ndarray], Any]):
    """PCG64's uint64 outputs, as :func:`first_draws` orders them: ``emit(j, outputs)``
    for draw ``j`` (a buffer, overwritten next), then the state ``(hi, lo, inc_hi, inc_lo)``.
    """
    seeds = np.asarray(seeds, dtype=np.uint64)
    state = _initial_states(seeds, np.asarray(episodes, np.uint64), episode_seed)
    _draw(state, n_draws, emit)
    return state


def _draw(state, n_draws: int, emit: Callable[[int, np.ndarray], Any]) -> None:
    """``n_draws`` outputs of the PCG64 generators ``state = (hi, lo, inc_hi, inc_lo)``:
    ``emit(j, outputs)`` for draw ``j`` (a buffer, overwritten next); ``hi`` and ``lo``
    are moved on in place."""
    hi, lo, inc_hi, inc_lo = state
    # _lcg_step and the output with preallocated buffers (about 15% faster than fresh
    # temporaries on these ~10^4-element arrays): a, b, c, d are scratch words.
    a, b, c, d, raw = (np.empty_like(hi) for _ in range(5))
    carry = np.empty(len(hi), dtype=bool)
    for j in range(n_draws):
        # The high word of lo * MULT_lo from 32-bit halves, as Hacker's Delight's mulhu
        # (14 calls where _lcg_step's sum of the four partial products takes 18).
        np.bitwise_and(lo, _LOW32, out=a)  # lo_0
        np.right_shift(lo, _32, out=b)  # lo_1
        np.multiply(a, _MUL_LO0, out=c)  # p00
        np.right_shift(c, _32, out=c)
        np.multiply(b, _MUL_LO0, out=d)  # p10
        np.add(d, c, out=d)  # t = p10 + p00 >> 32 (< 2**64)
        np.multiply(a, _MUL_LO1, out=a)  # p01
        np.bitwise_and(d, _LOW32, out=c)
        np.add(c, a, out=c)  # w = (t & LOW32) + p01 (< 2**64)
        np.multiply(b, _MUL_LO1, out=b)  # p11
        np.right_shift(d, _32, out=d)
        np.add(b, d, out=b)
        np.right_shift(c, _32, out=c)
        np.add(b, c, out=b)  # high = p11 + t >> 32 + w >> 32
        np.multiply(hi, _MUL_LO, out=hi)  # hi = hi * MULT_lo + lo * MULT_hi + high + inc_hi
        np.add(hi, b, out=hi)
        np.multiply(lo, _MUL_HI, out=c)
        np.add(hi, c, out=hi)
        np.add(hi, inc_hi, out=hi)
        np.multiply(lo, _MUL_LO, out=lo)  # lo = lo * MULT_lo + inc_lo, with its carry
        np.add(lo, inc_lo, out=lo)
        np.less(lo, inc_lo, out=carry)
        np.add(hi, carry, out=hi)
        # XSL-RR output: (hi ^ lo) rotated right by the top six bits of hi (numpy shifts
        # by 64 give 0, so a rotation by 0 needs no special case).
        np.bitwise_xor(hi, lo, out=a)
        np.right_shift(hi, _58, out=b)
        np.subtract(_64, b, out=c)
        np.left_shift(a, c, out=c)
        np.right_shift(a, b, out=a)
        np.bitwise_or(a, c, out=raw)
        emit(j, raw)
