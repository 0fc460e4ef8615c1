"""The N runs of train_many side by side: their maze, choices, slip draws and records.

``Model`` lays the runs' states out as columns ``k * S + s`` of one transition table, and
``choice_table`` turns QLearningAgent's epsilon-greedy choice with random tie-breaking into
one look-up.

The slip draws: episode ``i`` of run ``s`` takes its slips, one uniform per step, from the
generator ``PCG64(SeedSequence(episode_seed(s, i)))``, as ``train`` reseeds the maze.
Their first draws are computed for a block of episodes of every run at once (see
:mod:`rlsandbox._seeding`); the longer episodes go on with a numpy generator set to
the state after those draws. ``SlipStreams`` keeps the draws as offsets ready to add to a
flat transition index, in one flat array read with one ``take`` per lock-step iteration.

``record_episodes``, ``record_summaries`` and ``finish_agent`` turn what the loop kept into
the histories and agents that the separate runs would leave.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from rlsandbox._history import Episode
from rlsandbox._seeding import first_draws, raw_draws, seed_words
from rlsandbox.envs.maze_dynamics import SLIP_OFFSETS, maze_arrays, slip_bands, slip_cuts

__all__ = ["EXPLORE", "TIE_CLASSES", "Model", "SlipStreams", "choice_table", "finish_agent",
           "first_draws", "record_episodes", "record_summaries", "seed_words"]

TIE_CLASSES = 12  # int(u2 * c) for every tie count c in 1..4 follows from int(u2 * 12)
EXPLORE = 16 * TIE_CLASSES  # choice table offset of the exploring rows
# Draws per ring slot and per refill: about 1 µs per episode per 100 draws made on arrays,
# against about 5 µs per refill of one sub-env (a numpy generator's state set and drawn
# from). On FrozenLake 8x8 (episodes of 32 steps on average) 96 beat 64 by about 5%.
N_DRAWS = 96
# Episodes of every run whose first draws are made together: longer arrays cost less per
# element (64 beat 32 by about 3%).
BLOCK = 64
LOOKAHEAD = 24  # iterations between refills (at most n_draws / 2: the left draws move down)


class Model:
    """The maze for ``n`` runs side by side, indexed by column ``k * S + s``.

    ``next[j, column]`` is the column entered by direction ``j % 4`` (eight rows, so that
    action + slip offset needs no modulo); ``reward`` and ``ends`` are those of entering
    a column. Column ``park`` leads to itself, pays 0 and never ends: finished runs idle
    there (cheaper than compacting every array). ``restart`` maps a column entered to
    the next one acted from.
    """

    def __init__(self, maze: Any, n: int) -> None:
        arrays = maze_arrays(maze)
        move, reward_in, ends_in = arrays.move, arrays.reward_in, arrays.ends_in
        self.n_states = n_states = len(move)
        self.base = np.arange(n, dtype=np.int64) * n_states
        self.park = park = n * n_states
        self.columns = park + 1
        self.next = np.full((8, self.columns), park, dtype=np.int64)
        move8 = np.concatenate([move, move], axis=1).T  # (8, S)
        self.next[:, :park] = (self.base[None, :, None] + move8[:, None, :]).reshape(8, park)
        self.reward = np.append(np.tile(reward_in, n), 0.0)
        self.ends = np.append(np.tile(ends_in, n), False)
        self.start = self.base + arrays.start
        # restart[c]: the column after entering c, the run's start when c ends an episode.
        self.restart = np.arange(self.columns, dtype=np.int64)
        ends_at = self.ends.nonzero()[0]
        self.restart[ends_at] = self.start[ends_at // n_states]
        self.is_goal = arrays.is_goal
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


def _raw_cut(cut: float) -> np.uint64:
    """The uint64 output ``x`` with ``u >= cut`` exactly when ``x >= _raw_cut(cut)``.

    ``u = (x >> 11) * 2**-53`` and ``cut * 2**53`` is exact, so ``u >= cut`` is
    ``x >> 11 >= ceil(cut * 2**53)``, that is ``x >= ceil(cut * 2**53) << 11`` (cut < 1).
    """
    return np.uint64(max(math.ceil(cut * 2**53), 0) << 11)


class SlipStreams:
    """Every sub-env's slip draws as scaled offsets in one ring, read at ``cursor``.

    ``flat[cursor[k] % len(flat)]`` is sub-env ``k``'s next offset times ``scale`` (0, 3
    or 1 times it: added to a flat index ``action * scale + column`` it turns the action).
    Episode slot ``j = i * n + k`` holds the first ``n_draws`` draws of episode ``i`` of
    run ``k``, made a block of episodes at a time by :func:`first_draws`; draw ``d`` of
    slot ``j`` is at cursor ``j + d * slots``. Cursors never wrap: ``take(mode="wrap")``
    wraps them onto the ring for free, so starting an episode sets its cursor to ``j``.
    Draw-major, a block's draws go in as the generator makes them (rows of slots, rotated
    by one row per turn of the ring), not transposed.

    Every ``LOOKAHEAD`` iterations (at ``due``), the sub-envs with fewer draws left refill
    their slot in place: the draws left move to its front, then come draws of a numpy
    generator set to the state after the slot's draws. One batch every few iterations
    costs much less than a refill at each iteration where some long episode runs out.

    Parameters
    ----------
    seeds, episodes, slip, scale
        The runs, episodes per run, the maze's slip and the offset scale.
    episode_seed : callable
        ``episode_seed(s, i)``, as ``train`` seeds episode ``i`` of run ``s``.

    Attributes shared with the caller: ``slot[k]``, the slot of sub-env ``k``'s episode
    (the caller moves it on, and sets ``cursor[k]`` to it, when an episode starts);
    ``cursor``; ``flat`` and ``step`` (0-d: what a cursor moves by per step), both
    replaced when the ring grows.
    """

    def __init__(self, seeds: list[int], episodes: int, slip: float, scale: int,
                 episode_seed: Callable) -> None:
        n, d = len(seeds), N_DRAWS
        self.seeds, self.episodes, self.episode_seed = seeds, episodes, episode_seed
        self.slot = np.arange(n, dtype=np.int64)
        self.cuts = slip_cuts(slip)  # the maze's slip bands
        self.raw_cuts = [_raw_cut(c) for c in self.cuts.tolist()]
        # int32 offsets where they fit: half the ring's memory, at no cost per step.
        self.dtype = np.int32 if 3 * scale < 2**31 else np.int64
        self.scaled = np.array(SLIP_OFFSETS, dtype=self.dtype) * scale  # by slip band
        self.cursor = self.slot.copy()
        self.due = LOOKAHEAD  # iteration of the next refill
        self.parked = np.zeros(n, dtype=bool)
        self.uniforms = np.empty((n, d))
        self.rng = np.random.Generator(np.random.PCG64(0))  # any state: it is always set
        self.drawn = [0] * n  # draws of the episode's generator past its slot's first ones
        self.refilled = [-1] * n  # slot of the episode the sub-env last refilled
        self.made = 0  # episodes 0 .. made-1 have their first draws
        self.made_until = 0  # = made * n: slots below it are made
        self._allocate(min(episodes, 2 * BLOCK) * n)  # grows if runs drift further apart
        self.make(n - 1)

    def _allocate(self, slots: int) -> None:
        self.slots = slots
        self.step = np.array(slots, dtype=np.int64)
        self.flat = np.zeros(N_DRAWS * slots, dtype=self.dtype)
        self.ring = self.flat.reshape(N_DRAWS, slots)
        self.state = np.zeros((4, slots), dtype=np.uint64)  # PCG64 words after the draws

    def make(self, last: int) -> None:
        """Make the first draws of every slot up to slot ``last``."""
        while last >= self.made_until:
            self._make_block()

    def park(self, k: int) -> None:
        """Sub-env ``k`` keeps stepping for nothing, on whatever its cursor reads."""
        self.parked[k] = True

    def refill(self, t: int) -> None:
        """At iteration ``t == due``: sub-envs that could run out before the next refill
        refill their slot: their draws left first, then fresh ones."""
        d, slots = N_DRAWS, self.slots
        self.due = t + LOOKAHEAD
        cursor, slot = self.cursor, self.slot
        np.copyto(cursor, slot, where=self.parked)  # parked cursors never run out
        used = cursor - slot
        envs = (used >= (d - LOOKAHEAD) * slots).nonzero()[0]
        if not len(envs):
            return
        at, begin = cursor.take(envs), slot.take(envs)
        left = d - used.take(envs) // slots
        old = self.flat.take(at[:, None] + np.arange(LOOKAHEAD) * slots, mode="wrap")
        rng, drawn, refilled = self.rng, self.drawn, self.refilled
        states = self.state[:, begin % slots].T.tolist()
        for k, n_left, b, (hi, lo, inc_hi, inc_lo) in zip(
                envs.tolist(), left.tolist(), begin.tolist(), states, strict=True):
            # The episode's generator: the state after its slot's draws, past those drawn.
            rng.bit_generator.state = {
                "bit_generator": "PCG64", "has_uint32": 0, "uinteger": 0,
                "state": {"state": (hi << 64) | lo, "inc": (inc_hi << 64) | inc_lo}}
            if refilled[k] == b:  # refilled before: skip what earlier refills drew
                rng.bit_generator.advance(drawn[k])
            else:
                drawn[k], refilled[k] = 0, b
            rng.random(out=self.uniforms[k, n_left:])
            drawn[k] += d - n_left
        new = self._offsets(self.uniforms.take(envs, axis=0))
        kept = np.arange(LOOKAHEAD) < left[:, None]  # the draws left come first
        new[:, :LOOKAHEAD] = np.where(kept, old, new[:, :LOOKAHEAD])
        self.flat.put(begin[:, None] + np.arange(d) * slots, new, mode="wrap")
        cursor[envs] = begin

    def _offsets(self, u: np.ndarray) -> np.ndarray:
        """Scaled offsets of uniforms, as the maze's slip rule maps them."""
        return self.scaled.take(slip_bands(u, self.cuts))

    def _make_block(self) -> None:
        """First draws of the next block of episodes, every run, into the ring."""
        n, first = len(self.seeds), self.made
        stop = min(first + BLOCK, self.episodes)
        active = self.slot[~self.parked]
        oldest = int(active.min()) if len(active) else stop * n
        if stop * n - oldest > self.slots:  # a run lags: writing would overwrite its slot
            self._grow(max(2 * self.slots, math.ceil((stop * n - oldest) / n) * n), oldest)
        # The block's slots by turns of the ring: (turn, ring columns, block columns).
        j, slots, pieces = first * n, self.slots, []
        while j < stop * n:
            turn, column = divmod(j, slots)
            end = min(stop * n, (turn + 1) * slots)
            pieces.append((turn, slice(column, column + end - j),
                           slice(j - first * n, end - first * n)))
            j = end
        bins = np.empty(n * (stop - first), dtype=np.int8)
        above = np.empty(len(bins), dtype=bool)

        def emit(e: int, raw: np.ndarray) -> None:
            # Offsets straight from the generator outputs (no conversion to floats): the
            # slip bands counted against the raw cuts (see _raw_cut), into ring row
            # (turn + e) % n_draws, where slot j's draw e is.
            np.greater_equal(raw, self.raw_cuts[0], out=bins.view(bool))
            np.greater_equal(raw, self.raw_cuts[1], out=above)
            np.add(bins, above.view(np.int8), out=bins)
            for turn, ring_columns, block_columns in pieces:
                self.scaled.take(bins[block_columns], mode="clip",
                                 out=self.ring[(turn + e) % N_DRAWS, ring_columns])

        state = raw_draws(self.seeds, np.arange(first, stop), N_DRAWS, self.episode_seed,
                           emit)
        for _, ring_columns, block_columns in pieces:
            self.state[:, ring_columns] = [w[block_columns] for w in state]
        self.made = stop
        self.made_until = stop * n

    def _grow(self, slots: int, oldest: int) -> None:
        """A larger ring, keeping the slots from ``oldest`` on and the cursors into them."""
        old_flat, old_state, old_slots = self.flat, self.state, self.slots
        self._allocate(slots)
        kept = np.arange(oldest, self.made * len(self.seeds))
        draws = np.arange(N_DRAWS)[:, None]
        self.flat.put(kept + draws * slots,
                      old_flat.take(kept + draws * old_slots, mode="wrap"), mode="wrap")
        self.state[:, kept % slots] = old_state[:, kept % old_slots]
        used = (self.cursor - self.slot) // old_slots  # draws used: the same in the new ring
        self.cursor[:] = self.slot + used * slots


