"""The pygame window that ``render_mode="human"`` shows frames in.

One small class shared by every env, so that all windows behave alike: frames are shown at
the env's ``render_fps``; **space** pauses and resumes, **→** (right arrow) advances one
frame while paused, **Esc** or closing the window raises :class:`WindowClosed`. Under the
frame a status bar shows a line from the env (the step and the return so far) and the keys.

``WindowClosed`` is a ``KeyboardInterrupt``, so :func:`rlsandbox.train` treats it like
Ctrl-C (it keeps every finished episode) and the CLI's ``replay`` ends cleanly.

For a person playing (:class:`rlsandbox.agents.KeyboardAgent`) the window also keeps what
the keyboard did: the keys held down (:attr:`Window.held`) and the keys pressed since they
were last read (:meth:`Window.pop_presses`). Every event is read in one place, here, so the
frames the env shows and the keys the player presses never steal events from each other.
:meth:`Window.start_play` switches to play: → is then a key of the game, not a frame step.

Without a display (``SDL_VIDEODRIVER=dummy``, as in the tests and on servers) pygame opens
an invisible window and everything works the same, so ``render_mode="human"`` never crashes
headless.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import Any

__all__ = ["Window", "WindowClosed", "no_screen", "status_line"]

# ASCII and "·" only: pygame's default font has no arrow glyphs.
_VIEWER_KEYS = "Space pause · Right: one step while paused · Esc close"
# Light grey under dark walls and white CartPole alike, a darker line between frame and bar.
_BAR_COLOUR, _LINE_COLOUR = (228, 228, 228), (150, 150, 150)
_TEXT_COLOUR, _PAUSED_COLOUR = (20, 20, 20), (213, 94, 0)  # black; vermillion when paused
_FONT_SIZE = 20  # pygame's default font at 20 is about 14 pixels high
_MAX_PRESSES = 64  # key presses kept for the player; older ones are dropped


class WindowClosed(KeyboardInterrupt):
    """The user closed the render window (Esc or the window's close button)."""


def no_screen() -> bool:
    """Whether windows need an X11 or Wayland display here and none is set (a server, CI).

    Only where SDL draws through X11 or Wayland (Linux and the BSDs): macOS and Windows have
    a screen of their own and never set ``DISPLAY``.
    """
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "dragonfly")):
        return False
    return not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")


def status_line(step: int, episode_return: float) -> str:
    """The status bar's first line: ``"step 12   return 8.80"``.

    Examples
    --------
    >>> status_line(12, 8.8)
    'step 12   return 8.80'
    >>> status_line(40, 40.0)
    'step 40   return 40'
    """
    value = float(episode_return)
    text = f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return f"step {step}   return {text}"


