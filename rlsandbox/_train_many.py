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

from rlsandbox._history import Episode, History
from rlsandbox._train_many_core import EXPLORE, TIE_CLASSES, Model, SlipStreams, choice_table

__all__ = ["train_many"]

_BLOCK = 1024  # uniforms per refill, as QLearningAgent draws them
_LOG_ROWS = 4096  # steps of the N episode logs kept before compacting (record="all")
_NEVER = np.iinfo(np.int64).max // 2  # deadline of a run that has finished


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
    q_flat, step_to = q.reshape(-1), model.next.reshape(-1)
    reward, ends, max_steps = model.reward, model.ends, maze.max_steps
    keep_all = histories[0].keep == "all"
    # Q-learning's choice as one look-up: see choice_table.
    choose, choose_action = choice_table(model.columns), choice_table(1)
    bit_weights = np.array([TIE_CLASSES << a for a in range(4)], dtype=np.uint8)
    greedy = np.empty((4, n), dtype=bool)
    greedy_bytes = greedy.view(np.uint8)
    fixed_epsilon, fixed_alpha = type(epsilon) is float, type(alpha) is float

    slot = np.arange(n, dtype=np.int64)  # episode slot i * n + k that run k is playing
    streams = None
    if maze.slip:
        streams = SlipStreams(seeds, episodes, maze.slip, model.columns, slot, episode_seed)
        streams.start(slot, slot, n - 1)
        cursor = streams.cursor  # updated in place only: one array for the whole run
    column = model.start.copy()
    deadline = np.full(n, max_steps, dtype=np.int64)  # iteration count at truncation
    check_truncation_at = max_steps  # no run truncates before (a lower bound)
    if keep_all:
        log = _EpisodeLog(n)
    else:  # per slot: iteration count when the episode ended, and its last column
        ended_at = np.empty(episodes * n, dtype=np.int64)
        last_column = np.empty(episodes * n, dtype=np.int64)
    live = np.ones(n, dtype=bool)
    n_live = n
    uniforms = np.empty((n, _BLOCK))
    pairs = p = _BLOCK // 2  # (u1, u2) pairs per block; next unused pair
    t = 0  # iterations so far = updates made by every live agent

    while n_live:
        if p == pairs:  # every live agent refills its block of uniforms here
            for k in live.nonzero()[0].tolist():
                generators[k].random(out=uniforms[k])
            u1, u2 = uniforms[:, 0::2], uniforms[:, 1::2]
            # The choice table's row offset per (pair, agent): tie class, + 192 to explore.
            # Transposed once per block (small ints), so each iteration reads one row.
            offset = (u2 * TIE_CLASSES).astype(np.int64)
            if fixed_epsilon:
                offset[u1 < epsilon] += EXPLORE
            else:
                u1 = np.ascontiguousarray(u1.T)
            offset = np.ascontiguousarray(offset.T)
            p = 0
        if streams is not None and t >= streams.due:
            streams.refill(t)

        # -- act: QLearningAgent.act for every agent at once ---------------------------------
        values = q.take(column, axis=1)  # (4, n): row reductions are plain elementwise calls
        best = np.maximum(values[0], values[1])
        np.maximum(best, values[2], out=best)
        np.maximum(best, values[3], out=best)
        np.greater_equal(values, best, out=greedy)
        choice = bit_weights @ greedy_bytes  # 12 * greedy set (bit a: action a is greedy)
        if fixed_epsilon:
            choice = offset[p] + choice
        else:
            choice = offset[p] + choice + EXPLORE * (u1[p] < epsilon(t))
        flat_sa = choose.take(choice)  # action * columns
        flat_sa += column  # index of Q(s, a) in q_flat, and of the move in step_to

        # -- step the mazes: next column from the (action + slip offset, column) table --------
        if streams is not None:
            following = step_to.take(flat_sa + streams.flat.take(cursor))
            cursor += 1
        else:
            following = step_to.take(flat_sa)
        r = reward.take(following)
        terminated = ends.take(following)
        if keep_all:
            log.add(column - model.base, choose_action.take(choice), r)

        # -- update: QLearningAgent.update for every agent at once -----------------------------
        next_values = q.take(following, axis=1)
        target = np.maximum(next_values[0], next_values[1])
        np.maximum(target, next_values[2], out=target)
        np.maximum(target, next_values[3], out=target)
        target *= gamma
        target += r  # r + gamma * max Q(s', .), as in update()
        np.copyto(target, r, where=terminated)
        q_sa = q_flat.take(flat_sa)
        target -= q_sa
        target *= alpha if fixed_alpha else alpha(t)
        target += q_sa
        q_flat[flat_sa] = target
        t += 1
        p += 1

        # -- episode ends: record, restart, or park a finished run -----------------------------
        done = terminated
        recheck = t >= check_truncation_at
        if recheck:
            done = terminated | (deadline <= t)
        ended = done.nonzero()[0]  # nearly every iteration ends some episode
        if len(ended):
            ended_slot = slot.take(ended)
            new_slot = ended_slot + n
            slot[ended] = new_slot
            final = following.take(ended)
            if keep_all:
                _record_episodes(histories, log, model, ended, final,
                                 terminated.take(ended), deadline.take(ended) <= t)
            else:  # History rows are built at the end, from these two
                ended_at[ended_slot] = t
                last_column[ended_slot] = final
            following[ended] = model.start.take(ended)
            deadline[ended] = t + max_steps
            check_truncation_at = min(check_truncation_at, t + max_steps)
            top = int(np.maximum.reduce(new_slot))  # a little cheaper than .max()
            if top >= episodes * n:  # some runs ended their last episode: park them
                finished = new_slot >= episodes * n
                for k in ended[finished].tolist():
                    live[k] = False
                    n_live -= 1
                    following[k] = model.park
                    deadline[k] = _NEVER
                    if streams is not None:
                        streams.park(k)
                    if keep_all:
                        log.stop(k)
                    if return_agents:  # else nobody sees them: skip the ~20 µs
                        _finish(agents[k], q[:, model.base[k]: model.base[k] + model.n_states].T,
                                t, uniforms[k], 2 * p)
                ended, new_slot = ended[~finished], new_slot[~finished]
                top = int(np.maximum.reduce(new_slot)) if len(ended) else -1
            if len(ended):
                if streams is not None:
                    streams.start(ended, new_slot, top)
                if keep_all:
                    log.start(ended)
        if recheck:
            check_truncation_at = int(deadline.min())
        column = following

    if not keep_all:
        _record_summaries(histories, model, maze, ended_at, last_column)


