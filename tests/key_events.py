"""Fixtures for tests that play through the pygame window by posting key events."""

import signal

import pygame
import pytest


@pytest.fixture(autouse=True)
def event_queue():
    """An empty pygame event queue that test events can be posted to."""
    pygame.display.init()
    pygame.event.clear()
    yield
    pygame.display.quit()


@pytest.fixture(autouse=True)
def deadline():
    """Fail a test whose player waits for a key that never comes, instead of hanging."""
    def give_up(signum, frame):
        raise TimeoutError("the test waited 60 s for a key press")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
