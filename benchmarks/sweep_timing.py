"""Wall time of a 200-trial sweep on the local process pool and on Ray, and per-trial overhead.

Not part of ``python -m benchmarks`` (it starts a Ray instance and takes minutes). Run::

    python benchmarks/sweep_timing.py [--trials 200] [--episodes 200] [--workers 2]

The sweep is Q-learning on the tiny maze over 10 step sizes x (trials / 10) seeds. Each
backend runs it into a fresh directory; a third run executes the same trials one after
another in this process (no pool), so ``overhead per trial = (wall x workers - serial) /
trials`` is what the backend adds. It checks that both backends wrote the same summary.csv
numbers (every column but the wall-clock ``seconds``). Ray's start-up is reported apart.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time

from rlsandbox.sweep import run_sweep


def _spec(trials: int, episodes: int) -> dict:
    alphas = [round(0.05 * (i + 1), 2) for i in range(10)]
    return {"name": "timing", "episodes": episodes, "eval_episodes": 0,
            "seeds": trials // len(alphas), "env": {"id": "maze", "layout": "tiny"},
            "agents": [{"name": "q-learning", "params": {"epsilon": 0.1},
                        "grid": {"alpha": alphas}}]}


def _numbers(out: str) -> list[dict]:
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(f)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--episodes", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args(argv)
    spec = _spec(args.trials, args.episodes)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        run_sweep(spec, out=os.path.join(tmp, "serial"), backend="local", workers=1)
        serial = time.perf_counter() - start

        start = time.perf_counter()
        run_sweep(spec, out=os.path.join(tmp, "local"), backend="local", workers=args.workers)
        local = time.perf_counter() - start

        import ray

        start = time.perf_counter()
        ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
        ray_start = time.perf_counter() - start
        try:
            start = time.perf_counter()
            run_sweep(spec, out=os.path.join(tmp, "ray"), backend="ray", workers=args.workers)
            ray_wall = time.perf_counter() - start
        finally:
            ray.shutdown()
        same = _numbers(os.path.join(tmp, "local")) == _numbers(os.path.join(tmp, "ray"))
    n, w = args.trials, args.workers
    print(f"{n} trials x {args.episodes} episodes, {w} workers; summaries identical: {same}")
    print(f"  one after another (1 worker):  {serial:7.2f} s")
    print(f"  local process pool:            {local:7.2f} s   overhead/trial "
          f"{(local * w - serial) / n * 1e3:6.1f} ms")
    print(f"  ray (after ray.init {ray_start:.1f} s):   {ray_wall:7.2f} s   overhead/trial "
          f"{(ray_wall * w - serial) / n * 1e3:6.1f} ms")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
