"""The N runs of train_many side by side: their maze, their choices, their slip draws.

``Model`` lays the runs' states out as columns ``k * S + s`` of one transition table, and
``choice_table`` turns QLearningAgent's epsilon-greedy choice with random tie-breaking into
one look-up.

The slip draws: ``train(env, agent, E, seed=s)`` reseeds the maze at every episode:
episode ``i`` resets with ``episode_seed(s, i)``, a ``SeedSequence([s, i])`` word, and the
maze builds ``PCG64(SeedSequence(word))``; the generator's uniforms decide the slips, one
per step, in order. Through numpy's objects that is about 10 µs per episode, more than the
episode's steps cost in lock-step. Here both SeedSequence hashes (uint32 arithmetic),
PCG64's seeding and its first draws (128-bit LCG steps on pairs of uint64 words) are
computed for a block of episodes of every run at once; the longer episodes go on with a
numpy generator set to the state after those draws. ``SlipStreams`` keeps the draws as
offsets ready to add to a flat transition index, in one flat array read with one ``take``
per lock-step iteration.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["EXPLORE", "TIE_CLASSES", "Model", "SlipStreams", "choice_table", "first_draws",
           "seed_words"]

TIE_CLASSES = 12  # int(u2 * c) for every tie count c in 1..4 follows from int(u2 * 12)
EXPLORE = 16 * TIE_CLASSES  # choice table offset of the exploring rows
_OFFSET_OF_BIN = (0, 3, 1)  # MazeEnv's slip offsets: as chosen, turn left, turn right
# Draws per ring slot and per row refill: about 1 µs per episode made on arrays, against
# about 3 µs per refill of one sub-env (a numpy generator's state set and drawn from).
N_DRAWS = 64
BLOCK = 32  # episodes of every run whose first draws are made together
LOOKAHEAD = 8  # iterations between refills (at most n_draws / 2: the left draws move down)

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx) and PCG64's multiplier.
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _M32 = 0xCA01F9DD, 0x4973F715, 0xFFFFFFFF
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_MASK64 = (1 << 64) - 1
# The multiplier's words (and the low word's 32-bit halves) as numpy scalars.
_MUL_HI, _MUL_LO = np.uint64(_PCG_MULT >> 64), np.uint64(_PCG_MULT & _MASK64)
_MUL_LO0, _MUL_LO1 = np.uint64(_PCG_MULT & _M32), np.uint64((_PCG_MULT >> 32) & _M32)
_LOW32, _32, _58, _64, _11 = (np.uint64(v) for v in (_M32, 32, 58, 64, 11))


class Model:
    """The maze for ``n`` runs side by side, indexed by column ``k * S + s``.

    ``next[j, column]`` is the column entered by direction ``j % 4`` (eight rows, so that
    action + slip offset needs no modulo); ``reward`` and ``ends`` are those of entering
    a column. Column ``park`` leads to itself, pays 0 and never ends: finished runs idle
    there (cheaper than compacting every array).
    """

    def __init__(self, maze: Any, n: int) -> None:
        move, reward_in, ends_in = maze._model_parts()
        self.n_states = n_states = len(move)
        self.base = np.arange(n, dtype=np.int64) * n_states
        self.park = park = n * n_states
        self.columns = park + 1
        self.next = np.full((8, self.columns), park, dtype=np.int64)
        move8 = np.concatenate([move, move], axis=1).T  # (8, S)
        self.next[:, :park] = (self.base[None, :, None] + move8[:, None, :]).reshape(8, park)
        self.reward = np.append(np.tile(reward_in, n), 0.0)
        self.ends = np.append(np.tile(ends_in, n), False)
        self.start = self.base + maze.start_state
        self.is_goal = np.zeros(n_states, dtype=bool)
        self.is_goal[maze.goal_states] = True
        self.reward_in, self.ends_in = reward_in, ends_in


def choice_table(scale: int) -> np.ndarray:
    """``table[12 * greedy + z + 192 * explore]``: QLearningAgent.act's action, times ``scale``.

    ``greedy`` has bit ``a`` set when action ``a`` is greedy, ``z = int(u2 * 12)`` and
    ``explore = u1 < epsilon``. The agent takes ``ties[int(u2 * len(ties))]``, and for
    ``c`` dividing 12, ``int(u2 * c) == int(u2 * 12) * c // 12``: in floating point too,
    since ``u2 * 4`` and ``u2 * 2`` are exact and ``fl(u2 * 12) == 4 * fl(u2 * 3)``.
    Exploring takes ``int(u2 * 4)``: the look-up with all four actions tied.
    """
    table = np.zeros(2 * EXPLORE, dtype=np.int64)
    for greedy in range(1, 16):
        ties = [a for a in range(4) if greedy >> a & 1]
        for z in range(TIE_CLASSES):
            table[TIE_CLASSES * greedy + z] = ties[z * len(ties) // TIE_CLASSES] * scale
    for code in range(EXPLORE):
        table[EXPLORE + code] = (code % TIE_CLASSES) * 4 // TIE_CLASSES * scale
    return table



def seed_words(entropy: np.ndarray, n_words: int) -> np.ndarray:
    """``SeedSequence(row).generate_state(n_words)`` for every row of uint32 ``entropy``.

    numpy's algorithm (pool size 4, entropy of at most 4 words), on columns: hash the
    entropy into the pool, mix every pool word into every other, then hash the pool out.
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
        words = seed_words(seed_words(entropy, 1), 8).astype(np.uint64)
        words = words[:, 0::2] | (words[:, 1::2] << _32)  # little-endian pairs
        seed_hi, seed_lo, seq_hi, seq_lo = words.T
        inc_hi = (seq_hi << np.uint64(1)) | (seq_lo >> np.uint64(63))
        inc_lo = (seq_lo << np.uint64(1)) | np.uint64(1)
        # pcg64_srandom_r: state = ((inc + initstate) * MULT + inc) mod 2**128.
        lo = inc_lo + seed_lo
        hi = inc_hi + seed_hi + (lo < seed_lo)
        hi, lo = _lcg_step(hi, lo, inc_hi, inc_lo)
        return hi, lo, inc_hi, inc_lo
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
    raw, *state = _raw_draws(seeds, episodes, n_draws, episode_seed)
    return (raw >> _11) * (1.0 / 9007199254740992.0), *state


