"""Figures of analyses: ROC curves, PCA projections, dendrograms, and the behaviour report."""

from __future__ import annotations

import os

import numpy as np

from rlsandbox.plots._common import MARKERS, PALETTE, _axes, _vector, save_figure

__all__ = ["plot_dendrogram", "plot_pca", "plot_roc", "save_behaviour_figures"]

_CHANCE_GID = "rlsandbox-roc-chance"
_ROC_GID = "rlsandbox-roc-curve"
_ABOVE_THRESHOLD = "#595959"  # links merged above the colour threshold
_MAX_LEAF_LABELS = 40  # more leaves than this: tick labels would overlap, so none are drawn


def plot_roc(fpr, tpr, auc: float | None = None, *, ax=None, label: str | None = None,
             title: str | None = None):
    """Draw a ROC curve with the chance diagonal.

    Call it again with the returned figure's axes to compare several curves in one
    plot: each curve gets the next colour, and the chance diagonal (dashed) is drawn once,
    after the curves and above them, so that a predictor no better than chance, whose
    curve runs along the diagonal, does not hide it.

    Parameters
    ----------
    fpr, tpr : array_like, shape (n,)
        False and true positive rates in [0, 1], e.g. from
        :func:`rlsandbox.analysis.roc_curve`; at least two points.
    auc : float, optional
        Area under the curve, shown in the legend.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    label : str, optional
        Legend label of the curve: say what the predictor is (the AUC is appended when
        given).
    title : str, optional
        The axes title, e.g. naming the env and the agent (default: "ROC curve").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``fpr`` and ``tpr`` are not 1-D arrays of one length (at least 2) with values in
        [0, 1], or ``auc`` is not a number in [0, 1].
    """
    fpr, tpr = _vector("fpr", fpr), _vector("tpr", tpr)
    if len(fpr) != len(tpr):
        raise ValueError(f"fpr and tpr must have the same length, got {len(fpr)} and {len(tpr)}")
    if len(fpr) < 2:
        raise ValueError(f"a ROC curve needs at least 2 points, got {len(fpr)}")
    for name, rates in (("fpr", fpr), ("tpr", tpr)):
        if rates.min() < 0 or rates.max() > 1:
            raise ValueError(f"{name} must lie in [0, 1], got values in "
                             f"[{rates.min():g}, {rates.max():g}]")
    if auc is not None:
        if (isinstance(auc, bool) or not isinstance(auc, (int, float, np.number))
                or not 0 <= float(auc) <= 1):
            raise ValueError(f"auc must be a number in [0, 1] or None, got {auc!r}")
        auc = float(auc)
    fig, ax = _axes(ax, figsize=(4.8, 5.2))
    for line in [line for line in ax.lines if line.get_gid() == _CHANCE_GID]:
        line.remove()  # drawn again below, after this curve
    n_curves = sum(line.get_gid() == _ROC_GID for line in ax.lines)
    text = label or ("ROC curve" if auc is None else "")
    if auc is not None:
        text = f"{text} (AUC = {auc:.3f})" if text else f"AUC = {auc:.3f}"
    ax.plot(fpr, tpr, lw=2, color=PALETTE[n_curves % len(PALETTE)], label=text, gid=_ROC_GID,
            zorder=2)
    # Last and on top (zorder 3), dashed: a predictor no better than chance lies on the
    # diagonal and would otherwise hide it; the dashes let the curve show through.
    ax.plot([0, 1], [0, 1], ls="--", lw=1.2, color="#262626", label="chance (AUC = 0.5)",
            gid=_CHANCE_GID, zorder=3)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title("ROC curve" if title is None else title)
    # Below the axes: inside, the legend would hide curves near the lower right corner.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize="small",
              frameon=False)
    ax.grid(alpha=0.3)
    return fig


