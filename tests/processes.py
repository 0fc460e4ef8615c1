"""Start a process the way a terminal starts a foreground job, so that Ctrl-C reaches it.

A process inherits an *ignored* SIGINT from its parent, and Python installs its
``KeyboardInterrupt`` handler only when SIGINT is at its default at start-up. Whatever
runs the test suite as a background job of a non-interactive shell (``pytest &``, many CI
runners, ``make -j`` recipes) ignores SIGINT, and so did every process the tests started:
the Ctrl-C tests then sent a SIGINT that nobody saw (``assert 0 == 130``) - on one machine,
for one way of starting pytest, and not on a rerun from a terminal. A terminal gives its
foreground job the default disposition; :func:`foreground` does the same: it restores
SIGINT's default and only then executes the real command.
"""

from __future__ import annotations

import sys

__all__ = ["foreground"]

_RESTORE_SIGINT = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                   "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def foreground(*python_args: str) -> list[str]:
    """The argv that runs ``python *python_args`` with SIGINT at its default disposition.

    >>> foreground("-m", "rlsandbox", "envs")[-3:]
    ['-m', 'rlsandbox', 'envs']
    """
    return [sys.executable, "-c", _RESTORE_SIGINT, *python_args]
