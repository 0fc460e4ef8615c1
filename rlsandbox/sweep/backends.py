"""Where trials run: here (in this process, or a pool of workers), or as Ray tasks.

Both backends take the trial configs (JSON data) and yield ``(index, result, error)`` as
trials finish, in completion order; the driver writes every result. Neither backend needs
a disk shared with the workers. Both stop their workers when the caller stops iterating
(Ctrl-C, an error), so an interrupted sweep leaves no stray processes behind.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["RAY_INSTALL", "check_backend", "connect_ray", "run_local", "run_ray"]

RAY_INSTALL = 'pip install -e ".[ray]"  (or: pip install "ray>=2.9")'

Outcome = tuple[int, "dict[str, Any] | None", "str | None"]


def check_backend(backend: str) -> None:
    """Raise ``ValueError`` (before any trial runs) if ``backend`` cannot be used here."""
    if backend not in ("local", "ray"):
        raise ValueError(f"backend must be 'local' or 'ray', got {backend!r}")
    if backend == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise ValueError(f"backend 'ray' needs Ray, which is not installed; install it "
                             f"with: {RAY_INSTALL}") from None


def _ignore_sigint() -> None:
    # Ctrl-C reaches the whole process group; the driver alone handles it and stops the
    # workers, so they must not die mid-trial printing tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_one(config: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    from rlsandbox.sweep.trial import run_trial

    try:
        return run_trial(config), None
    except Exception as exc:  # one broken trial must not sink the sweep; report it
        return None, f"{type(exc).__name__}: {' '.join(str(exc).split())}"


class run_local:  # noqa: N801  (used like the generator function run_ray)
    """Run the trials here: one at a time in this process, or in a pool of ``workers``.

    ``workers`` ``None`` or 1 (the default, as ``n_jobs=None`` in scikit-learn): each trial
    runs in this process, in order; no process is started. ``workers >= 2``: a pool of that
    many worker processes starts at once (before the caller shows a progress bar: see
    ``_context``). Iterate to get the outcomes, and call :meth:`close` to stop the workers
    early.
    """

    def __init__(self, configs: list[dict[str, Any]], workers: int | None) -> None:
        self._pool = None
        self._pending: dict[Any, int] = {}
        self._inline = list(enumerate(configs)) if (workers or 1) == 1 else []
        if not configs or self._inline:
            return
        from concurrent.futures import ProcessPoolExecutor

        workers = min(workers, len(configs))
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_sigint,
                                         mp_context=_context())
        self._pending = {self._pool.submit(_run_one, c): i for i, c in enumerate(configs)}

    def __iter__(self) -> Iterator[Outcome]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        while self._inline:  # Ctrl-C reaches the trial running here, then the caller
            index, config = self._inline.pop(0)
            yield (index, *_run_one(config))
        while self._pending:
            done, _ = wait(self._pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = self._pending.pop(future)
                try:
                    result, error = future.result()
                except BrokenProcessPool as exc:  # a worker was killed (OOM, signal)
                    result, error = None, f"worker process died: {exc}"
                yield index, result, error

    def close(self) -> None:
        """Cancel the trials not started and stop the worker processes."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=False, cancel_futures=True)
        # Trials already running would otherwise finish first (and the interpreter waits
        # for them at exit): stop our own worker processes now.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.terminate()


def _context():
    """The multiprocessing start method of the local pool.

    "fork" on Linux while this process has no other thread: workers start in milliseconds
    with rlsandbox already imported, and scripts need no ``if __name__ == "__main__":``
    guard. Otherwise (macOS, Windows, or threads running - Ray, Jupyter - where forking can
    deadlock) "spawn": clean workers, but a script then needs that guard, as for any
    multiprocessing code.
    """
    import multiprocessing
    import threading

    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def connect_ray(address: str | None, workers: int | None) -> bool:
    """Make sure this process is connected to Ray; return whether it connected just now.

    Uses the Ray instance this process is already connected to, if any; else connects to
    ``address`` (or ``$RAY_ADDRESS``), shipping this checkout's ``rlsandbox`` package to the
    cluster's workers (``runtime_env.py_modules``); else starts a local Ray instance with
    ``workers`` CPUs. A failed connection raises ``ValueError`` naming the address.
    """
    import ray

    if ray.is_initialized():
        return False
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address is None:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        return True
    import rlsandbox

    package = os.path.dirname(os.path.abspath(rlsandbox.__file__))
    try:
        ray.init(address=address, runtime_env={"py_modules": [package]}, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:  # what ray.init raises
        reason = " ".join(str(exc).split())[:300]
        raise ValueError(f"cannot connect to the Ray cluster at {address!r} ({reason}); check "
                         "--address / RAY_ADDRESS (with token auth, also RAY_AUTH_MODE=token "
                         "and the cluster's token)") from None
    return True


def run_ray(configs: list[dict[str, Any]], workers: int | None) -> Iterator[Outcome]:
    """Run the trials as Ray tasks on the connected Ray instance (see :func:`connect_ray`),
    at most ``workers`` at a time (default: as many as the cluster has CPUs)."""
    import ray

    if not configs:
        return
    running: dict[Any, int] = {}
    try:
        limit = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        task = ray.remote(num_cpus=1, max_retries=2)(_run_one)
        queue = list(enumerate(configs))[::-1]  # pop() from the end keeps spec order
        while queue or running:
            while queue and len(running) < limit:
                index, config = queue.pop()
                running[task.remote(config)] = index
            done, _ = ray.wait(list(running), num_returns=1)
            for ref in done:
                index = running.pop(ref)
                try:
                    result, error = ray.get(ref)
                except ray.exceptions.RayError as exc:  # the worker died or was lost
                    result, error = None, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                yield index, result, error
    finally:
        for ref in running:  # left over only when the caller stopped early
            ray.cancel(ref, force=True)