class Window:
    """A pygame window showing one ``pygame.Surface`` per call to :meth:`show`.

    Parameters
    ----------
    title : str
        Window caption.
    size : tuple of int
        ``(width, height)`` of the frame in pixels; surfaces of another size are scaled to
        it. The status bar is added below it.
    fps : float
        Frames per second; :meth:`show` waits so frames are not shown faster.
    """

    def __init__(self, title: str, size: tuple[int, int], fps: float) -> None:
        import pygame

        if no_screen():
            # No screen: pygame would fail to open a window; the dummy driver draws nowhere.
            os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        pygame.display.init()
        pygame.display.set_caption(title)
        self._pygame = pygame
        self._font = _font(pygame)
        self._size = (int(size[0]), int(size[1]))
        self._period = 1.0 / fps if fps and fps > 0 else 0.0
        self._last = 0.0
        self._paused = False
        self._closed = False
        self._play = False
        self._keys_hint = _VIEWER_KEYS
        self._status = ""
        self._surface: Any = None
        self._held: set[int] = set()
        self._presses: deque[int] = deque(maxlen=_MAX_PRESSES)
        self._screen: Any = None
        self._bar_lines: list[str] = []
        self._layout()

    # -- what the player reads ------------------------------------------------------------
    @property
    def paused(self) -> bool:
        """Whether Space paused the window."""
        return self._paused

    @property
    def status(self) -> str:
        """The status line under the frame (the env's: step and return so far)."""
        return self._status

    @property
    def held(self) -> frozenset[int]:
        """pygame key codes held down now (from the key-down and key-up events seen)."""
        return frozenset(self._held)

    def pop_presses(self) -> list[int]:
        """pygame key codes pressed since the last call, oldest first (Space and Esc,
        which the window handles itself, are not among them, nor keys pressed while a game
        was paused)."""
        presses = list(self._presses)
        self._presses.clear()
        return presses

    def start_play(self, keys_hint: str) -> None:
        """Let a person play: → is a game key (no frame step), ``keys_hint`` is shown."""
        self._play = True
        self._keys_hint = keys_hint
        self._layout()
        self._redraw()

    def poll(self) -> None:
        """Read pending events without drawing a new frame (redraws if pausing changed).

        Raises
        ------
        WindowClosed
            If the user pressed Esc or closed the window.
        """
        if self._closed:
            raise WindowClosed("the render window was closed")
        paused = self._paused
        self._handle_events()
        if paused != self._paused:
            self._redraw()

    # -- showing frames -------------------------------------------------------------------
    def show(self, surface: Any, status: str = "") -> None:
        """Draw ``surface`` with ``status`` under it; wait for the next frame time (or while
        paused).

        Raises
        ------
        WindowClosed
            If the user pressed Esc or closed the window.
        """
        if self._closed:
            raise WindowClosed("the render window was closed")
        pygame = self._pygame
        if surface.get_size() != self._size:
            surface = pygame.transform.scale(surface, self._size)
        self._surface, self._status = surface, status
        self._redraw()
        step = self._handle_events()
        if self._paused and not step:
            self._redraw()  # show "paused"
        while self._paused and not step:
            time.sleep(0.02)
            step = self._handle_events()
        wait = self._last + self._period - time.perf_counter()
        if wait > 0 and not step:
            time.sleep(wait)
        self._last = time.perf_counter()

    def _redraw(self) -> None:
        """Blit the last frame and the status bar, and flip."""
        if self._closed:
            return
        screen = self._screen
        if self._surface is not None:
            screen.blit(self._surface, (0, 0))
        if self._font is not None:
            width, height = self._size
            screen.fill(_BAR_COLOUR, (0, height, width, screen.get_height() - height))
            screen.fill(_LINE_COLOUR, (0, height, width, 1))
            status = self._status + ("   [paused: Space resumes]" if self._paused else "")
            lines = [status, *self._bar_lines] if status else self._bar_lines
            y = height + 4
            for i, line in enumerate(lines):
                colour = _PAUSED_COLOUR if (i == 0 and self._paused) else _TEXT_COLOUR
                screen.blit(self._font.render(line, True, colour), (6, y))
                y += self._font.get_linesize()
        self._pygame.display.flip()

    def _layout(self) -> None:
        """Size the window: the frame, and under it the status line and the wrapped keys."""
        width, height = self._size
        bar = 0
        if self._font is not None:
            self._bar_lines = _wrap(self._font, self._keys_hint, width - 12)
            bar = (1 + len(self._bar_lines)) * self._font.get_linesize() + 8
        size = (width, height + bar)
        if self._screen is None or self._screen.get_size() != size:
            self._screen = self._pygame.display.set_mode(size)

    def _handle_events(self) -> bool:
        """Process pending events; True if → asked for one step while paused."""
        pygame = self._pygame
        step = False
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.close()
                raise WindowClosed("the render window was closed")
            if event.type == pygame.KEYDOWN:
                if event.key == pygame.K_ESCAPE:
                    self.close()
                    raise WindowClosed("Esc pressed in the render window")
                if event.key == pygame.K_SPACE:
                    self._paused = not self._paused
                    continue
                if event.key == pygame.K_RIGHT and self._paused and not self._play:
                    step = True
                    continue
                self._held.add(event.key)
                if not self._paused:  # a paused game takes no moves
                    self._presses.append(event.key)
            elif event.type == pygame.KEYUP:
                self._held.discard(event.key)
        return step

    def close(self) -> None:
        """Close the window (safe to call more than once)."""
        if not self._closed:
            self._closed = True
            self._pygame.display.quit()


def _font(pygame) -> Any:
    """pygame's default font, or None where pygame was built without font support."""
    try:
        pygame.font.init()
        return pygame.font.Font(None, _FONT_SIZE)
    except (ImportError, NotImplementedError, pygame.error):
        return None


def _wrap(font, text: str, width: int) -> list[str]:
    """``text`` cut at its ``" · "`` separators into lines at most ``width`` pixels wide."""
    parts = text.split(" · ")
    lines = [parts[0]]
    for part in parts[1:]:
        candidate = f"{lines[-1]} · {part}"
        if font.size(candidate)[0] <= width:
            lines[-1] = candidate
        else:
            lines.append(part)
    return lines
