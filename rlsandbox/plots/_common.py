"""Shared helpers of the plotting modules: axes creation, colours, argument checks."""

from __future__ import annotations

import os
import sys

import numpy as np

# Okabe & Ito's colour-blind-safe qualitative palette, yellow last (weak on white).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
           "#F0E442")
# A marker per category too, so categories differ in shape as well as in colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# Continuous values: perceptually uniform and readable with any colour vision.
VALUE_CMAP = "viridis"
WALL_COLOUR = "#262626"
FLOOR_COLOUR = "#f2f2f2"


def _axes(ax, figsize=(7, 4)):
    """``(figure, axes)``: ``ax`` and its figure, or a new constrained-layout figure."""
    if ax is None:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


# matplotlib's backends that open a window; on Linux and the BSDs (X11 or Wayland) they fail
# with no display. Windows and macOS need no $DISPLAY.
_WINDOW_BACKENDS = frozenset({
    "gtk3agg", "gtk3cairo", "gtk4agg", "gtk4cairo", "qtagg", "qtcairo", "qt5agg", "qt5cairo",
    "tkagg", "tkcairo", "wx", "wxagg", "wxcairo",
})


def _pyplot():
    """``matplotlib.pyplot``, switching to Agg first when a window backend has no display."""
    import matplotlib

    # Only a window backend needs the display: Jupyter's inline backend (a notebook server or
    # Colab has no $DISPLAY either), Agg and the other backends are kept, or a notebook would
    # stop showing figures.
    headless = (os.name == "posix" and sys.platform != "darwin"
                and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))
    if headless and matplotlib.get_backend().lower() in _WINDOW_BACKENDS:
        matplotlib.use("Agg")  # never try to open a window
    import matplotlib.pyplot as plt

    return plt


def _close(fig) -> None:
    """Forget ``fig`` in pyplot (frees its memory once saved)."""
    import matplotlib.pyplot as plt

    plt.close(fig)


def subplots(*args, **kwargs):
    """``matplotlib.pyplot.subplots``, headless-safe (Agg when there is no display).

    For figures of your own that sit beside rlsandbox's: ``fig, ax = subplots()``, then any
    plotting function's ``ax=ax``.
    """
    return _pyplot().subplots(*args, **kwargs)


def save_figure(fig, path: str | os.PathLike, *, dpi: int = 100) -> str:
    """Write ``fig`` to ``path`` and free its memory; return the path.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure, e.g. one a plotting function returned.
    path : str or os.PathLike
        File to write; the format follows its extension (``.png``, ``.svg``, ``.pdf``).
    dpi : int, default 100
        Resolution of raster formats.

    Returns
    -------
    str
        ``path``.
    """
    fig.savefig(path, dpi=dpi)
    _close(fig)
    return os.fspath(path)


def _vector(name: str, values, *, length: int | None = None) -> np.ndarray:
    """``values`` as a finite 1-D float array (of ``length`` entries if given)."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}; pass one value per "
                         "point (e.g. array.ravel())")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries; expected {length}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains NaN or infinite values; drop them before plotting "
                         "(e.g. x[np.isfinite(x)])")
    return array
