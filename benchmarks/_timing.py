"""Shared by the benchmarks: warmed-up alternating timing, and the table every one prints."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable

__all__ = ["COLUMNS", "compare", "format_cells", "format_table", "print_rows"]

COLUMNS = ("benchmark", "ours", "reference", "ratio", "target", "result")


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


def _format(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    return f"{text} {unit}".strip()


def format_cells(row: dict) -> tuple[str, ...]:
    """The table cells of one row (``name``, ``ours``, ``reference``, ``ratio``, ``target``,
    ``unit``): values with their unit, ratios, and PASS when ``ratio >= target``."""
    unit = str(row.get("unit", ""))
    passed = row["ratio"] >= row["target"]
    return (str(row["name"]), _format(row["ours"], unit), _format(row["reference"], unit),
            f"{row['ratio']:.2f}x", f"{row['target']:.1f}x", "PASS" if passed else "FAIL")


def format_table(rows: list[dict]) -> str:
    """A plain-text table, one line per row, columns padded to fit."""
    lines = [COLUMNS, *(format_cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip()
        for line in lines
    )


def print_rows(makers: Iterable[Callable[[], dict | list[dict]]]) -> int:
    """Call each row maker, print the table of the rows made; 1 if any maker failed.

    A failing maker is reported on stderr and the others still run, so one broken row does
    not hide the rest.
    """
    rows: list[dict] = []
    failed = False
    for make in makers:
        try:
            made = make()
        except Exception as exc:
            failed = True
            name = getattr(getattr(make, "func", make), "__name__", repr(make))  # partials too
            print(f"{name}: ERROR {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            continue
        rows.extend(made if isinstance(made, list) else [made])
    print(format_table(rows))
    return 1 if failed else 0
