"""The start states of CartPoleVectorEnv's sub-envs, each drawn from its own generator.

Sub-env ``i`` must start every episode where ``CartPoleEnv`` seeded like it would: its
generator's ``uniform(low, high, size=4)``. A generator call costs about 1 µs plus 1.5 ns a
double, so the uniforms are pre-drawn per sub-env in blocks, and an autoreset costs a copy
instead of one generator call per ended episode. ``reset(seed=...)`` makes no generator: it
computes the first start of every sub-env as array code (``_vector_common.SubEnvGenerators``),
and each sub-env's generator is made when it first restarts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rlsandbox.envs._vector_common import SubEnvGenerators

__all__ = ["LAYOUT", "StartStates"]

# Starts per block. The blocks of all sub-envs share _DRAW_BYTES (but hold at least 64
# starts). At n = 1024: 256 starts a call, 4 calls per 1000 episodes instead of 16.
_MIN_STARTS_PER_DRAW, _MAX_STARTS_PER_DRAW = 64, 1024
_DRAW_BYTES = 8 << 20
# Rows of the vector env's state in CartPoleEnv's order (x, x_dot, theta, theta_dot);
# also the inverse.
LAYOUT = [0, 2, 1, 3]


class StartStates:
    """Each sub-env's next start states, pre-drawn from its own generator.

    ``take(envs)`` gives the next starts of some sub-envs (the many-sub-env way: index
    the few that restart). With few sub-envs, numpy's per-call cost dominates, so
    ``pending[:, i]`` holds sub-env ``i``'s next start state in the vector env's row
    layout, ready for a masked copy; ``stale`` marks those already used, and ``refresh()``
    replaces them together, when one is needed.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.low, self.high = -0.05, 0.05
        self._generators = SubEnvGenerators(n)
        # _block rows of 4 uniforms per sub-env; _next[i]: the row of sub-env i's next
        # start, _end[i]: the end of its block (the block is used up when they meet).
        block = min(max(_DRAW_BYTES // (32 * n), _MIN_STARTS_PER_DRAW), _MAX_STARTS_PER_DRAW)
        self._block = block
        self._uniforms = np.empty((n * block, 4))
        self._end = np.arange(1, n + 1, dtype=np.int64) * block
        self._next = self._end.copy()
        self.pending = np.zeros((4, n))
        self.stale = np.ones(n, dtype=bool)

    def reset(self, seed: int | Sequence[int | None] | None,
              bounds: tuple[float, float]) -> np.ndarray:
        """Apply ``reset(seed=..., options=...)``: every sub-env's start state.

        Returns ``pending``, ``(4, n)`` in the vector env's row layout (valid until the
        next call; every start in it is then used: ``stale``).
        """
        envs, first = self._generators.reseed(seed, first=4)
        if bounds != (self.low, self.high):
            self.low, self.high = bounds
            # Pending starts were scaled to the old bounds: give their uniforms back, so
            # that the next refresh scales them anew.
            self._next[~self.stale] -= 1
            self.stale[:] = True
        # Sub-envs with a new generator start where its first four draws (made as array
        # code, all at once) put them; their blocks are used up, to be refilled from the
        # new generator when they next restart. The others take their next start, as
        # CartPoleEnv.reset() without a seed would.
        self._next[envs] = self._end[envs]
        first *= self.high - self.low
        first += self.low
        for row, column in enumerate(LAYOUT):  # 1-d assignments: cheaper than 2-d
            self.pending[row, envs] = first[column]
        self.stale[envs] = False
        self.refresh()
        self.stale[:] = True
        return self.pending

    def take(self, envs: np.ndarray) -> np.ndarray:
        """The next start states of ``envs``, ``(len(envs), 4)`` in CartPoleEnv's order."""
        # take, not [rows]: the rows are scattered over MBs of pre-drawn uniforms, and take
        # costs about a fifth as much as fancy indexing here (14 vs 76 µs for 745 rows).
        u = self._uniforms.take(self._rows(envs), axis=0)
        # low + (high - low) * u: how Generator.uniform maps a random() double, so the
        # starts equal the single env's np_random.uniform(low, high, size=4), draw for draw.
        np.multiply(u, self.high - self.low, out=u)
        u += self.low
        return u

    def refresh(self) -> None:
        """Give every stale sub-env its next start state in ``pending``."""
        envs = self.stale.nonzero()[0]
        starts = self.take(envs)
        for row, column in enumerate(LAYOUT):  # 1-d assignments: cheaper than 2-d
            self.pending[row, envs] = starts[:, column]
        self.stale[envs] = False

    def _rows(self, envs: np.ndarray) -> np.ndarray:
        """Rows of ``_uniforms`` holding the next start of ``envs`` (refilled if used up)."""
        rows = self._next[envs]
        empty = rows == self._end[envs]
        if np.count_nonzero(empty):  # count_nonzero: a fraction of the cost of any()
            block, uniforms, random = self._block, self._uniforms, self._generators.random
            for i in envs[empty].tolist():
                random(i, uniforms[i * block : (i + 1) * block])
            rows[empty] -= block
        self._next[envs] = rows + 1
        return rows
