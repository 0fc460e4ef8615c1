"""Run one sweep trial (in any process, on any machine) and turn its files into a summary row.

:func:`run_trial` takes only JSON data and returns only bytes and numbers, so the same
function runs in a local process pool or as a Ray task, and its results travel back to the
driver, which alone writes the sweep directory (a Ray cluster needs no shared disk).
Everything a trial does is seeded from its config, so its files are the same bytes
whichever backend ran it.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from typing import Any

import numpy as np

__all__ = ["EVAL_SEED_OFFSET", "SUMMARY_COLUMNS", "run_trial", "summary_row"]

EVAL_SEED_OFFSET = 1_000_000  # evaluation episodes never replay a training episode's seed
SUMMARY_COLUMNS = ("trial_id", "env", "agent", "label", "params", "seed", "episodes",
                   "final_mean_return", "success_rate", "steps_to_threshold",
                   "eval_mean_return", "eval_success_rate", "seconds")


def run_trial(config: dict[str, Any]) -> dict[str, Any]:
    """Train and evaluate one trial; return its files (name -> bytes) and its run time.

    The agent is built with ``make_agent(agent, env, **params)`` and then seeded with
    ``agent.seed(seed)`` (every agent has ``seed``; not every constructor takes one).
    Training uses ``train(..., seed=seed, record="summary")``; evaluation
    ``evaluate(..., seed=seed + EVAL_SEED_OFFSET)``.
    """
    from rlsandbox.agents import make_agent
    from rlsandbox.envs.registration import build_env
    from rlsandbox.loop import History, evaluate, train

    started = time.perf_counter()
    env = build_env(config["env"], config["env_kwargs"])
    agent = make_agent(config["agent"], env, **config["params"])
    if callable(getattr(agent, "seed", None)):
        agent.seed(config["seed"])
    history = train(env, agent, config["episodes"], seed=config["seed"], progress=False,
                    record="summary")
    if history.interrupted:  # Ctrl-C reached the worker: this trial is not finished
        raise KeyboardInterrupt
    evaluation = History(keep="summary")
    if config["eval_episodes"]:
        evaluation = evaluate(env, agent, config["eval_episodes"],
                              seed=config["seed"] + EVAL_SEED_OFFSET)
        evaluation = _summary_only(evaluation)
    env.close()
    with tempfile.TemporaryDirectory(prefix="rlsandbox-trial-") as tmp:
        history.save(os.path.join(tmp, "history.npz"))
        history.to_csv(os.path.join(tmp, "episodes.csv"))
        evaluation.save(os.path.join(tmp, "eval.npz"))
        agent.save(os.path.join(tmp, "agent.npz"))
        files = {}
        for name in sorted(os.listdir(tmp)):
            with open(os.path.join(tmp, name), "rb") as f:
                files[name] = f.read()
    return {"files": files, "seconds": time.perf_counter() - started}


def run_config(config: dict[str, Any], label: str, trial_id: str) -> dict[str, Any]:
    """The ``config.json`` of a trial folder.

    For ``maze``/``cartpole`` it has the flat keys of a ``rlsandbox train`` run directory
    (``env``, ``layout``, ``slip``, ``max_steps``, ``bins``, ``agent``, ``agent_kwargs``,
    ``seed``), so ``rlsandbox eval`` and ``replay`` work on a trial folder too; the sweep's
    own keys (``trial_id``, ``label``, ``trial``) sit beside them.
    """
    flat = {**config["env_kwargs"], "env": config["env"], "agent": config["agent"],
            "agent_kwargs": config["params"], "seed": config["seed"],
            "episodes": config["episodes"]}
    return {**flat, "trial_id": trial_id, "label": label, "trial": config}


def summary_row(trial_dir: str, *, window: int, threshold: float | None) -> dict[str, Any]:
    """The summary.csv row of a finished trial folder.

    ``final_mean_return`` / ``success_rate``: mean return / fraction of successful episodes
    over the last ``min(window, episodes)`` training episodes (among those that report
    success; ``None``, an empty CSV cell, when none does: unknown is not failure).
    ``steps_to_threshold``: see :func:`steps_to_threshold`.
    ``eval_*``: the same over the evaluation episodes (empty if there were none).
    """
    from rlsandbox.loop import History

    with open(os.path.join(trial_dir, "config.json"), encoding="utf-8") as f:
        run = json.load(f)
    history = History.load(os.path.join(trial_dir, "history.npz"))
    evaluation = History.load(os.path.join(trial_dir, "eval.npz"))
    trial = run["trial"]
    last = slice(-min(window, len(history)), None)
    returns = history.returns
    return {
        "trial_id": run["trial_id"], "env": trial["env"], "agent": trial["agent"],
        "label": run["label"],
        "params": json.dumps(trial["params"], sort_keys=True), "seed": trial["seed"],
        "episodes": len(history),
        "final_mean_return": float(returns[last].mean()),
        "success_rate": _rate(history[last]),
        "steps_to_threshold": steps_to_threshold(history.returns, history.lengths,
                                                 window=window, threshold=threshold),
        "eval_mean_return": float(evaluation.returns.mean()) if len(evaluation) else None,
        "eval_success_rate": _rate(evaluation),
        "seconds": run.get("seconds"),
    }


def steps_to_threshold(returns: np.ndarray, lengths: np.ndarray, *, window: int,
                       threshold: float | None) -> int | None:
    """Env steps spent until the moving-average return first reaches ``threshold``.

    With ``w = min(window, len(returns))``: the first episode ``i >= w - 1`` whose mean
    return over episodes ``i - w + 1 .. i`` is ``>= threshold``; the answer is the total
    length of episodes ``0 .. i`` (the steps the agent needed, counting the episode that
    completed the window). ``None`` (an empty CSV cell) if it never does or ``threshold``
    is ``None``.
    """
    if threshold is None or len(returns) == 0:
        return None
    w = min(window, len(returns))
    csum = np.concatenate(([0.0], np.cumsum(returns, dtype=np.float64)))
    means = (csum[w:] - csum[:-w]) / w  # means[k] covers episodes k .. k + w - 1
    hits = np.flatnonzero(means >= threshold)
    if hits.size == 0:
        return None
    return int(np.sum(lengths[: hits[0] + w], dtype=np.int64))


def format_cell(value: Any) -> str:
    """CSV text of a summary value: ``repr`` for floats (exact round trip), '' for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _rate(history) -> float | None:
    """Success rate of the episodes that report one; None (unknown) if none does."""
    rate = history.success_rate
    return None if math.isnan(rate) else float(rate)


def _summary_only(history):
    from rlsandbox.loop import History

    out = History(keep="summary")
    out.extend(history)
    return out
