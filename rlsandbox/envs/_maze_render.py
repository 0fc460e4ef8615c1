"""Drawing the maze: RGB frames from numpy tiles, text frames, and the pygame hand-over.

Frames are assembled from one small tile per cell kind with numpy fancy indexing, so a frame
costs one array copy whatever the maze size and needs no display (and no pygame) at all;
pygame is imported only to turn a frame into a ``Surface`` for the human window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
_WALL = (60, 60, 60)
_FLOOR = (240, 240, 240)
_GRID_LINE = (205, 205, 205)
_START = (86, 180, 233)  # sky blue
_GOAL = (0, 158, 115)  # bluish green
_TRAP = (213, 94, 0)  # vermillion, with a black X (shape, not only colour)
_AGENT = (240, 228, 66)  # yellow disc with a black ring
_INK = (0, 0, 0)

_KINDS = "#.SGX"  # tile index of each layout character
_MAX_PIXELS = 640  # longest side of a frame, unless cells would get smaller than _MIN_CELL
_MIN_CELL, _MAX_CELL = 4, 48


class Renderer:
    """RGB frames of one maze: the static background is drawn once, the agent per frame.

    Parameters
    ----------
    grid : numpy.ndarray
        The maze's layout characters (``MazeEnv.grid``).
    """

    def __init__(self, grid: np.ndarray) -> None:
        rows, cols = grid.shape
        self.cell = int(np.clip(_MAX_PIXELS // max(rows, cols), _MIN_CELL, _MAX_CELL))
        self._codes = np.zeros(grid.shape, dtype=np.intp)
        for code, char in enumerate(_KINDS):
            self._codes[grid == char] = code
        tiles = _tiles(self.cell)
        self._agent_tiles = _with_agent(tiles)
        cs = self.cell
        self._background = np.ascontiguousarray(
            tiles[self._codes].transpose(0, 2, 1, 3, 4).reshape(rows * cs, cols * cs, 3)
        )

    def frame(self, agent: tuple[int, int] | None) -> np.ndarray:
        """A uint8 ``(H, W, 3)`` frame with the agent at cell ``agent`` (None: no agent)."""
        image = self._background.copy()
        if agent is not None:
            r, c = agent
            cs = self.cell
            image[r * cs : (r + 1) * cs, c * cs : (c + 1) * cs] = self._agent_tiles[
                self._codes[r, c]
            ]
        return image


def _tiles(cs: int) -> np.ndarray:
    """One ``(cs, cs, 3)`` tile per kind in ``_KINDS`` order."""
    u = (np.arange(cs) + 0.5) / cs
    y, x = np.meshgrid(u, u, indexing="ij")
    tiles = np.empty((len(_KINDS), cs, cs, 3), dtype=np.uint8)
    floor = np.empty((cs, cs, 3), dtype=np.uint8)
    floor[:] = _FLOOR
    if cs >= 8:  # grid lines help count cells, but would swamp tiny cells
        floor[[0, -1], :] = _GRID_LINE
        floor[:, [0, -1]] = _GRID_LINE
    inset = (x > 0.14) & (x < 0.86) & (y > 0.14) & (y < 0.86)
    tiles[0] = _WALL
    for code in (1, 2, 3, 4):
        tiles[code] = floor
    tiles[2][inset] = _START
    tiles[3][inset] = _GOAL
    tiles[4][inset] = _TRAP
    width = max(0.07, 1.0 / cs)
    cross = inset & ((np.abs(x - y) < width) | (np.abs(x + y - 1.0) < width))
    tiles[4][cross] = _INK
    return tiles


def _with_agent(tiles: np.ndarray) -> np.ndarray:
    """The tiles with the agent drawn on top."""
    cs = tiles.shape[1]
    u = (np.arange(cs) + 0.5) / cs
    y, x = np.meshgrid(u, u, indexing="ij")
    dist = np.hypot(x - 0.5, y - 0.5)
    ring = max(0.06, 1.0 / cs)
    out = tiles.copy()
    out[:, dist < 0.36] = _INK
    out[:, dist < 0.36 - ring] = _AGENT
    return out


def ansi(grid: np.ndarray, agent: tuple[int, int] | None) -> str:
    """The layout as text, one line per row, with the agent as ``A``."""
    rows = ["".join(row) for row in grid.tolist()]
    if agent is not None:
        r, c = agent
        rows[r] = rows[r][:c] + "A" + rows[r][c + 1 :]
    return "\n".join(rows) + "\n"


def to_surface(frame: np.ndarray) -> Any:
    """A ``pygame.Surface`` showing ``frame`` (pygame uses (x, y) = (column, row) order)."""
    import pygame

    return pygame.surfarray.make_surface(np.ascontiguousarray(frame.transpose(1, 0, 2)))
