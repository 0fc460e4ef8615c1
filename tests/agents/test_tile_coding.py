"""TileCoder: indices against hand computations and a brute-force search over tile boxes."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rlsandbox.agents import TileCoder


def brute_force(coder: TileCoder, x) -> list[int]:
    """The tile of each tiling whose box holds ``x``, by checking every box in exact arithmetic.

    Tiling ``t``'s tile ``k`` along dimension ``j`` is
    ``[low + (k - m/n) w, low + (k + 1 - m/n) w)`` with ``w = (high - low) / tiles`` and
    ``m = coder.displacements[t, j]``. Points are clipped to the box, and ``high`` itself
    counts as lying in the last ``w / n`` below it.
    """
    n = coder.tilings
    point = []
    for v, lo, hi, tiles in zip(x, coder.low, coder.high, coder.tiles, strict=True):
        lo, hi, v = Fraction(lo), Fraction(hi), Fraction(min(max(v, lo), hi))
        if v == hi:
            v = hi - (hi - lo) / tiles / n / 2
        point.append((v, lo, (hi - lo) / tiles))
    per_tiling = math.prod(k + 1 for k in coder.tiles)
    found = []
    for t in range(n):
        inside = []
        for k in itertools.product(*(range(tiles + 1) for tiles in coder.tiles)):
            if all(lo + (kj - Fraction(int(coder.displacements[t, j]), n)) * w <= v
                   < lo + (kj + 1 - Fraction(int(coder.displacements[t, j]), n)) * w
                   for j, (kj, (v, lo, w)) in enumerate(zip(k, point, strict=True))):
                inside.append(t * per_tiling + int(np.ravel_multi_index(
                    k, [tiles + 1 for tiles in coder.tiles])))
        assert len(inside) == 1, f"tiling {t} has {len(inside)} tiles holding {x}"
        found.append(inside[0])
    return found


def near_an_edge(coder: TileCoder, x, tol: float = 1e-9) -> bool:
    """Whether ``x`` is within ``tol`` slivers of a sliver edge (rounding may go either way)."""
    for v, lo, hi, tiles in zip(x, coder.low, coder.high, coder.tiles, strict=True):
        u = (min(max(v, lo), hi) - lo) / (hi - lo) * tiles * coder.tilings
        if abs(u - round(u)) < tol * max(1.0, abs(u)) and lo < v < hi:
            return True
    return False


def test_one_dimension_matches_the_hand_computation():
    # [0, 4], 4 tiles, 2 tilings: tiling 1 is shifted by half a tile, its tile k is
    # [k - 0.5, k + 0.5); each tiling has 5 tiles, so tiling 1's indices start at 5.
    coder = TileCoder([0.0], [4.0], tilings=2, tiles=4)
    assert coder.n_features == 10
    assert coder([0.0]).tolist() == [0, 5]
    assert coder([0.4]).tolist() == [0, 5]
    assert coder([0.5]).tolist() == [0, 6]
    assert coder([1.2]).tolist() == [1, 6]
    assert coder([3.6]).tolist() == [3, 9]
    assert coder([4.0]).tolist() == [3, 9]  # high joins the last half tile below it


def test_two_dimensions_match_the_hand_computation_with_asymmetric_displacement():
    # Displacements m_t = (t * 1 % 4, t * 3 % 4) = (0,0), (1,3), (2,2), (3,1) quarter tiles;
    # tile k_tj = floor(x_j + m_tj / 4) on [0, 4]^2 with 4 tiles; 5 x 5 = 25 tiles a tiling.
    coder = TileCoder([0.0, 0.0], [4.0, 4.0], tilings=4, tiles=4)
    assert coder.displacements.tolist() == [[0, 0], [1, 3], [2, 2], [3, 1]]
    # (1.3, 2.6): t0 (1, 2); t1 (floor 1.55, floor 3.35) = (1, 3); t2 (1.8, 3.1) -> (1, 3);
    # t3 (2.05, 2.85) -> (2, 2).
    assert coder([1.3, 2.6]).tolist() == [0 + 1 * 5 + 2, 25 + 1 * 5 + 3, 50 + 1 * 5 + 3,
                                          75 + 2 * 5 + 2]
    assert coder.n_features == 100


def test_call_returns_an_int_array_with_one_index_per_tiling():
    coder = TileCoder([-1.0, -2.0, 0.0], [1.0, 2.0, 5.0], tilings=8, tiles=(3, 4, 5))
    out = coder(np.array([0.2, -1.0, 4.0], dtype=np.float32))
    assert out.dtype == np.int64 and out.shape == (8,)
    assert coder.n_features == 8 * 4 * 5 * 6


def test_indices_agree_with_call():
    coder = TileCoder([-4.8, -3.0, -0.419, -3.5], [4.8, 3.0, 0.419, 3.5])
    rng = np.random.default_rng(0)
    for x in rng.uniform(-6, 6, size=(200, 4)):
        assert coder.indices(x.tolist()) == coder(x).tolist()


boxes = st.integers(1, 3).flatmap(lambda d: st.tuples(
    st.lists(st.floats(-10, 10, allow_nan=False), min_size=d, max_size=d),
    st.lists(st.floats(0.01, 10), min_size=d, max_size=d),
    st.lists(st.integers(1, 5), min_size=d, max_size=d),
    st.lists(st.floats(-1.5, 2.5), min_size=d, max_size=d),  # the point, in box units
))


@settings(max_examples=150, deadline=None)
@given(box=boxes, tilings=st.integers(1, 8), seed=st.one_of(st.none(), st.integers(0, 99)))
def test_indices_equal_a_brute_force_search_of_the_tile_boxes(box, tilings, seed):
    lows, widths, tiles, units = box
    highs = [lo + w for lo, w in zip(lows, widths, strict=True)]
    x = [lo + u * w for lo, u, w in zip(lows, units, widths, strict=True)]
    coder = TileCoder(lows, highs, tilings=tilings, tiles=tiles, seed=seed)
    assume(all(lo < hi for lo, hi in zip(coder.low, coder.high, strict=True)))
    assume(not near_an_edge(coder, x))
    assert coder(x).tolist() == brute_force(coder, x)


@settings(max_examples=200, deadline=None)
@given(x=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=4),
       seed=st.one_of(st.none(), st.integers(0, 99)))
def test_every_index_is_in_range_with_exactly_one_tile_per_tiling(x, seed):
    coder = TileCoder([-4.8, -3.0, -0.419, -3.5], [4.8, 3.0, 0.419, 3.5], seed=seed)
    out = coder(x)
    per_tiling = coder.n_features // coder.tilings
    assert ((out >= 0) & (out < coder.n_features)).all()
    assert (out // per_tiling).tolist() == list(range(coder.tilings))


@settings(max_examples=200, deadline=None)
@given(x=st.floats(-20, 20), y=st.floats(-20, 20))
def test_nearby_points_share_all_but_one_tiling_per_sliver_between_them(x, y):
    # One dimension, 8 tilings displaced by 1/8 tile each: a sliver edge (every 1/8 tile)
    # is a tile edge in exactly one tiling, so points s slivers apart share 8 - s tiles.
    coder = TileCoder([-10.0], [10.0], tilings=8, tiles=5)
    assume(not near_an_edge(coder, [x]) and not near_an_edge(coder, [y]))
    sliver = 20.0 / 5 / 8

    def position(v):
        return min(math.floor((min(max(v, -10.0), 10.0) + 10.0) / sliver), 5 * 8 - 1)

    apart = abs(position(x) - position(y))
    shared = int((coder([x]) == coder([y])).sum())
    assert shared == max(0, 8 - apart)


@settings(max_examples=200, deadline=None)
@given(x=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=2))
def test_points_outside_the_box_are_clipped_to_it(x):
    coder = TileCoder([-1.0, 0.0], [1.0, 3.0], tilings=4, tiles=3)
    clipped = np.clip(x, coder.low, coder.high)
    assert coder(x).tolist() == coder(clipped).tolist()


def test_seeded_displacements_are_a_permutation_per_dimension_fixed_by_the_seed():
    a = TileCoder([0.0] * 3, [1.0] * 3, tilings=8, seed=5)
    b = TileCoder([0.0] * 3, [1.0] * 3, tilings=8, seed=5)
    c = TileCoder([0.0] * 3, [1.0] * 3, tilings=8, seed=6)
    assert (a.displacements == b.displacements).all()
    assert not (a.displacements == c.displacements).all()
    for column in a.displacements.T:
        assert sorted(column.tolist()) == list(range(8))


def test_default_displacement_is_the_books_asymmetric_one():
    coder = TileCoder([0.0] * 4, [1.0] * 4, tilings=16)
    t = np.arange(16)[:, None]
    assert (coder.displacements == t * np.array([1, 3, 5, 7]) % 16).all()


@pytest.mark.parametrize("kw", [
    {"low": [0.0], "high": [0.0]},
    {"low": [1.0], "high": [0.0]},
    {"low": [0.0, 0.0], "high": [1.0]},
    {"low": [], "high": []},
    {"low": [float("-inf")], "high": [1.0]},
    {"low": [0.0], "high": [1.0], "tilings": 0},
    {"low": [0.0], "high": [1.0], "tiles": 0},
    {"low": [0.0], "high": [1.0], "tiles": [2, 2]},
    {"low": [0.0], "high": [1.0], "tiles": 2.5},
    {"low": [0.0], "high": [1.0], "seed": -1},
])
def test_invalid_arguments_raise_value_error(kw):
    with pytest.raises(ValueError):
        TileCoder(**kw)


@pytest.mark.parametrize("x", [[0.5, 0.5], [float("nan")]])
def test_points_of_the_wrong_size_or_nan_raise_value_error(x):
    coder = TileCoder([0.0], [1.0])
    with pytest.raises(ValueError):
        coder(x)
