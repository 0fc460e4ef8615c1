"""Matplotlib figures of runs, values, trajectories and analyses, and animated GIFs.

Every plotting function takes ``ax=None`` (draw into a new figure) or an existing
``Axes``, returns the :class:`matplotlib.figure.Figure`, and never calls ``plt.show()``.
matplotlib is imported inside the functions, so ``import rlsandbox`` stays light.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

__all__ = ["plot_learning_curve", "save_gif"]


def _axes(ax, figsize=(7, 4)):
    import matplotlib

    if ax is None:
        if not os.environ.get("DISPLAY") and matplotlib.get_backend().lower() != "agg":
            matplotlib.use("Agg")  # headless: never try to open a window
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each index (fewer at the start)."""
    values = np.asarray(values, dtype=np.float64)
    csum = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(idx - window, 0)
    return (csum[idx] - csum[lo]) / (idx - lo)


def plot_learning_curve(history_or_histories, *, window: int | None = None, ax=None,
                        label: str | None = None):
    """Return per episode: raw returns faint, their moving average bold.

    Parameters
    ----------
    history_or_histories : History or sequence of History
        One run, or several runs (e.g. seeds) of equal length: then the mean over runs is
        drawn with a shaded 95% confidence band (normal approximation, 1.96 standard errors).
    window : int, optional
        Moving-average window; default ``max(1, episodes // 20)``.
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label of the bold line.
    """
    histories = _as_histories(history_or_histories)
    returns = np.array([h.returns for h in histories], dtype=np.float64)
    n = returns.shape[1]
    if window is None:
        window = max(1, n // 20)
    if not isinstance(window, int) or window <= 0:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    fig, ax = _axes(ax)
    episodes = np.arange(n)
    smoothed = np.array([moving_average(r, window) for r in returns])
    if len(histories) == 1:
        ax.plot(episodes, returns[0], color="tab:blue", alpha=0.25, lw=0.8, label="return")
        ax.plot(episodes, smoothed[0], color="tab:blue", lw=2,
                label=label or f"moving average ({window})")
    else:
        mean = smoothed.mean(axis=0)
        half = 1.96 * smoothed.std(axis=0, ddof=1) / np.sqrt(len(histories))
        ax.plot(episodes, returns.mean(axis=0), color="tab:blue", alpha=0.25, lw=0.8,
                label=f"mean return ({len(histories)} runs)")
        ax.plot(episodes, mean, color="tab:blue", lw=2,
                label=label or f"moving average ({window})")
        ax.fill_between(episodes, mean - half, mean + half, color="tab:blue", alpha=0.2,
                        label="95% band")
    ax.set_xlabel("episode")
    ax.set_ylabel("return")
    ax.set_title("Learning curve")
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def save_gif(frames: Sequence[np.ndarray], path: str | os.PathLike, *, fps: float = 10) -> None:
    """Write ``frames`` (uint8 RGB arrays of one shape) as an animated GIF that loops.

    Uses Pillow (a matplotlib dependency). Every frame given is written, each shown
    ``1000 / fps`` ms.
    """
    from PIL import Image

    if len(frames) == 0:
        raise ValueError("save_gif needs at least one frame; record them with record_frames=True")
    if not fps > 0:
        raise ValueError(f"fps must be positive, got {fps!r}")
    shape = np.asarray(frames[0]).shape
    images = []
    for i, frame in enumerate(frames):
        frame = np.asarray(frame)
        if frame.shape != shape or frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError(
                f"frame {i} has shape {frame.shape}; every frame must be (H, W, 3) like frame 0 "
                f"{shape}"
            )
        images.append(Image.fromarray(frame.astype(np.uint8, copy=False), mode="RGB"))
    duration = max(1, round(1000 / fps))
    images[0].save(os.fspath(path), save_all=True, append_images=images[1:], duration=duration,
                   loop=0, optimize=False, disposal=1)


def _as_histories(obj) -> list:
    from rlsandbox.loop import History

    histories = [obj] if isinstance(obj, History) else list(obj)
    if not histories or not all(isinstance(h, History) for h in histories):
        raise ValueError("expected a History or a non-empty sequence of History objects")
    lengths = {len(h) for h in histories}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"histories must be non-empty and of equal length, got {sorted(lengths)}")
    return histories
