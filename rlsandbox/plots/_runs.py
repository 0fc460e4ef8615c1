"""Figures of whole runs (learning curves) and animated GIFs of episodes."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from rlsandbox.plots._common import PALETTE, _axes

__all__ = ["moving_average", "plot_learning_curve", "save_gif"]


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each index (fewer at the start).

    Parameters
    ----------
    values : array_like, shape (n,)
    window : int
        Number of values averaged (a positive integer).

    Returns
    -------
    ndarray, shape (n,)
        ``out[i] = mean(values[max(0, i - window + 1) : i + 1])``.

    Examples
    --------
    >>> moving_average([1.0, 2.0, 3.0, 4.0], 2)
    array([1. , 1.5, 2.5, 3.5])
    """
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window <= 0:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"values must be 1-D, got shape {values.shape}; pass one value per "
                         "episode")
    csum = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(idx - window, 0)
    return (csum[idx] - csum[lo]) / (idx - lo)


def plot_learning_curve(history_or_histories, *, window: int | None = None, ax=None,
                        label: str | None = None, title: str | None = None):
    """Return per episode: raw returns faint, their moving average bold.

    Parameters
    ----------
    history_or_histories : History or sequence of History
        One run, or several runs (e.g. seeds) of equal length: then the mean over runs is
        drawn with a shaded 95% confidence band (normal approximation, 1.96 standard errors
        of the smoothed returns across runs).
    window : int, optional
        Moving-average window; default ``max(1, episodes // 20)``.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    label : str, optional
        Legend label of the bold line.
    title : str, optional
        The axes title; name the env and the agent, e.g. ``"classic maze, Q-learning"``
        (default: "Learning curve").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If there is no history, the histories differ in length, or ``window`` is not a
        positive integer.
    """
    histories = _as_histories(history_or_histories)
    returns = np.array([h.returns for h in histories], dtype=np.float64)
    n = returns.shape[1]
    if window is None:
        window = max(1, n // 20)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window <= 0:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    fig, ax = _axes(ax)
    colour = PALETTE[0]
    episodes = np.arange(n)
    smoothed = np.array([moving_average(r, window) for r in returns])
    if len(histories) == 1:
        ax.plot(episodes, returns[0], color=colour, alpha=0.25, lw=0.8, label="return")
        ax.plot(episodes, smoothed[0], color=colour, lw=2,
                label=label or f"moving average ({window})")
    else:
        mean = smoothed.mean(axis=0)
        half = 1.96 * smoothed.std(axis=0, ddof=1) / np.sqrt(len(histories))
        ax.plot(episodes, returns.mean(axis=0), color=colour, alpha=0.25, lw=0.8,
                label=f"mean return ({len(histories)} runs)")
        ax.plot(episodes, mean, color=colour, lw=2,
                label=label or f"moving average ({window})")
        ax.fill_between(episodes, mean - half, mean + half, color=colour, alpha=0.2,
                        label="95% band")
    ax.set_xlabel("episode")
    ax.set_ylabel("return")
    ax.set_title("Learning curve" if title is None else title)
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def save_gif(frames: Sequence[np.ndarray], path: str | os.PathLike, *, fps: float = 10,
             captions: Sequence[str] | None = None) -> None:
    """Write ``frames`` as an animated GIF that loops forever.

    Uses Pillow (a matplotlib dependency); no ffmpeg. Every frame given is written.
    GIF delays are whole hundredths of a second, so frame ``i`` is shown from
    ``round(100 * i / fps)`` to ``round(100 * (i + 1) / fps)`` hundredths: single delays
    may differ by 10 ms (at 30 fps: 30, 40, 30 ms, ...) but the playing time stays
    ``len(frames) / fps`` seconds instead of drifting. Pillow merges identical consecutive
    frames into one frame of the summed delay, which keeps the playing time too.

    Parameters
    ----------
    frames : sequence of ndarray, each (H, W, 3)
        RGB frames of one shape, e.g. ``Episode.frames`` (``record_frames=True``). dtype
        ``uint8``, or integers in [0, 255].
    path : str or os.PathLike
        Where to write the GIF.
    fps : float, default 10
        Frames per second, in (0, 100]. Browsers show delays under 20 ms as 100 ms, so
        above 50 fps a GIF plays slower there than in other viewers.
    captions : sequence of str, optional
        One line per frame, written in a strip under it, e.g. the step and the return so
        far: ``captions=episode_captions(episode)`` (slice it as you slice the frames).

    Raises
    ------
    ValueError
        If there are no frames, ``fps`` is not in (0, 100], a frame has another shape
        than the first or values outside [0, 255], or there is not one caption per frame.
        Nothing is written then.

    Examples
    --------
    >>> import tempfile, os
    >>> frames = [np.full((8, 8, 3), c, dtype=np.uint8) for c in (0, 128, 255)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_gif(frames, os.path.join(tmp, "fade.gif"), fps=4)
    """
    from PIL import Image

    if len(frames) == 0:
        raise ValueError("save_gif needs at least one frame; record them with record_frames=True")
    if (isinstance(fps, bool) or not isinstance(fps, (int, float, np.number))
            or not 0 < fps <= 100):
        # GIF delays count hundredths of a second: faster frames cannot be shown.
        raise ValueError(f"fps must be a number in (0, 100], got {fps!r}; for faster "
                         "recordings keep every k-th frame (frames[::k]) and divide fps by k")
    shape = np.asarray(frames[0]).shape
    images = []
    for i, frame in enumerate(frames):
        frame = np.asarray(frame)
        if frame.shape != shape or frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError(
                f"frame {i} has shape {frame.shape}; every frame must be (H, W, 3) like frame 0 "
                f"{shape}"
            )
        if frame.dtype != np.uint8:
            if (not np.issubdtype(frame.dtype, np.integer) or frame.size
                    and (frame.min() < 0 or frame.max() > 255)):
                raise ValueError(
                    f"frame {i} has dtype {frame.dtype}; frames must be uint8 RGB (convert "
                    "floats in [0, 1] with (frame * 255).astype(np.uint8))"
                )
            frame = frame.astype(np.uint8)
        images.append(frame)
    if captions is not None:
        from rlsandbox.plots._captions import caption_frames

        images = caption_frames(images, captions)
    images = [Image.fromarray(frame) for frame in images]
    # Each frame ends at its rounded time, so rounding errors do not add up over frames.
    ends = np.round(np.arange(len(images) + 1) * 100.0 / float(fps)).astype(np.int64)
    durations = (10 * np.diff(ends)).tolist()  # milliseconds, multiples of 10
    images[0].save(os.fspath(path), format="GIF", save_all=True, append_images=images[1:],
                   duration=durations, loop=0, optimize=False, disposal=1)


def _as_histories(obj) -> list:
    from rlsandbox.loop import History

    try:
        histories = [obj] if isinstance(obj, History) else list(obj)
    except TypeError:
        histories = []
    if not histories or not all(isinstance(h, History) for h in histories):
        raise ValueError("expected a History or a non-empty sequence of History objects")
    lengths = {len(h) for h in histories}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"histories must be non-empty and of equal length, got {sorted(lengths)}")
    return histories
