"""ROC and precision-recall curves for binary scores, matching scikit-learn exactly.

One private core, :func:`_binary_clf_curve`, counts false and true positives at every
distinct threshold; :func:`roc_curve` and :func:`precision_recall_curve` are thin views of
it and :func:`average_precision_score` sums the PR curve. :func:`roc_auc_score` takes a
faster road to the same number: the Mann-Whitney statistic counted in integers.

Labels follow scikit-learn: without ``pos_label``, ``y_true`` must take values in
``{0, 1}`` or ``{-1, 1}`` (booleans included) and 1 is positive; with ``pos_label``, that
label is positive and every other label negative. Where scikit-learn warns and returns
NaN because only one class is present, these functions raise ``ValueError``.
"""

from __future__ import annotations

import numpy as np

from rlsandbox.analysis._roc_counting import check_n_jobs, mann_whitney_auc, sorted_by_class
from rlsandbox.analysis._roc_inputs import check_inputs, positive_mask

__all__ = [
    "auc",
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]


def roc_curve(y_true, y_score, *, pos_label=None, drop_intermediate: bool = True,
              n_jobs: int | None = None):
    """Receiver operating characteristic: false and true positive rates by threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels: ``{0, 1}``, ``{-1, 1}`` or booleans, or any labels with
        ``pos_label``.
    y_score : array-like of shape (n_samples,)
        Finite scores, higher meaning "more likely positive" (probabilities or decision
        values).
    pos_label : int, float, bool or str, optional
        The positive class; all other labels count as negative.
    drop_intermediate : bool, default True
        Drop thresholds whose point lies on a straight segment between its neighbours;
        the plotted curve and its area do not change.
    n_jobs : int, optional
        ``None`` or ``1``: one thread. ``-1`` or ``2``: from 2^20 scores up, sort the two
        classes in two threads (numpy releases the GIL while sorting); the result is the
        same bit for bit.

    Returns
    -------
    fpr, tpr : ndarray of shape (n_thresholds,)
        Increasing rates of false and true positives among samples with
        ``score >= thresholds[i]``.
    thresholds : ndarray of shape (n_thresholds,)
        Decreasing float64 thresholds; the first is ``inf`` (nothing predicted
        positive), so the curve starts at ``(0, 0)``.

    Raises
    ------
    ValueError
        On empty, 2-D or differently long inputs, NaN or infinite scores, labels that
        are not binary (without ``pos_label``), or a single class.

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.analysis import roc_curve
    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    y_true, y_score = check_inputs(y_true, y_score)
    two_threads = check_n_jobs(n_jobs)
    positive = positive_mask(y_true, pos_label, need="both")
    fps, tps, thresholds = _binary_clf_curve(positive, y_score, two_threads)
    if drop_intermediate and fps.size > 2:
        # Keep the ends and every corner: a point whose second difference is zero in
        # both coordinates lies on the segment joining its neighbours.
        corner = (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0)
        keep = np.flatnonzero(np.concatenate(([True], corner, [True])))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps = np.concatenate(([0], fps))
    tps = np.concatenate(([0], tps))
    thresholds = np.concatenate(([np.inf], thresholds.astype(np.float64)))
    return fps / fps[-1], tps / tps[-1], thresholds


def auc(x, y) -> float:
    """Area under a curve by the trapezoidal rule.

    Parameters
    ----------
    x : array-like of shape (n,)
        Monotonic (increasing or decreasing) x coordinates, at least two.
    y : array-like of shape (n,)
        y coordinates.

    Returns
    -------
    float
        The area, positive for either direction of ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not monotonic, the lengths differ, fewer than two points are given,
        or a value is NaN or infinite.

    Examples
    --------
    >>> from rlsandbox.analysis import auc, roc_curve
    >>> fpr, tpr, _ = roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
    >>> auc(fpr, tpr)
    0.75
    """
    x = _as_1d_numbers(x, "x")
    y = _as_1d_numbers(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if x.size < 2:
        raise ValueError(f"at least 2 points are needed to compute an area, got {x.size}")
    dx = np.diff(x)
    direction = 1.0
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(
                f"x is neither increasing nor decreasing; sort the points by x first (x = {x})"
            )
        direction = -1.0
    return float(direction * np.trapezoid(y, x))


def roc_auc_score(y_true, y_score, *, pos_label=None, n_jobs: int | None = None) -> float:
    """Area under the ROC curve: the chance that a random positive outscores a random negative.

    Equal to ``auc(*roc_curve(y_true, y_score)[:2])`` and to scikit-learn's
    ``roc_auc_score`` (to rounding: it sums the trapezoids in floating point, this
    counts pairs exactly, ties counting one half).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels of exactly two classes.
    y_score : array-like of shape (n_samples,)
        Finite scores, higher meaning "more likely positive".
    pos_label : int, float, bool or str, optional
        The positive class. By default the larger of the two labels (scikit-learn's
        rule: 1 for ``{0, 1}`` or ``{-1, 1}``, ``True`` for booleans, the later string).
        When given, all other labels are negative.
    n_jobs : int, optional
        ``None`` or ``1``: one thread. ``-1`` or ``2``: from 2^20 scores up, sort the two
        classes in two threads (numpy releases the GIL while sorting); the result is the
        same bit for bit.

    Returns
    -------
    float
        In ``[0, 1]``; 0.5 means the scores do not separate the classes.

    Raises
    ------
    ValueError
        On a single class, more than two classes without ``pos_label``, NaN or
        infinite scores, or malformed inputs (see :func:`roc_curve`).

    Examples
    --------
    >>> from rlsandbox.analysis import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> roc_auc_score(["cat", "dog", "dog"], [0.2, 0.2, 0.9])  # "dog" is positive
    0.75
    """
    y_true, y_score = check_inputs(y_true, y_score)
    two_threads = check_n_jobs(n_jobs)
    positive = positive_mask(y_true, pos_label, need="both", default="larger")
    return mann_whitney_auc(positive, y_score, two_threads)


def precision_recall_curve(y_true, y_score, *, pos_label=None, drop_intermediate=False,
                           n_jobs: int | None = None):
    """Precision and recall by threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels, as in :func:`roc_curve`. At least one must be positive.
    y_score : array-like of shape (n_samples,)
        Finite scores, higher meaning "more likely positive".
    pos_label : int, float, bool or str, optional
        The positive class; all other labels count as negative.
    drop_intermediate : bool, default False
        Keep only the first and last threshold of each run with the same recall (the
        vertical steps of the plotted curve).
    n_jobs : int, optional
        ``None`` or ``1``: one thread. ``-1`` or ``2``: from 2^20 scores up, sort the two
        classes in two threads (numpy releases the GIL while sorting); the result is the
        same bit for bit.

    Returns
    -------
    precision : ndarray of shape (n_thresholds + 1,)
        ``tp / (tp + fp)`` among samples with ``score >= thresholds[i]``; the last
        element is 1 (no sample predicted positive).
    recall : ndarray of shape (n_thresholds + 1,)
        Decreasing ``tp / n_positive``; the last element is 0.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores, in the dtype of ``y_score``.

    Raises
    ------
    ValueError
        If no sample is positive, or on malformed inputs (see :func:`roc_curve`).

    Examples
    --------
    >>> from rlsandbox.analysis import precision_recall_curve
    >>> precision, recall, thresholds = precision_recall_curve(
    ...     [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    y_true, y_score = check_inputs(y_true, y_score)
    return _pr_curve(y_true, y_score, pos_label, drop_intermediate,
                     two_threads=check_n_jobs(n_jobs))


def average_precision_score(y_true, y_score, *, pos_label=1) -> float:
    """Average precision: the precisions at each threshold weighted by the gain in recall.

    ``AP = sum_n (R_n - R_(n-1)) P_n`` over the thresholds of
    :func:`precision_recall_curve` -- a step-wise area, not the trapezoidal one.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels; at least one must equal ``pos_label``.
    y_score : array-like of shape (n_samples,)
        Finite scores, higher meaning "more likely positive".
    pos_label : int, float, bool or str, default 1
        The positive class (scikit-learn's default); pass it for other label sets.

    Returns
    -------
    float
        In ``[0, 1]``.

    Raises
    ------
    ValueError
        If ``pos_label`` is not among the labels, ``y_true`` has more than two labels,
        or on malformed inputs.

    Examples
    --------
    >>> from rlsandbox.analysis import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y_true, y_score = check_inputs(y_true, y_score)
    # Like scikit-learn, no one-vs-rest here: more than two labels raise.
    precision, recall, _ = _pr_curve(y_true, y_score, pos_label, False, rest=False)
    # recall decreases to 0 and the last precision is 1 (see precision_recall_curve).
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


# -- the shared core -------------------------------------------------------------------------


def _binary_clf_curve(positive: np.ndarray, y_score: np.ndarray, two_threads: bool = False):
    """False and true positive counts at each distinct threshold, thresholds decreasing.

    ``fps[i]`` and ``tps[i]`` count negatives and positives with
    ``score >= thresholds[i]`` (int64); ``thresholds`` keeps ``y_score``'s dtype.

    Instead of scikit-learn's stable argsort and two random gathers, the classes are
    sorted apart (fast value sorts) and merged: the i-th smallest positive has
    ``searchsorted(neg, pos[i])`` negatives below it, which fixes its place in the merged
    order. About 2x faster on 10^7 float scores; the counts are identical.
    """
    pos, neg = sorted_by_class(positive, y_score, two_threads)
    n, n_pos = positive.size, pos.size
    at = np.searchsorted(neg, pos, side="left")
    at += np.arange(n_pos)  # merged index of each positive (ahead of equal negatives)
    is_pos = np.zeros(n, dtype=bool)
    is_pos[at] = True
    merged = np.empty(n, dtype=y_score.dtype)
    merged[at] = pos
    merged[~is_pos] = neg
    # First index of each run of equal scores; scores >= merged[first] number n - first.
    first = np.flatnonzero(merged[1:] != merged[:-1])
    first = np.concatenate(([0], first + 1))
    pos_below = np.cumsum(is_pos, dtype=np.int64)[first] - is_pos[first]
    tps = n_pos - pos_below
    fps = (n - first) - tps
    return fps[::-1], tps[::-1], merged[first][::-1]


def _pr_curve(y_true, y_score, pos_label, drop_intermediate, rest=True, two_threads=False):
    positive = positive_mask(y_true, pos_label, need="positives", rest=rest)
    fps, tps, thresholds = _binary_clf_curve(positive, y_score, two_threads)
    if drop_intermediate and fps.size > 2:
        # Keep a point unless recall (tps) is unchanged on both sides.
        step = np.diff(tps[:-1]) != 0
        step |= np.diff(tps[1:]) != 0
        keep = np.flatnonzero(np.concatenate(([True], step, [True])))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision = tps / (tps + fps)  # tps + fps >= 1: every threshold is some sample's score
    recall = tps / tps[-1]
    return (
        np.concatenate((precision[::-1], [1.0])),
        np.concatenate((recall[::-1], [0.0])),
        thresholds[::-1],
    )


def _as_1d_numbers(a, name: str) -> np.ndarray:
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {type(a).__name__}; "
                         "pass a list or 1-D numpy array") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per sample), got shape {arr.shape}; "
                         "flatten it or pass one column")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; drop or replace those samples "
                         "first (e.g. keep np.isfinite(score))")
    return arr
