"""train_many: N independent Q-learners trained in lock-step on one maze.

``train_many(env, seeds=range(N), episodes=E, **kw)`` returns exactly, bit for bit, the
histories of the N separate runs ::

    agent = QLearningAgent.for_env(env, seed=s, **kw)
    train(env, agent, E, seed=s, progress=False)

but steps all N of them at once, as numpy operations over the N agents. What makes
lock-step exact:

- every agent takes one step per iteration until its last episode ends, so all live agents
  have made the same number of updates: a schedule ``epsilon(steps)`` / ``alpha(steps)`` is
  one number per iteration;
- ``QLearningAgent.act`` always consumes two uniforms ``u1, u2`` from a block of 1024
  drawn from the agent's generator, so all live agents refill their blocks on the same
  iteration, from their own generators;
- episode ``i`` of seed ``s`` takes its slips from the generator ``episode_seed(s, i)``
  makes, as in ``train`` (see ``SlipStreams`` below).

The N runs live side by side in "columns": column ``k * S + s`` is state ``s`` of run
``k``, and one more column parks the runs that have finished. The Q-tables are one
``(4, N * S + 1)`` array, the dynamics a table of next columns per (action + slip, column),
so an iteration is a few dozen numpy calls on arrays of N, whatever N is.

The N runs of train_many side by side: their maze, choices, slip draws and records.

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
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rlsandbox._seeding import raw_draws
from rlsandbox.envs.maze_dynamics import SLIP_OFFSETS, maze_arrays, slip_bands, slip_cuts
from rlsandbox.loop.episode import Episode, History

__all__ = ["train_many"]

TIE_CLASSES = 12  # int(u2 * c) for every tie count c in 1..4 follows from int(u2 * 12)
EXPLORE = 16 * TIE_CLASSES  # choice table offset of the exploring rows
# Draws per ring slot and per refill: about 1 µs per episode per 100 draws made on arrays,
# against about 5 µs per refill of one sub-env (a numpy generator's state set and drawn
# from). On FrozenLake 8x8 (episodes of 32 steps on average) 96 beat 64 by about 5%.
N_DRAWS = 96
# Episodes of every run whose first draws are made together: longer arrays cost less per
# element (64 beat 32 by about 3%).
_EPISODE_BLOCK = 64
LOOKAHEAD = 24  # iterations between refills (at most n_draws / 2: the left draws move down)
_UNIFORM_BLOCK = 1024  # uniforms per refill, as QLearningAgent draws them
_LOG_ROWS = 4096  # steps of the N episode logs kept before compacting (record="all")
_NEVER = np.iinfo(np.int64).max // 2  # deadline of a run that has finished
# Byte 3 of (greedy bytes b0..b3 as a little-endian uint32) * _TIE_MAGIC is 12 * sum(b_a << a):
# each b_a lands there times 12 << a, the other products fall below bit 24 (with no carry
# into it) or past bit 31.
_TIE_MAGIC = sum((TIE_CLASSES << a) << (24 - 8 * a) for a in range(4))


def train_many(
    env: Any,
    agent: Any = "q-learning",
    *,
    seeds: Iterable[int],
    episodes: int,
    record: str = "all",
    return_agents: bool = False,
    **agent_kw: Any,
) -> list[History] | tuple[list[History], list[Any]]:
    """Train one Q-learner per seed on the maze ``env``, all in lock-step; one History each.

    Parameters
    ----------
    env : MazeEnv
        The maze, bare or as made by ``gymnasium.make`` (only Gymnasium's checking wrappers
        are allowed: other wrappers would be silently skipped, so they raise).
    agent : "q-learning" or QLearningAgent
        The only agent with a vectorised version.
    seeds : iterable of int
        One run per seed: agent seed and episode seeds as in ``train(..., seed=s)``.
    episodes : int
        Episodes per run.
    record : {"all", "summary"}
        As in :func:`rlsandbox.train`: whole episodes, or returns/lengths/successes only.
    return_agents : bool, default False
        Also return the trained agents (``(histories, agents)``), each in the state the
        separate run would leave it in (Q-table, step count, generator).
    **agent_kw
        ``alpha``, ``gamma``, ``epsilon``, ``initial_q`` of :class:`QLearningAgent`;
        ``alpha`` and ``epsilon`` may be schedules.

    Returns
    -------
    list of History
        ``histories[k]`` equals the History of the separate run with ``seeds[k]``.

    Examples
    --------
    >>> from rlsandbox.envs import MazeEnv
    >>> histories = train_many(MazeEnv("tiny"), seeds=range(4), episodes=20, alpha=0.5)
    >>> [len(h) for h in histories]
    [20, 20, 20, 20]
    """
    from rlsandbox.agents.q_learning import QLearningAgent
    from rlsandbox.loop.run import check_count

    if not (agent == "q-learning" or agent is QLearningAgent):
        raise ValueError(
            f"train_many trains 'q-learning' agents only, got {agent!r}; use train() for others"
        )
    maze = _bare_maze(env)
    seeds = [_check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; pass e.g. seeds=range(10)")
    episodes = check_count(episodes)
    if record not in ("all", "summary"):
        raise ValueError(f"record must be 'all' or 'summary', got {record!r}")
    # A real agent validates the keywords. Every run's agent generator is
    # default_rng(seed), as QLearningAgent seeds it; whole agents (about 40 µs each) are
    # only made when they are returned.
    agents = [QLearningAgent.for_env(maze, seed=s, **agent_kw)
              for s in (seeds if return_agents else seeds[:1])]
    generators = [a.np_random for a in agents]
    if not return_agents:
        generators += [np.random.default_rng(s) for s in seeds[1:]]
    histories = [History(keep=record) for _ in seeds]
    if episodes:
        _run(maze, agents, generators, histories, seeds, episodes, return_agents)
    return (histories, agents) if return_agents else histories


def _run(maze: Any, agents: list, generators: list, histories: list[History],
         seeds: list[int], episodes: int, return_agents: bool) -> None:
    """The lock-step loop: fills ``histories`` (and with ``return_agents`` trains ``agents``)."""
    from rlsandbox.loop.run import episode_seed

    n, first = len(seeds), agents[0]
    gamma, alpha, epsilon = first.gamma, first.alpha, first.epsilon
    model = Model(maze, n)
    q = np.zeros((4, model.columns))  # q[a, k * S + s] is run k's Q(s, a)
    q[:, : model.park] = np.tile(first.q_table.T, n)  # every table starts at initial_q
    # Goal and trap columns are never acted from, only read for max Q(s', .): with zeros
    # there, r + gamma * 0.0 is r, the terminal target, with no masked copy per step. (A
    # reward of -0.0 comes out +0.0, but q + alpha * (target - q) is the same for both.)
    q[:, model.ends] = 0.0
    q_flat, step_to = q.reshape(-1), model.next.reshape(-1)
    reward, ends, restart, max_steps = model.reward, model.ends, model.restart, maze.max_steps
    keep_all = histories[0].keep == "all"
    # Q-learning's choice as one look-up: see choice_table.
    choose, choose_action = choice_table(model.columns), choice_table(1)
    # Preallocated buffers, and views of them made once: no temporaries, no views per step.
    values, next_values = np.empty((4, n)), np.empty((4, n))
    v0, v1, v2, v3 = values
    w0, w1, w2, w3 = next_values
    best = np.empty(n)
    # The greedy set of run k as the four bytes of one little-endian uint32 (byte a: action
    # a is greedy); times _TIE_MAGIC its top byte is 12 * (the set as 4 bits), in one call.
    greedy = np.empty((n, 4), dtype=bool)
    greedy_code = greedy.view("<u4").reshape(n)
    product = np.empty(n, dtype="<u4")
    tie_rows = product.view(np.uint8)[3::4]
    # numpy constants as 0-d arrays of the arrays' dtype: a Python scalar operand costs a
    # conversion in every call (about 0.2 µs).
    tie_magic = np.array(_TIE_MAGIC, dtype="<u4")
    fixed_epsilon, fixed_alpha = type(epsilon) is float, type(alpha) is float
    gamma_ = np.array(gamma)
    alpha_ = np.array(alpha) if fixed_alpha else None

    streams = None
    if maze.slip:
        streams = SlipStreams(seeds, episodes, maze.slip, model.columns, episode_seed)
        slot, ring, cursor, step = streams.slot, streams.flat, streams.cursor, streams.step
    else:
        slot = np.arange(n, dtype=np.int64)
    # slot[k] = i * n + k while run k plays episode i
    last = episodes * n  # slot of a run's episode past its last
    next_slot = np.array(n, dtype=np.int64)
    limit = min(last, streams.made_until) if streams is not None else last
    column = model.start.copy()
    deadline = np.full(n, max_steps, dtype=np.int64)  # iteration count at truncation
    check_truncation_at = max_steps  # no run truncates before (a lower bound)
    if keep_all:
        log = _EpisodeLog(n)
    else:  # every episode end in turn: its run, its last column, and when (t, how many)
        ended_run = np.empty(episodes * n, dtype=np.int64)
        ended_in = np.empty(episodes * n, dtype=np.int64)
        ended_t, ended_count, logged = [], [], 0
    live = np.ones(n, dtype=bool)
    n_live = n
    uniforms = np.empty((n, _UNIFORM_BLOCK))
    pairs = p = _UNIFORM_BLOCK // 2  # (u1, u2) pairs per block; next unused pair
    offset = np.empty((pairs, n), dtype=np.int64)
    z, explore = np.empty((n, pairs)), np.empty((n, pairs), dtype=bool)
    u2_scale, explore_offset = np.array(float(TIE_CLASSES)), np.array(float(EXPLORE))
    t = 0  # iterations so far = updates made by every live agent

    while n_live:
        if p == pairs:  # every live agent refills its block of uniforms here
            for k in live.nonzero()[0].tolist():
                generators[k].random(out=uniforms[k])
            # The choice table's row offset per (pair, agent): tie class, + 192 to explore,
            # made in whole numbers of floats (exact), then transposed once (small ints)
            # so that each iteration reads one row.
            np.multiply(uniforms[:, 1::2], u2_scale, out=z)
            np.trunc(z, out=z)  # int(u2 * 12)
            if fixed_epsilon:
                np.less(uniforms[:, 0::2], epsilon, out=explore)
                np.add(z, explore_offset, out=z, where=explore)
            else:
                u1 = np.ascontiguousarray(uniforms[:, 0::2].T)
            np.copyto(offset, z.T, casting="unsafe")
            p = 0
        if streams is not None and t >= streams.due:
            streams.refill(t)

        # -- act: QLearningAgent.act for every agent at once ---------------------------------
        # take(out=...) with mode="wrap" (the columns are all valid): no checked temporary.
        q.take(column, axis=1, out=values, mode="wrap")  # row reductions: elementwise calls
        np.maximum(v0, v1, out=best)
        np.maximum(best, v2, out=best)
        np.maximum(best, v3, out=best)
        np.greater_equal(values, best, out=greedy.T)
        np.multiply(greedy_code, tie_magic, out=product)  # tie_rows: 12 * greedy set
        if fixed_epsilon:
            choice = offset[p] + tie_rows
        else:
            choice = offset[p] + tie_rows + EXPLORE * (u1[p] < epsilon(t))
        flat_sa = choose.take(choice)  # action * columns
        flat_sa += column  # index of Q(s, a) in q_flat, and of the move in step_to

        # -- step the mazes: next column from the (action + slip offset, column) table --------
        if streams is not None:
            following = step_to.take(flat_sa + ring.take(cursor, mode="wrap"))
            cursor += step
        else:
            following = step_to.take(flat_sa)
        r = reward.take(following)
        terminated = ends.take(following)
        if keep_all:
            log.add(column - model.base, choose_action.take(choice), r)

        # -- update: QLearningAgent.update for every agent at once -----------------------------
        q.take(following, axis=1, out=next_values, mode="wrap")
        target = np.maximum(w0, w1)
        np.maximum(target, w2, out=target)
        np.maximum(target, w3, out=target)
        target *= gamma_
        target += r  # r + gamma * max Q(s', .), as in update(); r at goals and traps
        q_sa = q_flat.take(flat_sa)
        target -= q_sa
        target *= alpha_ if fixed_alpha else alpha(t)
        target += q_sa
        q_flat[flat_sa] = target
        t += 1
        p += 1

        # -- episode ends: record, restart, or park a finished run -----------------------------
        column = restart.take(following)  # goal and trap columns lead to the start column
        done = terminated
        recheck = t >= check_truncation_at
        if recheck:
            cut_off = deadline <= t
            done = terminated | cut_off
            np.copyto(column, model.start, where=cut_off)
        ended = done.nonzero()[0]  # nearly every iteration ends some episode
        if len(ended):
            new_slot = slot.take(ended)
            new_slot += next_slot
            slot[ended] = new_slot
            if keep_all:
                record_episodes(histories, log, model, ended, following.take(ended),
                                terminated.take(ended), deadline.take(ended) <= t)
            else:  # History rows are built at the end, from this log
                m = len(ended)
                ended_run[logged: logged + m] = ended
                following.take(ended, out=ended_in[logged: logged + m], mode="wrap")
                ended_t.append(t)
                ended_count.append(m)
                logged += m
            deadline[ended] = t + max_steps
            top = max(new_slot.tolist())  # a few runs: cheaper than a numpy reduction
            if top >= limit:  # runs finished, or their episodes' draws are to be made
                if top >= last:  # some runs ended their last episode: park them
                    finished = new_slot >= last
                    for k in ended[finished].tolist():
                        live[k] = False
                        n_live -= 1
                        column[k] = model.park
                        deadline[k] = _NEVER
                        if streams is not None:
                            streams.park(k)
                        if keep_all:
                            log.stop(k)
                        if return_agents:  # else nobody sees them: skip the ~20 µs
                            table = q[:, model.base[k]: model.base[k] + model.n_states].T
                            finish_agent(agents[k], table, t, uniforms[k], 2 * p,
                                         model.ends_in)
                    ended, new_slot = ended[~finished], new_slot[~finished]
                if streams is not None and len(ended):
                    streams.make(max(new_slot.tolist()))
                    # The ring may have grown.
                    ring, step, limit = streams.flat, streams.step, min(last, streams.made_until)
            if len(ended):
                if streams is not None:
                    cursor[ended] = new_slot
                if keep_all:
                    log.start(ended)
        if recheck:
            check_truncation_at = int(deadline.min())

    if not keep_all:
        order = np.argsort(ended_run, kind="stable")  # run by run, episodes in order
        ended_at = np.repeat(ended_t, ended_count)[order].reshape(n, episodes)
        record_summaries(histories, model, maze, ended_at, ended_in[order].reshape(n, episodes))


class _EpisodeLog:
    """Observations, actions and rewards of every current episode (record="all").

    Row ``r`` holds step ``r`` of all sub-envs; ``begin[k]`` is the row where sub-env
    ``k``'s episode began. When the rows run out, the rows no running episode needs are
    dropped (and the log grows if one episode fills it).
    """

    names = ("obs", "act", "rew")

    def __init__(self, n: int) -> None:
        self.obs = np.empty((_LOG_ROWS, n), dtype=np.int64)
        self.act = np.empty((_LOG_ROWS, n), dtype=np.int64)
        self.rew = np.empty((_LOG_ROWS, n))
        self.row = 0
        self.begin = np.zeros(n, dtype=np.int64)

    def add(self, obs: np.ndarray, act: np.ndarray, rew: np.ndarray) -> None:
        if self.row == len(self.rew):
            self._make_room()
        r = self.row
        self.obs[r], self.act[r], self.rew[r] = obs, act, rew
        self.row = r + 1

    def start(self, envs: np.ndarray) -> None:
        self.begin[envs] = self.row

    def stop(self, k: int) -> None:
        """Sub-env ``k`` records no more: its rows may all be dropped."""
        self.begin[k] = _NEVER

    def episode(self, k: int, last_obs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        b, e = int(self.begin[k]), self.row
        obs = np.empty(e - b + 1, dtype=np.int64)
        obs[:-1] = self.obs[b:e, k]
        obs[-1] = last_obs
        return obs, self.act[b:e, k].copy(), self.rew[b:e, k].copy()

    def _make_room(self) -> None:
        keep_from = min(int(self.begin.min()), self.row)
        rows = len(self.rew)
        size = rows if keep_from > 0 else 2 * rows
        for name in self.names:
            old = getattr(self, name)
            new = old if size == rows else np.empty((size, old.shape[1]), dtype=old.dtype)
            new[: rows - keep_from] = old[keep_from:]
            setattr(self, name, new)
        self.row -= keep_from
        self.begin -= keep_from


def _bare_maze(env: Any) -> Any:
    """The MazeEnv under ``env``; other wrappers than Gymnasium's checkers raise."""
    from gymnasium import Wrapper
    from gymnasium.wrappers import OrderEnforcing, PassiveEnvChecker

    from rlsandbox.envs.maze import MazeEnv

    maze = getattr(env, "unwrapped", env)
    if not isinstance(maze, MazeEnv):
        raise ValueError(
            f"train_many needs a MazeEnv, got {type(maze).__name__}; use train() for other envs"
        )
    inner = env
    while isinstance(inner, Wrapper):
        if not isinstance(inner, (OrderEnforcing, PassiveEnvChecker)):
            raise ValueError(
                f"train_many steps the maze's own dynamics, so the wrapper "
                f"{type(inner).__name__} would be skipped; pass the bare maze or use train()"
            )
        inner = inner.env
    return maze


def _check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"every seed must be a non-negative integer, got {seed!r}")
    return int(seed)


# -- the runs side by side: maze, choices, slip draws, records ------------------------------


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
        self._allocate(min(episodes, 2 * _EPISODE_BLOCK) * n)  # grows if runs drift further apart
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
        stop = min(first + _EPISODE_BLOCK, self.episodes)
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
