"""The ROC counting core: windowed block searches and the two-thread split, exactly.

The public tests run on inputs too small for more than one block or a second thread;
here both are forced onto small inputs (and checked against brute-force pair counts),
and a large input runs the real thresholds with and without the second thread.
"""

from fractions import Fraction
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rlsandbox.analysis import _roc_counting
from rlsandbox.analysis.roc import roc_auc_score, roc_curve


def _brute_force_auc(positive: np.ndarray, s: np.ndarray) -> Fraction:
    pos, neg = s[positive], s[~positive]
    twice_u = 2 * int((neg[:, None] < pos[None, :]).sum()) + int((neg[:, None] == pos).sum())
    return Fraction(twice_u, 2 * pos.size * neg.size)


labelled = st.integers(2, 60).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.bool_, n),
        hnp.arrays(np.float64, n, elements=st.one_of(
            st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
            st.sampled_from([-1.0, 0.0, 0.5, 1.0]),  # plenty of ties
        )),
        st.integers(1, 5),  # positives per block
    )
).filter(lambda c: 0 < c[0].sum() < c[0].size)


@settings(max_examples=300, deadline=None)
@given(labelled)
def test_blocked_two_thread_count_equals_brute_force(case):
    positive, s, block = case
    expected = _brute_force_auc(positive, s)
    with mock.patch.multiple(_roc_counting, BLOCK=block, PARALLEL_MIN=1):
        assert _roc_counting.mann_whitney_auc(positive, s, two_threads=True) == float(expected)
        pos, neg = _roc_counting.sorted_by_class(positive, s, two_threads=True)
    np.testing.assert_array_equal(pos, np.sort(s[positive]))
    np.testing.assert_array_equal(neg, np.sort(s[~positive]))


@pytest.mark.parametrize("rounded", [False, True])
def test_large_input_gives_the_same_answer_with_and_without_the_second_thread(rounded):
    sk_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    n = _roc_counting.PARALLEL_MIN + 12_345
    y = rng.integers(0, 2, n)
    s = rng.normal(size=n) + 0.5 * y
    if rounded:
        s = np.round(s, 1)
    threaded = roc_auc_score(y, s, n_jobs=2)
    curve = roc_curve(y, s, n_jobs=-1)
    single = roc_auc_score(y, s)
    single_curve = roc_curve(y, s)
    assert threaded == single
    for ours, theirs in zip(curve, single_curve, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert threaded == pytest.approx(sk_metrics.roc_auc_score(y, s), rel=1e-12, abs=0)


def test_one_thread_unless_the_caller_asks_for_more(monkeypatch):
    made = []
    real = _roc_counting.ThreadPoolExecutor

    def counting(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(_roc_counting, "ThreadPoolExecutor", counting)
    monkeypatch.setattr(_roc_counting, "PARALLEL_MIN", 1)
    y, s = np.arange(100) % 2, np.linspace(0, 1, 100)
    roc_auc_score(y, s)
    roc_curve(y, s)
    assert made == []
    roc_auc_score(y, s, n_jobs=2)
    assert made


@pytest.mark.parametrize("n_jobs", [0, -2, 1.5, True, "2"])
def test_a_bad_n_jobs_is_refused_with_its_value(n_jobs):
    with pytest.raises(ValueError, match="n_jobs"):
        roc_auc_score([0, 1], [0.1, 0.9], n_jobs=n_jobs)
