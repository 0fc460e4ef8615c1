"""sin and cos of a row of angles, computed one step ahead in a helper process.

CartPoleVectorEnv needs ``np.sin`` and ``np.cos`` of every pole angle each step: about half
of a large batch's step. The angle of the *next* step is known early in this one (Euler
moves it with the old angular velocity), so a helper process can compute the next step's
sines and cosines while this process does the rest of the step. A process, not a thread:
a thread needs the GIL at the start and end of each call, and on a VM every GIL hand-over
to a halted core costs tens of µs, often more than the work it moves.

The two processes share one memory block (``memfd``) holding two ping-pong buffers of
angles, sines and cosines plus four counters. The env writes the angles of job ``k`` into
buffer ``k % 2`` and stores ``k`` as the latest job; the helper, spinning on that counter,
computes the job and stores ``k`` as the latest done. Each side writes its data before its
counter, and x86-64 keeps stores in order, which is why the helper is used on x86-64
Linux only. The helper yields its CPU on every turn of its spin, so that several helpers
(several envs) and the env's own process share the CPUs; after ``_SPIN_SECONDS`` without
a job it sleeps on its stdin pipe, and the env writes a byte to wake it; when that pipe
closes (the env closed or its process ended) the helper exits. Results never depend on
the helper: it runs the same ``np.sin``/``np.cos`` on the same angles as the env would.
"""

from __future__ import annotations

import mmap
import os
import platform
import subprocess
import sys
import time
import weakref

import numpy as np

from rlsandbox._threads import TWO_CORES

__all__ = ["AVAILABLE", "SinCosProcess"]

AVAILABLE = (TWO_CORES and sys.platform == "linux" and hasattr(os, "memfd_create")
             and platform.machine() in ("x86_64", "AMD64") and bool(sys.executable)
             and not getattr(sys, "frozen", False))

_SPIN_SECONDS = 0.002  # the helper's spin before it sleeps (a step is < 1 ms)
_HEADER = 64  # bytes of counters before the rows
_JOB, _DONE, _SLEEPING, _READY = range(4)

# The helper's whole program, run with ``python -c``: no import of rlsandbox or of the
# caller's __main__ (a multiprocessing child would import that).
_HELPER = f"""
import sys
if sys.path and sys.path[0] in ("", "."):
    del sys.path[0]  # python -c puts the working directory first: its files could shadow
import mmap, os, signal, time
import numpy as np
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the env's process to handle
np.seterr(all="ignore")  # the env's own steps warn about NaN angles, not this helper
fd, n = int(sys.argv[1]), int(sys.argv[2])
block = mmap.mmap(fd, {_HEADER} + 48 * n)
ctl = memoryview(block)[:{_HEADER}].cast("q")
theta, sin, cos = np.frombuffer(block, np.float64, 6 * n, {_HEADER}).reshape(3, 2, n)
clock = time.perf_counter
done = ctl[{_DONE}]
ctl[{_READY}] = 1
yield_cpu = os.sched_yield
while True:
    give_up = clock() + {_SPIN_SECONDS}
    while ctl[{_JOB}] == done:
        yield_cpu()  # spin, but let whatever else wants this CPU run first
        if clock() > give_up:
            ctl[{_SLEEPING}] = 1
            while ctl[{_JOB}] == done:  # the env writes a byte to wake this up
                if not os.read(0, 64):
                    sys.exit(0)  # the env closed the pipe, or its process ended
            ctl[{_SLEEPING}] = 0
    done = ctl[{_JOB}]
    np.sin(theta[done & 1], sin[done & 1])
    np.cos(theta[done & 1], cos[done & 1])
    ctl[{_DONE}] = done
"""


