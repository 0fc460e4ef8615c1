"""Planning benchmarks: our ``value_iteration`` against plain synchronous NumPy value iteration.

- open grid: a 100 x 100 room (10,000 states, walls only around it), start and goal in
  opposite corners, gamma 0.99, tol 1e-8; target >= 6x.
- generated maze: ``generate_maze(1415, 1415, seed=0)`` (999,697 free cells, a perfect maze
  whose longest path is ~230,000 steps), gamma 0.99, tol 1e-8; target >= 20x, and ours
  must take < 3 s (its own row: ratio = 3 s / ours).
- pymdptoolbox (only if installed; it is not a dependency): its ``ValueIteration.run`` on
  the open grid with the same stopping threshold; target >= 1x (not slower).

The reference, :func:`synchronous_value_iteration`, is the textbook loop over the
``(S, A, K)`` outcome arrays of the same ``TabularMDP``: back up every state from the
previous sweep's values, stop when the sup-norm change is below ``tol``. Both sides use the
same tolerance; before any timing the values are checked equal within 1e-8 and our result
is checked converged. Timings exclude building the maze and the ``TabularMDP`` (done once),
but include all of ``value_iteration`` (compacting the model, the reverse graph, sweeps).
Rows report median seconds per solve; ``ratio`` is reference / ours (a speed-up).

Both sides run in this process, warmed up, alternately (``benchmarks/_timing.compare``),
except the reference on the 1M-cell maze: one run takes minutes, so its single checking
run is also its timing, while ours is the median of ``REPEATS`` runs after a warm-up.

Run ``python benchmarks/bench_planning.py [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from rlsandbox.envs.layouts import generate_maze
from rlsandbox.envs.maze import MazeEnv
from rlsandbox.mdp import TabularMDP, value_iteration

try:
    from benchmarks._timing import compare, print_rows
except ImportError:  # run as a script: python benchmarks/bench_planning.py
    from _timing import compare, print_rows

__all__ = ["run", "synchronous_value_iteration"]

REPEATS = 5
GAMMA, TOL = 0.99, 1e-8
GRID, QUICK_GRID = 100, 40
MAZE, QUICK_MAZE = 1415, 201  # layout characters per side (odd); 1415 -> ~10^6 free cells
BUDGET_SECONDS = 3.0
VALUE_ATOL = 1e-8


def synchronous_value_iteration(
    mdp: TabularMDP, tol: float = TOL, max_iters: int = 100_000
) -> tuple[np.ndarray, int]:
    """Plain synchronous value iteration on the outcome arrays; ``(values, sweeps)``."""
    p, r, nxt = mdp.probs, mdp.rewards, mdp.next_states
    discount = mdp.gamma * (1.0 - mdp.terminated)  # loop-invariant, hoisted
    values = np.zeros(mdp.n_states)
    for sweep in range(1, max_iters + 1):
        q = (p * (r + discount * values[nxt])).sum(axis=2)
        new = q.max(axis=1)
        change = np.abs(new - values).max()
        values = new
        if change < tol:
            return values, sweep
    raise RuntimeError(f"reference value iteration did not converge in {max_iters} sweeps")


def open_grid(size: int) -> str:
    """A ``size x size`` room surrounded by wall, ``S`` top left, ``G`` bottom right."""
    rows = ["#" + "." * size + "#" for _ in range(size)]
    rows[0] = "#S" + rows[0][2:]
    rows[-1] = rows[-1][:-2] + "G#"
    wall = "#" * (size + 2)
    return "\n".join([wall, *rows, wall])


def _check(mdp: TabularMDP, reference: np.ndarray, label: str) -> None:
    result = value_iteration(mdp, tol=TOL)
    assert result.converged, f"{label}: our value iteration did not converge"
    gap = float(np.abs(result.values - reference).max())
    assert gap <= VALUE_ATOL, f"{label}: values differ by {gap:.3g} > {VALUE_ATOL:g}"


def _row(name: str, ours: float, reference: float, target: float, unit: str) -> dict:
    return {
        "name": name,
        "ours": ours,
        "reference": reference,
        "ratio": reference / ours,
        "target": target,
        "unit": unit,
    }


def bench_open_grid(size: int = GRID, repeats: int = REPEATS) -> list[dict]:
    """A size x size open room, deterministic moves."""
    mdp = TabularMDP.from_env(MazeEnv(open_grid(size)), gamma=GAMMA)
    reference, _ = synchronous_value_iteration(mdp)
    _check(mdp, reference, "open grid")
    t_ours, t_ref = compare(
        lambda: value_iteration(mdp, tol=TOL), lambda: synchronous_value_iteration(mdp), repeats
    )
    return [_row(f"VI open grid {size}x{size}", t_ours, t_ref, 6.0, "s")]


def bench_generated_maze(size: int = MAZE, repeats: int = REPEATS) -> list[dict]:
    """A generated perfect maze of ~size^2/2 cells; the reference runs once."""
    mdp = TabularMDP.from_env(MazeEnv(generate_maze(size, size, seed=0)), gamma=GAMMA)
    start = time.perf_counter()
    reference, _ = synchronous_value_iteration(mdp)
    t_ref = time.perf_counter() - start
    _check(mdp, reference, "generated maze")  # also our warm-up run
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value_iteration(mdp, tol=TOL)
        times.append(time.perf_counter() - start)
    t_ours = statistics.median(times)
    cells = f"{mdp.n_states:,} cells"
    return [
        _row(f"VI generated maze, {cells}", t_ours, t_ref, 20.0, "s"),
        _row(f"VI generated maze < {BUDGET_SECONDS:g} s", t_ours, BUDGET_SECONDS, 1.0, "s"),
    ]


def bench_pymdptoolbox(size: int = GRID, repeats: int = REPEATS) -> list[dict]:
    """pymdptoolbox's ValueIteration.run on the open grid (skipped if not installed)."""
    try:
        import mdptoolbox.mdp
        import mdptoolbox.util
        import scipy.sparse
    except ImportError:
        return []
    mdp = TabularMDP.from_env(MazeEnv(open_grid(size)), gamma=GAMMA)
    n, k = mdp.n_states, mdp.probs.shape[2]
    rows = np.repeat(np.arange(n), k)
    P = [
        scipy.sparse.csr_matrix(
            (mdp.probs[:, a].ravel(), (rows, mdp.next_states[:, a].ravel())), shape=(n, n)
        )
        for a in range(mdp.n_actions)
    ]
    # Expected rewards; entering the goal terminates, and the goal is absorbing with reward 0,
    # so the dense form without a "terminated" flag has the same values.
    R = (mdp.probs * mdp.rewards).sum(axis=2)
    # pymdptoolbox stops when the span of the change is below epsilon (1 - gamma) / gamma.
    epsilon = TOL * GAMMA / (1 - GAMMA)

    def solver() -> Callable[[], object]:
        # Its input check is O(S^2) on sparse matrices (about a minute here); the model was
        # validated when the TabularMDP was built, so construction skips it and stays
        # outside the timing: only run() is timed.
        check, mdptoolbox.util.check = mdptoolbox.util.check, lambda *args: None
        try:
            vi = mdptoolbox.mdp.ValueIteration(P, R, GAMMA, epsilon=epsilon, max_iter=100_000)
        finally:
            mdptoolbox.util.check = check
        return vi

    first = solver()
    first.run()
    _check(mdp, np.asarray(first.V), "pymdptoolbox")
    solvers = [solver() for _ in range(repeats + 1)]
    t_ours, t_ref = compare(
        lambda: value_iteration(mdp, tol=TOL), lambda: solvers.pop().run(), repeats
    )
    return [_row(f"VI open grid {size}x{size} vs pymdptoolbox", t_ours, t_ref, 1.0, "s")]


def run(quick: bool = False) -> list[dict]:
    """Time every planning benchmark; one dict per row.

    Parameters
    ----------
    quick : bool, default False
        A 40 x 40 grid and a 201 x 201 maze (seconds; checks that it runs, the ratios mean
        little).

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median seconds per solve), ``ratio``
        (reference / ours, a speed-up; for the budget row, budget / ours), ``target``
        (minimum ratio) and ``unit``.
    """
    grid, maze = (QUICK_GRID, QUICK_MAZE) if quick else (GRID, MAZE)
    repeats = 3 if quick else REPEATS
    return [
        *bench_open_grid(grid, repeats),
        *bench_generated_maze(maze, repeats),
        *bench_pymdptoolbox(grid, repeats),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grid and maze")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per side")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be positive")
    grid, maze = (QUICK_GRID, QUICK_MAZE) if args.quick else (GRID, MAZE)

    return print_rows([partial(bench_open_grid, grid, args.repeats),
                       partial(bench_generated_maze, maze, args.repeats),
                       partial(bench_pymdptoolbox, grid, args.repeats)])


if __name__ == "__main__":
    sys.exit(main())
