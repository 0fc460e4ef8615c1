"""Captions under episode frames: the step and the return so far, as the live window shows.

A caption is a dark strip added below a frame (never drawn over it, so no cell or cart is
hidden), written with Pillow in matplotlib's DejaVu Sans, so GIFs and notebook animations
need neither pygame nor a display.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["caption_frames", "episode_captions"]

# The live window's status bar colours: light grey under dark walls and white CartPole alike,
# a darker line between frame and strip.
_STRIP, _INK, _LINE = (228, 228, 228), (20, 20, 20), (150, 150, 150)


def episode_captions(episode) -> list[str]:
    """One caption per frame of ``episode``: ``"step t   return G"`` for t = 0 .. T.

    ``G`` is the undiscounted return of the first ``t`` rewards (what the live window
    shows). The last caption also says whether the episode succeeded, where the env says
    (``Episode.success``). Slice the captions as you slice the frames, e.g.
    ``save_gif(ep.frames[::2], path, captions=episode_captions(ep)[::2])``.

    Parameters
    ----------
    episode : Episode or array_like
        An :class:`rlsandbox.Episode` or its rewards (``T`` of them).

    Returns
    -------
    list of str
        ``T + 1`` captions.

    Examples
    --------
    >>> episode_captions([-0.1, -0.1, 10.0])
    ['step 0   return 0', 'step 1   return -0.10', 'step 2   return -0.20', 'step 3   return 9.80']
    """
    rewards = np.asarray(getattr(episode, "rewards", episode), dtype=np.float64).reshape(-1)
    returns = np.concatenate(([0.0], np.cumsum(rewards)))
    captions = [f"step {t}   return {_number(g)}" for t, g in enumerate(returns.tolist())]
    success = getattr(episode, "success", None)
    if success is not None:
        captions[-1] += "   success" if success else "   no success"
    return captions


def caption_frames(frames, captions) -> list[np.ndarray]:
    """``frames`` with ``captions[i]`` written in a strip under frame ``i``.

    Parameters
    ----------
    frames : sequence of ndarray (H, W, 3) uint8
    captions : sequence of str
        One per frame.

    Returns
    -------
    list of ndarray (H + strip, W, 3) uint8
    """
    from PIL import Image, ImageDraw

    captions = [str(c) for c in captions]
    if len(captions) != len(frames):
        raise ValueError(f"got {len(captions)} captions for {len(frames)} frames; pass one "
                         "caption per frame (slice them as you slice the frames)")
    if not frames:
        return []
    width = np.asarray(frames[0]).shape[1]
    size = int(np.clip(width / 32, 10, 18))
    font = _font(size)
    height = size + size // 2 + 6
    out = []
    for frame, caption in zip(frames, captions, strict=True):
        frame = np.asarray(frame, dtype=np.uint8)
        strip = Image.new("RGB", (frame.shape[1], height), _STRIP)
        draw = ImageDraw.Draw(strip)
        draw.line([(0, 0), (frame.shape[1] - 1, 0)], fill=_LINE)
        draw.text((6, 3), caption, fill=_INK, font=font)
        out.append(np.concatenate([frame, np.asarray(strip)]))
    return out


def _font(size: int):
    """DejaVu Sans (shipped with matplotlib) at ``size`` pixels; Pillow's font without it."""
    import matplotlib
    from PIL import ImageFont

    path = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(path, size)
    except OSError:  # no FreeType in this Pillow, or a trimmed matplotlib
        return ImageFont.load_default()


def _number(value: float) -> str:
    """Whole numbers without decimals (CartPole), others with two (the maze's -0.1 steps)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
