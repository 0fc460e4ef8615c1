"""Run every benchmark and print one table: ``python -m benchmarks [--quick] [--only NAME ...]``.

Each ``benchmarks/bench_*.py`` module that exists is imported and its ``run(quick)`` called;
every row it returns (``name``, ``ours``, ``reference``, ``ratio``, ``target``, ``unit``)
becomes a table line marked PASS when ``ratio >= target``. A module that fails to import or
to run is skipped with a note, so one broken benchmark cannot hide the others. Without
``--quick`` or ``--only`` (or with ``--write``) the table also goes to
``benchmarks/RESULTS.md`` together with a description of the machine.

One core against one core: before numpy is imported, the process pins itself to one CPU and
caps the BLAS/OpenMP thread pools at one thread, so neither side of a comparison gets a second
core (and neither is slowed by another process on this one). Pass ``--all-cores`` to measure
without the pin.

The exit status is 0 even when rows FAIL (this is a report, not a test) and 2 on bad
arguments. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
import traceback
from pathlib import Path

if __name__ == "__main__" and "--all-cores" not in sys.argv:
    # Before numpy loads its BLAS: the thread pools are sized when the library is loaded.
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import numpy as np  # noqa: E402

from benchmarks._timing import COLUMNS, format_cells, format_table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


def available() -> list[str]:
    """Short names of the benchmark modules present: ``bench_envs.py`` -> ``envs``."""
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def run_modules(names: list[str], quick: bool) -> tuple[list[dict], list[str], list[str]]:
    """Rows of every module in ``names``, the modules that ran, and notes on the skipped."""
    rows, ran, notes = [], [], []
    for name in names:
        print(f"[{name}] running{' (quick)' if quick else ''} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except Exception as exc:  # a module being written, or a missing optional library
            notes.append(f"{name}: not imported ({type(exc).__name__}: {exc})")
            continue
        if not callable(getattr(module, "run", None)):
            notes.append(f"{name}: skipped, the module has no run(quick) function")
            continue
        try:
            module_rows = list(module.run(quick))
            for row in module_rows:  # a malformed row fails its module here, not the table
                format_cells(row)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            notes.append(f"{name}: run failed ({type(exc).__name__}: {exc})")
            continue
        rows.extend(module_rows)
        ran.append(name)
        print(f"[{name}] {len(module_rows)} row(s) in {time.perf_counter() - start:.1f} s",
              file=sys.stderr, flush=True)
    return rows, ran, notes


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    """Where the numbers were measured."""
    return {
        "date": datetime.datetime.now().isoformat(sep=" ", timespec="minutes"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} on the machine, "
                 f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} "
                 "used (one core each side unless --all-cores)",
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def to_markdown(rows: list[dict], notes: list[str], quick: bool) -> str:
    lines = ["# Benchmark results", "",
             "Written by `python -m benchmarks`; ratio = speed-up over the reference library",
             "(higher is better), PASS when ratio >= target.", ""]
    lines += [f"- **{key}**: {value}" for key, value in machine().items()]
    if quick:
        lines.append("- **mode**: --quick (small sizes; the timings mean little)")
    lines += ["", "| " + " | ".join(COLUMNS) + " |",
              "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|"]
    lines += ["| " + " | ".join(format_cells(row)) + " |" for row in rows]
    if notes:
        lines += ["", "Skipped:", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    names = available()
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes: checks that everything runs, in about a minute")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help=f"run only these benchmarks (of: {', '.join(names)})")
    parser.add_argument("--all-cores", action="store_true",
                        help="do not pin the run to one core and one BLAS thread")
    parser.add_argument("--write", action="store_true",
                        help=f"write {RESULTS.name} even with --quick or --only")
    args = parser.parse_args(argv)  # exits with status 2 on bad arguments
    if args.only:
        chosen = [name.removeprefix("bench_").removesuffix(".py") for name in args.only]
        unknown = sorted(set(chosen) - set(names))
        if unknown:
            parser.error(f"unknown benchmark(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(names)}")
        names = [name for name in names if name in chosen]

    rows, ran, notes = run_modules(names, args.quick)
    print(format_table(rows))
    print(f"\nran: {', '.join(ran) or 'none'}")
    for note in notes:
        print(f"skipped: {note}")
    # A partial run (--quick or --only) must not replace the full table unless asked to.
    if (not args.quick and not args.only) or args.write:
        RESULTS.write_text(to_markdown(rows, notes, args.quick))
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
