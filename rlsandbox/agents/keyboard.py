"""The person at the keyboard as an agent: play an env yourself through its pygame window.

Playing is evaluating a human policy: ``evaluate(env, KeyboardAgent(env), n)`` on an env made
with ``render_mode="human"`` records the person's episodes in an ordinary
:class:`rlsandbox.History`, which every other tool reads (learning curves, behaviour
reports, replays).

The agent reads the keys from the env's window (``env.unwrapped.window``), which already
reads every pygame event while it shows frames; pygame is only used through it, so importing
this module does not import pygame.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from gymnasium import spaces

from rlsandbox.agents.base import Agent, RestartEpisode

__all__ = ["KeyboardAgent", "RestartEpisode"]

_WAIT = 0.01  # seconds between looks at the keyboard while waiting for a key
_KEY_R = ord("r")  # pygame's key code of R is its character code (so are W, A, S, D)


class KeyboardAgent(Agent):
    """A person playing the env through its pygame window.

    Keys come from the env's own key map, ``env.unwrapped.get_keys_to_action()`` (the maze
    and TabularEnv grids: arrows or W/A/S/D for up, right, down, left, and Q/E/Z/C for the
    diagonals of king's moves; CartPole: left/right arrows or A/D). In
    every env **Space** pauses and resumes, **R** restarts the episode (raises
    :class:`RestartEpisode`) and **Esc** or closing the window ends play (raises the window's
    ``WindowClosed``; both are ``KeyboardInterrupt`` s, so ``evaluate`` ends cleanly and keeps
    the finished episodes). The window's status bar shows the step, the return so far and
    these keys.

    Two ways to play:

    - **turn by turn** (envs with ``Discrete`` observations: the maze and other grid
      worlds): :meth:`act` waits until a move key is pressed and returns its action, one
      move per key press; keys pressed quickly are taken in order.
    - **real time** (envs with ``Box`` observations: CartPole): :meth:`act` returns at once
      the action of the key held down; the env's window paces the steps at its
      ``render_fps`` (50 for CartPole). With no move key held, or with two held, the agent
      takes ``idle_action``; by default it alternates between the actions (CartPole: left,
      right, left, ...), pushes that cancel out over two steps, so the cart coasts.

    Parameters
    ----------
    env : gymnasium.Env
        An env made with ``render_mode="human"`` whose unwrapped env has
        ``get_keys_to_action()`` and a ``window`` (MazeEnv, CartPoleEnv, TabularEnv grids).
    real_time : bool, optional
        Force one way of playing; default: real time unless observations are ``Discrete``.
    idle_action : int, optional
        Real time only: the action taken with no move key held (default: alternate).

    Raises
    ------
    ValueError
        If ``env`` does not render to a window or has no key map (a TabularEnv whose MDP is
        not a grid of 4 or 8 moves).

    Examples
    --------
    ::

        import gymnasium, rlsandbox
        from rlsandbox.agents import KeyboardAgent

        env = gymnasium.make("rlsandbox/Maze-v0", layout="classic", render_mode="human")
        history = rlsandbox.evaluate(env, KeyboardAgent(env), 3)  # play three episodes
    """

    def __init__(self, env: Any, *, real_time: bool | None = None,
                 idle_action: int | None = None) -> None:
        unwrapped = getattr(env, "unwrapped", env)
        if getattr(env, "render_mode", None) != "human":
            raise ValueError(
                f"KeyboardAgent reads the keys from the env's window; make the env with "
                f"render_mode='human' (got {getattr(env, 'render_mode', None)!r})"
            )
        get_keys = getattr(unwrapped, "get_keys_to_action", None)
        if get_keys is None or not hasattr(unwrapped, "window"):
            raise ValueError(
                f"{type(unwrapped).__name__} cannot be played by keyboard: it needs "
                "get_keys_to_action() and a window (MazeEnv, CartPoleEnv and TabularEnv have "
                "both)"
            )
        keys = {int(combo[0]): int(action) for combo, action in get_keys().items()
                if len(combo) == 1}
        actions = sorted(set(keys.values()))
        if idle_action is not None and (isinstance(idle_action, bool)
                                        or not unwrapped.action_space.contains(idle_action)):
            raise ValueError(f"idle_action must be an action of {unwrapped.action_space}, got "
                             f"{idle_action!r}")
        self._env = unwrapped
        self.keys = keys
        self.real_time = (not isinstance(unwrapped.observation_space, spaces.Discrete)
                          if real_time is None else bool(real_time))
        self.idle_action = None if idle_action is None else int(idle_action)
        self.keys_hint = _keys_hint(actions, self.real_time)
        self._idle = actions or [0]
        self._idle_turn = 0
        self._pending: deque[int] = deque()
        self._playing: Any = None  # the window switched to play

    @classmethod
    def for_env(cls, env, **kwargs) -> KeyboardAgent:
        """``KeyboardAgent(env, **kwargs)`` (``make_agent("keyboard", env)``)."""
        return cls(env, **kwargs)

    def begin_episode(self) -> None:
        """Open the window for play (before the env's reset shows its first frame) and
        forget keys pressed before the episode (after the last one ended)."""
        self._idle_turn = 0
        self._pending.clear()
        window = getattr(getattr(self, "_env", None), "window", None)
        if window is not None:  # keys typed after the last episode ended: forget them
            window.poll()
            window.pop_presses()
        self._window()  # a new window reads the keys pending now: they are the first moves

    def act(self, observation: Any, *, explore: bool = True) -> int:
        """The action the person chooses (``explore`` is ignored: people explore anyway).

        Raises
        ------
        RestartEpisode
            When R was pressed.
        WindowClosed
            When Esc was pressed or the window closed (a ``KeyboardInterrupt``).
        """
        window = self._window()
        if self.real_time:
            return self._held_action(window)
        return self._next_move(window)

    def _next_move(self, window) -> int:
        """Turn by turn: wait for the next move key (or R) and return its action."""
        pending = self._pending
        while True:
            window.poll()
            pending.extend(window.pop_presses())
            while pending:
                key = pending.popleft()
                if key == _KEY_R:
                    raise RestartEpisode("R pressed: the episode starts again")
                if key in self.keys and not window.paused:
                    return self.keys[key]
            time.sleep(_WAIT)

    def _held_action(self, window) -> int:
        """Real time: the action of the move key held down, else the idle action."""
        window.poll()
        while window.paused:
            time.sleep(2 * _WAIT)
            window.poll()
        if _KEY_R in window.pop_presses():
            raise RestartEpisode("R pressed: the episode starts again")
        chosen = {self.keys[k] for k in window.held if k in self.keys}
        if len(chosen) == 1:
            return chosen.pop()
        if self.idle_action is not None:
            return self.idle_action
        self._idle_turn += 1
        return self._idle[(self._idle_turn - 1) % len(self._idle)]

    def _window(self):
        """The env's window, switched to play (opened by rendering if it is not yet)."""
        env = getattr(self, "_env", None)
        if env is None:
            raise ValueError(
                "this KeyboardAgent was loaded from a file and has no window to read keys "
                "from; a person's episodes are replayed from the run's history, or build a "
                "new KeyboardAgent(env) to play again"
            )
        window = env.window
        if window is None:
            env.render()  # human mode: opens the window
            window = env.window
        if self._playing is not window:
            window.start_play(self.keys_hint)
            self._playing = window
        return window

    # -- persistence: the settings, never the env or the window ------------------------------
    def get_state(self) -> dict[str, Any]:
        return {"keys": {str(k): v for k, v in self.keys.items()}, "real_time": self.real_time,
                "idle_action": self.idle_action, "keys_hint": self.keys_hint}

    def set_state(self, state: dict[str, Any]) -> None:
        self.keys = {int(k): int(v) for k, v in state["keys"].items()}
        self.real_time = bool(state["real_time"])
        self.idle_action = state["idle_action"]
        self.keys_hint = state["keys_hint"]
        self._idle = sorted(set(self.keys.values())) or [0]
        self._idle_turn = 0
        self._pending = deque()
        self._playing = None


def _keys_hint(actions: list[int], real_time: bool) -> str:
    """The status bar's keys line (ASCII: pygame's default font has no arrow glyphs)."""
    if real_time and len(actions) == 2:
        moves = "Left/Right or A/D push"
    elif len(actions) == 4:
        moves = "arrows or WASD move"
    elif len(actions) == 8:  # king's moves: the diagonals are single keys (see king_keys)
        moves = "arrows or WASD move · Q E Z C diagonals"
    else:
        moves = "keys move"
    return f"{moves} · Space pause · R restart · Esc quit"