def record_episodes(histories, log, model, ended, final, terminated, truncated) -> None:
    """Append the just-ended episodes (record="all"), one Episode each."""
    states = (final - model.base.take(ended)).tolist()
    is_goal = model.is_goal.tolist()
    for k, s, ended_in, cut_off in zip(ended.tolist(), states, terminated.tolist(),
                                       truncated.tolist(), strict=True):
        obs, acts, rews = log.episode(k, s)
        histories[k].append(Episode(observations=obs, actions=acts, rewards=rews,
                                    terminated=ended_in, truncated=cut_off,
                                    success=is_goal[s]))


def record_summaries(histories, model, maze, ended_at, last_column) -> None:
    """Fill the summary histories from each episode's end and last column, at once.

    ``ended_at[k, i]`` is the iteration count when episode ``i`` of run ``k`` ended and
    ``last_column[k, i]`` the column it ended in. In a maze an episode's rewards are
    ``step_reward`` at every step but the last, whose reward is that of the state entered;
    so its return is the numpy sum ``train`` takes of that array, computed once per
    distinct (length, last reward).
    """
    lengths = np.diff(ended_at, axis=1, prepend=0)
    last = last_column - model.base[:, None]
    kinds, kind = np.unique(model.reward_in, return_inverse=True)
    key = lengths * len(kinds) + kind[last]
    keys, where = np.unique(key, return_inverse=True)
    totals = []
    for length, k in zip(*np.divmod(keys, len(kinds)), strict=True):
        rewards = np.full(int(length), maze.step_reward)
        rewards[-1] = kinds[k]
        totals.append(float(rewards.sum()))
    columns = {
        "_returns": np.array(totals)[where.reshape(key.shape)],
        "_lengths": lengths,
        "_success": model.is_goal[last].astype(np.int8),
        "_terminated": model.ends_in[last].astype(np.int8),
        "_truncated": (lengths == maze.max_steps).astype(np.int8),
    }
    for name, rows in columns.items():  # History's own arrays: 'd', 'q' and 'b'
        for k, history in enumerate(histories):
            getattr(history, name).frombytes(rows[k].tobytes())


def finish_agent(agent: Any, table: np.ndarray, steps: int, uniforms: np.ndarray,
                 position: int, zeroed: np.ndarray) -> None:
    """Leave ``agent`` as its separate run would: table, step count, unused uniforms.

    ``table`` is the run's part of the shared Q-table; the rows of the states ``zeroed``
    (goals and traps, zeroed by the loop) get back the values the agent started with.
    """
    table = table.copy()
    table[zeroed] = agent.q_table[zeroed]
    agent.q_table = table
    agent.steps = steps
    agent._uniforms = uniforms.tolist()
    agent._next = position
