"""Ward linkage against SciPy: speed (same process) and peak memory (fresh processes).

Data: ``n`` standard-normal observations in ``d = 8`` dimensions (seed 0); ``n = 5000``
and ``n = 10000`` (targets 1.0x and 1.3x SciPy's speed), ``--quick`` uses 1000 and 2000.

Speed: both sides are first checked to give the same tree (identical merges and sizes,
heights equal to 1e-10 relative), then warmed up once and timed alternately (ours,
SciPy, ours, ...) for ``REPEATS`` rounds (:func:`benchmarks._timing.compare`); the row
reports the medians and ``ratio = reference / ours`` (a speed-up, higher is better).

Peak memory: each side runs once in a fresh ``python`` subprocess, which imports
everything, builds the data and runs a small call first, then measures the one linkage
call in two ways and reports the larger: :mod:`tracemalloc` (traced peak during the call
minus the traced memory before it; NumPy reports its array buffers to it) and the growth
of ``resource.getrusage(...).ru_maxrss`` (resident high-water mark, in KiB on Linux) over
the call, which also sees buffers malloc'ed outside Python's tracing (SciPy's Cython
``dists.copy()`` in ``nn_chain`` is one). Either is the extra memory the call needed at
its peak. For SciPy that is the condensed distances (``pdist``, n(n−1)/2 float64) plus
the copy ``nn_chain`` works on; for ours the centroids and a few length-n vectors (Ward
on observations needs no distance matrix). A fresh process per measurement keeps memory
cached by earlier runs out of it. The memory row's ``ratio`` is
``reference / max(ours, 1 MB)`` (higher is better).

Run ``python benchmarks/bench_linkage.py`` (about a minute or two, mostly SciPy's time at
n = 10000) or ``--quick`` (seconds; checks that it runs, the timings mean little).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import numpy as np

try:
    from benchmarks._timing import compare, format_table
except ImportError:  # run as a script: benchmarks/ itself is on sys.path
    from _timing import compare, format_table

__all__ = ["main", "run"]

REPEATS = 5
DIM = 8
SIZES = ((5000, 1.0), (10000, 1.3))
QUICK_SIZES = ((1000, 1.0), (2000, 1.3))


def _data(n: int, d: int = DIM) -> np.ndarray:
    return np.random.default_rng(0).normal(size=(n, d))


def _ours(X):
    from rlsandbox.analysis.clustering import linkage

    return linkage(X, method="ward")


def _reference(X):
    from scipy.cluster.hierarchy import linkage

    return linkage(X, method="ward")


def _check_same_tree(n: int) -> None:
    X = _data(n)
    ours, theirs = _ours(X), _reference(X)
    assert np.array_equal(ours[:, [0, 1, 3]], theirs[:, [0, 1, 3]]), f"n={n}: merges differ"
    assert np.allclose(ours[:, 2], theirs[:, 2], rtol=1e-10, atol=0), f"n={n}: heights differ"


def _peak_mb(side: str, n: int) -> float:
    """Extra peak resident memory (MB) of one Ward linkage, in a fresh process."""
    here = os.path.dirname(os.path.abspath(__file__))
    code = (
        "import resource, sys, tracemalloc\n"
        f"sys.path.insert(0, {os.path.dirname(here)!r})\n"
        "from benchmarks.bench_linkage import _data, _ours, _reference\n"
        f"X = _data({n})\n"
        f"_{side}(X[:50])  # import and touch every code path first\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "tracemalloc.start()\n"
        "before = tracemalloc.get_traced_memory()[0]\n"
        f"Z = _{side}(X)\n"
        "traced = (tracemalloc.get_traced_memory()[1] - before) / 2**20\n"
        "rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024\n"
        "print(max(traced, rss))\n"  # ru_maxrss is in KiB on Linux
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    """Time Ward linkage against SciPy and measure both sides' peak memory.

    Parameters
    ----------
    quick : bool, default False
        Small sizes (n = 1000, 2000) that finish in seconds.

    Returns
    -------
    list of dict
        Per size a speed row and a memory row, with keys ``name``, ``ours``,
        ``reference`` (median seconds, or peak MB), ``ratio`` (reference / ours),
        ``target`` (minimum ratio) and ``unit``; speed rows also carry
        ``peak_mb_ours`` and ``peak_mb_ref``.
    """
    rows = []
    for n, target in QUICK_SIZES if quick else SIZES:
        _check_same_tree(n)
        X = _data(n)
        t_ours, t_ref = compare(lambda X=X: _ours(X), lambda X=X: _reference(X), REPEATS)
        mb_ours, mb_ref = _peak_mb("ours", n), _peak_mb("reference", n)
        name = f"linkage ward n={n} d={DIM}"
        rows.append({"name": name, "ours": t_ours, "reference": t_ref,
                     "ratio": t_ref / t_ours, "target": target, "unit": "s",
                     "peak_mb_ours": mb_ours, "peak_mb_ref": mb_ref})
        rows.append({"name": f"{name} peak memory", "ours": mb_ours, "reference": mb_ref,
                     "ratio": mb_ref / max(mb_ours, 1.0), "target": 1.0, "unit": "MB"})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, finishes in seconds")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick)
    print(json.dumps(rows, indent=1) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