def _raw_draws(seeds, episodes, n_draws: int, episode_seed: Callable):
    """As :func:`first_draws`, with PCG64's uint64 outputs instead of the uniforms."""
    seeds = np.asarray(seeds, dtype=np.uint64)
    hi, lo, inc_hi, inc_lo = _initial_states(seeds, np.asarray(episodes, np.uint64),
                                             episode_seed)
    raw = np.empty((n_draws, len(hi)), dtype=np.uint64)
    # _lcg_step and the output with preallocated buffers (about 15% faster than fresh
    # temporaries on these ~10^4-element arrays): a, b, c, d are scratch words.
    a, b, c, d = (np.empty_like(hi) for _ in range(4))
    carry = np.empty(len(hi), dtype=bool)
    for j in range(n_draws):
        np.bitwise_and(lo, _LOW32, out=a)  # the high word of lo * MULT_lo, as in _lcg_step
        np.right_shift(lo, _32, out=b)
        np.multiply(a, _MUL_LO1, out=c)  # p01
        np.multiply(b, _MUL_LO0, out=d)  # p10
        np.multiply(a, _MUL_LO0, out=a)  # p00
        np.right_shift(a, _32, out=a)
        np.multiply(b, _MUL_LO1, out=b)  # p11
        np.add(b, c >> _32, out=b)
        np.add(b, d >> _32, out=b)
        np.bitwise_and(c, _LOW32, out=c)
        np.add(a, c, out=a)
        np.bitwise_and(d, _LOW32, out=d)
        np.add(a, d, out=a)  # mid
        np.right_shift(a, _32, out=a)
        np.add(b, a, out=b)  # high
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
        np.bitwise_or(a, c, out=raw[j])
    return raw, hi, lo, inc_hi, inc_lo


