"""Shared timing helper for the benchmarks: warmed-up, alternating, median-of-repeats."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["compare"]


def compare(
    ours: Callable[[], object], reference: Callable[[], object], repeats: int = 5
) -> tuple[float, float]:
    """Median wall-clock seconds of one call of ``ours()`` and of ``reference()``.

    Both are called once untimed (warm-up: imports, caches, lazy tables), then timed
    alternately ``ours, reference, ours, reference, ...`` for ``repeats`` rounds, so that
    a slow patch of a shared machine hits both sides alike. Returns
    ``(median_ours, median_reference)``; turn them into a speed-up with
    ``median_reference / median_ours`` (or, for rates, ``work / median``).
    """
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    ours()
    reference()
    times_ours: list[float] = []
    times_ref: list[float] = []
    for _ in range(repeats):
        for fn, times in ((ours, times_ours), (reference, times_ref)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_ours), statistics.median(times_ref)
