"""The pygame window that ``render_mode="human"`` shows frames in.

One small class shared by every env, so that all windows behave alike: frames are shown at
the env's ``render_fps``; **space** pauses and resumes, **→** (right arrow) advances one
frame while paused, **Esc** or closing the window raises :class:`WindowClosed`.

``WindowClosed`` is a ``KeyboardInterrupt``, so :func:`rlsandbox.train` treats it like
Ctrl-C (it keeps every finished episode) and the CLI's ``replay`` ends cleanly.

Without a display (``SDL_VIDEODRIVER=dummy``, as in the tests and on servers) pygame opens
an invisible window and everything works the same, so ``render_mode="human"`` never crashes
headless.
"""

from __future__ import annotations

import os
import time
from typing import Any

__all__ = ["Window", "WindowClosed"]


class WindowClosed(KeyboardInterrupt):
    """The user closed the render window (Esc or the window's close button)."""


class Window:
    """A pygame window showing one ``pygame.Surface`` per call to :meth:`show`.

    Parameters
    ----------
    title : str
        Window caption.
    size : tuple of int
        ``(width, height)`` in pixels; surfaces of another size are scaled to it.
    fps : float
        Frames per second; :meth:`show` waits so frames are not shown faster.
    """

    def __init__(self, title: str, size: tuple[int, int], fps: float) -> None:
        import pygame

        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            # No screen: pygame would fail to open a window; the dummy driver draws nowhere.
            os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        pygame.display.init()
        pygame.display.set_caption(title)
        self._pygame = pygame
        self._screen = pygame.display.set_mode(size)
        self._size = size
        self._period = 1.0 / fps if fps and fps > 0 else 0.0
        self._last = 0.0
        self._paused = False
        self._closed = False

    def show(self, surface: Any) -> None:
        """Draw ``surface`` and wait for the next frame time (or while paused).

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
        self._screen.blit(surface, (0, 0))
        pygame.display.flip()
        step = self._handle_events()
        while self._paused and not step:
            time.sleep(0.02)
            step = self._handle_events()
        wait = self._last + self._period - time.perf_counter()
        if wait > 0 and not step:
            time.sleep(wait)
        self._last = time.perf_counter()

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
                elif event.key == pygame.K_RIGHT and self._paused:
                    step = True
        return step

    def close(self) -> None:
        """Close the window (safe to call more than once)."""
        if not self._closed:
            self._closed = True
            self._pygame.display.quit()
