"""Hierarchical (agglomerative) clustering in SciPy's linkage-matrix format, NumPy only.

The linkage matrix
------------------
A clustering of ``n`` observations is an ``(n - 1, 4)`` float64 array ``Z``. Row ``i`` is the
``i``-th merge: clusters ``Z[i, 0] < Z[i, 1]`` (ids below ``n`` are observations, id ``n + j``
is the cluster formed by row ``j``) merge at distance ``Z[i, 2]`` into a cluster of
``Z[i, 3]`` observations. Rows are sorted by distance. Every function here speaks it, and
:func:`linkage` returns exactly what ``scipy.cluster.hierarchy.linkage`` returns.

Methods (distance between clusters ``A`` and ``B``; Lance–Williams update when ``x`` and
``y`` merge, seen from a cluster ``i``)
    ``single``   ``min d(a, b)``; ``min(d_xi, d_yi)``.
    ``complete`` ``max d(a, b)``; ``max(d_xi, d_yi)``.
    ``average``  mean of ``d(a, b)``; ``(|x| d_xi + |y| d_yi) / (|x| + |y|)``.
    ``ward``     ``sqrt(2 |A| |B| / (|A| + |B|)) ‖c_A − c_B‖`` (``c`` the centroids), i.e.
                 ``sqrt(((|i|+|x|) d_xi² + (|i|+|y|) d_yi² − |i| d_xy²) / (|i|+|x|+|y|))``.

Algorithms (SciPy's, with its tie rules): single linkage is a minimum spanning tree (Prim);
the others run the nearest-neighbour chain, then sort the merges by distance (stable) and
name the clusters with a union-find. Both are O(n²) time. On a condensed distance vector
the chain updates one copy of it (n(n−1)/2 float64) with the Lance–Williams formulas in
SciPy's operation order, so ``Z`` equals SciPy's bit for bit, ties included. Ward on
observations needs no distance matrix: it works on cluster centroids (O(n·d) memory), with
heights equal to SciPy's up to rounding (relative 1e-12 or so) and the same merges unless two
candidate distances tie to within rounding. ``benchmarks/bench_linkage.py`` compares speed
and peak memory with SciPy.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from rlsandbox.analysis import _linkage_core as core

__all__ = ["AgglomerativeClustering", "Dendrogram", "dendrogram_coordinates", "fcluster",
           "linkage"]

METHODS = ("single", "complete", "average", "ward")
CRITERIA = ("maxclust", "distance")


# -- validation -----------------------------------------------------------------------------------
def _check_method(method) -> str:
    if method not in METHODS:
        raise ValueError(f"unknown linkage method {method!r}; use one of {', '.join(METHODS)}")
    return method


def _as_float_array(X, name: str) -> np.ndarray:
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers: {exc}") from None
    return arr


def _check_observations_or_condensed(X) -> tuple[np.ndarray, int, bool]:
    """Return ``(array, n, condensed)``."""
    X = _as_float_array(X, "X")
    if X.ndim == 1:
        m = len(X)
        n = int(round((1 + np.sqrt(1 + 8 * m)) / 2))
        if m == 0 or n * (n - 1) // 2 != m:
            raise ValueError(
                f"a condensed distance vector has length n(n-1)/2 for n >= 2 observations "
                f"(1, 3, 6, 10, ...), got length {m}; pass pdist-style distances or a 2-D "
                "array of observations")
        if not np.isfinite(X).all():
            raise ValueError("the condensed distances must all be finite (no NaN or inf)")
        if (X < 0).any():
            raise ValueError("the condensed distances must be non-negative")
        return X, n, True
    if X.ndim != 2:
        raise ValueError(f"X must be observations (n, d) or a condensed distance vector, got "
                         f"an array with {X.ndim} dimensions")
    if X.shape[0] < 2:
        raise ValueError(f"clustering needs at least 2 observations, got {X.shape[0]}")
    if X.shape[1] < 1:
        raise ValueError("X has no features (shape (n, 0)); give each observation a value")
    if not np.isfinite(X).all():
        raise ValueError("X must be finite: remove or impute the NaN / inf entries")
    return X, X.shape[0], False


def _check_linkage_matrix(Z) -> np.ndarray:
    Z = _as_float_array(Z, "Z")
    if Z.ndim != 2 or Z.shape[1] != 4 or len(Z) == 0:
        raise ValueError(f"Z must be a linkage matrix of shape (n - 1, 4) with n >= 2, as "
                         f"linkage returns; got shape {Z.shape}")
    if not np.isfinite(Z).all():
        raise ValueError("Z must be finite (no NaN or inf)")
    if (Z[:, 2] < 0).any():
        raise ValueError("Z[:, 2] holds merge distances and must be non-negative")
    n = len(Z) + 1
    ids = Z[:, :2]
    formed = n + np.arange(len(Z))[:, None]
    if (ids != np.floor(ids)).any() or (ids < 0).any() or (ids >= formed).any():
        raise ValueError("Z[i, :2] must be ids of observations or of clusters formed by earlier "
                         "rows (integers below n + i)")
    if len(np.unique(ids)) != ids.size:
        raise ValueError("Z merges some cluster twice; every id may appear once in Z[:, :2]")
    return Z


# -- linkage --------------------------------------------------------------------------------------
def linkage(X, method: str = "ward") -> np.ndarray:
    """Agglomerative clustering; the tree as SciPy's ``(n - 1, 4)`` linkage matrix.

    Parameters
    ----------
    X : array_like, shape (n, d) or (n (n - 1) / 2,)
        Observations (Euclidean distances), or a condensed distance vector as
        ``scipy.spatial.distance.pdist`` returns.
    method : {"ward", "single", "complete", "average"}, default "ward"
        How the distance between clusters is defined (see the module docstring).

    Returns
    -------
    Z : ndarray of float64, shape (n - 1, 4)
        Row ``i`` merges clusters ``Z[i, 0] < Z[i, 1]`` at distance ``Z[i, 2]`` into cluster
        ``n + i`` of ``Z[i, 3]`` observations; equal to ``scipy.cluster.hierarchy.linkage``.

    Raises
    ------
    ValueError
        Unknown method, fewer than 2 observations, non-finite values, a condensed vector
        whose length is not n(n−1)/2, or values so large (beyond about 1e150) that squared
        distances would overflow float64.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1, 2], [2, 3], [5, 8], [6, 9]])
    >>> linkage(X, "ward").round(3)
    array([[ 0.   ,  1.   ,  1.414,  2.   ],
           [ 2.   ,  3.   ,  1.414,  2.   ],
           [ 4.   ,  5.   , 10.198,  4.   ]])
    """
    method = _check_method(method)
    X, n, condensed = _check_observations_or_condensed(X)
    # Squares of distances must stay finite (Ward squares them, the distances of
    # observations are sums of squares); beyond this the results would be inf or NaN.
    with np.errstate(over="ignore", invalid="ignore"):
        spread = float(X.max()) if condensed else float(np.ptp(X, axis=0).max())
    limit = 1e150 if condensed else 1e150 / np.sqrt(X.shape[1])
    if not spread <= limit:
        what = "distances" if condensed else "coordinates"
        raise ValueError(f"the {what} span more than {limit:.3g}, so their squares overflow "
                         "float64; rescale the input")
    with np.errstate(over="ignore", invalid="ignore"):
        Z = _merges(X, n, condensed, method)
    if not np.isfinite(Z[:, 2]).all():
        raise ValueError(f"the {method} merge distances overflow float64; rescale the input")
    return core.sort_and_label(Z, n)


def _merges(X: np.ndarray, n: int, condensed: bool, method: str) -> np.ndarray:
    """Unsorted merges of SciPy's algorithm for ``method`` (see the module docstring)."""
    if method == "single":
        if condensed:
            base = core.condensed_base(n)

            def row(x, rest):
                return X[np.where(rest < x, base[np.minimum(rest, x)] + x, base[x] + rest)]
        else:
            def row(x, rest):
                return np.sqrt(core._sq_dist_rows(X[rest], X[x]))
        return core.mst_single(n, row)
    if method == "ward" and not condensed:
        return core.ward_centroids(X)
    D = X.copy() if condensed else core.pdist_condensed(X)
    return core.nn_chain_condensed(D, n, method)


