"""A second thread for large numpy work: numpy releases the GIL inside sorts and ufuncs.

Used where one call has two independent halves big enough to pay for a thread hand-over
(tens of µs on a VM whose idle core must be woken): the two classes of a 10^7-score ROC,
the cosines of a 16384-wide CartPole step. Results never depend on it: the work done
in the second thread is exactly the work that would be done in this one.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["TWO_CORES", "Worker", "side_by_side"]

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


class Worker:
    """One daemon thread that runs the jobs handed to it, one at a time.

    For repeated hand-overs (every env step) where ``side_by_side``'s new thread per call
    would cost more than it saves. ``start(job)`` hands a job over, ``wait()`` blocks until
    it is done and re-raises what it raised. Jobs must not hold the owner (the worker
    thread keeps no reference after a job), so that the owner can be collected; call
    ``stop()`` then, or when done.
    """

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._results: queue.SimpleQueue = queue.SimpleQueue()
        self._busy = False
        threading.Thread(target=_serve, args=(self._jobs, self._results), name=name,
                         daemon=True).start()

    def start(self, job: Callable[[], object]) -> None:
        if self._busy:  # an interrupted wait left a job running: finish it first
            self.wait()
        self._busy = True
        self._jobs.put(job)

    def wait(self) -> None:
        error = self._results.get()
        self._busy = False
        if error is not None:
            raise error

    def stop(self) -> None:
        self._jobs.put(None)


def _serve(jobs: queue.SimpleQueue, results: queue.SimpleQueue) -> None:
    while True:
        job = jobs.get()
        if job is None:
            return
        try:
            job()
        except BaseException as error:  # handed back to the waiting thread, raised there
            results.put(error)
        else:
            results.put(None)
        del job
