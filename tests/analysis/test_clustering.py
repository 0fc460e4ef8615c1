"""Hierarchical clustering against SciPy and scikit-learn (the oracles)."""

import numpy as np
import pytest
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist
from sklearn.cluster import AgglomerativeClustering as SkAgglomerative
from sklearn.metrics import adjusted_rand_score

from rlsandbox.analysis import AgglomerativeClustering, dendrogram_coordinates, fcluster, linkage

METHODS = ["single", "complete", "average", "ward"]
TUTORIAL_X = np.array([[1, 2], [2, 3], [5, 8], [6, 9]])


def _data(n, d=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d))


def _assert_same_tree(Z, expected, *, exact):
    """Same merges and sizes; heights bit-identical or to 1e-10 relative."""
    assert Z.shape == expected.shape and Z.dtype == np.float64
    np.testing.assert_array_equal(Z[:, [0, 1, 3]], expected[:, [0, 1, 3]])
    if exact:
        np.testing.assert_array_equal(Z[:, 2], expected[:, 2])
    else:
        np.testing.assert_allclose(Z[:, 2], expected[:, 2], rtol=1e-10, atol=0)


# -- linkage --------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n", [2, 3, 4, 17, 120])
def test_linkage_of_observations_equals_scipy(method, n):
    X = _data(n, seed=n)
    # Ward on observations uses centroids: equal to SciPy up to rounding.
    _assert_same_tree(linkage(X, method), hierarchy.linkage(X, method), exact=method != "ward")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n", [2, 3, 40])
def test_linkage_of_condensed_distances_equals_scipy_bit_for_bit(method, n):
    y = pdist(_data(n, d=5, seed=7))
    _assert_same_tree(linkage(y, method), hierarchy.linkage(y, method), exact=True)


@pytest.mark.parametrize("method", METHODS)
def test_linkage_of_non_euclidean_condensed_distances_equals_scipy(method):
    y = pdist(_data(60, d=4, seed=3), "cityblock")
    _assert_same_tree(linkage(y, method), hierarchy.linkage(y, method), exact=True)


