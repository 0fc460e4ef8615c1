"""ROC / PR / AUC / AP against scikit-learn, property tests, and input validation.

Curves (``fpr``, ``tpr``, ``thresholds``, ``precision``, ``recall``) and the average
precision must equal scikit-learn *exactly* (``assert_array_equal`` / ``==``).
``roc_auc_score`` counts pairs in integers while scikit-learn sums trapezoids in floating
point, so it is compared with ``rtol=1e-12`` (the two agree to a few ulps).
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

sk_metrics = pytest.importorskip("sklearn.metrics")

from rlsandbox.analysis.roc import (  # noqa: E402
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

AUC_RTOL = 1e-12


def _cases():
    rng = np.random.default_rng(12345)
    n = 1000
    y01 = rng.integers(0, 2, n)
    cont = rng.normal(size=n) + y01
    return {
        "continuous": (y01, cont),
        "rounded_2_decimals": (y01, np.round(rng.random(n), 2)),
        "few_integer_scores": (y01, rng.integers(0, 5, n)),
        "boolean_labels": (y01.astype(bool), cont),
        "minus_one_one_labels": (2 * y01 - 1, cont),
        "float_labels": (y01.astype(float), cont),
        "imbalanced": ((rng.random(n) < 0.03).astype(int), rng.random(n)),
        "float32_scores": (y01, cont.astype(np.float32)),
        "boolean_scores": (y01, rng.random(n) < 0.4 + 0.2 * y01),
        "all_scores_tied": (y01, np.full(n, 0.5)),
        "perfect_separation": (y01, y01 + rng.random(n) * 0.5),
        "two_samples": (np.array([0, 1]), np.array([0.3, 0.3])),
        "list_input": ([0, 1, 1, 0, 1], [0.1, 0.9, 0.4, 0.4, 0.8]),
    }


CASES = _cases()


def assert_same_arrays(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype


# -- equal to scikit-learn -------------------------------------------------------------------


@pytest.mark.parametrize("drop_intermediate", [True, False])
@pytest.mark.parametrize("case", sorted(CASES))
def test_roc_curve_equals_sklearn_exactly(case, drop_intermediate):
    y, s = CASES[case]
    assert_same_arrays(
        roc_curve(y, s, drop_intermediate=drop_intermediate),
        sk_metrics.roc_curve(y, s, drop_intermediate=drop_intermediate),
    )


@pytest.mark.parametrize("drop_intermediate", [True, False])
@pytest.mark.parametrize("case", sorted(CASES))
def test_precision_recall_curve_equals_sklearn_exactly(case, drop_intermediate):
    y, s = CASES[case]
    assert_same_arrays(
        precision_recall_curve(y, s, drop_intermediate=drop_intermediate),
        sk_metrics.precision_recall_curve(y, s, drop_intermediate=drop_intermediate),
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_average_precision_equals_sklearn_exactly(case):
    y, s = CASES[case]
    assert average_precision_score(y, s) == sk_metrics.average_precision_score(y, s)


@pytest.mark.parametrize("case", sorted(CASES))
def test_roc_auc_score_equals_sklearn_and_area_under_our_curve(case):
    y, s = CASES[case]
    ours = roc_auc_score(y, s)
    assert isinstance(ours, float)
    assert ours == pytest.approx(sk_metrics.roc_auc_score(y, s), rel=AUC_RTOL, abs=0)
    fpr, tpr, _ = roc_curve(y, s)
    assert ours == pytest.approx(auc(fpr, tpr), rel=AUC_RTOL, abs=0)


def test_first_roc_threshold_is_inf_and_curve_starts_at_origin():
    fpr, tpr, thresholds = roc_curve([0, 1, 0, 1], [0.2, 0.7, 0.4, 0.9])
    assert thresholds[0] == np.inf
    assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)


def test_roc_auc_score_counts_ties_as_one_half_on_large_rounded_scores():
    rng = np.random.default_rng(7)
    n = 200_000
    y = rng.integers(0, 2, n)
    s = np.round(rng.random(n) * 0.8 + 0.2 * y, 2)
    expected = sk_metrics.roc_auc_score(y, s)
    assert roc_auc_score(y, s) == pytest.approx(expected, rel=AUC_RTOL, abs=0)
    assert roc_auc_score(y, s.astype(np.float32)) == pytest.approx(expected, rel=AUC_RTOL)


def test_auc_equals_sklearn_for_both_directions():
    x = np.array([0.0, 0.1, 0.5, 0.5, 1.0])
    y = np.array([0.0, 0.4, 0.6, 0.8, 1.0])
    assert auc(x, y) == sk_metrics.auc(x, y)
    assert auc(x[::-1], y[::-1]) == sk_metrics.auc(x[::-1], y[::-1])


# -- positive labels -------------------------------------------------------------------------


def test_string_labels_with_pos_label_equal_sklearn():
    y = np.array(["ham", "spam", "spam", "ham", "spam", "ham"])
    s = np.array([0.1, 0.8, 0.3, 0.3, 0.9, 0.6])
    for pos in ("spam", "ham"):
        assert_same_arrays(
            roc_curve(y, s, pos_label=pos), sk_metrics.roc_curve(y, s, pos_label=pos)
        )
        assert_same_arrays(
            precision_recall_curve(y, s, pos_label=pos),
            sk_metrics.precision_recall_curve(y, s, pos_label=pos),
        )
        assert average_precision_score(y, s, pos_label=pos) == (
            sk_metrics.average_precision_score(y, s, pos_label=pos)
        )


def test_roc_auc_score_without_pos_label_takes_the_larger_label_like_sklearn():
    y = np.array(["ham", "spam", "spam", "ham", "spam", "ham"])
    s = np.array([0.1, 0.8, 0.3, 0.3, 0.9, 0.6])
    assert roc_auc_score(y, s) == pytest.approx(sk_metrics.roc_auc_score(y, s), rel=AUC_RTOL)
    assert roc_auc_score(y, s, pos_label="ham") == pytest.approx(1 - roc_auc_score(y, s))


def test_pos_label_zero_swaps_the_classes():
    y, s = CASES["continuous"]
    assert_same_arrays(roc_curve(y, s, pos_label=0), sk_metrics.roc_curve(y, s, pos_label=0))
    assert roc_auc_score(y, s, pos_label=0) == pytest.approx(1 - roc_auc_score(y, s))


def test_pos_label_scores_one_class_against_the_rest_of_three():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 300)
    s = rng.random(300) + 0.3 * (y == 2)
    assert_same_arrays(roc_curve(y, s, pos_label=2), sk_metrics.roc_curve(y, s, pos_label=2))
    fpr, tpr, _ = roc_curve(y, s, pos_label=2)
    assert roc_auc_score(y, s, pos_label=2) == pytest.approx(auc(fpr, tpr), rel=AUC_RTOL)


def test_average_precision_defaults_to_pos_label_one_like_sklearn():
    y = np.array([1, 2, 2, 1, 2])
    s = np.array([0.9, 0.1, 0.4, 0.3, 0.2])
    assert average_precision_score(y, s) == sk_metrics.average_precision_score(y, s)


def test_precision_recall_curve_accepts_only_positives():
    y, s = np.ones(4, dtype=int), np.array([0.2, 0.4, 0.4, 0.9])
    assert_same_arrays(precision_recall_curve(y, s), sk_metrics.precision_recall_curve(y, s))


# -- properties ------------------------------------------------------------------------------

labelled_scores = (
    st.integers(2, 60)
    .flatmap(
        lambda n: st.tuples(
            hnp.arrays(np.int64, n, elements=st.integers(0, 1)),
            hnp.arrays(
                np.float64,
                n,
                elements=st.one_of(
                    st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
                    st.sampled_from([0.0, 0.5, 1.0]),  # plenty of ties
                ),
            ),
        )
    )
    .filter(lambda ys: 0 < ys[0].sum() < ys[0].size)
)

PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(labelled_scores)
def test_auc_lies_in_unit_interval_and_equals_sklearn(ys):
    y, s = ys
    value = roc_auc_score(y, s)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(sk_metrics.roc_auc_score(y, s), rel=AUC_RTOL, abs=1e-15)


@PROPERTY
@given(labelled_scores)
def test_negating_scores_gives_one_minus_auc(ys):
    y, s = ys
    assert roc_auc_score(y, -s) == pytest.approx(1.0 - roc_auc_score(y, s), abs=1e-12)


@PROPERTY
@given(labelled_scores)
def test_auc_is_invariant_to_strictly_increasing_transforms(ys):
    y, s = ys
    base = roc_auc_score(y, s)
    rank = np.unique(s, return_inverse=True)[1]  # dense rank: exact and strictly increasing
    assert roc_auc_score(y, rank) == base
    assert roc_auc_score(y, rank.astype(np.float64) ** 3 - 7.0) == base
    assert roc_auc_score(y, s * 0.25) == base  # a power of two scales exactly


@PROPERTY
@given(labelled_scores, st.booleans())
def test_curves_equal_sklearn_on_arbitrary_inputs(ys, drop_intermediate):
    y, s = ys
    assert_same_arrays(
        roc_curve(y, s, drop_intermediate=drop_intermediate),
        sk_metrics.roc_curve(y, s, drop_intermediate=drop_intermediate),
    )
    assert_same_arrays(
        precision_recall_curve(y, s, drop_intermediate=drop_intermediate),
        sk_metrics.precision_recall_curve(y, s, drop_intermediate=drop_intermediate),
    )
    assert average_precision_score(y, s) == sk_metrics.average_precision_score(y, s)


# -- bad input -------------------------------------------------------------------------------

CURVE_FUNCTIONS = [roc_curve, roc_auc_score, precision_recall_curve, average_precision_score]


@pytest.mark.parametrize("func", CURVE_FUNCTIONS)
@pytest.mark.parametrize(
    ("y", "s", "match"),
    [
        ([0, 1, 0], [0.1, np.nan, 0.3], "NaN"),
        ([0, 1, 0], [0.1, np.inf, 0.3], "infinite"),
        ([0, 1, 0], [0.1, 0.2], "different lengths"),
        ([], [], "empty"),
        ([[0, 1], [1, 0]], [[0.1, 0.2], [0.3, 0.4]], "1-D"),
        ([0, 1, 1], [[0.1], [0.2], [0.3]], "1-D"),
        ([0, 1, 2], [0.1, 0.2, 0.3], "3 classes"),
        ([0.0, 0.5, 1.0, 1.0], [0.1, 0.2, 0.3, 0.4], "non-integer"),
        ([0.0, np.nan, 1.0], [0.1, 0.2, 0.3], "NaN"),
        ([0, 1, 1], ["a", "b", "c"], "numbers"),
        (np.array([1, "a"], dtype=object), [0.1, 0.2], "mixes"),
        ([0, 0, 0], [0.1, 0.2, 0.3], "positive"),
    ],
)
def test_bad_input_raises_value_error(func, y, s, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's own ragged/NaN warnings are not the point
        with pytest.raises(ValueError, match=match):
            func(y, s)


@pytest.mark.parametrize("func", [roc_curve, roc_auc_score])
def test_only_positive_labels_raise_for_roc(func):
    with pytest.raises(ValueError, match="only one class"):
        func([1, 1, 1], [0.1, 0.2, 0.3])


@pytest.mark.parametrize("func", [roc_curve, precision_recall_curve])
def test_string_labels_without_pos_label_raise_with_a_hint(func):
    with pytest.raises(ValueError, match="pass pos_label="):
        func(["no", "yes", "yes"], [0.1, 0.2, 0.3])


def test_average_precision_with_string_labels_needs_pos_label():
    with pytest.raises(ValueError, match="pos_label=1"):
        average_precision_score(["no", "yes"], [0.1, 0.2])


@pytest.mark.parametrize("func", CURVE_FUNCTIONS)
def test_pos_label_absent_from_y_true_raises(func):
    with pytest.raises(ValueError, match="no label equals pos_label=3"):
        func([0, 1, 0], [0.1, 0.2, 0.3], pos_label=3)


def test_labels_outside_zero_one_need_pos_label():
    with pytest.raises(ValueError, match=r"\{1, 2\}"):
        roc_curve([1, 2, 2], [0.1, 0.2, 0.3])


@pytest.mark.parametrize(
    ("x", "y", "match"),
    [
        ([0.0, 0.5, 0.2], [0.0, 1.0, 1.0], "neither increasing nor decreasing"),
        ([0.0], [1.0], "at least 2 points"),
        ([0.0, 1.0], [0.0, 1.0, 1.0], "same length"),
        ([0.0, np.nan], [0.0, 1.0], "NaN"),
        ([[0.0, 1.0]], [[0.0, 1.0]], "1-D"),
    ],
)
def test_auc_rejects_bad_curves(x, y, match):
    with pytest.raises(ValueError, match=match):
        auc(x, y)