def plot_pca(X2, labels=None, *, ax=None, explained_variance_ratio=None,
             title: str | None = None):
    """Scatter points on their first two principal components, coloured by label.

    Parameters
    ----------
    X2 : array_like, shape (n, k), k >= 2
        Projected points, e.g. ``PCA(2).fit_transform(X)``; columns 0 and 1 are drawn.
    labels : array_like, shape (n,), optional
        A category per point (cluster, outcome, class). Each category gets its own colour
        (Okabe-Ito, colour-blind safe) and marker shape, and a legend entry.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    explained_variance_ratio : array_like, optional
        Fraction of variance of each component (``PCA.explained_variance_ratio_``); the axes
        are then labelled "PC1 (xx.x%)" and "PC2 (xx.x%)".
    title : str, optional
        The axes title, e.g. naming the env and the agent (default: "PCA projection").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``X2`` is not 2-D with at least 2 columns, ``labels`` does not have one entry per
        row, or ``explained_variance_ratio`` has fewer than 2 entries or leaves [0, 1].
    """
    X2 = np.asarray(X2, dtype=np.float64)
    if X2.ndim != 2 or X2.shape[1] < 2 or X2.shape[0] == 0:
        raise ValueError(f"X2 must be (n_points, 2) (two principal components), got shape "
                         f"{X2.shape}")
    if not np.isfinite(X2).all():
        raise ValueError("X2 contains NaN or infinite values; drop those rows before plotting "
                         "(e.g. X2[np.isfinite(X2).all(axis=1)])")
    axis_labels = ["PC1", "PC2"]
    if explained_variance_ratio is not None:
        ratio = _vector("explained_variance_ratio", explained_variance_ratio)
        if len(ratio) < 2 or ratio.min() < 0 or ratio.max() > 1:
            raise ValueError("explained_variance_ratio needs at least 2 fractions in [0, 1], "
                             f"got {ratio.tolist()}")
        axis_labels = [f"PC{i + 1} ({100 * r:.1f}%)" for i, r in enumerate(ratio[:2])]
    fig, ax = _axes(ax, figsize=(6, 4.6))
    style = {"s": 40, "alpha": 0.85, "edgecolors": "white", "linewidths": 0.5}
    if labels is None:
        ax.scatter(X2[:, 0], X2[:, 1], color=PALETTE[0], marker=MARKERS[0], **style)
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or len(labels) != len(X2):
            raise ValueError(f"labels must have one entry per point ({len(X2)}), got shape "
                             f"{labels.shape}")
        uniques, index = np.unique(labels, return_inverse=True)
        for k, value in enumerate(uniques):
            colour, marker = _category_style(k)
            mask = index.reshape(-1) == k
            ax.scatter(X2[mask, 0], X2[mask, 1], color=colour, marker=marker, label=str(value),
                       **style)
        ax.legend(loc="best", fontsize="small", ncols=1 if len(uniques) <= 10 else 2)
    ax.axhline(0, color="#bfbfbf", lw=0.8, zorder=0)
    ax.axvline(0, color="#bfbfbf", lw=0.8, zorder=0)
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    ax.set_title("PCA projection" if title is None else title)
    ax.grid(alpha=0.3)
    return fig


