"""Pieces shared by the CLI modules: the usage-error type, error reports, argparse types.

Two kinds of failure leave a command:

- :class:`UsageError`: the user's arguments or files are wrong. One line on stderr that
  names the bad value and the fix; exit status 2; no traceback.
- anything else is a crash: exit status 1, the traceback, the message, and one line saying
  where the error comes from (the user's own agent code, or a bug in rlsandbox to report).

Library functions raise ``ValueError`` for bad input. Only the calls that check what the
user gave are wrapped in :func:`user_input`, which turns their ``ValueError`` into a
``UsageError``; a ``ValueError`` anywhere else is a crash like any other exception.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "Parser",
    "UsageError",
    "float_value",
    "format_rate",
    "non_negative_int",
    "origin",
    "positive_int",
    "report_crash",
    "user_input",
]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class UsageError(Exception):
    """A mistake in the command's arguments or files: reported in one line, exit 2."""


UserError = UsageError  # the first round's name


@contextmanager
def user_input(context: str | None = None) -> Iterator[None]:
    """Report a ``ValueError`` raised inside as a :class:`UsageError` (prefixed by ``context``).

    Wrap only calls whose ``ValueError`` means "what the user gave is wrong" (building the
    env or agent they named, reading the run directory they gave).
    """
    try:
        yield
    except ValueError as exc:
        raise UsageError(f"{context}: {exc}" if context else str(exc)) from exc


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def in_rlsandbox(path: str) -> bool:
    return os.path.abspath(path).startswith(_PACKAGE + os.sep)


def report_crash(command: str, exc: BaseException) -> None:
    """The traceback, the message, and whom the error belongs to (stderr)."""
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    print(f"{command}: crashed: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
    where = origin(exc)
    if where is not None and not in_rlsandbox(where[0]):
        print(f"{command}: the error was raised in {where[0]}, line {where[1]}, outside "
              "rlsandbox: fix it there (the traceback above shows how it was reached)",
              file=sys.stderr)
    else:
        print(f"{command}: this is a bug in rlsandbox; please report it with the command "
              "you ran and the output above", file=sys.stderr)


# Libraries rlsandbox calls into: an error raised inside them belongs to their caller.
_LIBRARIES = ("numpy", "gymnasium", "matplotlib", "pygame", "tqdm", "PIL")


def origin(exc: BaseException) -> tuple[str, int] | None:
    """``(file, line)`` of the code whose call went wrong: the innermost frame of ``exc``
    (or of the exception that caused it) outside the standard library and rlsandbox's own
    dependencies (numpy, gymnasium, ...)."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(exc, SyntaxError) and exc.filename:
        return exc.filename, exc.lineno or 0
    skip = _library_folders()
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = os.path.abspath(frame.filename)
        if not frame.filename.startswith("<") and not path.startswith(skip):
            return frame.filename, frame.lineno or 0
    return None


def _library_folders() -> tuple[str, ...]:
    import importlib.util
    import sysconfig

    folders = [sysconfig.get_paths()["stdlib"]]
    for name in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    return tuple(os.path.abspath(f) + os.sep for f in folders)


def format_rate(rate: float | None) -> str:
    """A success rate as text: ``"85%"``, or ``"n/a"`` when unknown (None or NaN)."""
    if rate is None or math.isnan(rate):
        return "n/a"
    return f"{rate:.0%}"


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be a positive integer")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must be 0 or more")
    return value


def float_value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value
