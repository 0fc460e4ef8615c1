"""PCA and standardize against scikit-learn, and their input validation.

Variances, ratios, singular values, projections and reconstructions must equal
scikit-learn's default ``PCA`` to 1e-8 (relative for the spectrum). With the same sign
convention (largest-magnitude entry of each component positive) the components are
compared directly, not only up to sign.
"""

import numpy as np
import pytest

sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from rlsandbox.analysis.pca import PCA, standardize  # noqa: E402

SkPCA = sklearn_decomposition.PCA
TOL = 1e-8


def _data():
    rng = np.random.default_rng(2024)
    mixing = rng.normal(size=(20, 20)) * np.linspace(3, 0.1, 20)[:, None]
    return {
        "iris": load_iris().data,
        "tall_10000x20": rng.normal(size=(10_000, 20)) @ mixing + 5.0,
        "wide_20x500": rng.normal(size=(20, 500)) * np.linspace(2, 0.5, 500),
        "square_ish_60x12": rng.normal(size=(60, 12)) @ rng.normal(size=(12, 12)),
    }


DATA = _data()


def assert_same_fit(ours, theirs, k=None):
    """Compare the first k (default: all) fitted quantities."""
    k = ours.n_components_ if k is None else k
    assert ours.n_components_ == theirs.n_components_
    np.testing.assert_allclose(ours.mean_, theirs.mean_, rtol=TOL, atol=1e-12)
    for name in ("explained_variance_", "explained_variance_ratio_", "singular_values_"):
        np.testing.assert_allclose(getattr(ours, name)[:k], getattr(theirs, name)[:k], rtol=TOL)
    np.testing.assert_allclose(ours.components_[:k], theirs.components_[:k], atol=TOL)


def _rank(X):
    """Components beyond the rank of the centred data are arbitrary; compare only these."""
    return min(X.shape[0] - 1, X.shape[1])


# -- equal to scikit-learn -------------------------------------------------------------------


def test_iris_ratios_are_the_tutorials():
    pca = PCA(n_components=2).fit(load_iris().data)
    # The tutorial prints [0.9246, 0.0530] (truncated digits): raw iris, not standardized.
    np.testing.assert_allclose(pca.explained_variance_ratio_, [0.9246, 0.0530], atol=1e-4)


def test_standardized_iris_ratios_match_sklearn_pipeline():
    X = load_iris().data
    reference = make_pipeline(StandardScaler(), SkPCA(n_components=2)).fit(X)
    expected = reference[-1].explained_variance_ratio_
    np.testing.assert_allclose(expected, [0.7296, 0.2285], atol=5e-5)
    np.testing.assert_allclose(PCA(2).fit(standardize(X)).explained_variance_ratio_, expected)
    ours = PCA(2, standardize=True).fit(X)
    np.testing.assert_allclose(ours.explained_variance_ratio_, expected, rtol=TOL)
    np.testing.assert_allclose(ours.components_, reference[-1].components_, atol=TOL)
    np.testing.assert_allclose(ours.transform(X), reference.transform(X), atol=TOL)
    np.testing.assert_allclose(
        ours.inverse_transform(ours.transform(X)),
        reference.inverse_transform(reference.transform(X)),
        atol=TOL,
    )


@pytest.mark.parametrize("name", sorted(DATA))
def test_full_fit_equals_sklearn(name):
    X = DATA[name]
    ours, theirs = PCA().fit(X), SkPCA().fit(X)
    assert ours.n_components_ == min(X.shape)
    assert_same_fit(ours, theirs, k=_rank(X))
    assert ours.noise_variance_ == pytest.approx(theirs.noise_variance_, abs=1e-12)


@pytest.mark.parametrize("name", sorted(DATA))
def test_transform_and_inverse_equal_sklearn(name):
    X = DATA[name]
    k = min(3, X.shape[1])
    ours, theirs = PCA(k).fit(X), SkPCA(k).fit(X)
    assert_same_fit(ours, theirs)
    scale = np.abs(X).max()
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), atol=TOL * scale)
    np.testing.assert_allclose(PCA(k).fit_transform(X), SkPCA(k).fit_transform(X), atol=TOL * scale)
    Z = ours.transform(X)
    np.testing.assert_allclose(
        ours.inverse_transform(Z), theirs.inverse_transform(Z), atol=TOL * scale
    )
    assert ours.noise_variance_ == pytest.approx(theirs.noise_variance_, rel=TOL)


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9, 0.95, 0.99, 0.999])
@pytest.mark.parametrize("name", ["iris", "tall_10000x20", "wide_20x500"])
def test_float_n_components_keeps_as_many_components_as_sklearn(name, fraction):
    X = DATA[name]
    ours, theirs = PCA(fraction).fit(X), SkPCA(fraction).fit(X)
    assert ours.n_components_ == theirs.n_components_
    assert ours.explained_variance_ratio_.sum() > fraction
    assert ours.explained_variance_ratio_[:-1].sum() <= fraction
    assert_same_fit(ours, theirs)