def plot_dendrogram(Z, labels=None, color_threshold: float | None = None, *, ax=None,
                    n_clusters: int | None = None, title: str | None = None):
    """Draw the tree of a hierarchical clustering.

    Drawn from :func:`rlsandbox.analysis.clustering.dendrogram_coordinates` (SciPy's
    ``dendrogram`` layout, without SciPy). As in SciPy, links merged below
    ``color_threshold`` are coloured by the cluster they form at that height, links above
    it are grey, and a dashed line marks the threshold; its legend says how many clusters
    the cut makes.

    Parameters
    ----------
    Z : array_like, shape (n - 1, 4)
        Linkage matrix in SciPy's format, e.g. from :func:`rlsandbox.analysis.linkage`.
    labels : sequence, optional
        A name per original observation (default: its index). With more than 40 leaves
        the names would overlap, so they are left out.
    color_threshold : float, optional
        Default ``0.7 * max(Z[:, 2])`` as in SciPy; 0 or less draws every link grey.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes instead of a new figure.
    n_clusters : int, optional
        Cut the tree into this many clusters instead (the clusters of
        ``fcluster(Z, n_clusters, "maxclust")``), so the colours match a table of them.
        Not together with ``color_threshold``.
    title : str, optional
        The axes title (default: "Dendrogram").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``Z`` is not an ``(n - 1, 4)`` linkage matrix, ``labels`` has not ``n``
        entries, or ``n_clusters`` is not in ``[1, n]`` or comes with ``color_threshold``.
    """
    Z = _linkage_matrix(Z)
    n = len(Z) + 1
    if labels is not None:
        labels = list(labels)
        if len(labels) != n:
            raise ValueError(f"labels has {len(labels)} entries; the linkage matrix has {n} "
                             "leaves")
    if n_clusters is not None:
        if color_threshold is not None:
            raise ValueError("pass color_threshold or n_clusters, not both")
        if (isinstance(n_clusters, bool) or not isinstance(n_clusters, (int, np.integer))
                or not 1 <= n_clusters <= n):
            raise ValueError(f"n_clusters must be an integer in [1, {n}], got {n_clusters!r}")
        threshold = _cut_height(Z, int(n_clusters))
    elif color_threshold is None:
        threshold = 0.7 * float(Z[:, 2].max())
    else:
        try:
            threshold = float(color_threshold)
        except (TypeError, ValueError):
            threshold = np.nan
        if isinstance(color_threshold, bool) or not np.isfinite(threshold):
            raise ValueError(f"color_threshold must be a finite number, got "
                             f"{color_threshold!r}")
    fig, ax = _axes(ax, figsize=(7, 4))
    _draw_dendrogram(ax, Z, labels, threshold)
    if title is not None:
        ax.set_title(title)
    return fig


