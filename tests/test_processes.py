"""The helper that starts Ctrl-C test processes as a terminal's foreground job would."""

import signal
import subprocess
import sys

import pytest

from tests.processes import foreground

SHOW_HANDLER = "import signal; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)"


@pytest.fixture
def sigint_ignored_here():
    """This process ignores SIGINT, as a background job of a non-interactive shell does."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_python(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()


def test_a_plain_child_inherits_an_ignored_sigint_and_never_sees_ctrl_c(sigint_ignored_here):
    # The cause of the Ctrl-C tests' failures when pytest itself ran with SIGINT ignored.
    assert run_python([sys.executable, "-c", SHOW_HANDLER]) == "False"


def test_a_foreground_child_turns_ctrl_c_into_keyboard_interrupt(sigint_ignored_here):
    assert run_python(foreground("-c", SHOW_HANDLER)) == "True"
