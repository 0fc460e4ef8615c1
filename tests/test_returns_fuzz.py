"""Fuzzing the return calculators: any input gives a finite, correct answer or a ValueError."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlsandbox.returns import (
    discount_weights,
    discounted_return,
    effective_horizon,
    gae,
    lambda_returns,
    n_step_returns,
    returns_to_go,
)
from tests.test_returns import loop_gae, loop_n_step, loop_returns_to_go

# Anything a caller might pass as gamma, lam, n or a bootstrap value, sensible or not.
ODD_SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, 10**6),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
    st.lists(st.floats(0, 1), max_size=2),
    st.complex_numbers(max_magnitude=2),
)
FRACTIONS = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 0.99, 1e-300]), st.floats(0, 1))
# Finite floats of every magnitude (overflow included), plus NaN and infinities.
ELEMENTS = st.floats(allow_nan=True, allow_infinity=True, width=64)
MODERATE = st.floats(-1e6, 1e6)


def arrays(elements=ELEMENTS, max_side=40):
    shapes = st.one_of(
        hnp.array_shapes(min_dims=1, max_dims=1, min_side=0, max_side=max_side),
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=max_side // 4),
    )
    return shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=elements))


def odd_arrays():
    """Arrays of the wrong dtype or dimension, and plain Python objects."""
    return st.one_of(
        hnp.arrays(st.sampled_from([np.bool_, np.int8, np.uint64, np.float16, np.complex128,
                                    np.object_, np.str_]),
                   hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
        st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=1), st.none()),
                 max_size=5),
        st.none(),
    )


def tolerance(*arrays) -> float:
    """An error bound: every result is a weighted sum of these terms with weights <= 2."""
    # Scaled before summing, so that terms near the float64 limit cannot overflow the bound.
    return max(sum(float((1e-9 * np.abs(np.asarray(a, dtype=np.float64))).sum())
                   for a in arrays), 1e-9)


def call(fn, *args, **kwargs):
    """``fn(...)``, or None when it refuses with ValueError (any other exception fails)."""
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


def rows(x):
    return x.reshape(1, -1) if x.ndim == 1 else x


@given(rewards=arrays(), gamma=FRACTIONS)
def test_returns_to_go_is_finite_and_correct_or_refused(rewards, gamma):
    got = call(returns_to_go, rewards, gamma)
    if not np.isfinite(rewards).all():
        assert got is None
        return
    total = call(discounted_return, rewards, gamma)
    if got is None:
        return
    assert got.shape == rewards.shape and np.isfinite(got).all()
    with np.errstate(all="ignore"):
        expected = np.array([loop_returns_to_go(r, gamma) for r in rows(rewards)])
        expected = expected.reshape(rows(rewards).shape)
    if np.isfinite(expected).all():
        np.testing.assert_allclose(rows(got), expected, rtol=0, atol=tolerance(rewards))
        if total is not None and rewards.shape[-1]:
            np.testing.assert_allclose(total, got[..., 0], rtol=0, atol=tolerance(rewards))


@given(rewards=arrays(MODERATE), data=st.data(), gamma=FRACTIONS, n=st.integers(1, 50),
       boot=MODERATE)
def test_n_step_returns_match_the_loop_on_finite_input(rewards, data, gamma, n, boot):
    values = data.draw(hnp.arrays(np.float64, rewards.shape, elements=MODERATE))
    got = n_step_returns(rewards, values, gamma, n, bootstrap_value=boot)
    expected = np.array([loop_n_step(r, v, gamma, n, boot)
                         for r, v in zip(rows(rewards), rows(values), strict=True)])
    np.testing.assert_allclose(rows(got), expected.reshape(rows(got).shape), rtol=0,
                               atol=tolerance(rewards, values, boot))


@given(rewards=arrays(MODERATE), data=st.data(), gamma=FRACTIONS, lam=FRACTIONS,
       boot=MODERATE)
def test_gae_and_lambda_returns_match_the_loop_on_finite_input(rewards, data, gamma, lam, boot):
    values = data.draw(hnp.arrays(np.float64, rewards.shape, elements=MODERATE))
    got = gae(rewards, values, gamma, lam, bootstrap_value=boot)
    expected = np.array([loop_gae(r, v, gamma, lam, boot)
                         for r, v in zip(rows(rewards), rows(values), strict=True)])
    atol = tolerance(rewards, values, values, boot)
    np.testing.assert_allclose(rows(got), expected.reshape(rows(got).shape), rtol=0, atol=atol)
    np.testing.assert_allclose(lambda_returns(rewards, values, gamma, lam, bootstrap_value=boot),
                               got + values, rtol=0, atol=atol)


@given(rewards=arrays(), values=arrays(), gamma=ODD_SCALARS | FRACTIONS,
       lam=ODD_SCALARS | FRACTIONS, n=ODD_SCALARS, boot=ODD_SCALARS | arrays(max_side=8))
@settings(max_examples=300)
def test_any_input_gives_a_finite_answer_or_a_value_error(rewards, values, gamma, lam, n, boot):
    for fn, args in (
        (n_step_returns, (rewards, values, gamma, n)),
        (gae, (rewards, values, gamma, lam)),
        (lambda_returns, (rewards, values, gamma, lam)),
    ):
        got = call(fn, *args, bootstrap_value=boot)
        if got is not None:
            assert got.shape == rewards.shape and np.isfinite(got).all()


@given(rewards=st.one_of(odd_arrays(), arrays()), gamma=ODD_SCALARS | FRACTIONS)
def test_odd_rewards_and_gammas_give_an_answer_or_a_value_error(rewards, gamma):
    for fn in (returns_to_go, discounted_return):
        got = call(fn, rewards, gamma)
        if got is not None:
            assert np.isfinite(got).all()
    for fn, args in ((effective_horizon, (gamma,)), (discount_weights, (gamma, 5))):
        got = call(fn, *args)
        if got is not None:
            assert np.all(np.asarray(got) >= 1.0) if fn is effective_horizon else len(got) == 5


@given(gamma=FRACTIONS, n=st.integers(0, 300))
def test_discount_weights_are_powers_that_sum_below_the_horizon(gamma, n):
    weights = discount_weights(gamma, n)
    assert weights.shape == (n,) and np.all(np.diff(weights) <= 0)
    assert weights.sum() <= effective_horizon(gamma) * (1 + 1e-12)
