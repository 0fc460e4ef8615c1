"""Property tests: any input gives SciPy's answer or a ValueError, never another exception."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist

from rlsandbox.analysis import AgglomerativeClustering, dendrogram_coordinates, fcluster, linkage

# SciPy warns when a square observation matrix looks like a distance matrix; ours does not.
pytestmark = pytest.mark.filterwarnings("ignore::scipy.cluster.hierarchy.ClusterWarning")

METHODS = ["single", "complete", "average", "ward"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

any_floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
tame_floats = st.floats(-1e6, 1e6, allow_nan=False, width=64)
lattice = st.integers(-2, 2).map(float)  # few values: duplicated points, many ties


def observations(elements, max_n=12):
    shape = st.tuples(st.integers(0, max_n), st.integers(0, 3))
    return shape.flatmap(lambda s: arrays(np.float64, s, elements=elements))


def _no_warnings(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def _same_heights(Z, expected):
    scale = max(1.0, float(np.abs(expected[:, 2]).max()))
    np.testing.assert_allclose(Z[:, 2], expected[:, 2], rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_array_equal(Z[:, 3], expected[:, 3])


@SETTINGS
@given(X=observations(any_floats), method=st.sampled_from(METHODS))
def test_linkage_of_arbitrary_floats_is_a_tree_or_a_value_error(X, method):
    try:
        Z = _no_warnings(linkage, X, method)
    except ValueError:
        return
    n = len(X)
    assert Z.shape == (n - 1, 4) and np.isfinite(Z).all()
    assert Z[-1, 3] == n and (np.diff(Z[:, 2]) >= 0).all()


@SETTINGS
@given(X=observations(tame_floats), method=st.sampled_from(METHODS))
def test_linkage_of_finite_observations_equals_scipy(X, method):
    if len(X) < 2 or X.shape[1] == 0:
        with pytest.raises(ValueError):
            linkage(X, method)
        return
    Z, expected = _no_warnings(linkage, X, method), hierarchy.linkage(X, method)
    if method == "ward":  # centroids: SciPy's tree up to rounding
        _same_heights(Z, expected)
    else:
        np.testing.assert_array_equal(Z, expected)


@SETTINGS
@given(X=observations(lattice), method=st.sampled_from(METHODS))
def test_linkage_of_degenerate_observations_equals_scipy(X, method):
    # constant columns, duplicated points, exact ties everywhere
    if len(X) < 2 or X.shape[1] == 0:
        with pytest.raises(ValueError):
            linkage(X, method)
        return
    Z, expected = _no_warnings(linkage, X, method), hierarchy.linkage(X, method)
    _same_heights(Z, expected)
    y = pdist(X)  # on condensed input every method is SciPy's arithmetic: bit-identical
    np.testing.assert_array_equal(_no_warnings(linkage, y, method), hierarchy.linkage(y, method))


@SETTINGS
@given(y=arrays(np.float64, st.integers(0, 30), elements=any_floats),
       method=st.sampled_from(METHODS))
def test_linkage_of_arbitrary_condensed_vectors_equals_scipy_or_raises(y, method):
    try:
        Z = _no_warnings(linkage, y, method)
    except ValueError:
        return
    np.testing.assert_array_equal(Z, hierarchy.linkage(y, method))


@SETTINGS
@given(X=observations(lattice | tame_floats, max_n=15), method=st.sampled_from(METHODS),
       k=st.integers(-1, 17), q=st.floats(-0.5, 1.5))
def test_fcluster_equals_scipy_or_raises(X, method, k, q):
    if len(X) < 2 or X.shape[1] == 0:
        return
    Z = hierarchy.linkage(X, method)
    if k >= 1:
        np.testing.assert_array_equal(fcluster(Z, k), hierarchy.fcluster(Z, k, "maxclust"))
    else:
        with pytest.raises(ValueError):
            fcluster(Z, k)
    t = float(q * Z[-1, 2])
    if t >= 0:
        np.testing.assert_array_equal(fcluster(Z, t, "distance"),
                                      hierarchy.fcluster(Z, t, "distance"))
    else:
        with pytest.raises(ValueError):
            fcluster(Z, t, "distance")


@SETTINGS
@given(Z=arrays(np.float64, st.tuples(st.integers(0, 5), st.integers(0, 5)),
                elements=any_floats | st.integers(-1, 9).map(float)),
       t=st.integers(-1, 6))
def test_fcluster_and_dendrogram_of_arbitrary_matrices_never_crash(Z, t):
    for call in (lambda: fcluster(Z, t), lambda: fcluster(Z, t, "distance"),
                 lambda: dendrogram_coordinates(Z)):
        try:
            _no_warnings(call)
        except ValueError:
            pass


@SETTINGS
@given(X=observations(lattice | tame_floats, max_n=15))
def test_dendrogram_coordinates_equal_scipy(X):
    if len(X) < 2 or X.shape[1] == 0:
        return
    Z = hierarchy.linkage(X, "average")
    ours, theirs = dendrogram_coordinates(Z), hierarchy.dendrogram(Z, no_plot=True)
    np.testing.assert_array_equal(ours.icoord, np.reshape(theirs["icoord"], (-1, 4)))
    np.testing.assert_array_equal(ours.dcoord, np.reshape(theirs["dcoord"], (-1, 4)))
    assert ours.leaves.tolist() == theirs["leaves"]


@SETTINGS
@given(X=observations(any_floats | lattice), k=st.integers(-1, 14),
       method=st.sampled_from(METHODS))
def test_agglomerative_labels_every_point_or_raises(X, k, method):
    try:
        labels = _no_warnings(AgglomerativeClustering(k, linkage=method).fit_predict, X)
    except ValueError:
        return
    assert labels.shape == (len(X),) and set(labels.tolist()) == set(range(k))
