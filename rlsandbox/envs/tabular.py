"""Any finite MDP as an environment: :class:`TabularEnv` samples a ``TabularMDP`` step by step.

The model stays in the :class:`~rlsandbox.mdp.TabularMDP`; the env turns each state-action's
outcome list into plain Python lists the first time it is taken (a cumulative probability
list and the outcomes), so a step is a list look-up, and a random draw plus a bisection only
where the outcome is random. Draws come from ``self.np_random`` in batches, as in
:class:`~rlsandbox.envs.MazeEnv`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from numbers import Integral, Real
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from gymnasium.error import ResetNeeded

from rlsandbox.envs import _keys, _maze_render
from rlsandbox.envs._viewer import status_line
from rlsandbox.mdp import TabularMDP
from rlsandbox.mdp.model import check_start

__all__ = ["TabularEnv"]

# Random draws are made this many at a time (one numpy call per batch, none per step).
_DRAW_BATCH = 128
# Largest allowed deviation of the start probabilities from a sum of 1 (as TabularMDP's).
_NO_LIMIT = 1 << 62  # "steps left" of an env without max_steps: never reaches 0


class TabularEnv(gymnasium.Env[int, int]):
    """A finite MDP, given as a :class:`~rlsandbox.mdp.TabularMDP`, as an environment.

    ## Description

    Each step samples one of the model's outcomes for the current state and the action
    taken: outcome ``k`` of action ``a`` in state ``s`` happens with probability
    ``mdp.probs[s, a, k]`` and gives the next state ``mdp.next_states[s, a, k]``, the reward
    ``mdp.rewards[s, a, k]`` and the end flag ``mdp.terminated[s, a, k]``. Any model
    works: one built with :meth:`~rlsandbox.mdp.TabularMDP.from_dense`, taken from another
    env with :meth:`~rlsandbox.mdp.TabularMDP.from_env`, or one of Sutton & Barto's problems
    in :mod:`rlsandbox.textbook` (registered as ``rlsandbox/Textbook-v0``)::

        env = gymnasium.make("rlsandbox/Textbook-v0", problem="cliff-walking")

    The model is published back: :attr:`P` in Gymnasium's toy-text format and
    :meth:`outcome_arrays` as arrays, so ``TabularMDP.from_env(env, gamma=mdp.gamma)`` gives
    the same model again. ``mdp.gamma`` plays no part in the episodes (agents discount).

    ## Action Space

    ``Discrete(A)``, ``A = mdp.n_actions``. Any other action raises ``ValueError``.

    ## Observation Space

    ``Discrete(S)``, ``S = mdp.n_states``: the state id, a Python int. Where the model is a
    grid (``mdp.cells`` is set), :meth:`state_to_cell` and :meth:`cell_to_state` convert to
    and from ``(row, col)``.

    ## Rewards

    The sampled outcome's reward. With ``reward_noise``, zero-mean normal noise of that
    standard deviation is added (per state-action if it is an ``(S, A)`` array): the
    expected rewards, and so the values, stay the model's, only their variance grows (the
    maximisation-bias example of Sutton & Barto, Figure 6.5, is built this way).

    ## Starting State

    ``start`` if given, else ``mdp.start``, else uniform over all states: a state id, or a
    distribution over the states sampled with ``self.np_random``.

    ## Episode End

    1. Termination: a sampled outcome has ``terminated`` set.
    2. Truncation: ``max_steps`` steps have been taken (``None``: never). Continuing tasks,
       whose outcomes never terminate, need ``max_steps`` for episodes to end. The env
       truncates itself, so it is registered without a ``TimeLimit``.

    ``info["is_success"]`` is reported only where success has a meaning, that is when
    ``goal_states`` is given: on the last step of an episode it is ``True`` if the step
    entered a goal state, else ``False``. Without ``goal_states`` ``info`` is always empty
    (success unknown, never reported as a failure). Stepping before ``reset`` or after the
    episode ended raises ``gymnasium.error.ResetNeeded``.

    Outcome and noise draws come from ``self.np_random`` in batches, so the generator runs
    ahead of the steps taken; ``reset(seed=...)`` (or assigning ``np_random``) discards the
    unused draws, so the same seed and actions give the same episodes.

    ## Rendering

    ``"ansi"`` always: the grid as text where the model has ``cells`` (``.`` a state, ``#``
    a cell that is no state, ``S`` the start when it is one state, ``G`` a goal, ``X`` an
    absorbing state that is not a goal, ``A`` the agent), else a line ``state s``. Where
    the model has ``cells``, also ``"rgb_array"`` and ``"human"`` (a pygame window, with
    the step and the return so far under the grid), drawn as
    :class:`~rlsandbox.envs.MazeEnv` draws its mazes; :attr:`grid` is that picture as
    layout characters. Without a goal list, every absorbing state (all outcomes stay,
    reward 0) is drawn as a goal.

    ## Playing

    A grid whose actions follow the textbook's convention (``0`` up, ``1`` right, ``2``
    down, ``3`` left, and for king's moves ``4`` up-right, ``5`` down-right, ``6``
    down-left, ``7`` up-left) can be played by a person: :meth:`get_keys_to_action` gives
    the keys, read by :class:`rlsandbox.agents.KeyboardAgent` and by
    ``gymnasium.utils.play.play``; :func:`rlsandbox.plots.animate_episode` draws a grid
    episode recorded without frames.

    ## Arguments

    ```python
    >>> import numpy as np
    >>> from rlsandbox.envs import TabularEnv
    >>> from rlsandbox.mdp import TabularMDP
    >>> P = np.array([[[0.5, 0.5], [0.0, 1.0]]])  # one action: from 0 a coin flip, 1 stays
    >>> R = np.array([[0.0], [1.0]])  # reward 1 per step in state 1
    >>> env = TabularEnv(TabularMDP.from_dense(P, R, gamma=0.9), start=0, max_steps=3)
    >>> env.reset(seed=0)
    (0, {})
    >>> [env.step(0)[:4] for _ in range(3)]  # (state, reward, terminated, truncated)
    [(1, 0.0, False, False), (1, 1.0, False, False), (1, 1.0, False, True)]
    >>> env.P[0][0]  # (probability, next state, reward, terminated)
    [(0.5, 0, 0.0, False), (0.5, 1, 0.0, False)]

    ```

    | Parameter      | Default | Description                                                  |
    |----------------|---------|--------------------------------------------------------------|
    | `mdp`          |         | the `TabularMDP` to sample                                   |
    | `start`        | None    | a state or `(S,)` distribution; None: `mdp.start` or uniform |
    | `reward_noise` | None    | std of zero-mean normal reward noise, scalar or `(S, A)`     |
    | `max_steps`    | None    | steps before truncation, int > 0; None: never                |
    | `goal_states`  | None    | states whose entering is a success (sets `is_success`)       |
    | `render_mode`  | None    | `"ansi"`, and with `mdp.cells` `"rgb_array"` or `"human"`    |

    ## Version History

    * v0: initial version.
    """

    metadata = {"render_modes": ["human", "rgb_array", "ansi"], "render_fps": 8}

    def __init__(
        self,
        mdp: TabularMDP,
        *,
        start: Any = None,
        reward_noise: Any = None,
        max_steps: int | None = None,
        goal_states: Any = None,
        render_mode: str | None = None,
    ) -> None:
        if not isinstance(mdp, TabularMDP):
            raise ValueError(
                f"TabularEnv needs a TabularMDP, got {type(mdp).__name__}; build one with "
                "TabularMDP(...), TabularMDP.from_dense(P, R, gamma) or a function of "
                "rlsandbox.textbook"
            )
        self.mdp = mdp
        n_states, n_actions = mdp.n_states, mdp.n_actions
        self._n_actions = n_actions
        self._start = _start_of(mdp.start if start is None else start, n_states)
        self._noise = _noise_of(reward_noise, n_states, n_actions)
        if max_steps is not None and (
            isinstance(max_steps, bool) or not isinstance(max_steps, Integral) or max_steps <= 0
        ):
            raise ValueError(
                f"max_steps must be a positive int or None (no truncation), got {max_steps!r}; "
                "e.g. max_steps=100"
            )
        self._max_steps = None if max_steps is None else int(max_steps)
        self._goal_states = _goals_of(goal_states, n_states)
        self._goals = (
            None if self._goal_states is None else frozenset(self._goal_states.tolist())
        )

        # Instance metadata: the pixel modes exist only for grids (check_env reads this).
        modes = ["human", "rgb_array", "ansi"] if mdp.cells is not None else ["ansi"]
        self.metadata = {**type(self).metadata, "render_modes": modes}
        if render_mode is not None and render_mode not in modes:
            why = ""
            if render_mode in ("human", "rgb_array"):
                why = (
                    f"; {render_mode!r} draws a grid and this MDP has no cells (give "
                    "TabularMDP(..., cells=...) the (row, col) of each state)"
                )
            raise ValueError(
                f"render_mode {render_mode!r} is not supported{why}; use None or one of "
                f"{', '.join(map(repr, modes))}"
            )
        self.render_mode = render_mode
        self._human = render_mode == "human"
        self.action_space = spaces.Discrete(n_actions)
        self.observation_space = spaces.Discrete(n_states)

        # Per state-action (index s * A + a), built on first use: the outcome tuple (next
        # state, reward, terminated) when one outcome is certain, else a list [cumulative
        # probabilities, outcomes]. An instance table, filled lazily because large models
        # (car rental: 441 outcomes per state-action) are mostly never visited in full.
        self._table: list[Any] = [None] * (n_states * n_actions)
        self._P: dict[int, dict[int, list[tuple[float, int, float, bool]]]] | None = None
        self._state: int | None = None  # None: never reset
        self._steps_left = 0  # 0 when no episode is running
        self._uniforms: list[float] = []
        self._normals: list[float] = []
        self._grid: np.ndarray | None = None
        self._renderer: Any = None
        self._window: Any = None
        self._shown = [0, 0.0]  # human mode: steps taken and return so far, for the status bar

    # Read-only: the episode logic and the drawing are set up from them once.
    max_steps = property(
        lambda self: self._max_steps, doc="Steps before truncation (None: never)."
    )
    goal_states = property(
        lambda self: self._goal_states,
        doc="Sorted states whose entering is a success (None: success is not reported).",
    )

    # -- the model -------------------------------------------------------------------------
    def outcome_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The model's ``(next_states, probs, rewards, terminated)``, each ``(S, A, K)``.

        The MDP's own read-only arrays; :meth:`~rlsandbox.mdp.TabularMDP.from_env` reads
        them, so ``TabularMDP.from_env(TabularEnv(mdp), gamma=mdp.gamma)`` has ``mdp``'s
        arrays exactly.
        """
        m = self.mdp
        return m.next_states, m.probs, m.rewards, m.terminated

    @property
    def P(self) -> dict[int, dict[int, list[tuple[float, int, float, bool]]]]:
        """Gymnasium's toy-text model: ``P[s][a] = [(prob, next_s, reward, terminated), ...]``.

        The outcomes of positive probability, in the model's order (outcomes that share a
        next state are kept apart: their rewards may differ). Built on first use; for big
        models (car rental's two million outcomes) :meth:`outcome_arrays` is far cheaper.
        """
        if self._P is None:
            m = self.mdp
            probs, nexts, rewards, ends = (
                x.tolist() for x in (m.probs, m.next_states, m.rewards, m.terminated)
            )
            self._P = {
                s: {
                    a: [
                        (p, n, r, t)
                        for p, n, r, t in zip(
                            probs[s][a], nexts[s][a], rewards[s][a], ends[s][a], strict=True
                        )
                        if p > 0.0
                    ]
                    for a in range(m.n_actions)
                }
                for s in range(m.n_states)
            }
        return self._P

    def state_to_cell(self, state: int) -> tuple[int, int]:
        """The ``(row, col)`` of ``state``; ``ValueError`` if it is no state or no grid."""
        cells = self._cells()
        n = len(cells)
        if isinstance(state, bool) or not isinstance(state, Integral) or not 0 <= state < n:
            raise ValueError(f"state must be an int in [0, {n}), got {state!r}")
        row, col = cells[state].tolist()
        return row, col

    def cell_to_state(self, row: int, col: int) -> int:
        """The state at ``(row, col)``; ``ValueError`` if no state is there."""
        hit = np.flatnonzero((self._cells() == (row, col)).all(axis=1))
        if not len(hit):
            raise ValueError(f"no state is at row {row}, column {col} of this MDP's grid")
        return int(hit[0])

    def _cells(self) -> np.ndarray:
        if self.mdp.cells is None:
            raise ValueError(
                "this MDP is not a grid (mdp.cells is None); give TabularMDP(..., cells=...) "
                "the (row, col) of each state"
            )
        return self.mdp.cells

    def _entry(self, i: int) -> Any:
        """Build the sampling entry of state-action ``i = s * A + a`` (see ``_table``)."""
        s, a = divmod(i, self._n_actions)
        m = self.mdp
        keep = m.probs[s, a] > 0.0
        outcomes = list(
            zip(
                m.next_states[s, a, keep].tolist(),
                m.rewards[s, a, keep].tolist(),
                m.terminated[s, a, keep].tolist(),
                strict=True,
            )
        )
        if len(outcomes) == 1:
            entry: Any = outcomes[0]
        else:
            cum = np.cumsum(m.probs[s, a, keep]).tolist()
            cum[-1] = math.inf  # a draw in [0, 1) never falls past the last outcome
            entry = [cum, outcomes]
        self._table[i] = entry
        return entry

    # -- the episode -----------------------------------------------------------------------
    @property
    def np_random(self) -> np.random.Generator:
        """The env's random generator (outcome and noise draws are taken in batches)."""
        return gymnasium.Env.np_random.fget(self)

    @np_random.setter
    def np_random(self, value: np.random.Generator) -> None:
        gymnasium.Env.np_random.fset(self, value)
        self._uniforms, self._normals = [], []  # drawn from the old generator

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None:
            self._uniforms, self._normals = [], []  # drawn from the old generator
        start = self._start
        if start.__class__ is int:
            self._state = start
        else:
            u = self._uniforms.pop() if self._uniforms else self._draw_uniforms()
            self._state = bisect_right(start, u)
        self._steps_left = _NO_LIMIT if self._max_steps is None else self._max_steps
        if self._human:
            self._shown = [0, 0.0]
            self.render()
        return self._state, {}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict[str, Any]]:
        """Sample one outcome of ``action``: ``(state, reward, terminated, truncated, info)``."""
        # Plain ints take the fast check; anything else takes the slow path, which accepts
        # exactly what the Discrete action space contains.
        a = (
            action
            if action.__class__ is int and 0 <= action < self._n_actions
            else self._action_of(action)
        )
        steps_left = self._steps_left - 1
        if steps_left < 0:
            raise ResetNeeded(
                "TabularEnv.step() called before reset() or after the episode ended; call "
                "reset() to start an episode"
            )
        i = self._state * self._n_actions + a
        entry = self._table[i] or self._entry(i)
        if entry.__class__ is tuple:  # one certain outcome
            state, reward, terminated = entry
        else:
            cum, outcomes = entry
            u = self._uniforms.pop() if self._uniforms else self._draw_uniforms()
            state, reward, terminated = outcomes[bisect_right(cum, u)]
        if self._noise is not None:
            std = self._noise[i]
            if std:
                reward += std * (self._normals.pop() if self._normals else self._draw_normals())
        self._state = state
        if terminated or not steps_left:
            self._steps_left = 0
            info = {} if self._goals is None else {"is_success": state in self._goals}
            if self._human:
                self._show_step(reward)
            # As with TimeLimit, truncated may coincide with terminated.
            return state, reward, terminated, not steps_left, info
        self._steps_left = steps_left
        if self._human:
            self._show_step(reward)
        return state, reward, False, False, {}

    def _draw_uniforms(self) -> float:
        """Refill the uniform draws and return one of them."""
        # Reversed: pop() from the end takes the draws in drawn order.
        self._uniforms = self.np_random.random(_DRAW_BATCH)[::-1].tolist()
        return self._uniforms.pop()

    def _draw_normals(self) -> float:
        """Refill the standard normal draws (reward noise) and return one of them."""
        self._normals = self.np_random.standard_normal(_DRAW_BATCH)[::-1].tolist()
        return self._normals.pop()

    def _action_of(self, action: Any) -> int:
        """Slow path of ``step``'s action check: whatever ``Discrete(A).contains`` accepts."""
        if self.action_space.contains(action):
            return int(action)
        raise ValueError(
            f"invalid action {action!r} ({type(action).__name__}); this MDP's actions are "
            f"the ints 0 .. {self._n_actions - 1}"
        )

    # -- rendering -------------------------------------------------------------------------
    def render(self) -> np.ndarray | str | None:
        """Draw the state (before ``reset``: the grid alone); see *Rendering* above.

        ``rgb_array`` returns a uint8 array ``(H, W, 3)``, ``ansi`` a string, ``human``
        shows the frame in the rlsandbox window, with the step and the return so far under
        it (Esc or closing it raises ``WindowClosed``, a ``KeyboardInterrupt``).
        """
        if self.render_mode is None:
            gymnasium.logger.warn(
                "You are calling render method without specifying any render mode; pass "
                "render_mode='ansi' (or, for a grid, 'rgb_array' or 'human'), e.g. "
                'gymnasium.make("rlsandbox/Textbook-v0", problem="cliff-walking", '
                'render_mode="rgb_array")'
            )
            return None
        state = self._state
        if self.mdp.cells is None:  # ansi only (checked in __init__)
            return f"state {'-' if state is None else state}\n"
        grid = self.grid
        agent = None if state is None else self.state_to_cell(state)
        if self.render_mode == "ansi":
            return _maze_render.ansi(grid, agent)
        if self._renderer is None:
            self._renderer = _maze_render.Renderer(grid)
        frame = self._renderer.frame(agent)
        if self.render_mode == "rgb_array":
            return frame
        if self._window is None:
            from rlsandbox.envs._viewer import Window

            self._window = Window(
                "rlsandbox TabularEnv",
                (frame.shape[1], frame.shape[0]),
                self.metadata["render_fps"],
            )
        self._window.show(_maze_render.to_surface(frame), status_line(*self._shown))
        return None

    def _show_step(self, reward: float) -> None:
        """Human mode, after a step: count it in the status bar and show the frame."""
        self._shown[0] += 1
        self._shown[1] += reward
        self.render()

    def _render_observation(self, observation: int) -> np.ndarray:
        """The ``rgb_array`` frame of state ``observation``, whatever the render mode.

        Draws a recorded episode after the fact (:func:`rlsandbox.plots.animate_episode`)
        without touching the env's own state; ``ValueError`` if the MDP has no cells.
        """
        cell = self.state_to_cell(observation)  # a ValueError without cells, or no state
        if self._renderer is None:
            self._renderer = _maze_render.Renderer(self.grid)
        return self._renderer.frame(cell)

    @property
    def window(self) -> Any:
        """The pygame window of ``render_mode="human"`` (None until the first frame)."""
        return self._window

    def get_keys_to_action(self) -> dict[tuple[int, ...], int]:
        """Keys for playing a grid: arrows or W/A/S/D -> 0 up, 1 right, 2 down, 3 left.

        With king's moves (8 actions) also E -> 4 up-right, C -> 5 down-right, Z -> 6
        down-left, Q -> 7 up-left (the keys around W/A/S/D), and the numeric keypad's eight
        directions. Gymnasium's convention (a dict from tuples of pygame key codes to
        actions), so ``gymnasium.utils.play.play(env)`` works with no key map (pass
        ``wait_on_player=True`` for one move per key press);
        :class:`rlsandbox.agents.KeyboardAgent` reads the same keys.

        Raises
        ------
        ValueError
            If the MDP is not a grid (no ``cells``) or has neither 4 nor 8 actions: its
            actions are not moves on the grid, so no key stands for them.

        Examples
        --------
        >>> import pygame
        >>> from rlsandbox import textbook
        >>> keys = textbook.make("windy-gridworld", king_moves=True).get_keys_to_action()
        >>> keys[(pygame.K_UP,)], keys[(ord("e"),)], keys[(pygame.K_KP1,)]
        (0, 4, 6)
        """
        n = self._n_actions
        if self.mdp.cells is None or n not in (4, 8):
            why = (
                "is not a grid (mdp.cells is None)"
                if self.mdp.cells is None
                else f"is a grid with {n} action{'s' * (n != 1)}"
            )
            raise ValueError(
                f"this MDP {why}; keys exist for grid moves only, 4 actions (0 up, 1 right, "
                "2 down, 3 left) or 8 (king's moves, 4-7: up-right, down-right, down-left, "
                "up-left); give gymnasium.utils.play.play a keys_to_action dict of your own"
            )
        return _keys.grid_keys() if n == 4 else _keys.king_keys()

    @property
    def grid(self) -> np.ndarray | None:
        """The grid as layout characters, as :attr:`MazeEnv.grid <rlsandbox.envs.MazeEnv>`.

        A read-only ``(rows, cols)`` array: ``#`` a cell that is no state, ``.`` a state,
        ``S`` the start (when it is one state), ``G`` a goal, ``X`` an absorbing state that
        is not a goal (see *Rendering*). None when the MDP has no ``cells``. Built once.

        Examples
        --------
        >>> from rlsandbox import textbook
        >>> ["".join(row) for row in textbook.make("cliff-walking").grid[2:]]
        ['............', 'S##########G']
        """
        if self._grid is None:
            m = self.mdp
            if m.cells is None:
                return None
            rows, cols = (m.cells.max(axis=0) + 1).tolist()
            grid = np.full((rows, cols), "#")
            r, c = m.cells.T
            grid[r, c] = "."
            moving = m.probs > 0.0
            stays = (m.next_states == np.arange(m.n_states)[:, None, None]) & (m.rewards == 0.0)
            absorbing = np.flatnonzero((stays | ~moving).all(axis=(1, 2)))
            goals = absorbing if self._goal_states is None else self._goal_states
            grid[r[absorbing], c[absorbing]] = "X"
            grid[r[goals], c[goals]] = "G"
            if self._start.__class__ is int:
                grid[r[self._start], c[self._start]] = "S"
            grid.flags.writeable = False  # the renderer is built from it once
            self._grid = grid
        return self._grid

    def close(self) -> None:
        """Close the window, if one is open (safe to call more than once)."""
        if self._window is not None:
            self._window.close()
            self._window = None