# -- flat clusters --------------------------------------------------------------------------------
def fcluster(Z, t, criterion: str = "maxclust") -> np.ndarray:
    """Cut a linkage tree into flat clusters, numbered as ``scipy.cluster.hierarchy.fcluster``.

    Parameters
    ----------
    Z : array_like, shape (n - 1, 4)
        Linkage matrix, e.g. from :func:`linkage`.
    t : int or float
        ``"maxclust"``: the largest number of clusters wanted (an integer >= 1).
        ``"distance"``: observations stay together when the largest merge distance inside
        their cluster is at most ``t`` (>= 0).
    criterion : {"maxclust", "distance"}, default "maxclust"

    Returns
    -------
    labels : ndarray of int32, shape (n,)
        Cluster of each observation, 1 to k, numbered in the order a left-first walk of
        the tree from the root meets them (SciPy's numbering).

    Raises
    ------
    ValueError
        Invalid ``Z``, unknown criterion, or ``t`` out of range.

    Examples
    --------
    >>> Z = linkage([[1, 2], [2, 3], [5, 8], [6, 9]], "ward")
    >>> fcluster(Z, 2, criterion="maxclust")
    array([1, 1, 2, 2], dtype=int32)
    >>> fcluster(Z, 1.5, criterion="distance")
    array([1, 1, 2, 2], dtype=int32)
    """
    Z = _check_linkage_matrix(Z)
    if criterion not in CRITERIA:
        raise ValueError(f"unknown criterion {criterion!r}; use one of {', '.join(CRITERIA)}")
    if isinstance(t, bool) or not isinstance(t, numbers.Real) or not np.isfinite(t):
        raise ValueError(f"t must be a finite number, got {t!r}")
    n = len(Z) + 1
    md = core.max_dists(Z)
    if criterion == "maxclust":
        if t < 1 or int(t) != t:
            raise ValueError(f"t is the maximum number of clusters for criterion='maxclust' "
                             f"and must be an integer >= 1, got {t!r}")
        if int(t) >= n:
            return np.arange(1, n + 1, dtype=np.int32)
        return core.monocrit_labels(Z, md, core.maxclust_cutoff(md, n, int(t)))
    if t < 0:
        raise ValueError(f"t is a distance for criterion='distance' and must be >= 0, got {t!r}")
    return core.monocrit_labels(Z, md, float(t))


