"""A second thread for large numpy work: numpy releases the GIL inside sorts and ufuncs.

Used where one call has two independent halves big enough to pay for a thread hand-over
(tens of µs on a VM whose idle core must be woken): the two classes of a 10^7-score ROC.
Results never depend on it: the work done in the second thread is exactly the work that
would be done in this one. (CartPoleVectorEnv hands its trigonometry to a helper process
instead, ``envs/_sincos_process``: it does so every step, where a thread's GIL hand-overs
cost more than they save.)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["TWO_CORES", "side_by_side"]

T = TypeVar("T")
U = TypeVar("U")


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


TWO_CORES = _usable_cpus() > 1  # one thread per core at most: with one core, no gain


def side_by_side(first: Callable[[], T], second: Callable[[], U]) -> tuple[T, U]:
    """``(first(), second())``, ``first`` in a new thread while this one runs ``second``."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(first)
        now = second()
        return later.result(), now
