"""train_many: N independent Q-learners trained in lock-step on one vectorised maze.

``train_many(env, seeds=range(N), episodes=E, **kw)`` returns exactly, bit for bit, the
histories of the N separate runs ::

    agent = QLearningAgent.for_env(env, seed=s, **kw)
    train(env, agent, E, seed=s, progress=False)

but steps all N of them at once: one Q-array for the N tables, epsilon-greedy choices and
Q-updates as numpy operations over the N agents, and a :class:`MazeVectorEnv` for the
dynamics. What makes lock-step exact:

- every agent takes one step per iteration until its last episode ends, so all live agents
  have made the same number of updates: a schedule ``epsilon(steps)`` / ``alpha(steps)`` is
  one number per iteration;
- an exploring ``QLearningAgent.act`` always consumes two uniforms from a block of 1024
  drawn from the agent's generator, so all live agents refill their blocks on the same
  iteration, from their own generators;
- episode ``i`` of seed ``s`` resets its sub-env with ``episode_seed(s, i)``, as ``train``
  does, and the sub-env draws its slips from that generator in ``MazeEnv``'s order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from rlsandbox._history import Episode, History

__all__ = ["train_many"]

_BLOCK = 1024  # uniforms per refill, as QLearningAgent draws them
_LOG_ROWS = 4096  # steps of the N episode logs kept before compacting
_NEVER = np.iinfo(np.int64).max // 2  # log start of a sub-env that records no more


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
    from rlsandbox.envs.maze_vector import MazeVectorEnv
    from rlsandbox.loop import _check_count, episode_seed

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
    # Real agents validate the keywords and own the generators, as in the separate runs.
    agents = [QLearningAgent.for_env(maze, seed=s, **agent_kw) for s in seeds]
    histories = [History(keep=record) for _ in seeds]
    if episodes == 0:
        return (histories, agents) if return_agents else histories

    n, first = len(seeds), agents[0]
    n_states, n_actions = first.n_states, first.n_actions
    gamma, alpha, epsilon = first.gamma, first.alpha, first.epsilon
    # Q as (A, n * S): entry [a, k * S + s] is agent k's Q(s, a). Gathering column
    # ``k * S + s`` gives an (A, n) array whose reductions over the A rows are a few
    # contiguous elementwise passes, much cheaper than reductions along short rows.
    q = np.ascontiguousarray(np.stack([a.q_table for a in agents]).reshape(-1, n_actions).T)
    q_flat = q.reshape(-1)
    row_base = np.arange(n, dtype=np.int64) * n_states
    uniforms = np.empty((n, _BLOCK))
    uniforms_t = uniforms.T  # refreshed with a contiguous copy at every refill
    position = _BLOCK  # next unused uniform of every live agent (all in step)

    venv = MazeVectorEnv.from_env(maze, n)
    venv.reset(seed=[episode_seed(s, 0) for s in seeds])
    episode_rngs = _EpisodeGenerators(seeds, episode_seed)
    is_goal, start = venv._is_goal, venv._start
    keep_all = record == "all"
    state = venv._state.copy()
    index = row_base + state  # column of (agent, state) in q
    episode_index = [0] * n
    live = np.ones(n, dtype=bool)
    n_live = n
    log = _EpisodeLog(n, keep_all)
    t = 0  # iterations so far = updates made by every live agent

    while n_live:
        # -- act: QLearningAgent.act for every agent at once ---------------------------------
        if position >= _BLOCK:
            for k in live.nonzero()[0].tolist():
                agents[k].np_random.random(out=uniforms[k])
            uniforms_t = np.ascontiguousarray(uniforms.T)
            position = 0
        u1, u2 = uniforms_t[position], uniforms_t[position + 1]
        position += 2
        values = q[:, index]  # (A, n)
        is_best = values == _row_max(values)
        # QLearningAgent takes greedy action number int(u2 * len(ties)) in index order (0,
        # the first maximum, when there is one): that is the number of actions before which
        # the running count of greedy actions is still <= u2 * len(ties). Row by row, since
        # numpy's reductions along a short axis cost several times more.
        running = _running_counts(is_best.view(np.int8))
        threshold = u2 * running[-1]
        actions = np.less_equal(running[0], threshold).astype(np.int64)
        for count in running[1:-1]:
            actions += count <= threshold
        eps = epsilon if type(epsilon) is float else epsilon(t)
        explore = u1 < eps
        if np.count_nonzero(explore):
            actions = np.where(explore, (u2 * n_actions).astype(np.int64), actions)

        # -- step the mazes --------------------------------------------------------------------
        next_state, rewards, terminated, truncated = venv._transition(actions)
        log.add(state, actions, rewards)

        # -- update: QLearningAgent.update for every agent at once -----------------------------
        a = alpha if type(alpha) is float else alpha(t)
        next_index = row_base + next_state
        target = _row_max(q[:, next_index])
        target *= gamma
        target += rewards  # r + gamma * max Q(s', .), as in update()
        np.copyto(target, rewards, where=terminated)
        flat = actions * q.shape[1]
        flat += index
        q_sa = q_flat[flat]
        target -= q_sa
        target *= a
        target += q_sa
        q_flat[flat] = target
        t += 1

        # -- episode ends: record, reseed, or finish the run -----------------------------------
        state, index = next_state, next_index
        ended = terminated | truncated
        if n_live < n:
            ended &= live
        ended = ended.nonzero()[0]
        if len(ended):
            restart, restart_states = [], []
            # Python values of the ended sub-envs, once (numpy scalars cost more per use).
            ended_list = ended.tolist()
            ends = zip(ended_list, terminated[ended].tolist(), truncated[ended].tolist(),
                       is_goal[state[ended]].tolist(), strict=True)
            for k, ended_in, cut_off, success in ends:
                if keep_all:
                    obs, acts, rews = log.episode(k, int(state[k]))
                    histories[k].append(Episode(
                        observations=obs, actions=acts, rewards=rews, terminated=ended_in,
                        truncated=cut_off, success=success,
                    ))
                else:  # what History.append keeps of an Episode, without building one
                    rews = log.rewards(k)
                    histories[k]._add_summary(float(rews.sum()), len(rews), success, ended_in,
                                              cut_off)
                episode_index[k] += 1
                if episode_index[k] == episodes:
                    live[k] = False
                    n_live -= 1
                    log.stop(k)
                    _finish(agents[k], q[:, row_base[k]:row_base[k] + n_states].T, t,
                            uniforms[k], position)
                else:
                    restart.append(k)
                    restart_states.append(episode_rngs.state(k, episode_index[k]))
            if restart:
                envs = np.array(restart, dtype=np.int64)
                venv._begin(envs, rng_states=restart_states)
                state[envs] = start
                index[envs] = row_base[envs] + start
                log.start(envs)
        # Finished sub-envs keep stepping (cheaper than compacting every array), but their
        # agents, logs and generators are left alone.
    return (histories, agents) if return_agents else histories


class _EpisodeLog:
    """Rewards (and with ``keep_all`` observations and actions) of every current episode.

    Row ``r`` holds step ``r`` of all sub-envs; ``begin[k]`` is the row where sub-env
    ``k``'s episode began. When the rows run out, the rows no running episode needs are
    dropped (and the log grows if one episode fills it).
    """

    def __init__(self, n: int, keep_all: bool) -> None:
        self.names = ("rew", "obs", "act") if keep_all else ("rew",)
        self.rew = np.empty((_LOG_ROWS, n))
        if keep_all:
            self.obs = np.empty((_LOG_ROWS, n), dtype=np.int64)
            self.act = np.empty((_LOG_ROWS, n), dtype=np.int64)
        self.keep_all = keep_all
        self.row = 0
        self.begin = np.zeros(n, dtype=np.int64)

    def add(self, obs: np.ndarray, act: np.ndarray, rew: np.ndarray) -> None:
        if self.row == len(self.rew):
            self._make_room()
        r = self.row
        self.rew[r] = rew
        if self.keep_all:
            self.obs[r], self.act[r] = obs, act
        self.row = r + 1

    def start(self, envs: np.ndarray) -> None:
        self.begin[envs] = self.row

    def stop(self, k: int) -> None:
        """Sub-env ``k`` records no more: its rows may all be dropped."""
        self.begin[k] = _NEVER

    def rewards(self, k: int) -> np.ndarray:
        return self.rew[self.begin[k]:self.row, k]

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


class _EpisodeGenerators:
    """The generator state ``MazeEnv.reset(seed=episode_seed(s, i))`` gives, made fast.

    ``train`` seeds episode ``i`` of run ``s`` with ``episode_seed(s, i)``, a
    ``SeedSequence([s, i])`` word, and the env builds ``PCG64(SeedSequence(that word))``:
    two SeedSequence hashes and a generator, about 15 µs per episode, more than the
    episode's steps cost here. Both hashes are uint32 arithmetic, so they are computed
    here with numpy for a block of episodes of every run at once (``_seed_words``, checked
    against numpy's SeedSequence by the tests), and PCG64's seeding (two LCG steps) in
    Python integers; the result is set as the state of the sub-env's existing generator.
    Seeds of 2**32 or more (several entropy words) take numpy's own, slower, route.
    """

    def __init__(self, seeds: list[int], episode_seed: Any, block: int = 64) -> None:
        self.seeds = np.array(seeds, dtype=np.uint64)
        self.fast = all(s < 2**32 for s in seeds)
        self.episode_seed = episode_seed
        self.block = block
        self.blocks: dict[int, list] = {}

    def state(self, k: int, i: int) -> dict[str, Any]:
        if not self.fast:
            return np.random.PCG64(self.episode_seed(int(self.seeds[k]), i)).state
        b, j = divmod(i, self.block)
        words = self.blocks.get(b)
        if words is None:
            self.blocks.pop(b - 2, None)  # runs move at different speeds: keep a margin
            words = self.blocks[b] = self._words(b)
        w = words[k][j]
        initstate, initseq = (w[0] << 64) | w[1], (w[2] << 64) | w[3]
        inc = ((initseq << 1) | 1) & _MASK128
        state = ((inc + initstate) * _PCG_MULT + inc) & _MASK128  # pcg64_srandom_r
        return {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
                "has_uint32": 0, "uinteger": 0}

    def _words(self, b: int) -> list:
        """PCG64's four uint64 seed words of episodes ``b * block ...`` of every run."""
        n, block = len(self.seeds), self.block
        episodes = np.arange(b * block, (b + 1) * block, dtype=np.uint64)
        entropy = np.stack(np.broadcast_arrays(self.seeds[:, None], episodes[None, :]), -1)
        env_seeds = _seed_words(entropy.reshape(-1, 2).astype(np.uint32), 1)
        words = _seed_words(env_seeds, 8).astype(np.uint64)
        words = words[:, 0::2] | (words[:, 1::2] << np.uint64(32))  # little-endian pairs
        return words.reshape(n, block, 4).tolist()


# numpy's SeedSequence constants (numpy/random/bit_generator.pyx) and PCG64's multiplier.
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R, _M32 = 0xCA01F9DD, 0x4973F715, 0xFFFFFFFF
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_MASK128 = (1 << 128) - 1


def _seed_words(entropy: np.ndarray, n_words: int) -> np.ndarray:
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


def _row_max(rows: np.ndarray) -> np.ndarray:
    """Maximum over the rows of a small (A, n) array, one elementwise pass per row."""
    out = np.maximum(rows[0], rows[1]) if len(rows) > 1 else rows[0].copy()
    for row in rows[2:]:
        np.maximum(out, row, out=out)
    return out


def _running_counts(flags: np.ndarray) -> list[np.ndarray]:
    """``[flags[0], flags[0] + flags[1], ...]`` for (A, n) int8 flags (A < 128)."""
    counts = [flags[0]]
    for row in flags[1:]:
        counts.append(counts[-1] + row)
    return counts


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
