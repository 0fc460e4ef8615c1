"""CartPole: Gymnasium's CartPole-v1 physics on plain Python floats, with configurable physics.

For the same ``reset(seed=...)`` and the same actions, :class:`CartPoleEnv` yields the same
observations, rewards and episode ends as ``gymnasium.make("CartPole-v1")``: the state evolves
in float64 with exactly Gymnasium's operations in Gymnasium's order, so the floats are
identical, not merely close. The step path uses ``math`` on four Python floats and builds a
single float32 array per step, which makes it several times faster than Gymnasium's numpy-scalar
version.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from gymnasium.envs.classic_control import utils
from gymnasium.error import ResetNeeded

from rlsandbox.envs import _keys
from rlsandbox.envs._viewer import Window, status_line

__all__ = ["CartPoleEnv"]

_F32_MAX = float(np.finfo(np.float32).max)
# Action types checked by one dict look-up (1.0 hashes like 1 but is not in Discrete(2)).
_FAST_ACTION_TYPES = frozenset((int, bool, np.int64, np.int32, np.intp))
# np.fromiter(t, <dtype object>, 4) was the cheapest way we measured to build the float32
# observation (np.array(t, dtype=np.float32) costs ~100 ns more); it rounds the same way.
_OBS_DTYPE = np.dtype(np.float32)
_fromiter, _cos, _sin = np.fromiter, math.cos, math.sin  # module globals: one look-up each

# Termination thresholds, as in Gymnasium: 12 degrees and 2.4 (the cart reaches the edge).
_THETA_THRESHOLD = 12 * 2 * math.pi / 360
_X_THRESHOLD = 2.4

# Drawing constants (pixels), as in Gymnasium.
_SCREEN_WIDTH, _SCREEN_HEIGHT = 600, 400
_POLE_WIDTH, _CART_WIDTH, _CART_HEIGHT, _CART_Y = 10.0, 50.0, 30.0, 100


class CartPoleEnv(gymnasium.Env[np.ndarray, int]):
    """Balance a pole on a cart by pushing the cart left or right.

    ## Description

    The cart-pole problem of Barto, Sutton and Anderson (1983), as in Gymnasium's
    ``CartPole-v1``: a pole is attached by an un-actuated joint to a cart that moves along a
    frictionless track. The pole starts upright; the goal is to keep it up by pushing the cart.
    The physics (Euler integration, time step ``tau``) is Gymnasium's, operation for operation.

    ## Action Space

    ``Discrete(2)``: ``0`` pushes the cart to the left, ``1`` to the right, with a force of
    ``force_mag`` newtons. Any other action raises ``ValueError``.

    ## Observation Space

    A float32 array of shape ``(4,)``:

    | Num | Observation           | Min                  | Max                 |
    |-----|-----------------------|----------------------|---------------------|
    | 0   | Cart Position         | -4.8                 | 4.8                 |
    | 1   | Cart Velocity         | -float32 max         | float32 max         |
    | 2   | Pole Angle            | ~ -0.419 rad (-24°)  | ~ 0.419 rad (24°)   |
    | 3   | Pole Angular Velocity | -float32 max         | float32 max         |

    The same bounds as CartPole-v1 except that the velocities are bounded by
    ``±np.finfo(np.float32).max`` rather than ``±inf`` (Gymnasium's ``check_env`` warns on
    infinite bounds). The episode terminates long before the position and angle bounds.

    ## Rewards

    ``+1`` for every step, including the terminating one. With ``sutton_barto_reward=True``,
    ``0`` for every step and ``-1`` for the terminating step.

    ## Starting State

    Every state variable is drawn uniformly from ``(-0.05, 0.05)`` with
    ``self.np_random.uniform`` (so seeds give Gymnasium's start states). As in Gymnasium,
    ``reset(options={"low": ..., "high": ...})`` changes that range.

    ## Episode End

    1. Termination: the pole angle leaves ``±12°``.
    2. Termination: the cart position leaves ``±2.4``.
    3. Truncation: ``max_steps`` steps (500) have been taken. The env truncates itself, so it
       is registered without a ``TimeLimit`` wrapper.

    On the last step ``info["is_success"]`` is ``True`` if the episode was truncated with the
    pole still up, else ``False``; other steps return an empty ``info``. Stepping before
    ``reset`` or after the episode ended raises ``gymnasium.error.ResetNeeded`` (Gymnasium only
    warns and carries on with undefined behaviour).

    ## Arguments

    ```python
    >>> import gymnasium, rlsandbox
    >>> env = gymnasium.make("rlsandbox/CartPole-v0", length=0.75, render_mode="rgb_array")
    >>> obs, info = env.reset(seed=123)

    ```

    | Parameter             | Default | Description                                             |
    |-----------------------|---------|---------------------------------------------------------|
    | `gravity`             | 9.8     | gravitational acceleration (m/s²), finite               |
    | `masscart`            | 1.0     | mass of the cart (kg), > 0                              |
    | `masspole`            | 0.1     | mass of the pole (kg), > 0                              |
    | `length`              | 0.5     | half the pole's length (m), > 0                         |
    | `force_mag`           | 10.0    | magnitude of the push (N), finite, >= 0                 |
    | `tau`                 | 0.02    | seconds between state updates, > 0                      |
    | `max_steps`           | 500     | steps before truncation, int > 0                        |
    | `sutton_barto_reward` | False   | 0 per step and -1 on termination instead of +1 per step |
    | `render_mode`         | None    | `"human"` (shared pygame window) or `"rgb_array"`       |

    The physics parameters are fixed at construction (make a new env to change them).

    ## Version History

    * v0: Gymnasium's CartPole-v1 on Python floats; configurable physics; self-truncation
      with ``info["is_success"]``; finite velocity bounds.
    """

    metadata = {"render_modes": ["human", "rgb_array"], "render_fps": 50}

    def __init__(
        self,
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
        self._gravity = _number("gravity", gravity, 9.8)
        self._masscart = _number("masscart", masscart, 1.0, positive=True)
        self._masspole = _number("masspole", masspole, 0.1, positive=True)
        self._length = _number("length", length, 0.5, positive=True)
        self._force_mag = _number("force_mag", force_mag, 10.0, non_negative=True)
        self._tau = _number("tau", tau, 0.02, positive=True)
        if isinstance(max_steps, bool) or not isinstance(max_steps, Integral) or max_steps <= 0:
            raise ValueError(
                f"max_steps must be a positive int, got {max_steps!r}; pass e.g. max_steps=500"
            )
        self._max_steps = int(max_steps)
        if not isinstance(sutton_barto_reward, (bool, np.bool_)):
            raise ValueError(
                f"sutton_barto_reward must be True or False, got {sutton_barto_reward!r}"
            )
        self._sutton_barto_reward = bool(sutton_barto_reward)
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode {render_mode!r} is not supported; use None, 'human' or 'rgb_array'"
            )
        self.render_mode = render_mode

        self._total_mass = self._masspole + self._masscart
        self._polemass_length = self._masspole * self._length
        # What the step reads, in two tuples: two attribute loads per step instead of ten.
        self._physics = (
            self._gravity,
            self._masspole,
            self._total_mass,
            self._length,
            self._polemass_length,
            self._tau,
        )
        self._limits = (-_X_THRESHOLD, _X_THRESHOLD, -_THETA_THRESHOLD, _THETA_THRESHOLD)
        self._forces = {0: -self._force_mag, 1: self._force_mag}

        high = np.array(
            [_X_THRESHOLD * 2, _F32_MAX, _THETA_THRESHOLD * 2, _F32_MAX],
            dtype=np.float32,
        )
        self.action_space = spaces.Discrete(2)
        self.observation_space = spaces.Box(-high, high, dtype=np.float32)

        self._state: tuple[float, float, float, float] | None = None
        # Steps left before truncation; 0 when no episode is running (before reset, or after
        # the episode ended), so one integer tells step() both things.
        self._steps_left = 0
        # Indexed by ``not terminated``: (reward on termination, reward on any other step).
        self._rewards = (-1.0, 0.0) if self._sutton_barto_reward else (1.0, 1.0)
        self._window: Any = None
        self._shown = [0, 0.0]  # human mode: steps taken and return so far, for the status bar

    # Read-only physics parameters (the step reads the precomputed ``_physics`` tuple).
    gravity = property(lambda self: self._gravity, doc="Gravitational acceleration (m/s²).")
    masscart = property(lambda self: self._masscart, doc="Mass of the cart (kg).")
    masspole = property(lambda self: self._masspole, doc="Mass of the pole (kg).")
    total_mass = property(lambda self: self._total_mass, doc="masspole + masscart (kg).")
    length = property(lambda self: self._length, doc="Half the pole's length (m).")
    polemass_length = property(lambda self: self._polemass_length, doc="masspole * length.")
    force_mag = property(lambda self: self._force_mag, doc="Magnitude of a push (N).")
    tau = property(lambda self: self._tau, doc="Seconds between state updates.")
    x_threshold = property(lambda self: _X_THRESHOLD, doc="``|x|`` beyond which the episode ends.")
    theta_threshold_radians = property(
        lambda self: _THETA_THRESHOLD, doc="``|angle|`` (rad) beyond which the episode ends."
    )
    max_steps = property(lambda self: self._max_steps, doc="Steps before truncation.")
    sutton_barto_reward = property(
        lambda self: self._sutton_barto_reward, doc="Whether the Sutton-Barto reward is used."
    )

    @property
    def state(self) -> np.ndarray | None:
        """The float64 state ``(x, x_dot, theta, theta_dot)`` (a copy), or None before reset.

        Assigning four numbers sets the state (as with Gymnasium's ``state`` attribute); the
        episode's step count is unchanged.
        """
        return None if self._state is None else np.array(self._state, dtype=np.float64)

    @state.setter
    def state(self, value: Any) -> None:
        values = np.asarray(value, dtype=np.float64)
        if values.shape != (4,):
            raise ValueError(
                f"state must be 4 numbers (x, x_dot, theta, theta_dot), got shape {values.shape}"
            )
        self._state = tuple(values.tolist())

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        low, high = utils.maybe_parse_reset_bounds(options, -0.05, 0.05)
        self._state = tuple(self.np_random.uniform(low=low, high=high, size=(4,)).tolist())
        self._steps_left = self._max_steps
        if self.render_mode == "human":
            self._shown = [0, 0.0]
            self.render()
        return _fromiter(self._state, _OBS_DTYPE, 4), {}

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        """Push the cart once: return ``(observation, reward, terminated, truncated, info)``.

        See the class docstring's Rewards and Episode End for what each value means.
        """
        # Fast check for the common action types; anything else (0-d arrays, invalid
        # actions) takes the slow path, which accepts exactly what Discrete(2) contains.
        force = self._forces.get(action) if action.__class__ in _FAST_ACTION_TYPES else None
        if force is None:
            force = self._force_of(action)
        steps_left = self._steps_left
        if steps_left <= 0:
            raise ResetNeeded(
                "CartPoleEnv.step() called before reset() or after the episode ended; "
                "call reset() to start an episode"
            )
        gravity, masspole, total_mass, length, polemass_length, tau = self._physics
        x, x_dot, theta, theta_dot = self._state
        costheta = _cos(theta)
        sintheta = _sin(theta)
        # Gymnasium's formulas with the same operations in the same order (x * x is exactly
        # np.square(x)), so the float64 state matches it bit for bit.
        # https://coneural.org/florian/papers/05_cart_pole.pdf
        temp = (force + polemass_length * (theta_dot * theta_dot) * sintheta) / total_mass
        thetaacc = (gravity * sintheta - costheta * temp) / (
            length * (4.0 / 3.0 - masspole * (costheta * costheta) / total_mass)
        )
        xacc = temp - polemass_length * thetaacc * costheta / total_mass
        x = x + tau * x_dot
        x_dot = x_dot + tau * xacc
        theta = theta + tau * theta_dot
        theta_dot = theta_dot + tau * thetaacc
        self._state = state = (x, x_dot, theta, theta_dot)

        x_lo, x_hi, theta_lo, theta_hi = self._limits
        terminated = x < x_lo or x > x_hi or theta < theta_lo or theta > theta_hi
        reward = self._rewards[not terminated]
        steps_left -= 1
        truncated = steps_left == 0  # as with TimeLimit, may coincide with terminated
        if terminated or truncated:
            self._steps_left = 0
            info = {"is_success": not terminated}
        else:
            self._steps_left = steps_left
            info = {}
        if self.render_mode == "human":
            self._shown[0] += 1
            self._shown[1] += reward
            self.render()
        return _fromiter(state, _OBS_DTYPE, 4), reward, terminated, truncated, info

    def _force_of(self, action: Any) -> float:
        """Slow path of ``step``'s action check: whatever ``Discrete(2).contains`` accepts."""
        if self.action_space.contains(action):
            return self._forces[int(action)]
        raise ValueError(
            f"invalid action {action!r} ({type(action).__name__}); CartPole takes 0 (push left) "
            "or 1 (push right)"
        )

    def render(self) -> np.ndarray | None:
        """Draw the cart and pole as Gymnasium does.

        ``rgb_array`` returns a uint8 array of shape (400, 600, 3); ``human`` shows the frame
        in the shared rlsandbox window, with the step and the return so far under it (Esc or
        closing it raises ``WindowClosed``, a ``KeyboardInterrupt``) and returns None. Before
        ``reset`` the cart is drawn at rest.
        """
        if self.render_mode is None:
            gymnasium.logger.warn(
                "You are calling render method without specifying any render mode; pass "
                "render_mode='rgb_array' or 'human', e.g. "
                'gymnasium.make("rlsandbox/CartPole-v0", render_mode="rgb_array")'
            )
            return None
        x, theta = (0.0, 0.0) if self._state is None else (self._state[0], self._state[2])
        surface = self._draw(x, theta)
        if self.render_mode == "human":
            if self._window is None:
                self._window = Window(
                    "rlsandbox CartPole",
                    (_SCREEN_WIDTH, _SCREEN_HEIGHT),
                    self.metadata["render_fps"],
                )
            self._window.show(surface, status_line(*self._shown))
            return None
        return _to_array(surface)

    def _render_observation(self, observation: Any) -> np.ndarray:
        """The ``rgb_array`` frame of observation ``(x, x_dot, theta, theta_dot)``.

        Draws a recorded episode after the fact (:func:`rlsandbox.plots.animate_episode`),
        whatever the render mode, without touching the env's own state.
        """
        values = np.asarray(observation, dtype=np.float64).reshape(-1)
        if values.shape != (4,):
            raise ValueError(f"a CartPole observation is 4 numbers (x, x_dot, theta, "
                             f"theta_dot), got shape {np.shape(observation)}")
        return _to_array(self._draw(float(values[0]), float(values[2])))

    @property
    def window(self) -> Any:
        """The pygame window of ``render_mode="human"`` (None until the first frame)."""
        return self._window

    def get_keys_to_action(self) -> dict[tuple[int, ...], int]:
        """Keys for playing: left arrow (or A) -> 0 push left, right arrow (or D) -> 1.

        Gymnasium's convention (a dict from tuples of pygame key codes to actions), so
        ``gymnasium.utils.play.play(env)`` works with no key map (it pushes with ``noop``,
        action 0, when no key is held); :class:`rlsandbox.agents.KeyboardAgent` reads the same
        keys.
        """
        return _keys.left_right_keys()

    def _draw(self, x: float, theta: float) -> Any:
        """The cart at ``x`` with the pole at ``theta`` as an off-screen ``pygame.Surface``
        (Gymnasium's drawing)."""
        import pygame
        from pygame import gfxdraw

        scale = _SCREEN_WIDTH / (_X_THRESHOLD * 2)
        pole_len = scale * (2 * self._length)
        surf = pygame.Surface((_SCREEN_WIDTH, _SCREEN_HEIGHT))
        surf.fill((255, 255, 255))

        l, r, t, b = -_CART_WIDTH / 2, _CART_WIDTH / 2, _CART_HEIGHT / 2, -_CART_HEIGHT / 2
        axle_offset = _CART_HEIGHT / 4.0
        cart_x = x * scale + _SCREEN_WIDTH / 2.0  # middle of the cart
        cart = [(cx + cart_x, cy + _CART_Y) for cx, cy in ((l, b), (l, t), (r, t), (r, b))]
        gfxdraw.aapolygon(surf, cart, (0, 0, 0))
        gfxdraw.filled_polygon(surf, cart, (0, 0, 0))

        l, r, t, b = -_POLE_WIDTH / 2, _POLE_WIDTH / 2, pole_len - _POLE_WIDTH / 2, -_POLE_WIDTH / 2
        pole = []
        for corner in ((l, b), (l, t), (r, t), (r, b)):
            px, py = pygame.math.Vector2(corner).rotate_rad(-theta)
            pole.append((px + cart_x, py + _CART_Y + axle_offset))
        gfxdraw.aapolygon(surf, pole, (202, 152, 101))
        gfxdraw.filled_polygon(surf, pole, (202, 152, 101))

        axle = (int(cart_x), int(_CART_Y + axle_offset), int(_POLE_WIDTH / 2))
        gfxdraw.aacircle(surf, *axle, (129, 132, 203))
        gfxdraw.filled_circle(surf, *axle, (129, 132, 203))
        gfxdraw.hline(surf, 0, _SCREEN_WIDTH, _CART_Y, (0, 0, 0))
        return pygame.transform.flip(surf, False, True)

    def close(self) -> None:
        """Close the window, if one is open (safe to call more than once)."""
        if self._window is not None:
            self._window.close()
            self._window = None


def _to_array(surface: Any) -> np.ndarray:
    """A ``pygame.Surface`` as a uint8 ``(H, W, 3)`` array (pygame stores columns first)."""
    import pygame

    return np.ascontiguousarray(np.transpose(pygame.surfarray.array3d(surface), (1, 0, 2)))


def _number(
    name: str, value: Any, example: float, *, positive: bool = False, non_negative: bool = False
) -> float:
    """``value`` as a float, or a ValueError saying what is wrong and what to pass instead."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(
            f"{name} must be a finite number, got {value!r}; pass e.g. {name}={example}"
        )
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}; pass e.g. {name}={example}")
    if non_negative and value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}; pass e.g. {name}={example}")
    return float(value)
