"""The ``rlsandbox sweep`` and ``rlsandbox sweep-report`` sub-commands.

``rlsandbox.cli`` adds them with :func:`add_sweep_commands`. Handlers return the exit
status. ``run_sweep`` raises ``ValueError`` only for what the user gave (the spec, the
backend, the Ray address), always before any trial starts, so its ``ValueError`` is a
usage error (exit 2); a trial that fails is reported in the result instead.
"""

from __future__ import annotations

import argparse
import sys

from rlsandbox.cli.common import positive_int, user_input

__all__ = ["add_sweep_commands", "cmd_sweep", "cmd_sweep_report"]

_SWEEP_EPILOG = """\
examples:
  rlsandbox sweep examples/sweeps/tiny-maze.toml --out sweeps/tiny
  rlsandbox sweep examples/sweeps/tiny-maze.toml --backend ray --out sweeps/tiny
  RAY_ADDRESS=ray://head:10001 rlsandbox sweep SPEC --backend ray --out DIR
  rlsandbox sweep-report sweeps/tiny

Re-running the same command skips every finished trial (resume after a crash or Ctrl-C).
"""


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep spec into ``--out``; 0 when every trial is done, 1 if some failed,
    130 when interrupted (finished trials are kept)."""
    from rlsandbox.sweep import run_sweep

    with user_input():
        result = run_sweep(args.spec, out=args.out, backend=args.backend, workers=args.workers,
                           address=args.address, progress=not args.quiet)
    total = len(result.ran) + len(result.skipped) + len(result.failed)
    print(f"sweep: {len(result.ran)} trials run, {len(result.skipped)} already finished, "
          f"{len(result.failed)} failed, of {total}; {result.seconds:.1f} s "
          f"({args.backend} backend)")
    for trial, error in sorted(result.failed.items()):
        print(f"rlsandbox sweep: trial {trial} failed: {error}", file=sys.stderr)
    print(f"wrote {result.summary_path}")
    if result.interrupted:
        print("rlsandbox sweep: interrupted; run the same command again to finish",
              file=sys.stderr)
        return 130
    return 1 if result.failed else 0


def cmd_sweep_report(args: argparse.Namespace) -> int:
    """Draw the learning curves and final returns of a sweep directory."""
    from rlsandbox.sweep.report import sweep_report

    with user_input():
        paths = sweep_report(args.dir, report_dir=args.out, window=args.window)
    for path in paths:
        print(f"wrote {path}")
    return 0


def add_sweep_commands(subparsers) -> None:
    """Add ``sweep`` and ``sweep-report`` to the ``rlsandbox`` sub-command parsers."""
    p = subparsers.add_parser(
        "sweep", help="run seeds x hyperparameters x envs, locally or on a Ray cluster",
        description="Run every trial of a sweep spec (TOML or JSON) that DIR does not hold "
                    "yet, then rebuild DIR/summary.csv.",
        epilog=_SWEEP_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("spec", metavar="SPEC",
                   help="sweep spec file (.toml or .json); see examples/sweeps/")
    p.add_argument("--backend", choices=("local", "ray"), default="local",
                   help="local: on this machine (--workers N for N processes); ray: Ray tasks "
                        "(pip install -e \".[ray]\")")
    p.add_argument("--address", default=None, metavar="A",
                   help="Ray cluster to use (e.g. auto, HOST:6379, ray://HOST:10001); "
                        "default $RAY_ADDRESS, else a local Ray instance")
    p.add_argument("--workers", type=positive_int, default=None, metavar="N",
                   help="trials run at once (default: one at a time in this process; Ray: "
                        "the cluster's CPUs)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="sweep directory (finished trials are kept)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_sweep)

    p = subparsers.add_parser(
        "sweep-report", help="plot learning curves and final returns of a sweep",
        description="Write DIR/report/learning_curves.png (mean over seeds with 95%% bands, "
                    "one panel per configuration) and final_returns.png (bar chart).")
    p.add_argument("dir", metavar="DIR", help="a sweep directory written by 'rlsandbox sweep'")
    p.add_argument("--window", type=positive_int, default=None, metavar="N",
                   help="moving-average window of the curves")
    p.add_argument("--out", default=None, metavar="REPORT_DIR",
                   help="figure directory (default DIR/report)")
    p.set_defaults(func=cmd_sweep_report)
