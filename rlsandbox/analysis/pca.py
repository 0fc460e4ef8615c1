"""Principal component analysis in NumPy, matching scikit-learn's ``PCA``.

:class:`PCA` finds the orthogonal directions of largest variance of a data matrix and
projects onto the first few of them; :func:`standardize` rescales columns to zero mean and
unit variance first when features have different units (step one of the tutorial's
recipe; its printed iris ratios ``[0.9246, 0.0530]`` are for raw data). Results equal
``sklearn.decomposition.PCA`` with its default solver: the same variances (``ddof=1``),
ratios, singular values and -- with the same sign convention -- the same components.

Solver
------
Tall data (``n_samples >= 10 * n_features`` and ``n_features <= 1000``, scikit-learn's own
switch) use the covariance matrix: one pass ``X.T @ X`` and a small symmetric
eigen-decomposition (``np.linalg.eigh``), with no centred copy of ``X`` unless the column
means dwarf the spread (then centring first saves the digits). Other shapes use the exact
thin SVD of the centred data (where scikit-learn would switch to its randomized solver for
large data, results agree to that solver's accuracy only).

Sign convention
---------------
Each principal axis is defined up to sign. We fix it as scikit-learn does
(``svd_flip(..., u_based_decision=False)``): the entry of largest absolute value in each
row of ``components_`` is positive (the first such entry on ties).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["PCA", "standardize"]

# Use the covariance (Gram) matrix when the data are at least this many times taller than
# wide, and not too wide: the same rule as scikit-learn's ``svd_solver="auto"``.
_TALL_RATIO = 10
_MAX_GRAM_FEATURES = 1000
# If ``X.T @ X`` is this many times larger than the centred scatter on some column, the
# shortcut ``X.T @ X - n * mean mean^T`` would lose more than 3 of 16 digits: centre first.
_MAX_CANCELLATION = 1e3


def standardize(X) -> np.ndarray:
    """Rescale each column to zero mean and unit variance.

    The variance uses ``ddof=0``, as ``sklearn.preprocessing.StandardScaler`` does. A
    constant column has no spread to scale: it becomes all zeros (its centred values)
    instead of dividing by zero.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Finite data, one row per sample.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        A new float64 array; ``X`` is not modified.

    Raises
    ------
    ValueError
        If ``X`` is not a non-empty 2-D array of finite numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.analysis import standardize
    >>> standardize(np.array([[1.0, 5.0], [3.0, 5.0]]))
    array([[-1.,  0.],
           [ 1.,  0.]])
    """
    X = _check_data(X, "X", min_samples=1)
    mean = _checked_mean(X, "X")
    centred = X - mean
    centred /= _column_scale(centred)
    return centred


class PCA:
    """Principal component analysis: project data onto its directions of largest variance.

    Parameters
    ----------
    n_components : int, float or None, default None
        How many components to keep.

        - ``None``: all, ``min(n_samples, n_features)``.
        - ``int`` ``k`` with ``1 <= k <= min(n_samples, n_features)``.
        - ``float`` ``f`` in ``(0, 1)``: the fewest components whose cumulative
          ``explained_variance_ratio_`` is *strictly greater* than ``f`` (scikit-learn's
          rule), e.g. ``0.95`` keeps enough components to explain more than 95 %.
    standardize : bool, default False
        Scale every feature to unit variance (``ddof=0``) before the analysis, like
        ``make_pipeline(StandardScaler(), PCA())``. ``transform`` and
        ``inverse_transform`` then apply and undo the same scaling (``scale_``).

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        Principal axes, unit rows, by decreasing variance; the largest-magnitude entry
        of each row is positive.
    explained_variance_ : ndarray of shape (n_components,)
        Variance of the data along each axis (``ddof=1``).
    explained_variance_ratio_ : ndarray of shape (n_components,)
        Fraction of the total variance along each axis (zeros if the data are constant).
    singular_values_ : ndarray of shape (n_components,)
        Singular values of the centred (and scaled) data.
    mean_ : ndarray of shape (n_features,)
        Column means of the training data, in its original units.
    scale_ : ndarray of shape (n_features,) or None
        Column standard deviations used when ``standardize=True`` (1 for constant
        columns), else ``None``.
    n_components_ : int
        Number of components kept.
    n_samples_, n_features_in_ : int
        Shape of the training data.
    noise_variance_ : float
        Mean variance of the discarded components (0 when none are discarded), as in
        scikit-learn's probabilistic PCA.

    Examples
    --------
    >>> import numpy as np
    >>> from rlsandbox.analysis import PCA
    >>> X = np.array([[-1, -1], [-2, -1], [-3, -2], [1, 1], [2, 1], [3, 2]])
    >>> pca = PCA(n_components=2).fit(X)
    >>> pca.explained_variance_ratio_.round(5)
    array([0.99244, 0.00756])
    >>> pca.singular_values_.round(5)
    array([6.30061, 0.5498 ])
    >>> pca.transform(X)[:, 0].round(3)
    array([-1.383, -2.222, -3.605,  1.383,  2.222,  3.605])
    >>> bool(np.allclose(pca.inverse_transform(pca.transform(X)), X))
    True
    """

    def __init__(self, n_components: int | float | None = None, *, standardize: bool = False):
        self.n_components = n_components
        self.standardize = standardize

    def __repr__(self) -> str:
        extra = ", standardize=True" if self.standardize else ""
        return f"PCA(n_components={self.n_components!r}{extra})"

    # -- fitting -------------------------------------------------------------------------

    def fit(self, X, y=None) -> PCA:
        """Find the principal axes of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite training data, at least 2 samples (the variance uses ``ddof=1``).
        y : ignored
            Accepted for scikit-learn compatibility.

        Returns
        -------
        PCA
            ``self``, fitted.
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit to ``X`` and return its projection, ``fit(X).transform(X)`` in one go.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Finite training data, at least 2 samples.
        y : ignored
            Accepted for scikit-learn compatibility.

        Returns
        -------
        ndarray of shape (n_samples, n_components)
        """
        X, U, S = self._fit(X)
        if U is not None:  # the SVD already holds the projection: X_c V = U S
            return U[:, : self.n_components_] * S[: self.n_components_]
        return self._project(X)

    def _fit(self, X):
        X = _check_data(X, "X", min_samples=2)
        n_samples, n_features = X.shape
        max_components = min(n_samples, n_features)
        n_components = _check_n_components(self.n_components, max_components)
        mean = _checked_mean(X, "X")
        scale = _column_scale(X - mean) if self.standardize else None

        U = None
        if n_samples >= _TALL_RATIO * n_features and n_features <= _MAX_GRAM_FEATURES:
            variances, Vt = _covariance_eigh(X, mean, scale)
        else:
            Xc = X - mean
            if scale is not None:
                Xc /= scale
            U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
            with np.errstate(over="ignore"):
                variances = S**2 / (n_samples - 1)
        signs = _flip_signs(Vt)
        Vt *= signs[:, np.newaxis]
        if U is not None:
            U *= signs

        with np.errstate(over="ignore", invalid="ignore"):
            total = variances.sum()
        if not np.isfinite(total):  # squares of values near 1e154 overflow float64
            raise ValueError("X has values too large for their variance to fit in float64 "
                             f"(largest magnitude {np.abs(X).max():.3g}); rescale X, e.g. "
                             "PCA(standardize=True) or divide by its largest value")
        ratios = variances / total if total > 0 else np.zeros_like(variances)
        if isinstance(n_components, float):
            # Fewest components whose cumulative ratio exceeds the fraction
            # (side="right": strictly greater, as scikit-learn).
            k = int(np.searchsorted(np.cumsum(ratios), n_components, side="right")) + 1
            n_components = min(k, max_components)

        self.n_samples_, self.n_features_in_ = n_samples, n_features
        self.n_components_ = n_components
        self.mean_, self.scale_ = mean, scale
        self.components_ = np.ascontiguousarray(Vt[:n_components])
        self.explained_variance_ = variances[:n_components].copy()
        self.explained_variance_ratio_ = ratios[:n_components].copy()
        self.singular_values_ = np.sqrt(self.explained_variance_ * (n_samples - 1))
        rest = variances[n_components:max_components]
        self.noise_variance_ = float(rest.mean()) if rest.size else 0.0
        return X, U, (None if U is None else S)

    # -- using a fitted model ------------------------------------------------------------

    def transform(self, X) -> np.ndarray:
        """Project ``X`` onto the principal axes found by :meth:`fit`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_components)
            ``(X - mean_) @ components_.T`` (after dividing by ``scale_`` when
            standardising).
        """
        self._check_fitted("transform")
        X = _check_data(X, "X", min_samples=1)
        self._check_width(X.shape[1], self.n_features_in_, "X", "features")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinity; remove or impute those values first")
        return self._project(X)

    def inverse_transform(self, X_new) -> np.ndarray:
        """Map projected points back to the original space.

        Parameters
        ----------
        X_new : array-like of shape (n_samples, n_components)

        Returns
        -------
        ndarray of shape (n_samples, n_features)
            ``X_new @ components_ (* scale_) + mean_``: exact for data that lie in the
            span of the kept components, the closest such point otherwise.
        """
        self._check_fitted("inverse_transform")
        Y = _check_data(X_new, "X_new", min_samples=1)
        self._check_width(Y.shape[1], self.n_components_, "X_new", "components")
        X = Y @ self.components_
        if self.scale_ is not None:
            X *= self.scale_
        X += self.mean_
        return X

    def _project(self, X: np.ndarray) -> np.ndarray:
        # Centre after projecting, (X - m) W = X W - m W: no centred copy of X.
        W = self.components_.T
        if self.scale_ is not None:
            W = W / self.scale_[:, np.newaxis]
        out = X @ W
        out -= self.mean_ @ W
        return out

    def _check_fitted(self, method: str) -> None:
        if not hasattr(self, "components_"):
            raise ValueError(
                f"this PCA is not fitted yet; call fit(X) or fit_transform(X) before {method}"
            )

    @staticmethod
    def _check_width(got: int, expected: int, name: str, what: str) -> None:
        if got != expected:
            raise ValueError(
                f"{name} has {got} columns but this PCA was fitted with {expected} {what}; "
                f"pass data of shape (n_samples, {expected})"
            )


# -- helpers ---------------------------------------------------------------------------------


def _covariance_eigh(X, mean, scale):
    """Variances (descending) and axes (rows) from the covariance matrix of ``X``."""
    n_samples = X.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        gram = X.T @ X  # numpy sees X.T @ X and calls the symmetric rank-k BLAS kernel
        cov = gram - n_samples * np.outer(mean, mean)
        scatter = np.diag(cov)
        raw = np.diag(gram)
        if not np.isfinite(raw).all() or np.any(
            raw > _MAX_CANCELLATION * np.maximum(scatter, 0.0)
        ):
            # Means large next to spreads (or constant columns): the shortcut above cancels
            # most digits. Pay for one centred copy to keep full accuracy.
            Xc = X - mean
            cov = Xc.T @ Xc
    if not np.isfinite(cov).all():  # squares of values near 1e154 overflow float64
        raise ValueError("X has values too large for their variance to fit in float64 "
                         f"(largest magnitude {np.abs(X).max():.3g}); rescale X, e.g. "
                         "divide it by its largest value")
    cov /= n_samples - 1
    if scale is not None:
        cov /= np.outer(scale, scale)
    variances, vectors = np.linalg.eigh(cov)
    variances = variances[::-1].copy()
    np.maximum(variances, 0.0, out=variances)  # rounding can make zero variances negative
    return variances, np.ascontiguousarray(vectors[:, ::-1].T)


def _flip_signs(Vt: np.ndarray) -> np.ndarray:
    """+1 or -1 per row so that each row's largest-magnitude entry becomes positive."""
    biggest = Vt[np.arange(Vt.shape[0]), np.argmax(np.abs(Vt), axis=1)]
    return np.where(biggest < 0, -1.0, 1.0)


