"""Return benchmarks: ``rlsandbox.returns`` against ``scipy.signal.lfilter``, in one process.

- ``returns_to_go``, one episode of 10^7 steps, gamma 0.999, against
  ``lfilter([1], [1, -gamma], rewards[::-1])[::-1]`` (the usual one-liner); target >= 1x.
- ``returns_to_go`` on a batch of 1000 episodes x 10^4 steps against ``lfilter`` along the
  last axis; target >= 1x.
- ``gae`` (gamma 0.99, lam 0.95) on 10^7 steps against the TD errors in numpy followed by
  ``lfilter`` with ``gamma * lam``; target >= 1x.

Both sides run the full computation (ours includes its input validation), are checked to
agree to 1e-9 relative first, are warmed up, then timed alternately; each row reports the
median seconds of ``REPEATS`` runs and ``ratio = reference / ours`` (a speed-up).

Run ``python benchmarks/bench_returns.py [--quick]`` (quick: 10^5 steps, seconds; checks
that it runs, the timings mean little).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial

import numpy as np
from scipy.signal import lfilter

from rlsandbox.returns import gae, returns_to_go

try:
    from benchmarks._timing import compare, print_rows
except ImportError:  # run as a script: python benchmarks/bench_returns.py
    from _timing import compare, print_rows

__all__ = ["run"]

REPEATS = 5
STEPS = 10_000_000
QUICK_STEPS = 100_000


def _lfilter_returns(rewards: np.ndarray, gamma: float) -> np.ndarray:
    return lfilter([1.0], [1.0, -gamma], rewards[..., ::-1], axis=-1)[..., ::-1]


def _lfilter_gae(rewards, values, gamma: float, lam: float) -> np.ndarray:
    td_errors = rewards + gamma * np.append(values[1:], 0.0) - values
    return _lfilter_returns(td_errors, gamma * lam)


def _row(name: str, ours, reference, target: float, repeats: int) -> dict:
    got, expected = ours(), reference()
    scale = np.abs(expected).max()
    assert np.allclose(got, expected, rtol=0, atol=1e-9 * scale), f"{name}: results disagree"
    t_ours, t_ref = compare(ours, reference, repeats)
    return {"name": name, "ours": t_ours, "reference": t_ref, "ratio": t_ref / t_ours,
            "target": target, "unit": "s"}


def bench_returns_to_go(steps: int, repeats: int = REPEATS) -> dict:
    """One long episode, gamma 0.999."""
    rewards = np.random.default_rng(0).normal(size=steps)
    return _row(f"returns_to_go T={steps:.0e}, gamma 0.999",
                lambda: returns_to_go(rewards, 0.999),
                lambda: _lfilter_returns(rewards, 0.999), 1.0, repeats)


def bench_batch(steps: int, repeats: int = REPEATS) -> dict:
    """1000 episodes of ``steps / 1000`` steps each, gamma 0.99."""
    rewards = np.random.default_rng(1).normal(size=(1000, steps // 1000))
    return _row(f"returns_to_go 1000x{steps // 1000}, gamma 0.99",
                lambda: returns_to_go(rewards, 0.99),
                lambda: _lfilter_returns(rewards, 0.99), 1.0, repeats)


def bench_gae(steps: int, repeats: int = REPEATS) -> dict:
    """GAE over one long trajectory, gamma 0.99, lam 0.95, terminal bootstrap 0."""
    rng = np.random.default_rng(2)
    rewards, values = rng.normal(size=steps), rng.normal(size=steps)
    return _row(f"gae T={steps:.0e}, gamma 0.99, lam 0.95",
                lambda: gae(rewards, values, 0.99, 0.95),
                lambda: _lfilter_gae(rewards, values, 0.99, 0.95), 1.0, repeats)


BENCHMARKS = (bench_returns_to_go, bench_batch, bench_gae)


def run(quick: bool = False) -> list[dict]:
    """Time every returns benchmark; one dict per row.

    Parameters
    ----------
    quick : bool, default False
        10^5 steps instead of 10^7 (seconds; checks that it runs, the timings mean little).

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median seconds), ``ratio``
        (reference / ours), ``target`` (minimum ratio) and ``unit``.
    """
    steps = QUICK_STEPS if quick else STEPS
    return [bench(steps) for bench in BENCHMARKS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_STEPS} steps")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed runs per side")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be positive")
    steps = QUICK_STEPS if args.quick else STEPS
    return print_rows(partial(bench, steps, args.repeats) for bench in BENCHMARKS)


if __name__ == "__main__":
    sys.exit(main())
