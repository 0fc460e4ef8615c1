"""Fuzzing the MDP boundary: any input either builds a valid TabularMDP or raises ValueError."""

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlsandbox.mdp import TabularMDP, policy_evaluation, q_values, value_iteration

small = st.integers(0, 3)
shapes = st.one_of(
    st.tuples(small, small, small),  # mostly 3-D, sometimes empty
    hnp.array_shapes(min_dims=0, max_dims=4, max_side=3),
)
dtypes = st.sampled_from([np.int64, np.int8, np.uint8, np.float64, np.float32, np.bool_,
                          np.complex128, np.str_])
gammas = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 2), st.booleans(),
    st.none(), st.just("0.9"), st.sampled_from([0.5, 0.99, 1.0]),
)


def any_array(shape):
    """An array of a random dtype with awkward values (NaN, inf, negatives, big ints)."""
    return dtypes.flatmap(lambda dtype: hnp.arrays(dtype, shape))


@st.composite
def mdp_arrays(draw):
    """Four arrays that are usually close to valid, each possibly broken in one way."""
    shape = draw(shapes)
    if len(shape) == 3 and draw(st.integers(0, 3)) > 0:
        n = max(shape[0], 1)
        shape = (n, max(shape[1], 1), max(shape[2], 1))

        def broken():  # each array is broken in a quarter of the examples
            return draw(st.integers(0, 3)) == 0

        high = n if broken() else n - 1
        next_states = draw(hnp.arrays(np.int64, shape, elements=st.integers(-broken(), high)))
        raw = draw(hnp.arrays(np.float64, shape, elements=st.floats(-0.5 * broken(), 1.0)))
        raw[..., 0] += 0.01
        probs = raw if broken() else raw / raw.sum(axis=2, keepdims=True)
        finite = st.floats(-1e6, 1e6) if not broken() else st.floats()
        rewards = draw(hnp.arrays(np.float64, shape, elements=finite))
        bad = broken()
        terminated = draw(hnp.arrays(np.int64 if bad else np.bool_, shape,
                                     elements=st.integers(0, 1 + bad)))
        return next_states, probs, rewards, terminated
    return tuple(draw(any_array(draw(st.one_of(st.just(shape), shapes)))) for _ in range(4))


def check_valid(mdp):
    s, a, k = mdp.probs.shape
    assert mdp.next_states.shape == mdp.rewards.shape == mdp.terminated.shape == (s, a, k)
    assert ((mdp.next_states >= 0) & (mdp.next_states < s)).all()
    assert (mdp.probs >= 0).all() and np.allclose(mdp.probs.sum(axis=2), 1, atol=1e-9)
    assert np.isfinite(mdp.rewards).all() and 0 < mdp.gamma <= 1


@given(mdp_arrays(), gammas)
def test_mdp_arrays_build_or_raise_value_error(arrays, gamma):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no numpy warning may leak either
            mdp = TabularMDP(*arrays, gamma)
    except ValueError:
        return
    check_valid(mdp)


@given(mdp_arrays(), st.sampled_from([0.5, 0.9, 1.0]), st.data())
def test_valid_mdps_plan_without_surprises(arrays, gamma, data):
    try:
        mdp = TabularMDP(*arrays, gamma)
    except ValueError:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # gamma=1 may legitimately not converge
        result = value_iteration(mdp, tol=1e-6, max_iters=200)
    assert result.values.shape == (mdp.n_states,)
    assert result.q_values.shape == (mdp.n_states, mdp.n_actions)
    assert ((result.policy >= 0) & (result.policy < mdp.n_actions)).all()
    if result.converged:
        residual = np.abs(q_values(mdp, result.values).max(axis=1) - result.values).max()
        assert residual < 1e-6 * 1.01 + 1e-9 * np.abs(result.values).max()
    policy = data.draw(hnp.arrays(np.int64, mdp.n_states, elements=st.integers(-1, 3)))
    try:
        values = policy_evaluation(mdp, policy)
    except ValueError:
        return  # out-of-range actions, or gamma=1 with a policy that never ends
    assert values.shape == (mdp.n_states,) and np.isfinite(values).all()


@given(
    any_array(hnp.array_shapes(min_dims=0, max_dims=4, max_side=3)),
    any_array(hnp.array_shapes(min_dims=0, max_dims=3, max_side=3)),
    gammas,
)
def test_dense_matrices_build_or_raise_value_error(P, R, gamma):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mdp = TabularMDP.from_dense(P, R, gamma)
    except ValueError:
        return
    check_valid(mdp)
    P2, _ = mdp.to_dense()
    np.testing.assert_allclose(P2, np.asarray(P, dtype=float))


@given(st.data())
def test_policies_are_validated(data):
    mdp = TabularMDP(np.zeros((2, 2, 1), int), np.ones((2, 2, 1)), np.zeros((2, 2, 1)),
                     np.ones((2, 2, 1), bool), 0.9)
    policy = data.draw(any_array(data.draw(shapes)))
    try:
        values = policy_evaluation(mdp, policy)
    except ValueError:
        return
    np.testing.assert_array_equal(values, [0.0, 0.0])
