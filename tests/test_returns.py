"""Return calculators against naive Python loops, on every length a block scheme can trip on."""

import doctest

import numpy as np
import pytest

import rlsandbox.returns as returns_module
from rlsandbox import returns as _returns_core
from rlsandbox.returns import (
    discount_weights,
    discounted_return,
    effective_horizon,
    gae,
    lambda_returns,
    n_step_returns,
    returns_to_go,
)

BLOCK = _returns_core._BLOCK
# Empty, single step, both sides of one block, of a block of blocks, and of a chunk of the
# single-threaded matrix products (where the carry crosses from one product to the next).
LENGTHS = [0, 1, 2, BLOCK - 1, BLOCK, BLOCK + 1, BLOCK**2 - 1, BLOCK**2, BLOCK**2 + 1,
           3 * BLOCK**2 + 7, 2 * _returns_core._CHUNK * BLOCK + 5]
GAMMAS = [0.0, 0.5, 0.99, 1.0]
LAMS = [0.0, 0.5, 1.0]


# ---------------------------------------------------------------- reference loops


def loop_returns_to_go(rewards, gamma, bootstrap=0.0):
    out, acc = np.zeros(len(rewards)), bootstrap
    for t in reversed(range(len(rewards))):
        acc = rewards[t] + gamma * acc
        out[t] = acc
    return out


def loop_n_step(rewards, values, gamma, n, bootstrap=0.0):
    T = len(rewards)
    out = np.zeros(T)
    for t in range(T):
        total = sum(gamma**k * rewards[t + k] for k in range(min(n, T - t)))
        total += gamma**n * values[t + n] if t + n < T else gamma ** (T - t) * bootstrap
        out[t] = total
    return out


def loop_gae(rewards, values, gamma, lam, bootstrap=0.0):
    T = len(rewards)
    out, acc = np.zeros(T), 0.0
    for t in reversed(range(T)):
        next_value = values[t + 1] if t + 1 < T else bootstrap
        acc = rewards[t] + gamma * next_value - values[t] + gamma * lam * acc
        out[t] = acc
    return out


def batch_of(loop, rewards, *args, bootstrap=None):
    """Apply a 1-D reference loop to each row; ``args`` rows pair with rewards rows."""
    rows = []
    for b in range(rewards.shape[0]):
        row_args = [a[b] if isinstance(a, np.ndarray) else a for a in args]
        extra = () if bootstrap is None else (bootstrap[b],)
        rows.append(loop(rewards[b], *row_args, *extra))
    return np.array(rows).reshape(rewards.shape)


def episode(length, seed=0, batch=None):
    rng = np.random.default_rng(seed)
    shape = (length,) if batch is None else (batch, length)
    return rng.normal(size=shape), rng.normal(size=shape)


def assert_close(actual, expected):
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12 * scale)


# ------------------------------------------------------------------- the tutorial


def test_tutorial_exit_reward_four_steps_away_is_worth_7_29():
    assert discounted_return([0, 0, 0, 10], 0.9) == pytest.approx(7.29, rel=1e-14)
    assert_close(returns_to_go([0, 0, 0, 10], 0.9), [7.29, 8.1, 9.0, 10.0])


