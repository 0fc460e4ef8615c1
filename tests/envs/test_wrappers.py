"""DiscretizeObservation: bin edges, clipping, row-major indices, defaults and validation."""

import gymnasium
import numpy as np
import pytest
from gymnasium import spaces
from hypothesis import given
from hypothesis import strategies as st

import rlsandbox  # noqa: F401  (registers the envs)
from rlsandbox.envs import CartPoleEnv, DiscretizeObservation


class BoxEnv(gymnasium.Env):
    """A do-nothing env whose observation space is the given Box."""

    def __init__(self, low, high, shape=None):
        if shape is None:
            low, high = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
        self.observation_space = spaces.Box(low, high, shape=shape, dtype=np.float64)
        self.action_space = spaces.Discrete(1)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return self.observation_space.low.copy(), {}

    def step(self, action):
        return self.observation_space.high.copy(), 0.0, True, False, {}


def index(wrapper, *values):
    return wrapper.observation(np.array(values, dtype=np.float64))


def test_bin_edges_are_equal_width_from_low_to_high():
    w = DiscretizeObservation(BoxEnv([0.0, -1.0], [10.0, 1.0]), bins=(5, 4))
    assert w.bin_edges[0].tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert w.bin_edges[1].tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert w.observation_space == spaces.Discrete(20)


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        (0.0, -1.0, 0),  # lowest corner
        (1.999, -0.75, 0),
        (2.0, -0.5, 1 * 4 + 1),  # a value on an edge belongs to the bin above it
        (2.0, 0.0, 1 * 4 + 2),
        (5.0, 0.49, 2 * 4 + 2),
        (9.99, 0.5, 4 * 4 + 3),
        (10.0, 1.0, 19),  # high is in the last bin
    ],
)
def test_hand_computed_indices_are_row_major_first_dimension_most_significant(x, y, expected):
    w = DiscretizeObservation(BoxEnv([0.0, -1.0], [10.0, 1.0]), bins=(5, 4))
    result = index(w, x, y)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    ("x", "y", "expected"), [(-5.0, 7.0, 3), (11.0, -3.0, 12), (1e300, -1e300, 12)]
)
def test_values_outside_the_bounds_are_clipped_to_the_end_bins(x, y, expected):
    w = DiscretizeObservation(BoxEnv([-np.inf, -np.inf], [np.inf, np.inf]), 4, low=0, high=1)
    assert index(w, x, y) == expected


def test_values_exactly_on_edges_fall_in_the_upper_bin_despite_rounding():
    w = DiscretizeObservation(BoxEnv([0.0], [1.0]), bins=10)
    for k, edge in enumerate(w.bin_edges[0].tolist()[:-1]):
        assert index(w, edge) == k
        assert index(w, np.nextafter(edge, np.inf)) == k
        if k > 0:
            assert index(w, np.nextafter(edge, -np.inf)) == k - 1
    # (0.3 - 0) * 10 rounds to 3.0000000000000004 and 0.7 to 6.999999999999999
    assert index(w, 0.3) == 3 and index(w, 0.7) == 7


def test_index_equals_numpy_ravel_multi_index():
    bins = (3, 4, 5)
    w = DiscretizeObservation(BoxEnv([0, 0, 0], [3, 4, 5]), bins=bins)
    for i in range(3):
        for j in range(4):
            for k in range(5):
                expected = np.ravel_multi_index((i, j, k), bins)
                assert index(w, i + 0.5, j + 0.5, k + 0.5) == expected


def test_multi_dimensional_boxes_are_flattened_in_c_order():
    w = DiscretizeObservation(BoxEnv(0.0, 2.0, shape=(2, 2)), bins=2)
    assert w.observation_space == spaces.Discrete(16)
    assert w.observation(np.array([[0.0, 0.0], [0.0, 1.5]])) == 1
    assert w.observation(np.array([[1.5, 0.0], [0.0, 0.0]])) == 8


def test_a_single_bin_count_applies_to_every_dimension():
    w = DiscretizeObservation(BoxEnv([0, 0, 0], [1, 1, 1]), bins=3)
    assert w.bins == (3, 3, 3) and w.observation_space.n == 27


def test_cartpole_defaults_fill_in_velocity_bounds_for_our_env_and_gymnasiums():
    f32 = lambda v: float(np.float32(v))  # noqa: E731
    expected_high = (f32(4.8), 3.0, f32(12 * 2 * np.pi / 360 * 2), 3.5)
    for env in (
        gymnasium.make("rlsandbox/CartPole-v0"),
        gymnasium.make("CartPole-v1"),
        CartPoleEnv(),
    ):
        w = DiscretizeObservation(env, bins=(1, 1, 6, 3))
        assert w.high == expected_high
        assert w.low == tuple(-h for h in expected_high)
        assert w.observation_space == spaces.Discrete(18)