def _raw_cut(cut: float) -> np.uint64:
    """The uint64 output ``x`` with ``u >= cut`` exactly when ``x >= _raw_cut(cut)``.

    ``u = (x >> 11) * 2**-53`` and ``cut * 2**53`` is exact, so ``u >= cut`` is
    ``x >> 11 >= ceil(cut * 2**53)``, that is ``x >= ceil(cut * 2**53) << 11`` (cut < 1).
    """
    return np.uint64(max(math.ceil(cut * 2**53), 0) << 11)


class SlipStreams:
    """Every sub-env's slip draws as scaled offsets in one flat array, read at ``cursor``.

    ``flat[cursor[k]]`` is sub-env ``k``'s next offset times ``scale`` (0, 3 or 1 times
    it: added to a flat index ``action * scale + column`` it turns the action). The flat
    array is ``n`` rows of ``n_draws``, one per sub-env, then a ring of episode slots of
    ``n_draws`` each: the first draws of episode ``i`` of run ``k`` (slot ``i * n + k``
    modulo the ring size), made a block of episodes at a time by :func:`first_draws`.

    Every ``LOOKAHEAD`` iterations (at ``due``), the sub-envs with fewer draws left move to
    their own row: what they had left, then draws of a numpy generator set to the state
    after their slot's draws. One batch every few iterations costs much less than a
    refill at each iteration where some long episode runs out.

    Parameters
    ----------
    seeds, episodes, slip, scale
        The runs, episodes per run, the maze's slip and the offset scale.
    slot : ndarray
        Shared with the caller: ``slot[k]`` is the episode slot ``i * n + k`` that
        sub-env ``k`` plays (``start`` expects it updated).
    """

    def __init__(self, seeds: list[int], episodes: int, slip: float, scale: int,
                 slot: np.ndarray, episode_seed: Callable) -> None:
        n, d = len(seeds), N_DRAWS
        self.seeds, self.episodes, self.episode_seed = seeds, episodes, episode_seed
        self.slot = slot
        keep = 1.0 - slip
        self.cuts = (keep, keep + slip / 2)  # MazeEnv._draw's comparisons
        self.raw_cuts = [_raw_cut(c) for c in self.cuts]
        self.scaled = np.array(_OFFSET_OF_BIN, dtype=np.int64) * scale
        # Rows and slots are n_draws long and aligned, so draws left = n_draws - cursor % n_draws.
        self.base = n * d
        self.row_start = np.arange(n, dtype=np.int64) * d
        self.cursor = self.row_start.copy()
        self.due = LOOKAHEAD  # iteration of the next refill
        self.parked = np.zeros(n, dtype=bool)
        self.uniforms = np.empty((n, d))
        self.rng = np.random.Generator(np.random.PCG64(0))  # any state: it is always set
        self.drawn = [0] * n  # draws of the episode's generator in the sub-env's row
        self.made = 0  # episodes 0 .. made-1 have their first draws
        self._allocate(min(episodes, 4 * BLOCK) * n)

    def _allocate(self, slots: int) -> None:
        old = getattr(self, "flat", None)
        self.slots = slots
        self.flat = np.zeros(self.base + slots * N_DRAWS, dtype=np.int64)
        if old is not None:  # the rows go on
            self.flat[: self.base] = old[: self.base]
        self.ring = self.flat[self.base:].reshape(slots, N_DRAWS)
        self.state = np.zeros((4, slots), dtype=np.uint64)  # PCG64 words after the draws

    def start(self, envs: np.ndarray, slots: np.ndarray, last_slot: int) -> None:
        """Sub-envs ``envs`` begin the episodes of ``slots`` (``last_slot`` the largest)."""
        while last_slot >= self.made * len(self.seeds):
            self._make_block()
        position = slots % self.slots
        position *= N_DRAWS
        position += self.base
        self.cursor[envs] = position

    def park(self, k: int) -> None:
        """Sub-env ``k`` keeps stepping for nothing: it rereads its row's stale draws."""
        self.parked[k] = True

    def refill(self, t: int) -> None:
        """At iteration ``t == due``: sub-envs that could run out before the next refill
        move to their row, made of their draws left and then fresh ones."""
        self.due = t + LOOKAHEAD
        np.copyto(self.cursor, self.row_start, where=self.parked)
        left = N_DRAWS - self.cursor % N_DRAWS
        envs = (left <= LOOKAHEAD).nonzero()[0]
        if not len(envs):
            return
        cursor = self.cursor.take(envs)
        old = self.flat.take(cursor[:, None] + np.arange(LOOKAHEAD), mode="clip")
        left = left.take(envs)
        rng, drawn = self.rng, self.drawn
        ring_slots = (self.slot.take(envs) % self.slots).tolist()
        for k, n_left, at, ring_slot in zip(envs.tolist(), left.tolist(), cursor.tolist(),
                                            ring_slots, strict=True):
            # The episode's generator: the state after its slot's draws, past those drawn.
            hi, lo, inc_hi, inc_lo = self.state[:, ring_slot].tolist()
            rng.bit_generator.state = {
                "bit_generator": "PCG64", "has_uint32": 0, "uinteger": 0,
                "state": {"state": (hi << 64) | lo, "inc": (inc_hi << 64) | inc_lo}}
            if at < self.base:  # already in its row: skip what earlier refills drew
                rng.bit_generator.advance(drawn[k])
            else:
                drawn[k] = 0
            rng.random(out=self.uniforms[k, n_left:])
            drawn[k] += N_DRAWS - n_left
        new = self._offsets(self.uniforms.take(envs, axis=0))
        kept = np.arange(LOOKAHEAD) < left[:, None]  # the draws left come first
        new[:, :LOOKAHEAD] = np.where(kept, old, new[:, :LOOKAHEAD])
        self.flat[: self.base].reshape(-1, N_DRAWS)[envs] = new
        self.cursor[envs] = self.row_start.take(envs)

    def _offsets(self, u: np.ndarray) -> np.ndarray:
        """Scaled offsets of uniforms, as ``MazeEnv._draw`` maps them (cuts counted)."""
        bins = np.greater_equal(u, self.cuts[0]).view(np.int8)
        bins += np.greater_equal(u, self.cuts[1]).view(np.int8)
        return self.scaled.take(bins)

    def _make_block(self) -> None:
        """First draws of the next block of episodes, every run, into the ring."""
        n, first = len(self.seeds), self.made
        stop = min(first + BLOCK, self.episodes)
        active = self.slot[~self.parked]
        oldest = int(active.min()) if len(active) else stop * n
        if stop * n - oldest > self.slots:  # a run lags: writing would overwrite its slot
            self._grow(max(2 * self.slots, math.ceil((stop * n - oldest) / n) * n), oldest)
        raw, *state = _raw_draws(self.seeds, np.arange(first, stop), N_DRAWS,
                                 self.episode_seed)
        # Offsets straight from the generator outputs: no conversion to floats.
        bins = np.greater_equal(raw, self.raw_cuts[0]).view(np.int8)
        bins += np.greater_equal(raw, self.raw_cuts[1]).view(np.int8)
        where = np.arange(first * n, stop * n) % self.slots
        self.ring[where] = self.scaled.take(bins).T
        self.state[:, where] = state
        self.made = stop

    def _grow(self, slots: int, oldest: int) -> None:
        """A larger ring, keeping the slots from ``oldest`` on and the cursors into them."""
        old_ring, old_state, old_slots = self.ring, self.state, self.slots
        self._allocate(slots)
        kept = np.arange(oldest, self.made * len(self.seeds))
        self.ring[kept % slots] = old_ring[kept % old_slots]
        self.state[:, kept % slots] = old_state[:, kept % old_slots]
        in_ring = (self.cursor >= self.base).nonzero()[0]
        shift = (self.slot[in_ring] % slots - self.slot[in_ring] % old_slots) * N_DRAWS
        self.cursor[in_ring] += shift
