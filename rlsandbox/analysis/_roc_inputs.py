"""Validation of ``(y_true, y_score)`` for the ROC / PR metrics in :mod:`.roc`.

Checked once at the boundary: 1-D, equal length, non-empty, finite numeric scores, and
class labels with scikit-learn's rules for the positive class (see
:func:`positive_mask`). Two classes are found with a min, a max and two comparisons
instead of a sort (``np.unique`` of 10^7 labels costs more than the whole AUC).
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_inputs", "positive_mask"]


def check_inputs(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    """``y_true`` and ``y_score`` as 1-D arrays of equal, non-zero length; finite scores."""
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score)
    for name, arr in (("y_true", y_true), ("y_score", y_score)):
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D, one entry per sample; got shape {arr.shape} "
                "(use .ravel() on a single column, score several columns one at a time)"
            )
    if y_true.size != y_score.size:
        raise ValueError(
            f"y_true and y_score have different lengths ({y_true.size} and "
            f"{y_score.size}); pass one score per label"
        )
    if y_true.size == 0:
        raise ValueError("y_true and y_score are empty; need samples of both classes")
    if y_score.dtype.kind not in "biuf":
        raise ValueError(
            f"y_score must hold numbers (scores or probabilities, not labels), "
            f"got dtype {y_score.dtype}"
        )
    if y_score.dtype.kind == "f" and not np.isfinite(y_score).all():
        n_nan, n_inf = int(np.isnan(y_score).sum()), int(np.isinf(y_score).sum())
        raise ValueError(
            f"y_score contains {n_nan} NaN and {n_inf} infinite value(s); drop "
            "those samples or replace them with finite scores"
        )
    return y_true, y_score


def _classes(y_true: np.ndarray) -> list:
    """The sorted distinct labels, as Python scalars; two compare passes for two classes."""
    kind = y_true.dtype.kind
    if kind in "biuf":
        if kind == "f" and not np.isfinite(y_true).all():
            raise ValueError("y_true contains NaN or infinity; labels must be finite")
        lo, hi = y_true.min(), y_true.max()
        if lo == hi:
            classes = np.array([lo])
        elif np.count_nonzero(y_true == lo) + np.count_nonzero(y_true == hi) == y_true.size:
            classes = np.array([lo, hi])
        else:
            classes = np.unique(y_true)
        if kind == "f" and np.any(classes != np.round(classes)):
            raise ValueError(
                "y_true holds non-integer numbers, like continuous targets; ROC and PR need "
                "class labels (threshold the targets first, e.g. y_true > 0.5)"
            )
        return classes.tolist()
    if kind in "OUS":
        try:
            return np.unique(y_true).tolist()
        except TypeError:
            raise ValueError("y_true mixes label types (e.g. numbers and strings)") from None
    raise ValueError(f"y_true must hold class labels, got dtype {y_true.dtype}")


def positive_mask(
    y_true: np.ndarray, pos_label, *, need: str, default: str = "sklearn", rest: bool = True
) -> np.ndarray:
    """``y_true == pos_label``, after checking the labels.

    Without ``pos_label`` the ``"sklearn"`` default accepts labels in ``{0, 1}`` or
    ``{-1, 1}`` (1 positive) and the ``"larger"`` default takes the larger of exactly two
    labels (``roc_auc_score``). ``need`` is ``"both"`` (ROC: both classes present) or
    ``"positives"`` (PR: at least one positive). With ``rest`` a given ``pos_label`` may
    be scored against several other labels (one-vs-rest), as scikit-learn's curves allow.
    """
    classes = _classes(y_true)
    if len(classes) > 2 and (pos_label is None or not rest):
        hint = (
            "pass pos_label= to score one class against the rest"
            if rest
            else "binarize it first, e.g. y_true == label"
        )
        raise ValueError(
            f"y_true has {len(classes)} classes {_show(classes)} but this metric is binary: {hint}"
        )
    if pos_label is None:
        if default == "larger":
            pos_label = classes[-1]
        elif y_true.dtype.kind in "biuf" and classes in ([0, 1], [-1, 1], [0], [-1], [1]):
            pos_label = 1
        else:
            raise ValueError(
                f"y_true takes values in {_show(classes)} and pos_label is not given: "
                "either make y_true take values in {0, 1} or {-1, 1}, or pass pos_label="
            )
    if pos_label not in classes:
        raise ValueError(
            f"y_true has no positive samples: no label equals pos_label="
            f"{pos_label!r} (labels present: {_show(classes)}); pass the "
            "positive class as pos_label="
        )
    if need == "both" and len(classes) == 1:
        raise ValueError(
            f"only one class ({classes[0]!r}) is present in y_true; ROC is not "
            "defined without both positive and negative samples"
        )
    return np.asarray(y_true == pos_label)


def _show(classes: list) -> str:
    return "{" + ", ".join(map(repr, classes[:10])) + (", ...}" if len(classes) > 10 else "}")
