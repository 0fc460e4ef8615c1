"""Helpers of the plot tests: a check that a figure saves to a real image, toy histories."""

import numpy as np
from PIL import Image

from rlsandbox.loop import Episode, History


def assert_real_png(fig, path, min_kb=3):
    """The figure saves to a PNG of some size that is not one flat colour."""
    fig.savefig(path, dpi=60)
    assert path.stat().st_size > min_kb * 1024
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
    assert pixels.std() > 10


def history(returns, keep="all"):
    """One single-step episode per return."""
    return History((Episode(np.zeros(2, dtype=np.int64), np.zeros(1, dtype=np.int64),
                            np.array([float(r)]), True, False, True) for r in returns),
                   keep=keep)