def _column_scale(centred: np.ndarray) -> np.ndarray:
    """Standard deviation (``ddof=0``) of each centred column, 1 where it is constant."""
    std = np.sqrt((centred**2).mean(axis=0))
    std[std == 0] = 1.0
    return std


def _check_data(X, name: str, *, min_samples: int) -> np.ndarray:
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers: {err}") from None
    if arr.ndim != 2:
        hint = " (use X.reshape(-1, 1) for a single feature)" if arr.ndim == 1 else ""
        raise ValueError(
            f"{name} must be 2-D, shape (n_samples, n_features); got shape {arr.shape}{hint}"
        )
    if arr.shape[0] < min_samples or arr.shape[1] < 1:
        why = " (the variance divides by n_samples - 1)" if min_samples > 1 else ""
        raise ValueError(
            f"{name} has shape {arr.shape}; need at least {min_samples} sample(s){why} "
            "and 1 feature"
        )
    return arr


def _checked_mean(X: np.ndarray, name: str) -> np.ndarray:
    """Column means, raising if ``X`` holds NaN or infinity."""
    # A column mean is finite exactly when the column is (short of overflow), so the
    # means we need anyway double as the NaN/inf check without another pass over X.
    with np.errstate(over="ignore", invalid="ignore"):
        mean = X.mean(axis=0)
    if np.isfinite(mean).all():
        return mean
    if np.isfinite(X).all():
        raise ValueError(f"{name} has values too large to sum in float64; rescale it")
    raise ValueError(f"{name} contains NaN or infinity; remove or impute those values first")


def _check_n_components(n_components, max_components: int):
    if n_components is None:
        return max_components
    if isinstance(n_components, numbers.Integral) and not isinstance(n_components, bool):
        if 1 <= n_components <= max_components:
            return int(n_components)
        raise ValueError(
            f"n_components={n_components} is out of range: use an int in [1, {max_components}]"
            " (min(n_samples, n_features)), a float in (0, 1) or None for all"
        )
    if isinstance(n_components, numbers.Real) and not isinstance(n_components, bool):
        if 0 < n_components < 1:
            return float(n_components)
        raise ValueError(
            f"n_components={n_components} is out of range: a float must lie strictly between "
            f"0 and 1 (a fraction of variance); use an int in [1, {max_components}] for a count"
        )
    raise ValueError(
        f"n_components must be None, an int or a float in (0, 1); got {n_components!r}"
    )
