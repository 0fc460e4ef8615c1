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
  makes, as in ``train`` (see :mod:`rlsandbox._train_many_core`).

The N runs live side by side in "columns": column ``k * S + s`` is state ``s`` of run
``k``, and one more column parks the runs that have finished. The Q-tables are one
``(4, N * S + 1)`` array, the dynamics a table of next columns per (action + slip, column),
so an iteration is a few dozen numpy calls on arrays of N, whatever N is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from rlsandbox._history import History
from rlsandbox._train_many_core import (
    EXPLORE,
    TIE_CLASSES,
    Model,
    SlipStreams,
    choice_table,
    finish_agent,
    record_episodes,
    record_summaries,
)

__all__ = ["train_many"]

_BLOCK = 1024  # uniforms per refill, as QLearningAgent draws them
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
    from rlsandbox.loop import _check_count

    if not (agent == "q-learning" or agent is QLearningAgent):
        raise ValueError(
            f"train_many trains 'q-learning' agents only, got {agent!r}; use train() for others"
        )
    maze = _bare_maze(env)
    seeds = [_check_seed(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; pass e.g. seeds=range(10)")
    episodes = _check_count(episodes)
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
    from rlsandbox.loop import episode_seed

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
    uniforms = np.empty((n, _BLOCK))
    pairs = p = _BLOCK // 2  # (u1, u2) pairs per block; next unused pair
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