def _start_of(start: Any, n_states: int) -> int | list[float]:
    """A start state (int), or the cumulative start distribution (last entry ``inf``)."""
    p = check_start(start, n_states)  # the MDP's own rule, and its messages
    if p is None:
        p = np.full(n_states, 1.0 / n_states)
    if isinstance(p, int):
        return p
    positive = np.flatnonzero(p > 0)
    if len(positive) == 1:
        return int(positive[0])
    cum = np.cumsum(p).tolist()
    cum[positive[-1]:] = [math.inf] * (n_states - positive[-1])  # never past the last state
    return cum


def _noise_of(reward_noise: Any, n_states: int, n_actions: int) -> list[float] | None:
    """Per state-action noise std as a list indexed ``s * A + a``, or None for no noise."""
    if reward_noise is None:
        return None
    if isinstance(reward_noise, Real) and not isinstance(reward_noise, bool):
        std = np.full((n_states, n_actions), float(reward_noise))
    else:
        std = np.asarray(reward_noise)
        if std.shape != (n_states, n_actions) or std.dtype.kind not in "iuf":
            raise ValueError(
                f"reward_noise must be a standard deviation: a number or an array of shape "
                f"(S, A) = ({n_states}, {n_actions}), got {reward_noise!r:.60}"
            )
        std = std.astype(np.float64)
    if not (np.isfinite(std).all() and (std >= 0).all()):
        raise ValueError(
            "reward_noise must be finite and >= 0 (a standard deviation); e.g. reward_noise=1.0"
        )
    return None if not std.any() else std.ravel().tolist()


def _goals_of(goal_states: Any, n_states: int) -> np.ndarray | None:
    """The goal states as a sorted read-only int array, or None."""
    if goal_states is None:
        return None
    goals = np.asarray(goal_states)
    if goals.ndim == 0:
        goals = goals.reshape(1)
    if goals.ndim != 1 or (len(goals) and goals.dtype.kind not in "iu"):
        raise ValueError(f"goal_states must be a list of state ids, got {goal_states!r:.60}")
    if ((goals < 0) | (goals >= n_states)).any():
        raise ValueError(
            f"goal_states {goals.tolist()!r:.60} holds a state outside [0, {n_states})"
        )
    goals = np.unique(goals).astype(np.intp)
    goals.flags.writeable = False
    return goals