@pytest.mark.parametrize("method", METHODS)
def test_linkage_with_ties_has_scipy_heights_and_sizes(method):
    # duplicated points and a lattice: many exactly equal distances
    X = np.repeat(np.array([[0.0, 0], [0, 1], [1, 0], [1, 1], [3, 3], [0, 2]]), 3, axis=0)
    Z, expected = linkage(X, method), hierarchy.linkage(X, method)
    np.testing.assert_allclose(Z[:, 2], expected[:, 2], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(Z[:, 3], expected[:, 3])


@pytest.mark.parametrize("method", METHODS)
def test_linkage_with_ties_on_condensed_input_is_scipy_exactly(method):
    X = np.repeat(np.array([[0.0, 0], [0, 1], [1, 0], [1, 1], [0, 2]]), 2, axis=0)
    y = pdist(X)
    np.testing.assert_array_equal(linkage(y, method), hierarchy.linkage(y, method))


def test_linkage_ward_on_tight_far_clusters_matches_scipy():
    # far from the origin, tiny spread: the fast norm formula cancels, the check must not
    rng = np.random.default_rng(5)
    X = np.concatenate([c + 1e-3 * rng.normal(size=(30, 3)) for c in ([1e3, 0, 0], [0, 1e3, 5])])
    _assert_same_tree(linkage(X), hierarchy.linkage(X, "ward"), exact=False)


def test_linkage_reproduces_the_tutorial_ward_example():
    Z = linkage(TUTORIAL_X, method="ward")
    np.testing.assert_allclose(Z, [[0, 1, np.sqrt(2), 2], [2, 3, np.sqrt(2), 2],
                                   [4, 5, np.sqrt(104), 4]], rtol=1e-12)


def test_linkage_does_not_modify_its_input():
    y = pdist(_data(20))
    before = y.copy()
    linkage(y, "average")
    np.testing.assert_array_equal(y, before)


@pytest.mark.parametrize("bad, match", [
    (np.array([[0.0, np.nan], [1, 1]]), "finite"),
    (np.array([[0.0, np.inf], [1, 1]]), "finite"),
    (np.array([[1.0, 2.0]]), "at least 2"),
    (np.zeros((3, 0)), "no features"),
    (np.zeros(4), "n\\(n-1\\)/2"),
    (np.zeros(0), "n\\(n-1\\)/2"),
    (np.array([1.0, -1, 2]), "non-negative"),
    (np.array([1.0, np.nan, 2]), "finite"),
    (np.zeros((2, 2, 2)), "dimensions"),
    ([["a", "b"], ["c", "d"]], "numbers"),
    (np.array([[1e200, 0], [-1e200, 0]]), "overflow"),
    (np.array([1e200, 1, 2]), "overflow"),
])
def test_linkage_rejects_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        linkage(bad, "average")


def test_linkage_rejects_unknown_method_and_names_the_valid_ones():
    with pytest.raises(ValueError, match="single, complete, average, ward"):
        linkage(_data(5), "centroid")


# -- fcluster -------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_fcluster_maxclust_numbers_clusters_as_scipy(method):
    Z = hierarchy.linkage(_data(80, seed=11), method)
    for k in [1, 2, 3, 5, 10, 79, 80, 100]:
        np.testing.assert_array_equal(fcluster(Z, k), hierarchy.fcluster(Z, k, "maxclust"))


@pytest.mark.parametrize("method", METHODS)
def test_fcluster_distance_numbers_clusters_as_scipy(method):
    Z = hierarchy.linkage(_data(80, seed=12), method)
    for t in [0.0, *np.quantile(Z[:, 2], [0.1, 0.5, 0.9, 1.0]), 2 * Z[-1, 2]]:
        np.testing.assert_array_equal(fcluster(Z, t, criterion="distance"),
                                      hierarchy.fcluster(Z, t, "distance"))


def test_fcluster_with_tied_heights_equals_scipy():
    Z = hierarchy.linkage(np.repeat(np.arange(6.0), 3)[:, None], "ward")
    for k in range(1, 19):
        np.testing.assert_array_equal(fcluster(Z, k), hierarchy.fcluster(Z, k, "maxclust"))


@pytest.mark.parametrize("t, criterion, match", [
    (0, "maxclust", "integer >= 1"),
    (2.5, "maxclust", "integer >= 1"),
    (-1.0, "distance", ">= 0"),
    (np.nan, "distance", "finite"),
    ("2", "maxclust", "finite number"),
    (2, "inconsistent", "maxclust, distance"),
])
def test_fcluster_rejects_bad_threshold_or_criterion(t, criterion, match):
    with pytest.raises(ValueError, match=match):
        fcluster(linkage(_data(6)), t, criterion=criterion)


@pytest.mark.parametrize("Z, match", [
    (np.zeros((3, 3)), "shape"),
    (np.zeros((0, 4)), "shape"),
    (np.array([[0, 5, 1.0, 2]]), "earlier rows"),
    (np.array([[0, 1, 1.0, 2], [0, 2, 2.0, 3]]), "twice"),
    (np.array([[0, 1, -1.0, 2]]), "non-negative"),
    (np.array([[0, 1, np.nan, 2]]), "finite"),
])
def test_fcluster_rejects_invalid_linkage_matrix(Z, match):
    with pytest.raises(ValueError, match=match):
        fcluster(Z, 1)


# -- AgglomerativeClustering ----------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_agglomerative_n_clusters_partitions_as_sklearn(method, k):
    X = _data(90, seed=21)
    ours = AgglomerativeClustering(n_clusters=k, linkage=method).fit(X)
    theirs = SkAgglomerative(n_clusters=k, linkage=method).fit(X)
    assert adjusted_rand_score(ours.labels_, theirs.labels_) == 1.0
    assert ours.n_clusters_ == k and ours.n_leaves_ == 90
    assert set(ours.labels_.tolist()) == set(range(k))


@pytest.mark.parametrize("method", METHODS)
def test_agglomerative_distance_threshold_partitions_as_sklearn(method):
    X = _data(90, seed=22)
    theirs = SkAgglomerative(n_clusters=None, linkage=method, distance_threshold=1.0).fit(X)
    threshold = float(np.median(theirs.distances_))
    for thr in [threshold, float(theirs.distances_[10])]:  # the second sits on a merge
        sk = SkAgglomerative(n_clusters=None, linkage=method, distance_threshold=thr).fit(X)
        ours = AgglomerativeClustering(None, linkage=method, distance_threshold=thr).fit(X)
        assert ours.n_clusters_ == sk.n_clusters_
        assert adjusted_rand_score(ours.labels_, sk.labels_) == 1.0
        np.testing.assert_allclose(ours.distances_, np.sort(sk.distances_), rtol=1e-10)


def test_agglomerative_labels_tutorial_points_as_the_tutorial():
    model = AgglomerativeClustering(n_clusters=2)
    assert model.fit(TUTORIAL_X) is model
    np.testing.assert_array_equal(model.labels_, [0, 0, 1, 1])
    sk = SkAgglomerative(n_clusters=2).fit(TUTORIAL_X)
    assert adjusted_rand_score(model.labels_, sk.labels_) == 1.0


def test_agglomerative_numbers_clusters_by_first_appearance():
    labels = AgglomerativeClustering(n_clusters=3).fit_predict(_data(50, seed=4))
    _, first = np.unique(labels, return_index=True)
    assert labels[0] == 0 and (np.diff(first) > 0).all()


def test_agglomerative_exposes_the_tree():
    X = _data(30, seed=2)
    model = AgglomerativeClustering(n_clusters=3, linkage="average").fit(X)
    Z = hierarchy.linkage(X, "average")
    np.testing.assert_array_equal(model.children_, Z[:, :2].astype(int))
    np.testing.assert_array_equal(model.distances_, Z[:, 2])


@pytest.mark.parametrize("kwargs, match", [
    ({"n_clusters": None}, "exactly one"),
    ({"n_clusters": 2, "distance_threshold": 1.0}, "exactly one"),
    ({"n_clusters": 0}, "integer >= 1"),
    ({"n_clusters": 2.0}, "integer >= 1"),
    ({"n_clusters": 11}, "more than"),
    ({"n_clusters": None, "distance_threshold": -1.0}, ">= 0"),
    ({"linkage": "median"}, "use one of"),
])
def test_agglomerative_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        AgglomerativeClustering(**kwargs).fit(_data(10))


def test_agglomerative_rejects_one_dimensional_input():
    with pytest.raises(ValueError, match="2-D"):
        AgglomerativeClustering().fit(np.arange(5.0))


# -- dendrogram_coordinates -----------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n", [2, 3, 25])
def test_dendrogram_coordinates_equal_scipy(method, n):
    Z = hierarchy.linkage(_data(n, seed=n + 1), method)
    ours = dendrogram_coordinates(Z)
    theirs = hierarchy.dendrogram(Z, no_plot=True)
    np.testing.assert_array_equal(ours.icoord, np.array(theirs["icoord"], dtype=float))
    np.testing.assert_array_equal(ours.dcoord, np.array(theirs["dcoord"], dtype=float))
    np.testing.assert_array_equal(ours.leaves, theirs["leaves"])
    np.testing.assert_array_equal(ours.leaves, hierarchy.leaves_list(Z))
    assert ours.labels == theirs["ivl"]


def test_dendrogram_coordinates_order_the_given_labels():
    Z = linkage(TUTORIAL_X)
    names = ["A", "B", "C", "D"]
    ours = dendrogram_coordinates(Z, labels=names)
    assert ours.labels == hierarchy.dendrogram(Z, no_plot=True, labels=names)["ivl"]
    assert ours["ivl"] == ours.labels and ours["icoord"] is ours.icoord


def test_dendrogram_coordinates_handle_a_deep_chain_without_recursion():
    Z = hierarchy.linkage(np.cumsum(2.0 ** np.arange(40))[:, None], "single")  # a caterpillar
    ours = dendrogram_coordinates(Z)
    np.testing.assert_array_equal(ours.leaves, hierarchy.leaves_list(Z))


def test_dendrogram_coordinates_reject_labels_of_wrong_length():
    with pytest.raises(ValueError, match="labels has 3 entries"):
        dendrogram_coordinates(linkage(TUTORIAL_X), labels=["a", "b", "c"])
