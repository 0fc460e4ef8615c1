"""Experiment sweeps: seeds × agent hyperparameters × environments, locally or on Ray.

A sweep directory ``DIR`` holds::

    DIR/sweep.json                  the spec last run into DIR
    DIR/trials/<trial-id>/          one finished trial each, written atomically:
        config.json                 the trial config (+ run-directory keys, wall time)
        history.npz, episodes.csv   training episodes (summaries: returns, lengths, successes)
        eval.npz                    evaluation episodes (may be empty)
        agent.npz, agent.json       the trained agent
    DIR/summary.csv                 one row per trial folder, rebuilt after every run

A trial folder appears only once the trial is complete (it is filled in a temporary folder
and renamed), so re-running a sweep skips every trial that has a folder: a crash, a kill or
Ctrl-C loses only the trials that were running. Workers send their files back to the
driver, which alone writes ``DIR``; a Ray cluster needs no shared disk.

``summary.csv`` columns (header row first; one row per trial, sorted by env, agent, label,
params, seed):

=====================  ====================================================================
trial_id               first 12 hex digits of the SHA-256 of the trial's canonical config
env, agent, label      env name or id, agent name, the agent entry's label
params                 the agent keywords as JSON (sorted keys)
seed, episodes         the trial's seed and number of training episodes
final_mean_return      mean return of the last ``min(window, episodes)`` training episodes
success_rate           fraction of those episodes that reached the goal (of those that
                       report ``info["is_success"]``); empty when none does
steps_to_threshold     env steps until the ``window``-episode moving-average return first
                       reaches ``threshold`` (see :func:`steps_to_threshold`); empty if it
                       never does or the spec has no threshold
eval_mean_return,      the same over the greedy evaluation episodes (empty without them)
eval_success_rate
seconds                the trial's compute time (wall clock: the only column that varies)
=====================  ====================================================================

Every trial is seeded from its config, so all columns but ``seconds`` are the same whichever
backend ran the trial.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from rlsandbox._io import atomic_write
from rlsandbox.sweep.backends import (
    RAY_INSTALL,
    check_backend,
    connect_ray,
    run_local,
    run_ray,
)
from rlsandbox.sweep.spec import Sweep, Trial, trial_id
from rlsandbox.sweep.trial import (
    SUMMARY_COLUMNS,
    format_cell,
    run_config,
    steps_to_threshold,
    summary_row,
)

__all__ = ["RAY_INSTALL", "SUMMARY_COLUMNS", "Sweep", "SweepResult", "Trial", "read_summary",
           "run_sweep", "steps_to_threshold", "trial_id", "write_summary"]


@dataclass
class SweepResult:
    """What :func:`run_sweep` did.

    Attributes
    ----------
    out : str
        The sweep directory.
    ran, skipped : list of str
        Ids of the trials run now / found finished in ``out`` and not run again.
    failed : dict
        Trial id -> error message, for trials that raised (no folder is written for
        them, so the next run retries them).
    interrupted : bool
        Ctrl-C stopped the sweep; finished trials are kept.
    seconds : float
        Wall time of the whole call.
    """

    out: str
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def summary_path(self) -> str:
        return os.path.join(self.out, "summary.csv")


def run_sweep(spec: Sweep | dict[str, Any] | str | os.PathLike, *, out: str | os.PathLike,
              backend: str = "local", workers: int | None = None, address: str | None = None,
              progress: bool = False) -> SweepResult:
    """Run every trial of ``spec`` that ``out`` does not hold yet; rebuild ``summary.csv``.

    Parameters
    ----------
    spec : Sweep, dict or path
        A :class:`Sweep`, its dict form, or a ``.toml`` / ``.json`` spec file.
    out : path
        The sweep directory (created if missing; finished trials in it are skipped).
    backend : {"local", "ray"}
        ``"local"``: on this machine (no extra install). ``"ray"``: Ray tasks
        (``pip install -e ".[ray]"``) on the Ray instance already initialised in this
        process, else on ``address`` / ``$RAY_ADDRESS`` (an existing cluster), else on a
        new local instance.
    workers : int, optional
        Trials run at once. Local backend: ``None`` or 1 (default) runs them one at a time
        in this process, starting no process; ``N >= 2`` runs a pool of N worker processes
        (ask for it: a sweep's second core is the caller's choice). Ray: at most ``N`` in
        flight (default: the cluster's CPUs).
    address : str, optional
        Ray cluster address (``"auto"``, ``"HOST:6379"``, ``"ray://HOST:10001"``).
    progress : bool
        Show a tqdm bar over trials.

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        For a bad spec, a bad ``backend``/``workers``, or Ray missing - always before any
        trial starts, and naming the field to fix.

    Examples
    --------
    >>> spec = Sweep(envs=[{"id": "maze", "layout": "tiny"}],            # doctest: +SKIP
    ...              agents=[{"name": "q-learning", "grid": {"alpha": [0.1, 0.5]}}],
    ...              seeds=[0, 1, 2], episodes=100, threshold=5.0)
    >>> result = run_sweep(spec, out="sweeps/tiny", workers=2)        # doctest: +SKIP
    >>> len(result.ran)                                                # doctest: +SKIP
    6
    """
    started = time.perf_counter()
    spec = _as_sweep(spec)
    check_backend(backend)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    spec.check()  # every env and agent configuration builds: fail now, not in trial 57

    out = os.path.abspath(os.fspath(out))
    trials_dir = os.path.join(out, "trials")
    result = SweepResult(out=out)
    todo: list[Trial] = []
    for trial in spec.trials():
        if os.path.isfile(os.path.join(trials_dir, trial.id, "config.json")):
            result.skipped.append(trial.id)
        else:
            todo.append(trial)
    # Connect before writing anything: a wrong --address fails like a bad spec does.
    ray_started = backend == "ray" and bool(todo) and connect_ray(address, workers)

    os.makedirs(trials_dir, exist_ok=True)
    _remove_partial_folders(trials_dir)
    _write_json(os.path.join(out, "sweep.json"), spec.to_dict())
    configs = [t.config for t in todo]
    outcomes = run_local(configs, workers) if backend == "local" else run_ray(configs, workers)
    bar = None
    try:
        bar = _bar(len(todo) + len(result.skipped), len(result.skipped), progress)
        for index, trial_result, error in outcomes:
            trial = todo[index]
            if error is not None:
                result.failed[trial.id] = error
            else:
                _write_trial(trials_dir, trial, trial_result)
                result.ran.append(trial.id)
            if bar is not None:
                bar.update()
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        outcomes.close()  # stops the workers when we leave early
        if bar is not None:
            bar.close()
        if ray_started:
            import ray

            ray.shutdown()
    write_summary(out, window=spec.window, threshold=spec.threshold)
    result.seconds = time.perf_counter() - started
    return result


def write_summary(out: str | os.PathLike, *, window: int | None = None,
                  threshold: float | None = None) -> str:
    """Rebuild ``out/summary.csv`` from the trial folders; return its path.

    ``window`` and ``threshold`` default to those of ``out/sweep.json``.
    """
    out = os.fspath(out)
    if window is None or threshold is None:
        saved = _read_spec(out)
        window = window or saved.get("window") or 100
        threshold = threshold if threshold is not None else saved.get("threshold")
    rows = [summary_row(folder, window=window, threshold=threshold)
            for folder in _trial_folders(out)]
    rows.sort(key=lambda r: (r["env"], r["agent"], r["label"], r["params"], r["seed"],
                             r["trial_id"]))
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for row in rows:
        writer.writerow([format_cell(row[c]) for c in SUMMARY_COLUMNS])
    path = os.path.join(out, "summary.csv")
    atomic_write(path, lambda f: f.write(text.getvalue().encode("utf-8")))
    return path


def read_summary(out: str | os.PathLike) -> list[dict[str, str]]:
    """The rows of ``out/summary.csv`` as dicts of strings (column -> cell)."""
    path = os.path.join(os.fspath(out), "summary.csv")
    if not os.path.isfile(path):
        raise ValueError(f"{os.fspath(out)!r} has no summary.csv; run 'rlsandbox sweep SPEC "
                         "--out DIR' first")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# -- helpers ----------------------------------------------------------------------------------
def _as_sweep(spec: Any) -> Sweep:
    if isinstance(spec, Sweep):
        return spec
    if isinstance(spec, dict):
        return Sweep.from_dict(spec)
    if isinstance(spec, (str, os.PathLike)):
        return Sweep.load(spec)
    raise ValueError(f"spec must be a Sweep, a dict or a spec file path, got {spec!r}")


def _write_trial(trials_dir: str, trial: Trial, trial_result: dict[str, Any]) -> None:
    from rlsandbox._io import write_run_dir

    config = run_config(trial.config, trial.label, trial.id)
    config["seconds"] = round(trial_result["seconds"], 4)

    def write(tmp: str) -> None:
        for name, data in trial_result["files"].items():
            with open(os.path.join(tmp, os.path.basename(name)), "wb") as f:
                f.write(data)
        with open(os.path.join(tmp, "config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)

    # replace=True: a folder can only exist if another run wrote the same trial meanwhile.
    write_run_dir(os.path.join(trials_dir, trial.id), write, replace=True)


def _trial_folders(out: str) -> list[str]:
    trials_dir = os.path.join(out, "trials")
    if not os.path.isdir(trials_dir):
        return []
    folders = (os.path.join(trials_dir, n) for n in sorted(os.listdir(trials_dir))
               if not n.startswith("."))
    return [f for f in folders if os.path.isfile(os.path.join(f, "config.json"))]


def _remove_partial_folders(trials_dir: str) -> None:
    # write_run_dir fills ".<id>.*" folders before renaming them; a killed run leaves them.
    for name in os.listdir(trials_dir):
        path = os.path.join(trials_dir, name)
        if name.startswith(".") and os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)


def _read_spec(out: str) -> dict[str, Any]:
    path = os.path.join(out, "sweep.json")
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _write_json(path: str, data: Any) -> None:
    text = json.dumps(data, indent=2) + "\n"
    atomic_write(path, lambda f: f.write(text.encode("utf-8")))


def _bar(total: int, initial: int, show: bool):
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc="sweep", unit="trial")
