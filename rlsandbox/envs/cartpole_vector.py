"""CartPoleVectorEnv: N CartPoles stepped together on numpy arrays, each equal to a CartPoleEnv.

Sub-env ``i`` of ``CartPoleVectorEnv(n)`` reset with seed ``s`` behaves exactly like
``CartPoleEnv()`` reset with seed ``s + i`` (Gymnasium's ``SyncVectorEnv`` convention) and then
reset without a seed at every episode end: same start states, same float32 observations,
rewards and episode ends, bit for bit. That is why every sub-env keeps its own random
generator, where Gymnasium's ``CartPoleVectorEnv`` draws all start states from one.

Speed: the physics runs on float64 rows with in-place ufuncs into preallocated scratch rows
(no temporaries), rows laid out so that one call often does the work of two or four, and the
start states of later episodes are pre-drawn per sub-env in blocks, so an autoreset costs a
copy instead of one generator call per ended episode. ``np.cos``/``np.sin`` (libm, the same
values as ``math.cos``/``math.sin`` of the single env) take about half of a large batch's
step, on both sides of the benchmark against Gymnasium.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.envs.classic_control import utils
from gymnasium.error import ResetNeeded
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from rlsandbox.envs.cartpole import CartPoleEnv

__all__ = ["CartPoleVectorEnv"]

# Start states pre-drawn per sub-env and generator call: one call per 64 episodes (a call
# costs about as much as 10 episode-steps of physics) for 2 KiB per sub-env.
_STARTS_PER_DRAW = 64
# Rows of our state in CartPoleEnv's order (x, x_dot, theta, theta_dot); also the inverse.
_LAYOUT = [0, 2, 1, 3]
_DIRECT_FROM = 4096  # sub-envs from which an autoreset indexes instead of masking
_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}  # by itemsize


class CartPoleVectorEnv(VectorEnv):
    """``num_envs`` independent :class:`~rlsandbox.envs.CartPoleEnv` s, batched with numpy.

    ``gymnasium.make_vec("rlsandbox/CartPole-v0", num_envs=n,
    vectorization_mode="vector_entry_point")`` builds one.

    Parameters
    ----------
    num_envs : int, default 1
        Number of sub-environments.
    gravity, masscart, masspole, length, force_mag, tau, max_steps, sutton_barto_reward
        The physics and episode arguments of :class:`~rlsandbox.envs.CartPoleEnv`, shared by
        every sub-env.
    render_mode : {None, "rgb_array", "human"}
        ``render`` draws the first sub-env only (one frame, not a list of frames).

    Notes
    -----
    Autoreset follows Gymnasium's ``AutoresetMode.NEXT_STEP``: the step after a sub-env's
    episode ended ignores its action, starts its next episode and returns the start
    observation with reward 0 and ``terminated = truncated = False``.

    ``reset(seed=s)`` seeds sub-env ``i`` with ``s + i``; ``reset(seed=[s0, s1, ...])`` gives
    each its own seed (``None`` entries draw fresh entropy); ``reset()`` continues every
    sub-env's generator, as ``CartPoleEnv.reset()`` does. ``options={"low": .., "high": ..}``
    changes the start range for this and later episodes, as in Gymnasium's vector env.

    ``info`` holds ``"is_success"`` (pole still up at truncation) with its mask
    ``"_is_success"`` (the sub-envs whose episode ended on this step) when any episode ended,
    else it is empty.
    """

    metadata = {
        "render_modes": ["rgb_array", "human"],
        "render_fps": 50,
        "autoreset_mode": AutoresetMode.NEXT_STEP,
    }

    def __init__(
        self,
        num_envs: int = 1,
        *,
        gravity: float = 9.8,
        masscart: float = 1.0,
        masspole: float = 0.1,
        length: float = 0.5,
        force_mag: float = 10.0,
        tau: float = 0.02,
        max_steps: int = 500,
        sutton_barto_reward: bool = False,
        render_mode: str | None = None,
    ) -> None:
        self.num_envs = _check_num_envs(num_envs)
        # One single env validates the arguments, holds the physics constants, and draws the
        # first sub-env's frame (so the picture is exactly the single env's).
        self._single = single = CartPoleEnv(
            gravity=gravity, masscart=masscart, masspole=masspole, length=length,
            force_mag=force_mag, tau=tau, max_steps=max_steps,
            sutton_barto_reward=sutton_barto_reward, render_mode=render_mode,
        )
        self.render_mode = render_mode
        self.single_action_space = single.action_space
        self.single_observation_space = single.observation_space
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)

        n = self.num_envs
        self._forces = np.array([-single.force_mag, single.force_mag])
        self._reward_term, self._reward_other = single._rewards
        self._max_steps = single.max_steps
        # The step reads these constants; plain floats in a tuple, one load per step.
        self._physics = (single.gravity, single.masspole, single.total_mass, single.length,
                         single.polemass_length, single.tau)
        # Rows of _buf: x, theta, x_dot, theta_dot, xacc, thetaacc, temp, cos(theta). The
        # order lets one (2, n) or (4, n) ufunc call do what takes two or four on rows:
        # Euler is state += tau * rows 2-5; rows 3 and 7 give theta_dot**2 and cos**2.
        self._buf = np.zeros((8, n))
        self._state = self._buf[:4]  # x, theta, x_dot, theta_dot
        self._two = np.empty((2, n))  # temp, denominator
        self._sin = np.empty(n)
        self._work = np.empty((4, n))
        self._outside = np.empty((2, n), dtype=bool)
        self._squares_scale = np.array([[single.polemass_length], [single.masspole]])
        self._thresholds = np.array([[single.x_threshold], [single.theta_threshold_radians]])
        # Global step count at which each sub-env's episode is truncated: one compare a step.
        self._t = 0
        self._deadline = np.zeros(n, dtype=np.int64)
        self._done = np.zeros(n, dtype=bool)
        self._any_done = False
        self._low, self._high = -0.05, 0.05
        self._rngs: list[np.random.Generator] = []
        # Start states. _uniforms holds pre-drawn uniforms, _STARTS_PER_DRAW rows of 4 per
        # sub-env (_next[i]: row of sub-env i's next start, _end[i]: end of its block).
        # With few sub-envs, numpy's per-call cost dominates: _pending[:, i] is sub-env i's
        # next start state, ready to copy (raw uniforms in _pending_u), and _stale marks the
        # sub-envs whose pending start was used. An autoreset is then a masked copy; stale
        # ones are refreshed together, when one is needed. With many sub-envs, full-width
        # masked passes cost more than indexing the few that restart: _direct.
        self._uniforms = np.empty((n * _STARTS_PER_DRAW, 4))
        self._end = np.arange(1, n + 1, dtype=np.int64) * _STARTS_PER_DRAW
        self._next = self._end.copy()
        self._pending = np.zeros((4, n))
        self._pending_u = np.zeros((4, n))
        self._stale = np.ones(n, dtype=bool)
        self._direct = n >= _DIRECT_FROM
        self._rewards = np.full(n, self._reward_other)
        self._started = False

    # -- seeding and start states --------------------------------------------------------------
    def reset(
        self,
        *,
        seed: int | Sequence[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Start a new episode in every sub-env; returns ``(observations (n, 4), {})``."""
        super().reset(seed=seed if isinstance(seed, Integral) else None)
        bounds = utils.maybe_parse_reset_bounds(options, -0.05, 0.05)
        self._rngs, fresh = _seeded_generators(seed, self.num_envs, self._rngs)
        # Sub-envs with a new generator start a new block; the others go on with the
        # uniforms already drawn from theirs, as CartPoleEnv.reset() would.
        self._next[fresh] = self._end[fresh]
        self._stale |= fresh
        if bounds != (self._low, self._high):
            self._low, self._high = bounds
            self._scale(self._pending_u, out=self._pending)
        if self._direct:
            self._state[...] = self._starts(np.arange(self.num_envs))[:, _LAYOUT].T
        else:
            self._refresh()
            self._state[...] = self._pending
            self._stale[:] = True
        self._t = 0
        self._deadline[:] = self._max_steps
        self._done = np.zeros(self.num_envs, dtype=bool)
        self._any_done = False
        self._started = True
        if self.render_mode == "human":
            self.render()
        return self._observations(), {}

    def _rows(self, envs: np.ndarray) -> np.ndarray:
        """Rows of ``_uniforms`` holding the next start of ``envs`` (refilled if used up)."""
        rows = self._next[envs]
        empty = rows == self._end[envs]
        if np.count_nonzero(empty):  # count_nonzero: a fraction of the cost of any()
            block, uniforms, rngs = _STARTS_PER_DRAW, self._uniforms, self._rngs
            for i in envs[empty].tolist():
                rngs[i].random(out=uniforms[i * block : (i + 1) * block])
            rows[empty] -= block
        self._next[envs] = rows + 1
        return rows

    def _starts(self, envs: np.ndarray) -> np.ndarray:
        """The next start states of ``envs``, ``(len(envs), 4)`` in CartPoleEnv's order."""
        u = self._uniforms[self._rows(envs)]
        return self._scale(u, out=u)

    def _refresh(self) -> None:
        """Give every stale sub-env its next start state, from its pre-drawn uniforms."""
        envs = self._stale.nonzero()[0]
        # Draw order is CartPoleEnv's (x, x_dot, theta, theta_dot); rows are x, theta, ...
        u = self._uniforms[self._rows(envs)][:, _LAYOUT].T
        self._pending_u[:, envs] = u
        self._pending[:, envs] = self._scale(u)
        self._stale[envs] = False

    def _scale(self, u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``low + (high - low) * u``: how ``Generator.uniform`` maps a ``random()`` double.

        So the start states equal ``np_random.uniform(low, high, size=4)`` of the single
        env, draw for draw.
        """
        out = np.multiply(u, self._high - self._low, out=out)
        out += self._low
        return out

    # -- stepping --------------------------------------------------------------------------------
    def step(
        self, actions: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Push every cart; returns batched ``(obs, rewards, terminated, truncated, info)``."""
        if not self._started:
            raise ResetNeeded("CartPoleVectorEnv.step() called before reset(); call reset() first")
        force = self._force_of(actions)
        gravity, masspole, total_mass, length, polemass_length, tau = self._physics
        mul, div = np.multiply, np.divide
        buf, two, sintheta = self._buf, self._two, self._sin
        theta, xacc, thetaacc, costheta = buf[1], buf[4], buf[5], buf[7]
        temp, denominator = two
        np.cos(theta, out=costheta)
        np.sin(theta, out=sintheta)
        # CartPoleEnv's formulas with the same operations in the same order, so the results
        # are bit for bit the single env's. Rows of ``two`` carry two chains at once where
        # their operations line up (one ufunc call instead of two):
        #   temp  = (force + polemass_length * (theta_dot * theta_dot) * sintheta) / total_mass
        #   denom = length * (4/3 - masspole * (costheta * costheta) / total_mass)
        squares = buf[3::4]  # theta_dot, cos(theta)
        mul(squares, squares, out=two)
        mul(self._squares_scale, two, out=two)
        mul(temp, sintheta, out=temp)
        np.add(force, temp, out=temp)
        div(two, total_mass, out=two)  # both chains divide by total_mass here
        np.subtract(4.0 / 3.0, denominator, out=denominator)
        mul(length, denominator, out=denominator)
        # thetaacc = (gravity * sintheta - costheta * temp) / denominator
        mul(gravity, sintheta, out=thetaacc)
        mul(costheta, temp, out=xacc)  # xacc as scratch
        np.subtract(thetaacc, xacc, out=thetaacc)
        div(thetaacc, denominator, out=thetaacc)
        # xacc = temp - polemass_length * thetaacc * costheta / total_mass
        mul(polemass_length, thetaacc, out=xacc)
        mul(xacc, costheta, out=xacc)
        div(xacc, total_mass, out=xacc)
        np.subtract(temp, xacc, out=xacc)
        # Euler: positions move with the old velocities, velocities with the accelerations;
        # rows 2-5 are (x_dot, theta_dot, xacc, thetaacc), so two calls do all eight.
        work = self._work
        mul(tau, buf[2:6], out=work)
        np.add(self._state, work, out=self._state)

        # |x| > 2.4 is (x < -2.4) | (x > 2.4) for every float, NaN included, in fewer passes.
        outside = np.greater(np.abs(buf[:2], out=work[:2]), self._thresholds, out=self._outside)
        flags = np.empty((2, self.num_envs), dtype=bool)  # returned: fresh every step
        terminated = np.logical_or(outside[0], outside[1], out=flags[0])
        self._t = t = self._t + 1
        truncated = np.less_equal(self._deadline, t, out=flags[1])
        if self._reward_term == self._reward_other:
            rewards = self._rewards.copy()
        else:
            rewards = np.where(terminated, self._reward_term, self._reward_other)

        if self._any_done and self._direct:  # NEXT_STEP autoreset, by index
            restart = self._done.nonzero()[0]
            starts = self._starts(restart)
            for row, column in enumerate(_LAYOUT):  # 1-d assignments: cheaper than 2-d
                self._state[row, restart] = starts[:, column]
            self._deadline[restart] = t + self._max_steps
            rewards[restart] = 0.0
            terminated[restart] = False
            truncated[restart] = False
        elif self._any_done:  # NEXT_STEP autoreset, by masks
            restart = self._done
            if np.count_nonzero(restart & self._stale):
                self._refresh()
            np.copyto(self._state, self._pending, where=restart)
            self._stale |= restart
            np.copyto(self._deadline, t + self._max_steps, where=restart)
            np.copyto(rewards, 0.0, where=restart)
            np.greater(flags, restart, out=flags)  # a > b is a & ~b for bools
        # A fresh array, never changed in place, so info may hold it.
        self._done = done = terminated | truncated
        self._any_done = np.count_nonzero(done) > 0
        info: dict[str, Any] = {}
        if self._any_done:
            info = {"is_success": truncated > terminated, "_is_success": done}
        if self.render_mode == "human":
            self.render()
        return self._observations(), rewards, terminated, truncated, info

    def _force_of(self, actions: Any) -> np.ndarray:
        """The pushes of ``actions`` (0 or 1 each), or a ValueError naming the bad action."""
        a = np.asarray(actions)
        if a.shape != (self.num_envs,) or a.dtype.kind not in "iub":
            raise ValueError(
                f"actions must be {self.num_envs} integers in {{0, 1}} (one per sub-env), got "
                f"shape {a.shape} and dtype {a.dtype}"
            )
        # Viewed as unsigned, a negative action is huge: one compare checks both ends.
        if a.dtype.kind == "i" and np.count_nonzero(a.view(_UNSIGNED[a.dtype.itemsize]) > 1):
            bad = int(((a < 0) | (a > 1)).nonzero()[0][0])
            raise ValueError(
                f"invalid action {a[bad]!r} for sub-env {bad}; CartPole takes 0 (push left) "
                "or 1 (push right)"
            )
        return self._forces.take(a)  # 0 -> -force_mag, 1 -> +force_mag

    def _observations(self) -> np.ndarray:
        # (n, 4) in Fortran order, as Gymnasium's vector CartPole returns: a transposing
        # cast to C order costs seven times as much.
        return self._state.take(_LAYOUT, axis=0).T.astype(np.float32)

    # -- rendering -------------------------------------------------------------------------------
    @property
    def state(self) -> np.ndarray:
        """The float64 states, shape ``(n, 4)`` (a copy)."""
        return self._state.take(_LAYOUT, axis=0).T.copy()

    def render(self) -> np.ndarray | None:
        """Draw the first sub-env as :meth:`CartPoleEnv.render` does (one frame, or None)."""
        if self._started:
            self._single.state = self._state[_LAYOUT, 0]
        return self._single.render()

    def close(self, **kwargs: Any) -> None:
        """Close the window, if one is open."""
        self._single.close()


def _check_num_envs(num_envs: Any) -> int:
    if isinstance(num_envs, bool) or not isinstance(num_envs, Integral) or num_envs < 1:
        raise ValueError(f"num_envs must be a positive integer, got {num_envs!r}")
    return int(num_envs)


def _seeded_generators(
    seed: int | Sequence[int | None] | None, n: int, current: list[np.random.Generator]
) -> tuple[list[np.random.Generator], np.ndarray]:
    """One generator per sub-env, as ``Env.reset(seed=...)`` would make for each.

    Returns the generators and a bool mask of the sub-envs whose generator is new.

    ``seed`` is an int (sub-env ``i`` gets ``seed + i``), a sequence of ``n`` ints or
    ``None`` s, or ``None`` (keep the current generators; make unseeded ones on first use).
    """
    if isinstance(seed, np.ndarray):
        seed = seed.tolist()
    if seed is None:
        seeds: Sequence[int | None] = [None] * n
    elif isinstance(seed, Integral) and not isinstance(seed, bool):
        seeds = [int(seed) + i for i in range(n)]
    elif isinstance(seed, Sequence) and not isinstance(seed, str):
        seeds = list(seed)
        if len(seeds) != n:
            raise ValueError(f"seed must list one seed per sub-env ({n}), got {len(seeds)}")
    else:
        raise ValueError(f"seed must be an int, a list of {n} ints or None, got {seed!r}")
    if len(current) != n:
        return [seeding.np_random(s)[0] for s in seeds], np.ones(n, dtype=bool)
    rngs = [
        rng if s is None else seeding.np_random(s)[0]
        for rng, s in zip(current, seeds, strict=True)
    ]
    return rngs, np.array([s is not None for s in seeds])
