"""CartPoleVectorEnv: N CartPoles stepped together on numpy arrays, each equal to a CartPoleEnv.

Sub-env ``i`` of ``CartPoleVectorEnv(n)`` reset with seed ``s`` behaves exactly like
``CartPoleEnv()`` reset with seed ``s + i`` (Gymnasium's ``SyncVectorEnv`` convention) and then
reset without a seed at every episode end: same start states, same float32 observations,
rewards and episode ends, bit for bit. That is why every sub-env keeps its own random
generator, where Gymnasium's ``CartPoleVectorEnv`` draws all start states from one.

Speed, in one process and one thread: the physics runs on float64 rows with in-place ufuncs
into preallocated scratch rows (no temporaries), rows laid out so that one call often does the
work of two or four, and the start states of later episodes are pre-drawn per sub-env in blocks
(``_cartpole_starts``), so an autoreset costs a copy instead of one generator call per ended
episode. ``np.sin`` and ``np.cos`` give the same values as the single env's ``math.sin`` and
``math.cos``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.envs.classic_control import utils
from gymnasium.error import ResetNeeded
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from rlsandbox.envs._cartpole_starts import LAYOUT, StartStates
from rlsandbox.envs._vector_common import check_actions, check_num_envs
from rlsandbox.envs.cartpole import CartPoleEnv

__all__ = ["CartPoleVectorEnv"]

_DIRECT_FROM = 4096  # sub-envs from which an autoreset indexes instead of masking
# Module globals: one dictionary look-up each, where np.multiply is two.
_mul, _div, _sub, _add, _greater = np.multiply, np.divide, np.subtract, np.add, np.greater
_ZERO, _ONE = np.array(0.0), np.array(1.0)  # 0-d: a cheaper ufunc operand than a float
_SIGN_SHIFT = np.uint64(63)


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
    each its own seed (a ``None`` entry keeps that sub-env's generator); ``reset()`` continues
    every sub-env's generator, as ``CartPoleEnv.reset()`` does (the first reset without a seed
    seeds each from fresh entropy). Seeding 16384 sub-envs takes milliseconds: their seeds
    are hashed and their first start states drawn all at once, and each sub-env's numpy
    generator is made (about 2 µs) when it first restarts. ``options={"low": .., "high": ..}``
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
        self.num_envs = check_num_envs(num_envs)
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
        # The pushes are -force_mag with the sign bit flipped where the action is 1: two
        # integer passes, no int-to-float conversion (8 vs 18 µs for a take at n = 16384).
        self._push_left_bits = np.array(-single.force_mag).view(np.uint64)
        self._force_bits = np.empty(n, dtype=np.uint64)
        self._sutton_barto = single.sutton_barto_reward
        self._max_steps = single.max_steps
        # The step's constants as 0-d arrays: a ufunc takes one about 0.2 µs faster than a
        # Python float (no scalar conversion each call), which adds up at 20 calls a step.
        gravity, masspole, total_mass, length, polemass_length, tau, four_thirds = (
            np.array(c) for c in (single.gravity, single.masspole, single.total_mass,
                                  single.length, single.polemass_length, single.tau, 4.0 / 3.0)
        )
        self._constants = (gravity, masspole, polemass_length, total_mass, length, four_thirds,
                           tau)
        self._thresholds = (np.array(single.x_threshold),
                            np.array(single.theta_threshold_radians))
        # One (10, n) arena holds the state and every scratch row, so a large batch's
        # working set stays small (1.3 MB at n = 16384; separate scratch arrays took 1.9). Rows:
        #   0 x, 1 theta, 2 x_dot, 3 theta_dot, 4 xacc, 5 thetaacc, 6 sin, 7 cos, 8 temp,
        #   9 denominator.
        # The order lets one (2, n) or (4, n) call do the work of two or four row calls:
        # Euler is state += tau * rows 2-5, and rows 6-9 are dead once xacc is known and
        # take tau * rows 2-5.
        self._buf = np.zeros((10, n))
        self._bind_views()
        self._outside = np.empty((2, n), dtype=bool)
        # Global step count at which each sub-env's episode is truncated: one compare a step.
        self._t = 0
        self._deadline = np.zeros(n, dtype=np.int64)
        self._done = np.zeros(n, dtype=bool)
        self._any_done = False
        self._starts = StartStates(n)
        # Many sub-envs autoreset by indexing the few that restart; few, by masked copies
        # from StartStates.pending (full-width passes cost less than indexing there).
        self._direct = n >= _DIRECT_FROM
        self._rewards = np.ones(n)  # the default rewards of a step without restarts
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
        self._state[...] = self._starts.reset(seed, bounds)
        self._t = 0
        self._deadline[:] = self._max_steps
        self._done = np.zeros(self.num_envs, dtype=bool)
        self._any_done = False
        self._started = True
        if self.render_mode == "human":
            self.render()
        return self._observations(), {}

    # -- stepping --------------------------------------------------------------------------------
    def step(
        self, actions: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Push every cart; returns batched ``(obs, rewards, terminated, truncated, info)``."""
        if not self._started:
            raise ResetNeeded("CartPoleVectorEnv.step() called before reset(); call reset() first")
        # Module-level ufunc names; every out= is passed by position (faster than by keyword).
        (theta, theta_dot, xacc, thetaacc, sintheta, costheta, temp, denominator,
         derivatives, work, positions, position_size) = self._views
        gravity, masspole, polemass_length, total_mass, length, four_thirds, tau = \
            self._constants
        force = self._force_of(actions)  # a bad action raises here, the state untouched
        self._t = t = self._t + 1
        np.sin(theta, sintheta)
        np.cos(theta, costheta)
        # CartPoleEnv's formulas with the same operations in the same order, so the results
        # are bit for bit the single env's:
        #   temp = (force + polemass_length * (theta_dot * theta_dot) * sintheta) / total_mass
        _mul(theta_dot, theta_dot, temp)
        _mul(polemass_length, temp, temp)
        _mul(temp, sintheta, temp)
        _add(force, temp, temp)
        _div(temp, total_mass, temp)
        _mul(gravity, sintheta, thetaacc)  # the first term of thetaacc's numerator
        #   denominator = length * (4/3 - masspole * (costheta * costheta) / total_mass)
        _mul(costheta, costheta, denominator)
        _mul(masspole, denominator, denominator)
        _div(denominator, total_mass, denominator)
        _sub(four_thirds, denominator, denominator)
        _mul(length, denominator, denominator)
        # thetaacc = (gravity * sintheta - costheta * temp) / denominator
        _mul(costheta, temp, xacc)  # xacc as scratch
        _sub(thetaacc, xacc, thetaacc)
        _div(thetaacc, denominator, thetaacc)
        # xacc = temp - polemass_length * thetaacc * costheta / total_mass
        _mul(polemass_length, thetaacc, xacc)
        _mul(xacc, costheta, xacc)
        _div(xacc, total_mass, xacc)
        _sub(temp, xacc, xacc)
        # Euler: positions move with the old velocities, velocities with the accelerations;
        # rows 2-5 are (x_dot, theta_dot, xacc, thetaacc), so two calls do all eight.
        state = self._state
        _mul(tau, derivatives, work)
        _add(state, work, state)

        restart, any_restart, idx, starts = self._restarts()
        if any_restart:
            # Restarted sub-envs take their next start state and a new deadline before the
            # truncation test below, so it reports False for them without a clearing pass.
            if idx is not None:
                for row, column in enumerate(LAYOUT):  # 1-d assignments: cheaper than 2-d
                    state[row, idx] = starts[:, column]
                self._deadline[idx] = t + self._max_steps
            else:  # by masks: fewer calls, which is what counts at small n
                np.copyto(state, self._starts.pending, where=restart)  # ready: _restarts
                np.logical_or(self._starts.stale, restart, self._starts.stale)
                np.putmask(self._deadline, restart, t + self._max_steps)  # 75% of copyto

        # |x| > 2.4 is (x < -2.4) | (x > 2.4) for every float, NaN included, in fewer passes.
        flags = np.empty((2, self.num_envs), dtype=bool)  # returned: fresh every step
        terminated, truncated = flags[0], flags[1]
        outside = self._outside
        np.abs(positions, position_size)
        x_max, theta_max = self._thresholds
        _greater(position_size[0], x_max, outside[0])
        _greater(position_size[1], theta_max, outside[1])
        np.logical_or(outside[0], outside[1], terminated)
        if idx is not None:
            terminated[idx] = False
        elif any_restart:
            _greater(terminated, restart, terminated)  # a > b is a & ~b for bools
        np.less_equal(self._deadline, t, truncated)
        # Rewards: Sutton-Barto's 0 - terminated (-1 on termination, else 0) in one pass;
        # else 1, and 0 on the restart step: a copy of ones zeroed at the few restarted
        # (large n, half the cost of a casting pass), or one pass 1 - restarted (small n).
        if self._sutton_barto:
            rewards = _sub(_ZERO, terminated)
        elif idx is not None:
            rewards = self._rewards.copy()
            rewards[idx] = 0.0
        elif any_restart:
            rewards = _sub(_ONE, restart)
        else:
            rewards = self._rewards.copy()
        # A fresh array, never changed in place, so info may hold it.
        self._done = done = terminated | truncated
        self._any_done = np.count_nonzero(done) > 0
        info: dict[str, Any] = {}
        if self._any_done:
            info = {"is_success": truncated > terminated, "_is_success": done}
        if self.render_mode == "human":
            self.render()
        return self._observations(), rewards, terminated, truncated, info

    def _restarts(self) -> tuple[np.ndarray, bool, np.ndarray | None, np.ndarray | None]:
        """NEXT_STEP autoreset: the sub-envs whose episode ended last step, whether any did,
        and, at large n, their indices and next start states (at small n, their next start
        states are made ready in ``StartStates.pending`` instead)."""
        restart = self._done
        if not self._any_done:
            return restart, False, None, None
        if self._direct:  # by index: cheaper than masked passes at large n
            idx = restart.nonzero()[0]
            return restart, True, idx, self._starts.take(idx)
        if restart.dot(self._starts.stale):  # any stale one restarting? (dot: ~60% of &)
            self._starts.refresh()
        return restart, True, None, None

    def _force_of(self, actions: Any) -> np.ndarray:
        """The pushes of ``actions`` (0 or 1 each), or a ValueError naming the bad action."""
        a = check_actions(actions, self.num_envs, 1, "iub",
                          "CartPole takes 0 (push left) or 1 (push right)")
        bits = self._force_bits
        np.left_shift(a, _SIGN_SHIFT, bits, dtype=np.uint64)
        np.bitwise_xor(bits, self._push_left_bits, bits)
        return bits.view(np.float64)  # 0 -> -force_mag, 1 -> +force_mag

    def _observations(self) -> np.ndarray:
        # A fresh (4, n) float32 array filled by one casting copy, returned transposed: (n, 4)
        # in Fortran order, as Gymnasium's vector CartPole returns (a C-order result costs
        # several times as much). Half the cost of take + astype (10 vs 22 µs at n = 16384).
        obs = np.empty((4, self.num_envs), dtype=np.float32)
        np.copyto(obs.reshape(2, 2, -1), self._obs_view)
        return obs.T

    # -- rendering -------------------------------------------------------------------------------
    @property
    def state(self) -> np.ndarray:
        """The float64 states, shape ``(n, 4)`` (a copy)."""
        return self._state.take(LAYOUT, axis=0).T.copy()

    def render(self) -> np.ndarray | None:
        """Draw the first sub-env as :meth:`CartPoleEnv.render` does (one frame, or None)."""
        if self._started:
            self._single.state = self._state[LAYOUT, 0]
        return self._single.render()

    def _bind_views(self) -> None:
        """The views of the arena (made once: slicing costs ~0.1 µs a view, a step uses 13)."""
        buf = self._buf
        self._state = buf[:4]  # x, theta, x_dot, theta_dot
        # _state rows in CartPoleEnv's order (x, x_dot, theta, theta_dot), as a (2, 2, n) view:
        # the float32 observation is one copyto from it.
        self._obs_view = self._state.reshape(2, 2, -1).transpose(1, 0, 2)
        # Order as unpacked in step().
        self._views = (buf[1], buf[3], buf[4], buf[5], buf[6], buf[7], buf[8], buf[9],
                       buf[2:6], buf[6:10], buf[:2], buf[6:8])

    # Pickling and copying: views would come back as separate arrays; make them anew.
    def __getstate__(self) -> dict[str, Any]:
        derived = ("_state", "_obs_view", "_views")
        return {k: v for k, v in self.__dict__.items() if k not in derived}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._bind_views()

    def close(self, **kwargs: Any) -> None:
        """Close the window, if one is open."""
        self._single.close()