def test_docstring_examples_run():
    result = doctest.testmod(returns_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------------- against reference loops


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("length", LENGTHS)
def test_returns_to_go_and_discounted_return_match_the_loop(length, gamma):
    rewards, _ = episode(length, seed=length)
    expected = loop_returns_to_go(rewards, gamma)
    assert_close(returns_to_go(rewards, gamma), expected)
    got = discounted_return(rewards, gamma)
    assert isinstance(got, float)
    assert_close(got, expected[0] if length else 0.0)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("length", [0, 1, BLOCK - 1, BLOCK + 3, BLOCK**2 + 5])
def test_batched_inputs_match_the_loop_row_by_row(length, gamma):
    rewards, values = episode(length, seed=1, batch=3)
    boot = np.array([0.5, -2.0, 3.0])
    expected = batch_of(loop_returns_to_go, rewards, gamma)
    assert_close(returns_to_go(rewards, gamma), expected)
    assert_close(discounted_return(rewards, gamma), expected[:, 0] if length else np.zeros(3))
    for n in (1, 3, length + 2):
        assert_close(n_step_returns(rewards, values, gamma, n, bootstrap_value=boot),
                     batch_of(loop_n_step, rewards, values, gamma, n, bootstrap=boot))
    for lam in LAMS:
        expected = batch_of(loop_gae, rewards, values, gamma, lam, bootstrap=boot)
        assert_close(gae(rewards, values, gamma, lam, bootstrap_value=boot), expected)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("n", [1, 2, 3, 5, 16, 17, 100])
@pytest.mark.parametrize("length", [1, 7, BLOCK**2 + 3])
def test_n_step_returns_match_the_loop(length, n, gamma):
    rewards, values = episode(length, seed=n)
    got = n_step_returns(rewards, values, gamma, n, bootstrap_value=1.5)
    assert_close(got, loop_n_step(rewards, values, gamma, n, 1.5))


@pytest.mark.parametrize("lam", LAMS)
@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("length", [0, 1, BLOCK + 1, BLOCK**2 + 1, 3 * BLOCK**2 + 7])
def test_gae_and_lambda_returns_match_the_loop(length, gamma, lam):
    rewards, values = episode(length, seed=2)
    expected = loop_gae(rewards, values, gamma, lam, -0.7)
    assert_close(gae(rewards, values, gamma, lam, bootstrap_value=-0.7), expected)
    assert_close(lambda_returns(rewards, values, gamma, lam, bootstrap_value=-0.7),
                 expected + values)


def test_scalar_bootstrap_broadcasts_over_the_batch():
    rewards, values = episode(20, batch=4)
    assert_close(gae(rewards, values, 0.9, 0.8, bootstrap_value=2.0),
                 gae(rewards, values, 0.9, 0.8, bootstrap_value=np.full(4, 2.0)))


def test_integer_and_list_inputs_are_accepted():
    assert_close(returns_to_go([1, 2, 3], 1), [6.0, 5.0, 3.0])
    assert_close(returns_to_go(np.array([1, 2, 3], dtype=np.float32), 1.0), [6.0, 5.0, 3.0])
    assert_close(n_step_returns([1, 2, 3], [0, 0, 0], 1, 1, bootstrap_value=np.int64(4)),
                 [1.0, 2.0, 7.0])


# ------------------------------------------------------------------- identities


@pytest.mark.parametrize("gamma", GAMMAS)
def test_n_step_with_n_at_least_T_is_monte_carlo_plus_discounted_bootstrap(gamma):
    rewards, values = episode(50, seed=3)
    expected = loop_returns_to_go(rewards, gamma, bootstrap=4.0)
    for n in (50, 51, 10**6):
        assert_close(n_step_returns(rewards, values, gamma, n, bootstrap_value=4.0), expected)


@pytest.mark.parametrize("gamma", GAMMAS)
def test_gae_with_lam_one_is_returns_to_go_minus_values(gamma):
    rewards, values = episode(300, seed=4)
    horizon = gamma ** np.arange(300, 0, -1)
    expected = returns_to_go(rewards, gamma) + horizon * 2.5 - values
    got = gae(rewards, values, gamma, 1.0, bootstrap_value=2.5)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("gamma", GAMMAS)
def test_gae_with_lam_zero_is_the_td_error(gamma):
    rewards, values = episode(40, seed=5)
    td_error = rewards + gamma * np.append(values[1:], -1.0) - values
    assert_close(gae(rewards, values, gamma, 0.0, bootstrap_value=-1.0), td_error)


def test_one_step_return_is_the_td_target():
    rewards, values = episode(40, seed=6)
    target = rewards + 0.9 * np.append(values[1:], 0.3)
    assert_close(n_step_returns(rewards, values, 0.9, 1, bootstrap_value=0.3), target)
    assert_close(lambda_returns(rewards, values, 0.9, 0.0, bootstrap_value=0.3), target)


def test_empty_episodes_give_zero_and_empty_arrays():
    assert discounted_return([], 0.9) == 0.0
    assert returns_to_go([], 0.9).shape == (0,)
    assert gae(np.zeros((3, 0)), np.zeros((3, 0)), 0.9, 0.9, bootstrap_value=[1, 2, 3]).shape \
        == (3, 0)
    assert n_step_returns(np.zeros((0, 5)), np.zeros((0, 5)), 0.9, 2).shape == (0, 5)
    assert discounted_return(np.zeros((0, 5)), 0.9).shape == (0,)


def test_inputs_are_not_modified():
    rewards, values = episode(100, seed=7)
    r0, v0 = rewards.copy(), values.copy()
    returns_to_go(rewards, 0.9)
    n_step_returns(rewards, values, 0.9, 5)
    lambda_returns(rewards, values, 0.9, 0.9)
    assert np.array_equal(rewards, r0) and np.array_equal(values, v0)


def test_discount_weights_and_effective_horizon():
    assert_close(discount_weights(0.9, 4), [1.0, 0.9, 0.81, 0.729])
    assert_close(discount_weights(0.0, 3), [1.0, 0.0, 0.0])
    assert discount_weights(0.5, 0).shape == (0,)
    assert effective_horizon(0.99) == pytest.approx(100.0)
    assert effective_horizon(0.0) == 1.0
    assert effective_horizon(1.0) == float("inf")
    # The effective horizon is the sum of all the weights.
    assert discount_weights(0.9, 2000).sum() == pytest.approx(effective_horizon(0.9))


# ------------------------------------------------------------------ long episodes


def test_ten_million_steps_stay_finite_and_match_lfilter():
    signal = pytest.importorskip("scipy.signal")
    rewards = np.random.default_rng(8).normal(1.0, 1.0, size=10_000_000)
    expected = signal.lfilter([1.0], [1.0, -0.999], rewards[::-1])[::-1]
    got = returns_to_go(rewards, 0.999)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert discounted_return(rewards, 0.999) == pytest.approx(expected[0], rel=1e-9)


def test_long_undiscounted_episode_is_the_reversed_cumulative_sum():
    rewards = np.random.default_rng(9).integers(-5, 6, size=1_000_003).astype(float)
    expected = np.cumsum(rewards[::-1])[::-1]  # integers: exact in float64
    assert np.array_equal(returns_to_go(rewards, 1.0), expected)


def test_tiny_gamma_does_not_underflow_into_nan():
    rewards = np.ones(5000)
    got = returns_to_go(rewards, 1e-200)
    assert np.isfinite(got).all()
    assert_close(got, np.ones(5000))


# -------------------------------------------------------------------- validation


@pytest.mark.parametrize("gamma", [-0.1, 1.5, float("nan"), float("inf"), "0.9", True, [0.9],
                                   None, 1j])
def test_gamma_outside_zero_one_or_not_a_number_is_refused(gamma):
    with pytest.raises(ValueError, match="gamma"):
        returns_to_go([1.0, 2.0], gamma)
    with pytest.raises(ValueError, match="gamma"):
        effective_horizon(gamma)
    with pytest.raises(ValueError, match="gamma"):
        discount_weights(gamma, 3)


@pytest.mark.parametrize("lam", [-0.5, 2.0, float("nan"), False, "1"])
def test_lam_outside_zero_one_is_refused(lam):
    with pytest.raises(ValueError, match="lam"):
        gae([1.0], [0.0], 0.9, lam)
    with pytest.raises(ValueError, match="lam"):
        lambda_returns([1.0], [0.0], 0.9, lam)


@pytest.mark.parametrize("n", [0, -3, 2.0, 2.5, True, "2", None])
def test_n_must_be_a_positive_integer(n):
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        n_step_returns([1.0, 2.0], [0.0, 0.0], 0.9, n)


def test_discount_weights_count_must_be_a_non_negative_integer():
    with pytest.raises(ValueError, match="n must be an integer >= 0"):
        discount_weights(0.9, -1)
    with pytest.raises(ValueError, match="n must be an integer"):
        discount_weights(0.9, 2.5)


@pytest.mark.parametrize(
    ("rewards", "match"),
    [
        ([1.0, float("nan")], "1 NaN and 0 infinite"),
        ([[1.0, float("inf")], [float("-inf"), 0.0]], "0 NaN and 2 infinite"),
        ([True, False], "real numbers.*bool"),
        (np.array([1, 2], dtype=object), "real numbers.*object"),
        (["a", "b"], "real numbers"),
        ([1 + 2j], "real numbers"),
        (3.0, "1-D .* or 2-D .*shape \\(\\)"),
        (np.zeros((2, 2, 2)), "shape \\(2, 2, 2\\)"),
        ([[1.0, 2.0], [3.0]], "rectangular"),
    ],
)
def test_bad_rewards_are_refused_with_the_reason(rewards, match):
    with pytest.raises(ValueError, match=match):
        returns_to_go(rewards, 0.9)
    with pytest.raises(ValueError, match=match):
        discounted_return(rewards, 0.9)


def test_values_must_be_shaped_like_rewards_and_finite():
    with pytest.raises(ValueError, match="values must have the shape of rewards"):
        gae([1.0, 2.0], [0.0, 0.0, 0.0], 0.9, 0.9)
    with pytest.raises(ValueError, match="values must have the shape of rewards"):
        n_step_returns(np.zeros((2, 3)), np.zeros(3), 0.9, 1)
    with pytest.raises(ValueError, match="values contains 1 NaN"):
        lambda_returns([1.0, 2.0], [0.0, float("nan")], 0.9, 0.9)
    with pytest.raises(ValueError, match="values must hold real numbers"):
        gae([1.0], [True], 0.9, 0.9)


@pytest.mark.parametrize(
    ("rewards", "bootstrap", "match"),
    [
        (np.zeros(3), [1.0, 2.0, 3.0], "must be a number .*got shape \\(3,\\)"),
        (np.zeros((2, 3)), [1.0, 2.0, 3.0], "shape \\(2,\\) .*got shape \\(3,\\)"),
        (np.zeros(3), float("nan"), "bootstrap_value contains 1 NaN"),
        (np.zeros((2, 3)), [0.0, float("inf")], "bootstrap_value contains 0 NaN and 1"),
        (np.zeros(3), True, "bootstrap_value must be a number"),
        (np.zeros(3), "1", "bootstrap_value must be a number"),
        (np.zeros(3), None, "bootstrap_value must be a number"),
    ],
)
def test_bad_bootstrap_value_is_refused(rewards, bootstrap, match):
    with pytest.raises(ValueError, match=match):
        gae(rewards, np.zeros_like(rewards), 0.9, 0.9, bootstrap_value=bootstrap)
    with pytest.raises(ValueError, match=match):
        n_step_returns(rewards, np.zeros_like(rewards), 0.9, 2, bootstrap_value=bootstrap)


def test_overflowing_returns_raise_instead_of_returning_inf():
    with pytest.raises(ValueError, match="overflowed float64"):
        returns_to_go([1e308, 1e308], 1.0)
    with pytest.raises(ValueError, match="overflowed float64"):
        discounted_return([1e308, 1e308], 1.0)
    with pytest.raises(ValueError, match="overflowed float64"):
        gae([1e308], [-1e308], 1.0, 1.0)


def test_large_finite_rewards_that_do_not_overflow_are_fine():
    # The fast finiteness test sums the input, which overflows here; the result does not.
    assert_close(returns_to_go([1e308, 1e308], 0.0), [1e308, 1e308])
