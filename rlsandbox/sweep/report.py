"""Figures of a finished sweep: learning curves per configuration and final returns.

A configuration is a trial config without its seed (env, env kwargs, agent, params,
episodes); its seeds are the runs averaged in the 95% bands.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

__all__ = ["sweep_report"]


def sweep_report(out: str | os.PathLike, *, report_dir: str | os.PathLike | None = None,
                 window: int | None = None, dpi: int = 100) -> list[str]:
    """Draw ``learning_curves.png`` and ``final_returns.png`` for the sweep in ``out``.

    Parameters
    ----------
    out : path
        A sweep directory written by :func:`rlsandbox.sweep.run_sweep`.
    report_dir : path, optional
        Where to write the figures (default ``out/report``).
    window : int, optional
        Moving-average window of the curves (default: the spec's ``window``, capped at a
        fifth of the episodes so the curves still show learning).
    dpi : int
        Resolution of the PNG files.

    Returns
    -------
    list of str
        The paths written.

    Learning curves: one panel per configuration, the mean over seeds of the smoothed
    return with a 95% band (1.96 standard errors across seeds). Final returns: one bar per
    configuration, the mean ``final_mean_return`` over seeds with a 95% interval, each
    seed a dot.

    Returns of different envs are on different scales (a maze's ~10, CartPole's ~500), so
    each env gets its own rows of panels and its own y-axis, shared only between that env's
    panels (and its own bar chart): one env is never flattened by another.
    """
    from rlsandbox.plots import PALETTE, plot_learning_curve, save_figure, subplots
    from rlsandbox.sweep import read_summary, write_summary

    out = os.fspath(out)
    if not os.path.isdir(os.path.join(out, "trials")):
        raise ValueError(f"{out!r} is not a sweep directory (no trials/); run "
                         "'rlsandbox sweep SPEC --out DIR' first")
    write_summary(out)  # trial folders are the truth; the CSV may predate the last trial
    rows = read_summary(out)
    if not rows:
        raise ValueError(f"{out!r} holds no finished trial yet; run the sweep first")
    groups = _group(out, rows)
    report_dir = os.fspath(report_dir or os.path.join(out, "report"))
    os.makedirs(report_dir, exist_ok=True)
    spec_window = _spec_window(out)
    paths = []

    by_env: dict[str, list[str]] = {}
    for name, group in groups.items():
        by_env.setdefault(group["env"], []).append(name)
    cols = min(3, max(len(names) for names in by_env.values()))
    rows_of = {env: -(-len(names) // cols) for env, names in by_env.items()}
    nrows = sum(rows_of.values())
    fig, axes = subplots(nrows, cols, figsize=(4.5 * cols, 3.2 * nrows), squeeze=False,
                             layout="constrained")
    panels: dict[str, Any] = {}  # configuration name -> its axes
    row = 0
    for env, names in by_env.items():
        env_axes = list(axes[row:row + rows_of[env]].flat)
        for ax in env_axes[1:len(names)]:
            ax.sharey(env_axes[0])  # one y-axis per env, never across envs
        for ax in env_axes[len(names):]:
            ax.set_visible(False)
        panels.update(zip(names, env_axes, strict=False))
        row += rows_of[env]
    for name, group in groups.items():
        ax = panels[name]
        histories = group["histories"]
        episodes = min(len(h) for h in histories)
        histories = [h[:episodes] for h in histories]  # equal lengths for the band
        w = window or max(1, min(spec_window, episodes // 5))
        plot_learning_curve(histories, window=w, ax=ax)
        ax.set_title(f"{name}\n({len(histories)} seeds, window {w})", fontsize=9)
        if ax.get_legend() is not None:
            ax.get_legend().remove()  # one legend per figure is enough
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=8)
    fig.suptitle("Learning curves (mean over seeds, 95% band)")
    paths.append(save_figure(fig, os.path.join(report_dir, "learning_curves.png"), dpi=dpi))

    # Final returns: one bar chart per env, each with its own y-axis.
    widths = [max(4.0, 1.1 * len(names) + 1.5) for names in by_env.values()]
    fig, bar_axes = subplots(1, len(by_env), figsize=(sum(widths), 4.5), squeeze=False,
                                 width_ratios=widths, layout="constrained")
    for ax, (env, names) in zip(bar_axes[0], by_env.items(), strict=True):
        finals = [np.array(groups[k]["finals"], dtype=np.float64) for k in names]
        means = np.array([f.mean() for f in finals])
        half = np.array([1.96 * f.std(ddof=1) / np.sqrt(len(f)) if len(f) > 1 else 0.0
                         for f in finals])
        x = np.arange(len(names))
        ax.bar(x, means, yerr=half, capsize=4, color=[PALETTE[i % len(PALETTE)] for i in x],
               alpha=0.8, label="mean over seeds (95% interval)")
        for i, f in enumerate(finals):
            jitter = np.linspace(-0.15, 0.15, len(f)) if len(f) > 1 else np.zeros(1)
            ax.plot(x[i] + jitter, f, "o", color="black", ms=3,
                    label="one seed" if i == 0 else None)
        short = [k[len(env) + 2:] if k.startswith(f"{env}: ") else k for k in names]
        ax.set_xticks(x, short, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("final mean return")
        ax.set_title(env if len(by_env) > 1 else "Final return per configuration")
        ax.axhline(0.0, color="grey", lw=0.8)
        ax.grid(axis="y", alpha=0.3)
    handles, labels = bar_axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=8)
    if len(by_env) > 1:
        fig.suptitle("Final return per configuration (each env on its own scale)")
    paths.append(save_figure(fig, os.path.join(report_dir, "final_returns.png"), dpi=dpi))
    return paths


def _group(out: str, rows: list[dict[str, str]]) -> dict[str, dict[str, Any]]:
    """Configuration name -> the histories and final returns of its seeds (spec order of
    first appearance in the sorted summary)."""
    from rlsandbox.loop import History

    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        folder = os.path.join(out, "trials", row["trial_id"])
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            trial = json.load(f)["trial"]
        key = json.dumps({k: v for k, v in trial.items() if k != "seed"}, sort_keys=True)
        params = json.loads(row["params"])
        name = row["label"] + "".join(f" {k}={v}" for k, v in params.items())
        group = groups.setdefault(key, {"name": name, "env": row["env"], "histories": [],
                                        "finals": []})
        group["histories"].append(History.load(os.path.join(folder, "history.npz")))
        group["finals"].append(float(row["final_mean_return"]))
    # Prefix the env only when the sweep has several, to keep the labels short.
    several_envs = len({g["env"] for g in groups.values()}) > 1
    named: dict[str, dict[str, Any]] = {}
    for group in groups.values():
        name = f"{group['env']}: {group['name']}" if several_envs else group["name"]
        while name in named:  # same label and params on differing env kwargs
            name += "'"
        named[name] = group
    return named


def _spec_window(out: str) -> int:
    try:
        with open(os.path.join(out, "sweep.json"), encoding="utf-8") as f:
            return int(json.load(f).get("window") or 100)
    except (OSError, ValueError):
        return 100