# -- dendrogram -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dendrogram:
    """What a plot of a linkage tree needs, laid out as SciPy's ``dendrogram`` lays it out.

    Attributes
    ----------
    icoord, dcoord : ndarray, shape (n - 1, 4)
        One U-shaped link per merge: x and height of its four corners, left leg first.
        Leaves sit at x = 5, 15, 25, ...; equal to ``dendrogram(Z, no_plot=True)``'s lists.
    leaves : ndarray of int64, shape (n,)
        Observations from left to right (SciPy's ``leaves`` and ``leaves_list``).
    labels : list
        Label of each leaf from left to right (SciPy's ``ivl``): the given labels, or the
        observation indices as strings.
    """

    icoord: np.ndarray
    dcoord: np.ndarray
    leaves: np.ndarray
    labels: list

    def __getitem__(self, key: str):
        """Dictionary-style access (``d["icoord"]``), like SciPy's result dict."""
        return getattr(self, "labels" if key == "ivl" else key)


def dendrogram_coordinates(Z, *, labels=None) -> Dendrogram:
    """Coordinates of the links and the leaf order of a dendrogram, without plotting.

    Parameters
    ----------
    Z : array_like, shape (n - 1, 4)
        Linkage matrix, e.g. from :func:`linkage`.
    labels : sequence of length n, optional
        Name of each observation; default its index.

    Returns
    -------
    Dendrogram
        ``icoord``, ``dcoord``, ``leaves`` and ``labels``, as
        ``scipy.cluster.hierarchy.dendrogram(Z, no_plot=True)`` gives them.

    Raises
    ------
    ValueError
        Invalid ``Z`` or ``labels`` of the wrong length.

    Examples
    --------
    >>> Z = linkage([[1, 2], [2, 3], [5, 8], [6, 9]], "ward")
    >>> d = dendrogram_coordinates(Z, labels=["A", "B", "C", "D"])
    >>> d.labels, d.icoord[-1].tolist()
    (['A', 'B', 'C', 'D'], [10.0, 10.0, 30.0, 30.0])
    """
    Z = _check_linkage_matrix(Z)
    n = len(Z) + 1
    if labels is not None:
        labels = list(labels)
        if len(labels) != n:
            raise ValueError(f"labels has {len(labels)} entries; Z has {n} leaves")
    leaves, icoord, dcoord = core.dendrogram_walk(Z)
    names = [labels[i] if labels is not None else str(i) for i in leaves]
    return Dendrogram(icoord=icoord, dcoord=dcoord, leaves=leaves, labels=names)


