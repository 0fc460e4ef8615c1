"""The shared render window: shows frames headless, pause/step keys, Esc and close."""

import pygame
import pytest

from rlsandbox.envs._viewer import Window, WindowClosed


@pytest.fixture
def window():
    w = Window("test", (40, 30), fps=1000)
    yield w
    w.close()


def _surface(colour):
    s = pygame.Surface((20, 15))
    s.fill(colour)
    return s


def test_show_draws_scaled_frame_above_the_status_bar(window):
    window.show(_surface((255, 0, 0)))
    screen = pygame.display.get_surface()
    assert screen.get_width() == 40
    assert screen.get_height() > 30  # the status bar is under the frame
    assert tuple(screen.get_at((39, 29)))[:3] == (255, 0, 0)
    assert tuple(screen.get_at((39, 30)))[:3] != (255, 0, 0)


@pytest.mark.parametrize(
    "event",
    [pygame.event.Event(pygame.QUIT), pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE)],
)
def test_close_and_escape_raise_window_closed(window, event):
    pygame.event.post(event)
    with pytest.raises(WindowClosed):
        window.show(_surface((0, 0, 0)))
    with pytest.raises(WindowClosed):  # stays closed
        window.show(_surface((0, 0, 0)))


def test_window_closed_is_a_keyboard_interrupt():
    assert issubclass(WindowClosed, KeyboardInterrupt)


def test_pause_then_step_shows_one_frame(window):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT))
    window.show(_surface((0, 255, 0)))  # paused, but → lets this frame through
    assert window._paused


@pytest.mark.parametrize("platform, display, expected", [
    ("linux", None, True),
    ("linux", ":0", False),
    ("darwin", None, False),  # macOS and Windows draw windows without X11
    ("win32", None, False),
])
def test_no_screen_only_where_windows_need_an_unset_display(monkeypatch, platform, display,
                                                            expected):
    from rlsandbox.envs._viewer import no_screen

    monkeypatch.setattr("sys.platform", platform)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if display is None:
        monkeypatch.delenv("DISPLAY", raising=False)
    else:
        monkeypatch.setenv("DISPLAY", display)
    assert no_screen() is expected
