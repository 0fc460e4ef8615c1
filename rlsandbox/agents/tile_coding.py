"""Tile coding: a box of continuous observations as a few active binary features.

Sutton & Barto (2nd ed., Section 9.5.4). The box ``[low, high]`` is covered by ``tilings``
grids ("tilings") of ``tiles`` equal intervals per dimension, each grid displaced from the
others by a fraction of a tile. An observation lies in exactly one tile of each tiling, so it
has ``tilings`` active features; nearby observations share most of them, which is how a
linear function of these features generalises.

The rule, for tiling ``t`` and dimension ``j`` (``x`` clipped to ``[low, high]`` first)::

    u_j    = (x_j - low_j) / (high_j - low_j) * tiles_j * tilings   # position in 1/tilings tiles
    f_j    = min(floor(u_j), tiles_j * tilings - 1)                  # high joins the last sliver
    k_tj   = (f_j + m_tj) // tilings                                 # tile of tiling t, 0..tiles_j
    index  = t * per_tiling + ravel_multi_index(k_t, tiles + 1)      # row-major, dimension 0 first

that is ``k_tj = floor(tiles_j * (x_j - low_j) / (high_j - low_j) + m_tj / tilings)``: tiling
``t`` is shifted by ``m_tj / tilings`` of a tile along dimension ``j``. A shifted grid needs one
tile more than ``tiles_j`` to cover the box, so ``per_tiling = prod(tiles + 1)`` and
``n_features = tilings * per_tiling``. The displacements ``m_tj`` are integers in
``[0, tilings)``:

* ``seed=None`` (the default): the *asymmetric* displacement the book recommends,
  ``m_tj = t * (2j + 1) mod tilings`` (displacement vector ``(1, 3, 5, ...)``), so tilings are
  not all shifted along the diagonal. With ``tilings`` a power of two, each dimension sees
  every one of the ``tilings`` offsets once.
* ``seed=int``: for each dimension an independent random permutation of ``0 .. tilings-1``
  over the tilings; again every offset once per dimension, but no fixed pattern across them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = ["TileCoder"]


class TileCoder:
    """Active tile indices of points in a box: ``tilings`` displaced grids of ``tiles`` tiles.

    Parameters
    ----------
    low, high : sequence of float
        The box, one bound per dimension (``low < high``, finite). Points outside are clipped
        to it, so the outermost tiles also hold everything beyond the box.
    tilings : int, default 8
        Number of tilings, i.e. of active features per point. A power of two of at least
        ``4 * len(low)`` is the book's recommendation for the asymmetric displacement.
    tiles : int or sequence of int, default 8
        Tiles per dimension of one tiling (the width of a tile is ``(high - low) / tiles``).
    seed : int, optional
        ``None`` for the asymmetric displacement ``m_tj = t * (2j + 1) mod tilings``; an int
        for random displacements (a random permutation of the ``tilings`` offsets per
        dimension), fixed by the seed. See the module docstring for the exact rule.

    Attributes
    ----------
    n_features : int
        ``tilings * prod(tiles + 1)``: every index returned is in ``[0, n_features)``.
    displacements : ndarray of int, shape (tilings, n_dims)
        ``m_tj``: tiling ``t`` is shifted by ``m_tj / tilings`` of a tile along dimension ``j``.

    Examples
    --------
    One dimension, ``[0, 4]``, 4 tiles, 2 tilings: the second tiling is shifted by half a tile,
    so its tile ``k`` covers ``[k - 0.5, k + 0.5)`` and tiling 1 starts at index 5.

    >>> coder = TileCoder([0.0], [4.0], tilings=2, tiles=4)
    >>> coder.n_features
    10
    >>> coder(np.array([1.2])).tolist(), coder([1.7]).tolist(), coder([9.0]).tolist()
    ([1, 6], [1, 7], [3, 9])
    """

    def __init__(
        self,
        low: Sequence[float],
        high: Sequence[float],
        *,
        tilings: int = 8,
        tiles: int | Sequence[int] = 8,
        seed: int | None = None,
    ) -> None:
        lows, highs = _box(low, high)
        n_dims = len(lows)
        if not _is_int(tilings) or tilings <= 0:
            raise ValueError(f"tilings must be a positive int, got {tilings!r}")
        tiles = _tiles(tiles, n_dims)
        if seed is not None and (not _is_int(seed) or seed < 0):
            raise ValueError(f"seed must be a non-negative int or None, got {seed!r}")
        self.low, self.high = tuple(lows), tuple(highs)
        self.tilings, self.tiles, self.seed = int(tilings), tuple(tiles), seed
        n = self.tilings

        if seed is None:
            m = [[t * (2 * j + 1) % n for j in range(n_dims)] for t in range(n)]
        else:
            rng = np.random.default_rng(seed)
            columns = [rng.permutation(n).tolist() for _ in range(n_dims)]
            m = [[columns[j][t] for j in range(n_dims)] for t in range(n)]
        self.displacements = np.array(m, dtype=np.int64).reshape(n, n_dims)

        strides = [math.prod(k + 1 for k in tiles[j + 1:]) for j in range(n_dims)]
        self.per_tiling = math.prod(k + 1 for k in tiles)
        self.n_features = n * self.per_tiling
        # What indices() reads, per dimension: the clip bounds, the scale to 1/n-tile units,
        # the largest f (high joins the last 1/n of a tile, as DiscretizeObservation's last
        # bin holds high), the stride, and ``carry[r][t]``: how far tiling t's tile lies past
        # tile f // n when the remainder f % n is r (one tile when r + m_tj >= n), times the
        # stride. Dimension 0's carries also hold each tiling's first index t * per_tiling.
        # A point then costs one float product per dimension and sums of ints.
        bases = [t * self.per_tiling for t in range(n)]
        self._dims = tuple(
            (lo, hi, k * n / (hi - lo), k * n - 1, stride,
             tuple(tuple(stride * ((r + m[t][j]) >= n) + (bases[t] if j == 0 else 0)
                         for t in range(n)) for r in range(n)))
            for j, (lo, hi, k, stride) in enumerate(zip(lows, highs, tiles, strides, strict=True))
        )

    def __call__(self, x: Any) -> np.ndarray:
        """The active feature of each tiling, an int array of shape ``(tilings,)``.

        ``x`` is a point: an array or sequence of ``len(low)`` numbers (any shape; flattened
        in C order).
        """
        values = np.asarray(x, dtype=np.float64).ravel()
        if values.shape != (len(self.low),):
            raise ValueError(
                f"x has {values.size} numbers but the tile coder covers {len(self.low)} "
                "dimensions; pass one number per dimension"
            )
        if np.isnan(values).any():
            raise ValueError(f"x contains NaN ({values.tolist()}); tile coding needs numbers")
        return np.array(self.indices(values.tolist()), dtype=np.int64)

    def indices(self, values: Sequence[float]) -> list[int]:
        """:meth:`__call__` for agents' hot paths: a list of Python floats in, a list out.

        No numpy and no checks beyond the count (a wrong count raises ``ValueError`` from
        ``zip``): ``values`` must hold one float per dimension, none of them NaN.
        """
        n = self.tilings
        offset = 0
        carries = []
        for v, (lo, hi, scale, top, stride, carry) in zip(values, self._dims, strict=True):
            if v <= lo:
                f = 0
            elif v >= hi:
                f = top
            else:
                f = int((v - lo) * scale)
                if f > top:  # v just below high, rounded up to it
                    f = top
            offset += f // n * stride
            carries.append(carry[f % n])
        return [offset + c for c in map(sum, zip(*carries, strict=True))]

    def __repr__(self) -> str:
        seed = "" if self.seed is None else f", seed={self.seed}"
        return (f"TileCoder(low={list(self.low)}, high={list(self.high)}, "
                f"tilings={self.tilings}, tiles={list(self.tiles)}{seed})")


def _box(low: Any, high: Any) -> tuple[list[float], list[float]]:
    lows, highs = _numbers("low", low), _numbers("high", high)
    if len(lows) != len(highs):
        raise ValueError(
            f"low has {len(lows)} entries and high has {len(highs)}; pass one bound per "
            "dimension in each"
        )
    if not lows:
        raise ValueError("low and high are empty; pass one bound per dimension")
    for j, (lo, hi) in enumerate(zip(lows, highs, strict=True)):
        if not lo < hi:
            raise ValueError(f"dimension {j}: low ({lo}) must be below high ({hi})")
    return lows, highs


def _numbers(name: str, values: Any) -> list[float]:
    flat = np.asarray(values, dtype=object).ravel().tolist()
    for j, v in enumerate(flat):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, Real) or not math.isfinite(v):
            raise ValueError(f"{name}[{j}] must be a finite number, got {v!r}")
    return [float(v) for v in flat]


def _tiles(tiles: Any, n_dims: int) -> list[int]:
    if _is_int(tiles):
        tiles = [tiles] * n_dims
    elif not (isinstance(tiles, (Sequence, np.ndarray)) and all(_is_int(k) for k in tiles)):
        raise ValueError(f"tiles must be a positive int or one per dimension, got {tiles!r}")
    if len(tiles) != n_dims:
        raise ValueError(
            f"tiles has {len(tiles)} entries but the box has {n_dims} dimensions; pass one "
            "int per dimension, or a single int for all"
        )
    for j, k in enumerate(tiles):
        if k <= 0:
            raise ValueError(f"tiles[{j}] must be a positive int, got {k!r}")
    return [int(k) for k in tiles]


def _is_int(x: Any) -> bool:
    return isinstance(x, Integral) and not isinstance(x, (bool, np.bool_))