# -- estimator ------------------------------------------------------------------------------------
class AgglomerativeClustering:
    """Bottom-up hierarchical clustering cut into flat clusters, as in scikit-learn.

    Parameters
    ----------
    n_clusters : int or None, default 2
        Number of clusters to cut the tree into. Must be ``None`` when
        ``distance_threshold`` is given.
    linkage : {"ward", "complete", "average", "single"}, default "ward"
        Distance between clusters (see :func:`linkage`).
    distance_threshold : float or None, default None
        Cut instead where merges reach this distance: clusters merged at a distance
        below the threshold stay together (scikit-learn's rule; :func:`fcluster` with
        ``criterion="distance"`` also keeps merges *at* ``t``).

    Attributes
    ----------
    labels_ : ndarray of int64, shape (n,)
        Cluster of each observation, 0 to k − 1, numbered in order of first appearance
        (observation 0 is in cluster 0). Same partition as scikit-learn's; scikit-learn
        numbers the clusters differently.
    children_ : ndarray of int64, shape (n − 1, 2)
        Pair merged at each step (``linkage(X)[:, :2]``, SciPy's order of the merges).
    distances_ : ndarray, shape (n − 1,)
        Merge distances, non-decreasing.
    n_clusters_ : int
        Number of clusters found.
    n_leaves_ : int
        Number of observations.

    Examples
    --------
    >>> X = [[1, 2], [2, 3], [5, 8], [6, 9]]
    >>> AgglomerativeClustering(n_clusters=2).fit(X).labels_
    array([0, 0, 1, 1])
    >>> AgglomerativeClustering(n_clusters=None, distance_threshold=2.0).fit_predict(X)
    array([0, 0, 1, 1])
    """

    def __init__(self, n_clusters: int | None = 2, *, linkage: str = "ward",
                 distance_threshold: float | None = None):
        self.n_clusters = n_clusters
        self.linkage = linkage
        self.distance_threshold = distance_threshold

    def _check_params(self, n: int) -> None:
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError("give exactly one of n_clusters and distance_threshold (set the "
                             "other to None)")
        _check_method(self.linkage)
        if self.n_clusters is not None:
            k = self.n_clusters
            if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
                raise ValueError(f"n_clusters must be an integer >= 1, got {k!r}")
            if k > n:
                raise ValueError(f"n_clusters={k} is more than the {n} observations")
        else:
            thr = self.distance_threshold
            if isinstance(thr, bool) or not isinstance(thr, numbers.Real) \
                    or not np.isfinite(thr) or thr < 0:
                raise ValueError(f"distance_threshold must be a finite number >= 0, "
                                 f"got {thr!r}")

    def fit(self, X, y=None) -> AgglomerativeClustering:
        """Build the tree of ``X`` (observations, shape (n, d), n >= 2) and cut it.

        ``y`` is ignored (scikit-learn's API). Returns ``self``.
        """
        X = _as_float_array(X, "X")
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D array of observations (n, d), got {X.ndim} "
                             "dimensions")
        self._check_params(len(X))
        Z = linkage(X, method=self.linkage)
        n = len(X)
        self.children_ = Z[:, :2].astype(np.int64)
        self.distances_ = Z[:, 2].copy()
        self.n_leaves_ = n
        if self.n_clusters is not None:
            self.n_clusters_ = int(self.n_clusters)
        else:  # scikit-learn: every merge at or above the threshold is undone
            self.n_clusters_ = int(np.count_nonzero(self.distances_ >= self.distance_threshold)
                                   + 1)
        self.labels_ = core.cut_top(Z, self.n_clusters_)
        return self

    def fit_predict(self, X, y=None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_
