"""MazeVectorEnv: N mazes stepped together on numpy arrays, each equal to a MazeEnv.

Sub-env ``i`` of ``MazeVectorEnv(n, ...)`` reset with seed ``s`` behaves exactly like
``MazeEnv(...)`` reset with seed ``s + i`` (Gymnasium's ``SyncVectorEnv`` convention) and then
reset without a seed at every episode end: same states, rewards, episode ends and
``is_success``. Every sub-env keeps its own generator and takes its slip draws from it in the
single env's order, so the same seed gives the same slips.

A step is a handful of numpy gathers on the maze's arrays (``maze_dynamics.maze_arrays``):
next state ``move[s, (a + slip offset) % 4]``, reward and end flag of the state entered, with
the slip offsets of ``maze_dynamics.slip_offsets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral
from typing import Any

import numpy as np
from gymnasium.error import ResetNeeded
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from rlsandbox.envs import maze_dynamics
from rlsandbox.envs._vector_common import SubEnvGenerators, check_actions, check_num_envs
from rlsandbox.envs.maze import MazeEnv

__all__ = ["MazeVectorEnv"]

# Slip uniforms drawn per sub-env and generator call (one numpy call per block, none per step).
_DRAWS_PER_CALL = 64


class MazeVectorEnv(VectorEnv):
    """``num_envs`` independent :class:`~rlsandbox.envs.MazeEnv` s, batched with numpy.

    ``gymnasium.make_vec("rlsandbox/Maze-v0", num_envs=n, vectorization_mode=
    "vector_entry_point", layout=..., slip=...)`` builds one.

    Parameters
    ----------
    num_envs : int, default 1
        Number of sub-environments.
    layout, slip, step_reward, goal_reward, trap_reward, max_steps
        The arguments of :class:`~rlsandbox.envs.MazeEnv`, shared by every sub-env.
    render_mode : {None, "rgb_array", "ansi", "human"}
        ``render`` draws the first sub-env only.

    Notes
    -----
    Autoreset follows Gymnasium's ``AutoresetMode.NEXT_STEP``: the step after a sub-env's
    episode ended ignores its action (and takes no slip draw), starts its next episode and
    returns the start state with reward 0 and ``terminated = truncated = False``.

    ``reset(seed=s)`` seeds sub-env ``i`` with ``s + i``; ``reset(seed=[s0, s1, ...])`` gives
    each its own seed (a ``None`` entry keeps that sub-env's generator); ``reset()`` continues
    every sub-env's generator. Seeds are hashed for all sub-envs at once; a sub-env's numpy
    generator is made (about 2 µs) when it first needs slip draws.

    ``info`` holds ``"is_success"`` (a goal was entered) with its mask ``"_is_success"`` (the
    sub-envs whose episode ended on this step) when any episode ended, else it is empty.
    """

    metadata = {
        "render_modes": ["human", "rgb_array", "ansi"],
        "render_fps": 8,
        "autoreset_mode": AutoresetMode.NEXT_STEP,
    }

    def __init__(
        self,
        num_envs: int = 1,
        layout: str = "classic",
        *,
        slip: float = 0.0,
        step_reward: float = -0.1,
        goal_reward: float = 10.0,
        trap_reward: float = -10.0,
        max_steps: int | None = None,
        render_mode: str | None = None,
    ) -> None:
        self.num_envs = n = check_num_envs(num_envs)
        # One single env validates the arguments, builds the model, and renders sub-env 0.
        self._single = single = MazeEnv(
            layout, slip=slip, step_reward=step_reward, goal_reward=goal_reward,
            trap_reward=trap_reward, max_steps=max_steps, render_mode=render_mode,
        )
        self.render_mode = render_mode
        self.single_action_space = single.action_space
        self.single_observation_space = single.observation_space
        self.action_space = batch_space(self.single_action_space, n)
        self.observation_space = batch_space(self.single_observation_space, n)

        arrays = maze_dynamics.maze_arrays(single)
        # Eight slots per state, the last four repeating the first (as MazeEnv's step
        # table): action + slip offset (0, 1 or 3) indexes it without a modulo.
        self._move8 = np.concatenate([arrays.move, arrays.move], axis=1).ravel()
        self._reward_in = arrays.reward_in
        self._ends_in = arrays.ends_in
        self._is_goal = arrays.is_goal
        self._slip = single.slip
        self._slip_cuts = maze_dynamics.slip_cuts(single.slip)
        self._start = arrays.start
        self._max_steps = single.max_steps

        self._state = np.full(n, self._start, dtype=np.int64)
        self._t = 0  # steps taken by the vector env
        self._deadline = np.zeros(n, dtype=np.int64)  # value of _t at which each truncates
        self._done = np.zeros(n, dtype=bool)
        self._any_done = False
        self._started = False
        self._generators = SubEnvGenerators(n)
        # Pre-drawn slip offsets (0 as chosen, 3 turn left, 1 turn right), one row per
        # sub-env; _cursor is the flat index of each sub-env's next draw.
        self._offsets = np.zeros((n, _DRAWS_PER_CALL), dtype=np.int64)
        self._uniforms = np.empty((n, _DRAWS_PER_CALL))
        self._bind_views()
        self._row_end = np.arange(1, n + 1, dtype=np.int64) * _DRAWS_PER_CALL
        self._row_start = self._row_end - _DRAWS_PER_CALL
        self._cursor = self._row_end.copy()

    def _bind_views(self) -> None:
        self._uniform_rows = list(self._uniforms)  # views, made once
        self._flat_offsets = self._offsets.reshape(-1)

    # Pickling and copying: views would come back as separate arrays; make them anew.
    def __getstate__(self) -> dict[str, Any]:
        derived = ("_uniform_rows", "_flat_offsets")
        return {k: v for k, v in self.__dict__.items() if k not in derived}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._bind_views()

    @classmethod
    def from_env(cls, env: Any, num_envs: int) -> MazeVectorEnv:
        """``num_envs`` copies of the maze ``env`` (a MazeEnv, maybe made by gymnasium.make)."""
        maze = env.unwrapped
        if not isinstance(maze, MazeEnv):
            raise ValueError(f"expected a MazeEnv, got {type(maze).__name__}")
        return cls(
            num_envs, maze.layout_text, slip=maze.slip, step_reward=maze.step_reward,
            goal_reward=maze.goal_reward, trap_reward=maze.trap_reward,
            max_steps=maze.max_steps,
        )

    # -- episodes ----------------------------------------------------------------------------
    def reset(
        self,
        *,
        seed: int | Sequence[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Start a new episode in every sub-env; returns ``(states (n,), {})``."""
        super().reset(seed=seed if isinstance(seed, Integral) else None)
        fresh, _ = self._generators.reseed(seed)
        # A new generator discards the draws of the old one, as MazeEnv.reset(seed=...) does.
        self._cursor[fresh] = self._row_end[fresh]
        self._t = 0
        self._begin(np.arange(self.num_envs))
        self._done = np.zeros(self.num_envs, dtype=bool)
        self._any_done = False
        self._started = True
        if self.render_mode == "human":
            self.render()
        return self._state.copy(), {}

    def _begin(self, envs: np.ndarray) -> None:
        """Put ``envs`` at the start of an episode."""
        self._state[envs] = self._start
        self._deadline[envs] = self._t + self._max_steps

    def _refill(self, envs: np.ndarray) -> None:
        """Draw the next block of slip offsets of ``envs`` from their generators."""
        random, rows = self._generators.random, self._uniform_rows
        for i in envs.tolist():
            random(i, rows[i])
        self._offsets[envs] = maze_dynamics.slip_offsets(self._uniforms[envs], self._slip_cuts)
        self._cursor[envs] = self._row_start[envs]

    def _transition(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Move every sub-env (no autoreset); ``(states, rewards, terminated, truncated)``."""
        index = self._state * 8
        index += actions
        if self._slip:
            cursor = self._cursor
            exhausted = cursor == self._row_end
            if np.count_nonzero(exhausted):  # a fraction of the cost of any()
                self._refill(exhausted.nonzero()[0])
            index += self._flat_offsets[cursor]
            cursor += 1
        self._state = state = self._move8[index]
        self._t += 1
        return state, self._reward_in[state], self._ends_in[state], self._deadline <= self._t

    def step(
        self, actions: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Move every agent; returns batched ``(states, rewards, terminated, truncated, info)``."""
        if not self._started:
            raise ResetNeeded("MazeVectorEnv.step() called before reset(); call reset() first")
        check_actions(actions, self.num_envs, 3, "iu",
                      "the maze takes 0 (up), 1 (right), 2 (down) or 3 (left)")
        actions = np.asarray(actions).astype(np.int64, copy=False)
        if self._any_done:
            restart = self._done.nonzero()[0]
            actions = actions.copy()
            actions[restart] = 0  # ignored, but must index the table
            if self._slip:  # the restart step takes no slip draw: step back over it
                self._cursor[restart] -= 1
        state, rewards, terminated, truncated = self._transition(actions)
        if self._any_done:
            self._begin(restart)
            state[restart] = self._start
            rewards[restart] = 0.0
            terminated[restart] = False
            truncated[restart] = False
        self._done = done = terminated | truncated
        self._any_done = np.count_nonzero(done) > 0
        info: dict[str, Any] = {}
        if self._any_done:
            info = {"is_success": self._is_goal[state] & done, "_is_success": done}
        if self.render_mode == "human":
            self.render()
        return state.copy(), rewards, terminated, truncated, info

    # -- rendering -----------------------------------------------------------------------------
    def render(self) -> np.ndarray | str | None:
        """Draw the first sub-env as :meth:`MazeEnv.render` does."""
        if self._started:
            self._single.state = int(self._state[0])
        return self._single.render()

    def close(self, **kwargs: Any) -> None:
        """Close the window, if one is open."""
        self._single.close()