def test_large_offset_keeps_full_accuracy():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(5000, 6)) @ rng.normal(size=(6, 6)) + 1e7
    reference = SkPCA(svd_solver="full").fit(X)  # SVD of the centred data: accurate
    ours = PCA().fit(X)
    np.testing.assert_allclose(ours.explained_variance_, reference.explained_variance_, rtol=1e-6)
    np.testing.assert_allclose(ours.components_, reference.components_, atol=1e-6)


# -- conventions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DATA))
def test_components_are_orthonormal_with_largest_entry_positive(name):
    pca = PCA().fit(DATA[name])
    C = pca.components_[: _rank(DATA[name])]
    np.testing.assert_allclose(C @ C.T, np.eye(len(C)), atol=1e-10)
    largest = C[np.arange(len(C)), np.argmax(np.abs(C), axis=1)]
    assert np.all(largest > 0)
    assert np.all(np.diff(pca.explained_variance_) <= 0)


def test_fit_returns_self_and_leaves_input_unchanged():
    X = DATA["square_ish_60x12"].copy()
    pca = PCA(2)
    assert pca.fit(X) is pca
    PCA(2, standardize=True).fit_transform(X)
    np.testing.assert_array_equal(X, DATA["square_ish_60x12"])
    assert (pca.n_samples_, pca.n_features_in_) == X.shape


def test_inverse_transform_reconstructs_data_with_all_components():
    X = DATA["square_ish_60x12"]
    for pca in (PCA(), PCA(standardize=True)):
        np.testing.assert_allclose(pca.inverse_transform(pca.fit_transform(X)), X, atol=1e-10)


def test_constant_data_give_zero_ratios_not_nan():
    pca = PCA(2).fit(np.ones((30, 3)))
    np.testing.assert_array_equal(pca.explained_variance_ratio_, [0.0, 0.0])
    np.testing.assert_array_equal(pca.transform(np.ones((2, 3))), np.zeros((2, 2)))


def test_standardize_matches_standard_scaler_and_zeroes_constant_columns():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.normal(3, 2, 50), np.full(50, 7.0), rng.integers(0, 5, 50)])
    np.testing.assert_allclose(standardize(X), StandardScaler().fit_transform(X), atol=1e-12)
    np.testing.assert_array_equal(standardize(X)[:, 1], 0.0)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (np.arange(5.0), "2-D.*reshape"),
        (np.zeros((2, 3, 4)), "2-D"),
        (np.array([[1.0, np.nan], [2.0, 3.0]]), "NaN or infinity"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), "NaN or infinity"),
        (np.array([[1e308, 1.0], [1e308, 2.0]]), "too large"),
        (np.array([[1.0, 2.0]]), "at least 2 sample"),
        (np.zeros((5, 0)), "1 feature"),
        ([["a", "b"], ["c", "d"]], "numbers"),
    ],
)
def test_bad_data_raise_value_error(X, match):
    with pytest.raises(ValueError, match=match):
        PCA().fit(X)


@pytest.mark.parametrize("n_components", [0, 5, -1, 1.0, 1.5, 0.0, -0.2, "mle", True])
def test_out_of_range_n_components_raise_value_error(n_components):
    with pytest.raises(ValueError, match="n_components"):
        PCA(n_components).fit(np.random.default_rng(0).normal(size=(10, 4)))


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_using_an_unfitted_pca_raises(method):
    with pytest.raises(ValueError, match="not fitted yet; call fit"):
        getattr(PCA(2), method)(np.zeros((3, 2)))


def test_transform_checks_width_and_finiteness():
    pca = PCA(2).fit(DATA["iris"])
    with pytest.raises(ValueError, match="3 columns but this PCA was fitted with 4"):
        pca.transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        pca.transform(np.full((2, 4), np.nan))
    with pytest.raises(ValueError, match="fitted with 2 components"):
        pca.inverse_transform(np.zeros((2, 3)))


def test_standardize_rejects_non_finite_and_1d_input():
    with pytest.raises(ValueError, match="NaN or infinity"):
        standardize([[1.0], [np.nan]])
    with pytest.raises(ValueError, match="2-D"):
        standardize([1.0, 2.0])