def save_behaviour_figures(report, out_dir: str | os.PathLike, *, dpi: int = 100,
                           title: str | None = None) -> list[str]:
    """Write the figures of a :class:`rlsandbox.analysis.BehaviourReport`.

    Files, in ``out_dir`` (created if needed):

    - ``pca.png``: episodes on their first two principal components, coloured by behaviour
      type (``report.labels``), axes labelled with ``report.explained_variance_ratio``;
    - ``dendrogram.png``: the Ward tree (``report.linkage_matrix``) cut into the report's
      behaviour types, each type's links in the same colour as in ``pca.png``, and under
      each leaf its type's marker (colour and shape as in ``pca.png``), with a key;
    - ``roc.png``: every predictor of ``report.roc`` as one curve of a single figure, with
      its AUC from ``report.auc``, so the predictors compare at a glance; the legend says
      what each predictor is ("V of the start state", "mean V over the first k states
      visited").
      Not written when ``report.roc`` is empty (no value estimate, or every episode had
      the same outcome).

    Figures only: :func:`save_behaviour_report` writes them with ``report.json``.

    Parameters
    ----------
    report : BehaviourReport
        From :func:`rlsandbox.analysis.behaviour_report`.
    out_dir : str or os.PathLike
        Directory of the figures; created if missing, existing files are overwritten.
    dpi : int, default 100
        Resolution of the PNGs.
    title : str, optional
        What was analysed, e.g. ``"classic maze, Q-learning"``: a second line under each
        figure's own title.

    Returns
    -------
    list of str
        The paths written, in the order above.
    """
    def heading(text: str) -> str:
        return text if title is None else f"{text}\n{title}"

    out_dir = os.fspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    labels = np.asarray(report.labels, dtype=np.int64)
    written = []

    fig = plot_pca(report.projection, labels,
                   explained_variance_ratio=report.explained_variance_ratio)
    ax = fig.axes[0]
    sizes = np.bincount(labels)
    handles, _ = ax.get_legend_handles_labels()
    legend = ax.legend(
        handles, [f"type {k} ({sizes[k]} episodes)" for k in np.unique(labels)],
        title="behaviour type", fontsize="small", loc="best",
    )
    legend.get_title().set_fontsize("small")
    ax.set_title(heading(f"Episodes by behaviour type ({len(labels)} episodes, PCA)"))
    written.append(save_figure(fig, os.path.join(out_dir, "pca.png"), dpi=dpi))

    Z = _linkage_matrix(report.linkage_matrix)
    fig, ax = _axes(None, figsize=(8.5, 4))
    n_types = int(labels.max()) + 1
    _draw_dendrogram(ax, Z, None, _cut_height(Z, n_types), leaf_groups=labels)
    ax.set_title(heading("Episodes clustered into behaviour types (Ward linkage)"))
    ax.set_xlabel("episode" if len(Z) + 1 <= _MAX_LEAF_LABELS else f"{len(Z) + 1} episodes")
    # The key: each leaf gets its type's marker, as its dot has in the PCA scatter, so a
    # type is found in both figures (a type of one episode has no coloured link at all).
    leaves = np.asarray(_coordinates(Z)[2])
    key = []
    for k in range(n_types):
        colour, marker = _category_style(k)
        at = np.flatnonzero(labels[leaves] == k)
        key.append(ax.scatter(5 + 10 * at, np.zeros(len(at)), color=colour, marker=marker,
                              s=28, edgecolors="white", linewidths=0.5, zorder=3, clip_on=False,
                              label=f"type {k} ({sizes[k]} episodes)"))
    cut = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    for line in cut:
        line.set_label(f"cut into {n_types} behaviour types")
    # Beside the tree: inside, the key would cover the links of the rightmost type.
    legend = ax.legend(handles=[*key, *cut], title="behaviour type", fontsize="small",
                       loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    legend.get_title().set_fontsize("small")
    written.append(save_figure(fig, os.path.join(out_dir, "dendrogram.png"), dpi=dpi))

    if report.roc:
        fig, ax = _axes(None, figsize=(4.8, 5.2))
        k = getattr(report, "k", None)
        for name, (fpr, tpr) in report.roc.items():
            plot_roc(fpr, tpr, report.auc.get(name), ax=ax, label=_predictor_label(name, k))
        ax.set_title(heading("Does the value estimate predict success?"))
        written.append(save_figure(fig, os.path.join(out_dir, "roc.png"), dpi=dpi))
    return written


# -- helpers ------------------------------------------------------------------------------------
def _predictor_label(name: str, k: int | None) -> str:
    """What a success predictor of the behaviour report is, in words."""
    if name == "start_value":
        return "V of the start state"
    if name == "mean_value_first_k":
        steps = "k" if k is None else str(k)
        return f"mean V over the first {steps} states visited"
    return name.replace("_", " ")


def _category_style(k: int) -> tuple[str, str]:
    """Colour and marker of the k-th category: distinct pairs for the first 64."""
    n = len(PALETTE)
    return PALETTE[k % n], MARKERS[(k + k // n) % len(MARKERS)]


def _linkage_matrix(Z) -> np.ndarray:
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[1] != 4 or len(Z) == 0:
        raise ValueError(f"Z must be a linkage matrix of shape (n - 1, 4), got shape {Z.shape}")
    if not np.isfinite(Z).all() or (Z[:, 2] < 0).any():
        raise ValueError("Z must be finite with non-negative merge distances (column 2)")
    n = len(Z) + 1
    ids = Z[:, :2]
    rows = np.arange(len(Z))[:, None]
    if (ids != np.round(ids)).any() or (ids < 0).any() or (ids >= n + rows).any():
        raise ValueError("Z[i, :2] must be ids of earlier clusters (< n + i), as in SciPy's "
                         "linkage matrix")
    return Z


def _cut_height(Z: np.ndarray, n_clusters: int) -> float:
    """A height that cuts the tree into ``n_clusters`` (midway between two merges)."""
    heights = np.sort(Z[:, 2])
    if n_clusters <= 1:
        return float(heights[-1]) * 1.05 + 1e-12  # above every merge: one cluster
    n_clusters = min(n_clusters, len(heights) + 1)
    upper = heights[-n_clusters + 1]
    lower = heights[-n_clusters] if n_clusters <= len(heights) else 0.0
    return float((lower + upper) / 2)


def _coordinates(Z: np.ndarray):
    from rlsandbox.analysis.clustering import dendrogram_coordinates

    coords = dendrogram_coordinates(Z)
    return (np.asarray(coords.icoord, dtype=np.float64).reshape(-1, 4),
            np.asarray(coords.dcoord, dtype=np.float64).reshape(-1, 4),
            [int(leaf) for leaf in coords.leaves])


def _draw_dendrogram(ax, Z: np.ndarray, labels, threshold: float, *, leaf_groups=None) -> None:
    """Draw the tree into ``ax``; links below ``threshold`` coloured by their cluster.

    ``leaf_groups`` (one int per leaf) fixes the colour of each cluster to
    ``PALETTE[group]``; by default the clusters take the palette's colours left to right.
    """
    from matplotlib.collections import LineCollection

    n = len(Z) + 1
    icoord, dcoord, leaves = _coordinates(Z)
    root = _clusters_below(Z, threshold)
    # The leaf at the first position >= a link's left leg lies under that link.
    under = [leaves[min(n - 1, int(np.ceil((x[0] - 5) / 10 - 1e-9)))] for x in icoord]
    if leaf_groups is None:
        # Number the clusters that have links (two leaves or more) from left to right.
        sizes = np.bincount(root, minlength=2 * n - 1)
        order: dict[int, int] = {}
        for leaf in leaves:
            if sizes[root[leaf]] > 1:
                order.setdefault(int(root[leaf]), len(order))
        leaf_groups = [order.get(int(root[leaf]), 0) for leaf in range(n)]
    colours = [
        _ABOVE_THRESHOLD if ys[1] >= threshold  # the merge height is the horizontal bar's
        else PALETTE[int(leaf_groups[leaf]) % len(PALETTE)]
        for ys, leaf in zip(dcoord, under, strict=True)
    ]
    segments = [np.column_stack([xs, ys]) for xs, ys in zip(icoord, dcoord, strict=True)]
    ax.add_collection(LineCollection(segments, colors=colours, linewidths=1.5))
    top = float(dcoord.max()) if dcoord.size else 1.0
    ax.set_xlim(0, 10 * n)
    # Headroom above the root, so the legend in the upper corner does not cover links, and
    # a little below 0, so that merges of identical points do not vanish into the x-axis.
    ax.set_ylim(-0.015 * top if top > 0 else -0.015, 1.2 * top if top > 0 else 1.0)
    if 0 < threshold <= top:
        k = len({root[leaf] for leaf in range(n)})
        ax.axhline(threshold, ls="--", lw=1, color="#7f7f7f",
                   label=f"colour threshold {threshold:.3g} ({k} clusters)")
        ax.legend(loc="upper right", fontsize="small")
    names = [str(leaf) if labels is None else str(labels[leaf]) for leaf in leaves]
    ax.set_xticks(5 + 10 * np.arange(n))
    if n <= _MAX_LEAF_LABELS:
        rotate = n > 12 or max(len(s) for s in names) > 3
        ax.set_xticklabels(names, rotation=90 if rotate else 0, fontsize="small")
        ax.set_xlabel("observation" if labels is None else "")
    else:
        ax.set_xticklabels([])
        ax.tick_params(axis="x", length=0)
        ax.set_xlabel(f"{n} leaves (too many to name)")
    ax.set_ylabel("merge distance")
    ax.set_title("Dendrogram")
    ax.spines[["top", "right"]].set_visible(False)


def _clusters_below(Z: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster root of every leaf when only merges below ``threshold`` are made."""
    n = len(Z) + 1
    parent = np.arange(2 * n - 1)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (a, b, height, _) in enumerate(Z):
        if height < threshold:
            parent[find(int(a))] = n + i
            parent[find(int(b))] = n + i
    return np.array([find(leaf) for leaf in range(n)])


def save_behaviour_report(report, out_dir: str | os.PathLike, *, dpi: int = 100,
                          title: str | None = None) -> list[str]:
    """Write a :class:`rlsandbox.analysis.BehaviourReport`: ``report.json`` and its figures.

    Parameters
    ----------
    report : BehaviourReport
        From :func:`rlsandbox.analysis.behaviour_report`.
    out_dir : str or os.PathLike
        Directory to write into; created if missing, existing files are overwritten.
    dpi : int, default 100
        Resolution of the PNGs.
    title : str, optional
        What was studied (env, agent), added to every figure's title.

    Returns
    -------
    list of str
        The paths written: ``report.json``, then the figures of
        :func:`save_behaviour_figures`.
    """
    import json

    out_dir = os.fspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "report.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(report.to_json(), f, indent=2)
    return [path, *save_behaviour_figures(report, out_dir, dpi=dpi, title=title)]
