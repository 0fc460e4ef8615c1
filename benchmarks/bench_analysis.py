"""Analysis benchmarks: ROC AUC and PCA against scikit-learn, in the same process.

Each pair is checked to give the same answer, warmed up once on both sides, then timed
alternately (ours, reference, ours, ...) for ``repeats`` rounds; the row reports the
medians and ``ratio = reference / ours`` (a speed-up, higher is better).

Run ``python benchmarks/bench_analysis.py`` (full size, about a minute, mostly
scikit-learn's time) or ``--quick`` (n = 10^5, seconds; checks that it runs, the
timings mean little).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

try:
    from benchmarks._timing import compare, format_table
except ImportError:  # run as a script: python benchmarks/bench_analysis.py
    from _timing import compare, format_table

__all__ = ["run"]

REPEATS = 5


def _row(name: str, ours: float, reference: float, target: float) -> dict:
    return {
        "name": name,
        "ours": ours,
        "reference": reference,
        "ratio": reference / ours,
        "target": target,
        "unit": "s",
    }


def _auc_rows(n: int, repeats: int) -> list[dict]:
    from sklearn.metrics import roc_auc_score as sk_roc_auc_score

    from rlsandbox.analysis.roc import roc_auc_score

    rng = np.random.default_rng(0)
    y = (rng.random(n) < 0.5).astype(np.int64)
    proba = 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 0.8 * y)))  # a classifier's output
    rows = []
    for label, scores, target in (
        ("continuous", proba, 5.0),
        ("rounded to 2 decimals", np.round(proba, 2), 7.0),
    ):
        ours, theirs = roc_auc_score(y, scores), sk_roc_auc_score(y, scores)
        assert np.isclose(ours, theirs, rtol=1e-12, atol=0), (label, ours, theirs)
        t_ours, t_ref = compare(
            lambda s=scores: roc_auc_score(y, s),
            lambda s=scores: sk_roc_auc_score(y, s),
            repeats,
        )
        rows.append(_row(f"roc_auc_score n={n:.0e}, {label}", t_ours, t_ref, target))
    return rows


def _pca_rows(n_samples: int, repeats: int) -> list[dict]:
    from sklearn.decomposition import PCA as SkPCA

    from rlsandbox.analysis.pca import PCA

    rng = np.random.default_rng(1)
    n_features = 64
    mixing = rng.normal(size=(n_features, n_features)) * np.linspace(2, 0.1, n_features)
    X = rng.normal(size=(n_samples, n_features)) @ mixing + rng.normal(size=n_features)
    ours, theirs = PCA(2).fit_transform(X), SkPCA(2).fit_transform(X)  # sklearn: covariance_eigh
    assert np.allclose(ours, theirs, rtol=0, atol=1e-8 * np.abs(X).max())
    t_ours, t_ref = compare(
        lambda: PCA(2).fit_transform(X), lambda: SkPCA(2).fit_transform(X), repeats
    )
    return [_row(f"PCA(2).fit_transform {n_samples}x{n_features}", t_ours, t_ref, 1.0)]


def run(quick: bool = False) -> list[dict]:
    """Time every analysis benchmark; one dict per row.

    Parameters
    ----------
    quick : bool, default False
        Small sizes (n = 10^5 scores, 10^4 x 64 for PCA) that finish in seconds.

    Returns
    -------
    list of dict
        Keys ``name``, ``ours``, ``reference`` (median seconds), ``ratio``
        (reference / ours), ``target`` (minimum ratio) and ``unit``.
    """
    n_scores = 100_000 if quick else 10_000_000
    n_samples = 10_000 if quick else 100_000
    return _auc_rows(n_scores, REPEATS) + _pca_rows(n_samples, REPEATS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, finishes in seconds")
    args = parser.parse_args(argv)
    print(format_table(run(quick=args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
