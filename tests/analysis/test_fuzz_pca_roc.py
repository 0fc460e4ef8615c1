"""Fuzzing PCA and ROC/PR: any input gives finite, correct answers or a ValueError.

Random, degenerate (constant columns, a single row, duplicated points, tied scores) and
non-finite inputs; scikit-learn is the oracle wherever the answer is defined.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import decomposition, metrics

from rlsandbox.analysis import (
    PCA,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

# Floats as users hand them over: ordinary, huge, tiny, repeated, and NaN / inf.
FLOATS = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False),
    st.sampled_from([0.0, 1.0, -1.0, 1e-300, 1e300, np.nan, np.inf, -np.inf]),
)


def _matrices():
    shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=7)
    return hnp.arrays(np.float64, shapes, elements=FLOATS)


@settings(max_examples=500)
@given(X=_matrices(), n_components=st.sampled_from([None, 1, 2, 0.5, 0.99, 0, -1, 1.5]))
def test_pca_gives_finite_answers_that_match_sklearn_or_raises_value_error(X, n_components):
    try:
        pca = PCA(n_components=n_components).fit(X)
    except ValueError:
        return
    assert X.ndim == 2 and np.isfinite(X).all() and X.shape[0] >= 2
    for attr in ("components_", "explained_variance_", "explained_variance_ratio_",
                 "singular_values_", "mean_"):
        assert np.isfinite(getattr(pca, attr)).all(), attr
    assert np.isfinite(pca.transform(X)).all()
    if np.abs(X).max() > 1e100:  # sklearn's squares overflow; ours must stay finite
        return
    if isinstance(n_components, float) and pca.explained_variance_.sum() == 0:
        # Constant data (or spreads whose squares underflow): every ratio is 0/0. We keep
        # all components (none explains more than the fraction asked for); sklearn's NaN
        # ratios keep one. Both are zeros.
        assert (pca.explained_variance_ == 0).all()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = decomposition.PCA(n_components=n_components, svd_solver="full").fit(X)
    scale = max(1.0, np.abs(X).max()) ** 2
    np.testing.assert_allclose(pca.explained_variance_, ref.explained_variance_,
                               atol=1e-9 * scale)


def _labels_and_scores():
    n = st.integers(0, 30)
    return n.flatmap(lambda k: st.tuples(
        hnp.arrays(np.int64, k, elements=st.integers(0, 1)),
        hnp.arrays(np.float64, k, elements=FLOATS),
    ))


@settings(max_examples=400)
@given(data=_labels_and_scores())
def test_roc_and_pr_match_sklearn_or_raise_value_error(data):
    y, score = data
    try:
        fpr, tpr, thresholds = roc_curve(y, score)
    except ValueError:
        assert len(y) == 0 or y.min() == y.max() or not np.isfinite(score).all()
        return
    ref_fpr, ref_tpr, ref_thr = metrics.roc_curve(y, score)
    np.testing.assert_array_equal(fpr, ref_fpr)
    np.testing.assert_array_equal(tpr, ref_tpr)
    np.testing.assert_array_equal(thresholds, ref_thr)
    assert roc_auc_score(y, score) == pytest.approx(metrics.roc_auc_score(y, score), abs=1e-12)
    assert 0.0 <= roc_auc_score(y, score) <= 1.0
    precision, recall, _ = precision_recall_curve(y, score)
    ref_p, ref_r, _ = metrics.precision_recall_curve(y, score)
    np.testing.assert_allclose(precision, ref_p)
    np.testing.assert_allclose(recall, ref_r)
    assert average_precision_score(y, score) == pytest.approx(
        metrics.average_precision_score(y, score), abs=1e-12)


@settings(max_examples=200)
@given(y=hnp.arrays(np.float64, st.integers(0, 12), elements=FLOATS),
       score=hnp.arrays(np.float64, st.integers(0, 12), elements=FLOATS))
def test_roc_on_arbitrary_label_arrays_never_raises_anything_but_value_error(y, score):
    for fn in (roc_curve, roc_auc_score, precision_recall_curve, average_precision_score):
        try:
            fn(y, score)
        except ValueError:
            pass