class SinCosProcess:
    """A helper process computing ``sin`` and ``cos`` of ``n`` angles per job.

    ``angles(k)`` is the row to fill for job ``k`` (numbers increase; job ``k`` uses
    buffer ``k % 2``), ``submit(k)`` hands it over and ``result(k)`` waits for it and
    returns the ``(sin, cos)`` rows. One job at a time: call ``result`` of one before
    ``submit`` of the next (filling the next one's angles meanwhile is fine). Jobs the
    helper cannot take (it is still starting, or it died) are computed in this process
    by ``result``, so a caller never needs to know.
    """

    def __init__(self, n: int) -> None:
        fd = os.memfd_create("rlsandbox-sincos", os.MFD_CLOEXEC)
        try:
            os.ftruncate(fd, _HEADER + 48 * n)
            self._block = mmap.mmap(fd, _HEADER + 48 * n)
            try:
                self._helper: subprocess.Popen | None = subprocess.Popen(
                    [sys.executable, "-c", _HELPER, str(fd), str(n)],
                    stdin=subprocess.PIPE, pass_fds=(fd,), close_fds=True,
                )
            except OSError:  # no helper: result() computes every job here
                self._helper = None
        finally:
            os.close(fd)
        _LIVE.add(self)
        self._ctl = memoryview(self._block)[:_HEADER].cast("q")
        self._theta, self._sin, self._cos = np.frombuffer(
            self._block, np.float64, 6 * n, _HEADER).reshape(3, 2, n)
        self._handed = 0  # the latest job the helper took

    def angles(self, job: int) -> np.ndarray:
        return self._theta[job & 1]

    @property
    def ready(self) -> bool:
        """Whether the helper has started and takes jobs."""
        return self._helper is not None and bool(self._ctl[_READY])

    def submit(self, job: int) -> None:
        ctl = self._ctl
        if self._helper is None or not ctl[_READY]:
            return  # result() computes it here
        ctl[_JOB] = job
        self._handed = job
        if ctl[_SLEEPING]:
            self._wake()

    def _wake(self) -> None:
        try:
            os.write(self._helper.stdin.fileno(), b"\0")
        except OSError:  # the helper is gone: result() computes the job here
            self._lost()

    def result(self, job: int) -> tuple[np.ndarray, np.ndarray]:
        b = job & 1
        sin, cos = self._sin[b], self._cos[b]
        if job > self._handed:
            np.sin(self._theta[b], sin)
            np.cos(self._theta[b], cos)
        elif self._ctl[_DONE] < job:
            self._wait(job)
        return sin, cos

    def _wait(self, job: int) -> None:
        ctl, spins = self._ctl, 0
        started = time.perf_counter()
        while ctl[_DONE] < job:
            spins += 1
            if spins & 0xFF:
                continue
            # Every ~20 µs: is the helper asleep after all? submit() and the helper's
            # going to sleep can each miss the other's store (x86 lets a load pass an
            # earlier store), and then only this wakes it.
            if ctl[_SLEEPING]:
                self._wake()
            if spins & 0xFFFF == 0:  # every few ms: is it still there at all?
                if self._helper is None or self._helper.poll() is not None:
                    self._lost()
                    np.sin(self._theta[job & 1], self._sin[job & 1])
                    np.cos(self._theta[job & 1], self._cos[job & 1])
                    return
                if time.perf_counter() - started > 0.01:
                    time.sleep(0)  # a busy machine: let other threads run

    def drain(self) -> None:
        """Wait for the job in flight, if any (before the buffers are filled anew)."""
        if self._handed and self._helper is not None:
            self.result(self._handed)

    def _lost(self) -> None:
        """The helper is gone: compute every job here from now on."""
        helper, self._helper = self._helper, None
        self._handed = 0
        if helper is not None:
            try:
                helper.stdin.close()
            except OSError:  # a broken pipe's unwritten byte: nothing to keep
                pass

    def _forked(self) -> None:
        # In a forked child the memory block is still shared with the parent (and its
        # helper): take private copies, and compute every job here.
        self._theta, self._sin, self._cos = (a.copy() for a in (self._theta, self._sin,
                                                                 self._cos))
        self._ctl = memoryview(bytearray(_HEADER)).cast("q")
        self._helper = None
        self._handed = 0

    def close(self) -> None:
        """End the helper: it exits when its stdin closes, within a few ms."""
        helper, self._helper = self._helper, None
        self._handed = 0
        if helper is None:
            return
        helper.stdin.close()
        try:
            helper.wait(timeout=5)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()


_LIVE: weakref.WeakSet[SinCosProcess] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for sincos in list(_LIVE):
        sincos._forked()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