def test_wrapped_cartpole_gives_python_int_observations():
    env = DiscretizeObservation(gymnasium.make("rlsandbox/CartPole-v0"), bins=(3, 3, 6, 6))
    obs, _ = env.reset(seed=0)
    assert type(obs) is int and env.observation_space.contains(obs)
    obs, *_ = env.step(1)
    assert type(obs) is int and env.observation_space.contains(obs)


def test_user_bounds_override_the_defaults():
    w = DiscretizeObservation(CartPoleEnv(), bins=2, low=[-1, -2, -0.2, -1], high=1.0)
    assert w.low == (-1.0, -2.0, -0.2, -1.0) and w.high == (1.0,) * 4


def test_infinite_bound_without_default_raises_naming_the_dimension():
    env = BoxEnv([0.0, -np.inf], [1.0, np.inf])
    with pytest.raises(ValueError, match=r"dimension 1 .*unbounded.*pass low="):
        DiscretizeObservation(env, bins=4)
    # float32-max bounds count as unbounded too
    big = np.finfo(np.float32).max
    with pytest.raises(ValueError, match="dimension 0"):
        DiscretizeObservation(BoxEnv([-big], [big]), bins=4)
    w = DiscretizeObservation(env, bins=4, low=[0.0, -2.0], high=[1.0, 2.0])
    assert w.observation_space.n == 16


@pytest.mark.parametrize(
    ("bins", "match"),
    [
        (0, "positive"),
        (-2, "positive"),
        (2.5, "positive int"),
        (True, "positive int"),
        ((2, 3, 4), "3 entries but observations have 2"),
        ((2, 0), r"bins\[1\]"),
        ("4", "positive int"),
    ],
)
def test_bad_bins_raise_value_error(bins, match):
    with pytest.raises(ValueError, match=match):
        DiscretizeObservation(BoxEnv([0, 0], [1, 1]), bins=bins)


@pytest.mark.parametrize(
    ("low", "high", "match"),
    [
        (1.0, 1.0, "dimension 0: low"),
        ([0.0, 2.0], 1.0, "dimension 1: low"),
        ([0.0], 1.0, "1 entries"),
        (0.0, np.inf, r"high\[0\] must be a finite"),
    ],
)
def test_bad_bounds_raise_value_error(low, high, match):
    with pytest.raises(ValueError, match=match):
        DiscretizeObservation(BoxEnv([0, 0], [1, 1]), bins=2, low=low, high=high)


def test_non_box_observation_space_raises():
    env = gymnasium.make("FrozenLake-v1")
    with pytest.raises(ValueError, match="Box"):
        DiscretizeObservation(env, bins=2)


BOUNDS = st.tuples(
    st.floats(-100, 100, allow_nan=False), st.floats(0.001, 100, allow_nan=False)
).map(lambda t: (t[0], t[0] + t[1]))


@given(
    dims=st.lists(st.tuples(BOUNDS, st.integers(1, 12)), min_size=1, max_size=4),
    data=st.data(),
)
def test_index_is_in_range_agrees_with_the_edges_and_is_monotone(dims, data):
    lows = [lo for (lo, _), _ in dims]
    highs = [hi for (_, hi), _ in dims]
    bins = [n for _, n in dims]
    w = DiscretizeObservation(BoxEnv(lows, highs), bins=bins)
    point = [
        data.draw(st.floats(lo - 10, hi + 10, allow_nan=False))
        for lo, hi in zip(lows, highs, strict=True)
    ]
    result = index(w, *point)
    assert 0 <= result < w.observation_space.n
    # agrees with the published edges: edges[k] <= clipped value < edges[k + 1]
    per_dim = [
        min(int(np.searchsorted(edges, min(max(v, lo), hi), side="right")) - 1, n - 1)
        for v, edges, lo, hi, n in zip(point, w.bin_edges, w.low, w.high, bins, strict=True)
    ]
    assert result == np.ravel_multi_index(per_dim, bins)
    # increasing one coordinate never decreases the index
    i = data.draw(st.integers(0, len(point) - 1))
    bigger = list(point)
    bigger[i] = point[i] + data.draw(st.floats(0, 50, allow_nan=False))
    assert index(w, *bigger) >= result
