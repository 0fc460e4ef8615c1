"""The grid maze: walk from the start to a goal, around walls and traps, maybe slipping.

The dynamics (the slip rule and the layout's arrays) are defined once, in
:mod:`rlsandbox.envs.maze_dynamics`, for this env, ``MazeVectorEnv`` and ``train_many``. Here
they become a table: for every state and direction the next state, reward and termination
flag, computed once with numpy and kept in a Python list, so :meth:`MazeEnv.step` is a list
look-up with no numpy call (an order of magnitude faster than FrozenLake). The same arrays
give the toy-text model :attr:`MazeEnv.P` and feed :meth:`rlsandbox.mdp.TabularMDP.from_env`.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from gymnasium.error import ResetNeeded

from rlsandbox.envs import _keys, _maze_render, maze_dynamics
from rlsandbox.envs._viewer import Window, status_line
from rlsandbox.envs.layouts import GOAL, LAYOUTS, START, TRAP, WALL, parse_layout

__all__ = ["MazeEnv"]

# Other action types checked by one dict look-up (1.0 hashes like 1 but is not in Discrete(4)).
_FAST_ACTION_TYPES = frozenset((bool, np.int64, np.int32, np.intp))
_ACTIONS = {0: 0, 1: 1, 2: 2, 3: 3}
# Slip draws are made this many at a time (one numpy call per batch, none per step).
# Small enough that reseeding every episode (as train does) wastes few draws.
_DRAW_BATCH = 128


class MazeEnv(gymnasium.Env[int, int]):
    """Find the way out of a grid maze.

    ## Description

    The agent walks on a grid of floor cells from the start ``S`` to a goal ``G``; walls ``#``
    block it and traps ``X`` end the episode badly. With ``slip > 0`` the floor is slippery
    (as FrozenLake's): a move sometimes goes sideways. Layouts come from
    :data:`rlsandbox.envs.LAYOUTS` (``"tiny"``, ``"classic"``, ``"four-rooms"``, ``"cliff"``,
    ``"frozen-lake-4x4"``, ``"frozen-lake-8x8"``), from
    :func:`rlsandbox.envs.generate_maze`, or from your own text::

        #######
        #S..#G#
        #.#.#.#
        #...X.#
        #######

    ``#`` wall, ``.`` or space floor, ``S`` start (exactly one), ``G`` goal (one or more),
    ``X`` trap. The outside of the grid is wall; leading and trailing blank lines are
    ignored; shorter rows are padded with wall. A layout with an unknown character, no start
    or two, no goal, or a goal that cannot be reached from the start (through floor: traps
    block like walls) raises ``ValueError`` naming the row and column (counted from 0).

    ## Action Space

    ``Discrete(4)``: ``0`` up, ``1`` right, ``2`` down, ``3`` left. Any other action raises
    ``ValueError``.

    ## Observation Space

    ``Discrete(n)``, ``n`` the number of non-wall cells, numbered row by row (so on
    ``"frozen-lake-8x8"`` the state is ``8 * row + col``, as in FrozenLake). Observations are
    Python ints; :meth:`state_to_cell` and :meth:`cell_to_state` convert to and from
    ``(row, col)``.

    ## Transitions

    With probability ``1 - slip`` the agent moves as chosen, otherwise to one of the two
    perpendicular directions (each ``slip / 2``). A move into a wall leaves it in place.
    :attr:`P` is the model in Gymnasium's toy-text format and :meth:`outcome_arrays` the
    same as numpy arrays; goal and trap states are absorbing with reward 0.

    Slip draws come from ``self.np_random`` in batches of 128 uniforms, so the generator
    runs ahead of the steps taken. ``reset(seed=...)`` (or assigning ``np_random``) discards
    the unused draws, so the same seed and actions give the same episodes.

    ## Rewards

    ``goal_reward`` (10) for entering a goal, ``trap_reward`` (-10) for entering a trap,
    ``step_reward`` (-0.1) for every other step, bumping into a wall included.

    ## Starting State

    The start cell ``S``.

    ## Episode End

    1. Termination: the agent enters a goal or a trap.
    2. Truncation: ``max_steps`` steps have been taken (default 4 x the number of non-wall
       cells). The env truncates itself, so it is registered without a ``TimeLimit``.

    On the last step ``info["is_success"]`` is ``True`` if a goal was entered, else
    ``False``; other steps return an empty ``info``. Stepping before ``reset`` or after the
    episode ended raises ``gymnasium.error.ResetNeeded``.

    ## Arguments

    ```python
    >>> import gymnasium, rlsandbox
    >>> env = gymnasium.make("rlsandbox/Maze-v0", layout="four-rooms", slip=0.1)
    >>> env.reset(seed=0)
    (0, {})

    ```

    | Parameter     | Default     | Description                                             |
    |---------------|-------------|---------------------------------------------------------|
    | `layout`      | `"classic"` | a name from `LAYOUTS` or a layout string                |
    | `slip`        | 0.0         | probability in [0, 1] of moving sideways                |
    | `step_reward` | -0.1        | reward of a step that enters neither goal nor trap      |
    | `goal_reward` | 10.0        | reward of entering a goal                               |
    | `trap_reward` | -10.0       | reward of entering a trap                               |
    | `max_steps`   | None        | steps before truncation, int > 0; None: 4 x states      |
    | `render_mode` | None        | `"human"` (window), `"rgb_array"` or `"ansi"` (text)    |

    ## Version History

    * v0: initial version.
    """

    metadata = {"render_modes": ["human", "rgb_array", "ansi"], "render_fps": 8}

    def __init__(
        self,
        layout: str = "classic",
        *,
        slip: float = 0.0,
        step_reward: float = -0.1,
        goal_reward: float = 10.0,
        trap_reward: float = -10.0,
        max_steps: int | None = None,
        render_mode: str | None = None,
    ) -> None:
        self.grid = parse_layout(_layout_text(layout))
        self.grid_shape: tuple[int, int] = (int(self.grid.shape[0]), int(self.grid.shape[1]))
        self.layout_text = "\n".join("".join(row) for row in self.grid.tolist())
        if isinstance(slip, bool) or not isinstance(slip, Real) or not 0.0 <= slip <= 1.0:
            raise ValueError(f"slip must be a probability in [0, 1], got {slip!r}; e.g. slip=0.2")
        self._slip = float(slip)
        self._slip_cuts = maze_dynamics.slip_cuts(self._slip)
        self._rewards = (
            _finite("step_reward", step_reward, -0.1),
            _finite("goal_reward", goal_reward, 10.0),
            _finite("trap_reward", trap_reward, -10.0),
        )

        # State ids: flat grid indices of the non-wall cells, in row-major order.
        self._cells = maze_dynamics.state_cells(self.grid)
        n = len(self._cells)
        kinds = self.grid.ravel()[self._cells]
        self.start_state = int(np.flatnonzero(kinds == START)[0])
        self.goal_states = np.flatnonzero(kinds == GOAL)
        self.trap_states = np.flatnonzero(kinds == TRAP)

        if max_steps is None:
            max_steps = 4 * n
        if (
            isinstance(max_steps, bool)
            or not isinstance(max_steps, (int, np.integer))
            or (max_steps <= 0)
        ):
            raise ValueError(
                f"max_steps must be a positive int or None, got {max_steps!r}; e.g. "
                f"max_steps={4 * n} (the default, 4 x the number of states)"
            )
        self._max_steps = int(max_steps)
        for array in (self.grid, self.goal_states, self.trap_states):
            array.flags.writeable = False  # the model tables are built from them
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode {render_mode!r} is not supported; use None, 'human', "
                "'rgb_array' or 'ansi'"
            )
        self.render_mode = render_mode
        self._human = render_mode == "human"
        self.action_space = spaces.Discrete(4)
        self.observation_space = spaces.Discrete(n)

        self._P: dict[int, dict[int, list[tuple[float, int, float, bool]]]] | None = None
        self._table: list[tuple[int, float, bool, bool]] | None = None  # built on first reset
        self._state: int | None = None  # the agent's state; None before reset
        # Steps left before truncation; 0 when no episode is running.
        self._steps_left = 0
        self._draws: list[int] = []  # pending slip draws: direction offsets 0, 3 (left), 1
        self._renderer: Any = None
        self._window: Any = None
        self._shown = [0, 0.0]  # human mode: steps taken and return so far, for the status bar

    # Read-only: the step table and P are built from them once.
    slip = property(lambda self: self._slip, doc="Probability of moving sideways.")
    step_reward = property(lambda self: self._rewards[0], doc="Reward of an ordinary step.")
    goal_reward = property(lambda self: self._rewards[1], doc="Reward of entering a goal.")
    trap_reward = property(lambda self: self._rewards[2], doc="Reward of entering a trap.")
    max_steps = property(lambda self: self._max_steps, doc="Steps before truncation.")

    @property
    def state(self) -> int | None:
        """The agent's state, or None before the first ``reset`` (and before one is set).

        Assigning a state moves the agent there (as FrozenLake's ``s``); the episode's step
        count is unchanged. ``MazeVectorEnv`` draws its first sub-env this way.
        """
        return self._state

    @state.setter
    def state(self, value: int) -> None:
        self.state_to_cell(value)  # a ValueError if it is not a state
        self._state = int(value)

    # -- the model -------------------------------------------------------------------------
    def state_to_cell(self, state: int) -> tuple[int, int]:
        """The ``(row, col)`` of state ``state``; ``ValueError`` if it is not a state."""
        n = self.observation_space.n
        if (
            isinstance(state, bool)
            or not isinstance(state, (int, np.integer))
            or not (0 <= state < n)
        ):
            raise ValueError(f"state must be an int in [0, {n}), got {state!r}")
        r, c = divmod(int(self._cells[state]), self.grid_shape[1])
        return r, c

    def cell_to_state(self, row: int, col: int) -> int:
        """The state of the cell at ``(row, col)``; ``ValueError`` for a wall or outside."""
        rows, cols = self.grid_shape
        if not (0 <= row < rows and 0 <= col < cols) or self.grid[row, col] == WALL:
            where = "a wall" if 0 <= row < rows and 0 <= col < cols else "outside the grid"
            raise ValueError(
                f"row {row}, column {col} is {where}, not a state; states are the non-wall "
                f"cells of the {rows}x{cols} grid"
            )
        return int(np.searchsorted(self._cells, row * cols + col))

    def outcome_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The transition model as arrays of shape ``(S, 4, K)``, built with numpy.

        Outcome ``k`` of action ``a`` in state ``s`` leads to ``next_states[s, a, k]`` with
        probability ``probs[s, a, k]``, reward ``rewards[s, a, k]`` and termination flag
        ``terminated[s, a, k]``. ``K = 1`` when ``slip == 0``; otherwise ``K = 3``: the
        intended move, the move to its left and the move to its right (a zero probability
        when ``slip`` is 1). Goal and trap states are absorbing: outcome 0 stays with
        probability 1, reward 0, terminated; the other outcomes are zero-probability copies.

        Returns
        -------
        next_states : numpy.ndarray of int64
        probs : numpy.ndarray of float64
        rewards : numpy.ndarray of float64
        terminated : numpy.ndarray of bool
        """
        return maze_dynamics.outcome_arrays(maze_dynamics.maze_arrays(self), self._slip)

    @property
    def P(self) -> dict[int, dict[int, list[tuple[float, int, float, bool]]]]:
        """Gymnasium's toy-text model: ``P[s][a] = [(prob, next_s, reward, terminated), ...]``.

        Outcomes that lead to the same next state are merged (a slip into a wall and a move
        into the same wall both stay) and zero-probability outcomes dropped. Built on first
        use from :meth:`outcome_arrays`.
        """
        if self._P is None:
            self._P = maze_dynamics.toy_text_model(self.outcome_arrays())
        return self._P

    # -- the episode -----------------------------------------------------------------------
    @property
    def np_random(self) -> np.random.Generator:
        """The env's random generator (slip draws are taken from it in batches)."""
        return gymnasium.Env.np_random.fget(self)

    @np_random.setter
    def np_random(self, value: np.random.Generator) -> None:
        gymnasium.Env.np_random.fset(self, value)
        self._draws = []  # drawn from the old generator

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None:
            self._draws = []  # drawn from the old generator
        if self._table is None:
            self._table = maze_dynamics.step_table(maze_dynamics.maze_arrays(self))
        self._state = self.start_state
        self._steps_left = self._max_steps
        if self._human:
            self._shown = [0, 0.0]
            self.render()
        return self._state, {}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict[str, Any]]:
        """Move once: return ``(observation, reward, terminated, truncated, info)``.

        See the class docstring's Rewards and Episode End for what each value means.
        """
        # Plain ints take the fast check; anything else (numpy ints, bools, invalid actions)
        # takes the slow path, which accepts exactly what Discrete(4) contains.
        a = action if action.__class__ is int and 0 <= action <= 3 else self._action_of(action)
        steps_left = self._steps_left - 1
        if steps_left < 0:
            raise ResetNeeded(
                "MazeEnv.step() called before reset() or after the episode ended; call reset() "
                "to start an episode"
            )
        if self._slip:
            draws = self._draws
            a += draws.pop() if draws else self._draw()
        state, reward, terminated, success = self._table[8 * self._state + a]
        self._state = state
        if terminated or not steps_left:
            self._steps_left = 0
            if self._human:
                self._show_step(reward)
            # As with TimeLimit, truncated may coincide with terminated.
            return state, reward, terminated, not steps_left, {"is_success": success}
        self._steps_left = steps_left
        if self._human:
            self._show_step(reward)
        return state, reward, False, False, {}

    def _draw(self) -> int:
        """Refill the slip draws (a batch of direction offsets) and return one of them."""
        u = self.np_random.random(_DRAW_BATCH)
        # Reversed: pop() from the end takes the draws in drawn order.
        self._draws = maze_dynamics.slip_offsets(u[::-1], self._slip_cuts).tolist()
        return self._draws.pop()

    def _action_of(self, action: Any) -> int:
        """Slow path of ``step``'s action check: whatever ``Discrete(4).contains`` accepts."""
        a = _ACTIONS.get(action) if action.__class__ in _FAST_ACTION_TYPES else None
        if a is not None:
            return a
        if self.action_space.contains(action):
            return int(action)
        raise ValueError(
            f"invalid action {action!r} ({type(action).__name__}); the maze takes 0 (up), "
            "1 (right), 2 (down) or 3 (left)"
        )

    # -- rendering -------------------------------------------------------------------------
    def render(self) -> np.ndarray | str | None:
        """Draw the maze and the agent (before ``reset``: the maze alone).

        ``rgb_array`` returns a uint8 array ``(H, W, 3)``: walls dark, floor light, start
        sky blue, goals bluish green, traps vermillion with an X, the agent a yellow disc
        (Okabe-Ito colours, distinguishable with colour blindness). ``ansi`` returns the
        layout text with the agent as ``A``. ``human`` shows the frame in the rlsandbox
        window, with the step and the return so far under it (Esc or closing it raises
        ``WindowClosed``, a ``KeyboardInterrupt``).
        """
        if self.render_mode is None:
            gymnasium.logger.warn(
                "You are calling render method without specifying any render mode; pass "
                "render_mode='rgb_array', 'ansi' or 'human', e.g. "
                'gymnasium.make("rlsandbox/Maze-v0", render_mode="rgb_array")'
            )
            return None
        agent = self._state  # None: no agent yet
        if self.render_mode == "ansi":
            return _maze_render.ansi(self.grid, self._agent_cell(agent))
        if self._renderer is None:
            self._renderer = _maze_render.Renderer(self.grid)
        frame = self._renderer.frame(self._agent_cell(agent))
        if self.render_mode == "rgb_array":
            return frame
        if self._window is None:
            self._window = Window(
                "rlsandbox Maze", (frame.shape[1], frame.shape[0]), self.metadata["render_fps"]
            )
        self._window.show(_maze_render.to_surface(frame), status_line(*self._shown))
        return None

    def _show_step(self, reward: float) -> None:
        """Human mode, after a step: count it in the status bar and show the frame."""
        self._shown[0] += 1
        self._shown[1] += reward
        self.render()

    def _agent_cell(self, state: int | None) -> tuple[int, int] | None:
        return None if state is None else self.state_to_cell(state)

    def _render_observation(self, observation: int) -> np.ndarray:
        """The ``rgb_array`` frame of state ``observation``, whatever the render mode.

        Draws a recorded episode after the fact (:func:`rlsandbox.plots.animate_episode`)
        without touching the env's own state.
        """
        if self._renderer is None:
            self._renderer = _maze_render.Renderer(self.grid)
        return self._renderer.frame(self.state_to_cell(observation))

    @property
    def window(self) -> Any:
        """The pygame window of ``render_mode="human"`` (None until the first frame)."""
        return self._window

    def get_keys_to_action(self) -> dict[tuple[int, ...], int]:
        """Keys for playing: arrows or W/A/S/D -> 0 up, 1 right, 2 down, 3 left.

        Gymnasium's convention (a dict from tuples of pygame key codes to actions), so
        ``gymnasium.utils.play.play(env)`` works with no key map (pass
        ``wait_on_player=True`` for one move per key press);
        :class:`rlsandbox.agents.KeyboardAgent` reads the same keys.
        """
        return _keys.grid_keys()

    def close(self) -> None:
        """Close the window, if one is open (safe to call more than once)."""
        if self._window is not None:
            self._window.close()
            self._window = None


def _layout_text(layout: Any) -> Any:
    """The layout text of a name in ``LAYOUTS``; other values are returned for parsing."""
    if isinstance(layout, str) and layout in LAYOUTS:
        return LAYOUTS[layout]
    if isinstance(layout, str) and "\n" not in layout and set(layout) - set("#. SGX"):
        raise ValueError(
            f"unknown layout name {layout!r}; use one of {', '.join(map(repr, LAYOUTS))} or a "
            "layout string of '#', '.', ' ', 'S', 'G', 'X' (e.g. 'S..G')"
        )
    return layout


def _finite(name: str, value: Any, example: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}; e.g. {name}={example}")
    return float(value)