def _record_episodes(histories, log, model, ended, final, terminated, truncated) -> None:
    """Append the just-ended episodes (record="all"), one Episode each."""
    states = (final - model.base.take(ended)).tolist()
    is_goal = model.is_goal.tolist()
    for k, s, ended_in, cut_off in zip(ended.tolist(), states, terminated.tolist(),
                                       truncated.tolist(), strict=True):
        obs, acts, rews = log.episode(k, s)
        histories[k].append(Episode(observations=obs, actions=acts, rewards=rews,
                                    terminated=ended_in, truncated=cut_off,
                                    success=is_goal[s]))


def _record_summaries(histories, model, maze, ended_at, last_column) -> None:
    """Fill the summary histories from each episode's end and last column, at once.

    In a maze an episode's rewards are ``step_reward`` at every step but the last, whose
    reward is that of the state entered; so its return is the numpy sum ``train`` takes
    of that array, computed once per distinct (length, last reward).
    """
    n = len(histories)
    ended_at = ended_at.reshape(-1, n)
    lengths = np.diff(ended_at, axis=0, prepend=0)
    last = last_column.reshape(-1, n) - model.base
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
    for name, values in columns.items():  # History's own arrays: 'd', 'q' and 'b'
        rows = np.ascontiguousarray(values.T)
        for k, history in enumerate(histories):
            getattr(history, name).frombytes(rows[k].tobytes())


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


def _finish(agent: Any, q: np.ndarray, steps: int, uniforms: np.ndarray, position: int) -> None:
    """Leave ``agent`` as its separate run would: table, step count, unused uniforms."""
    agent.q_table = q
    agent.steps = steps
    agent._uniforms = uniforms.tolist()
    agent._next = position


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
