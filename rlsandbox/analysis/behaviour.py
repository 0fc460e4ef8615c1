"""How agents behave: features of episodes, behaviour types, and whether values predict success.

The functions read :class:`rlsandbox.History` objects (their ``observations``, ``actions``,
``rewards`` and ``success``) and return plain numpy arrays or a small dataclass; drawing
is left to :mod:`rlsandbox.plots`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rlsandbox.analysis.clustering import fcluster, linkage
from rlsandbox.analysis.pca import PCA, standardize
from rlsandbox.analysis.roc import roc_auc_score, roc_curve

__all__ = [
    "BehaviourReport",
    "action_histogram",
    "behaviour_report",
    "episode_features",
    "state_visitation",
]


def state_visitation(history, n_states: int, *, normalize: bool = True) -> np.ndarray:
    """Visits of each state in each episode (rows = episodes, columns = states).

    Every observation counts, the start and the last one included. With ``normalize``
    each row sums to 1 (the fraction of the episode's time spent in each state).
    """
    _check_count("n_states", n_states)
    counts = _per_episode_counts(history, n_states, lambda ep: ep.observations,
                                  ("observation", "n_states"))
    if normalize:
        counts = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    return counts


def action_histogram(history, n_actions: int, *, normalize: bool = False) -> np.ndarray:
    """How often each action was taken in each episode (rows = episodes)."""
    _check_count("n_actions", n_actions)
    counts = _per_episode_counts(history, n_actions, lambda ep: ep.actions,
                                  ("action", "n_actions"))
    if normalize:
        counts = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    return counts


def episode_features(history, *, n_states: int | None = None) -> np.ndarray:
    """One feature row per episode, for clustering and projecting episodes.

    With ``n_states`` (discrete observations, e.g. the maze): the normalised state
    visitation, then the episode's length and return. Otherwise (vector observations,
    e.g. CartPole): mean, standard deviation, minimum and maximum of every observation
    dimension over the episode, then length and return.
    """
    episodes = list(history)
    if not episodes:
        raise ValueError("the history has no episodes; train or evaluate first")
    summary = np.column_stack(
        [[ep.length for ep in episodes], [ep.total_reward for ep in episodes]]
    ).astype(np.float64)
    if n_states is not None:
        return np.hstack([state_visitation(history, n_states), summary])
    stats = []
    for ep in episodes:
        obs = np.asarray(ep.observations, dtype=np.float64).reshape(len(ep.observations), -1)
        stats.append(np.concatenate([obs.mean(0), obs.std(0), obs.min(0), obs.max(0)]))
    return np.hstack([np.array(stats), summary])


@dataclass
class BehaviourReport:
    """What :func:`behaviour_report` found.

    Attributes
    ----------
    labels : ndarray (n_episodes,)
        Behaviour type (cluster 0, 1, ...) of each episode, numbered by first appearance.
    projection : ndarray (n_episodes, 2)
        Episodes projected on the first two principal components of their features.
    explained_variance_ratio : ndarray (2,)
    linkage_matrix : ndarray (n_episodes - 1, 4)
        Ward linkage of the standardised features (for a dendrogram).
    clusters : list of dict
        Per cluster: ``cluster``, ``size``, ``mean_return``, ``mean_length``, ``success_rate``
        (``None`` when the env does not report success).
    auc : dict
        ROC-AUC of each success predictor (``"start_value"``, ``"mean_value_first_k"``);
        ``None`` where it is undefined (no value estimate, or only one outcome).
    roc : dict
        ``(fpr, tpr)`` per predictor with a defined AUC.
    notes : list of str
        Why an AUC is missing, and similar remarks.
    k : int or None
        Steps averaged by the ``"mean_value_first_k"`` predictor.
    """

    labels: np.ndarray
    projection: np.ndarray
    explained_variance_ratio: np.ndarray
    linkage_matrix: np.ndarray
    clusters: list[dict[str, Any]]
    auc: dict[str, float | None] = field(default_factory=dict)
    roc: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    notes: list[str] = field(default_factory=list)
    k: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (labels, clusters, AUCs, explained variance)."""
        return {
            "episodes": int(len(self.labels)),
            "labels": self.labels.tolist(),
            "explained_variance_ratio": self.explained_variance_ratio.tolist(),
            "clusters": self.clusters,
            "auc": self.auc,
            "notes": self.notes,
        }


def behaviour_report(
    history,
    *,
    n_states: int | None = None,
    values: np.ndarray | None = None,
    n_clusters: int | None = None,
    k: int = 5,
    **removed: Any,
) -> BehaviourReport:
    """Cluster episodes into behaviour types, project them, and test values against success.

    Parameters
    ----------
    history : History
        At least 3 episodes.
    n_states : int, optional
        Number of discrete states (maze); the features are then state visitations.
    values : ndarray (n_states,), optional
        A value estimate per state. Its value at the start, and its mean over the first
        ``k`` steps of each episode, are scored as predictors of success with ROC-AUC.
    n_clusters : int, optional
        Number of behaviour types. Default: cut the Ward tree at its largest jump in merge
        height, looking at 2 to 6 clusters.
    k : int, default 5
        Steps averaged by the ``"mean_value_first_k"`` predictor.

    Returns
    -------
    BehaviourReport
        Numbers only; :func:`rlsandbox.plots.save_behaviour_report` writes its figures and
        ``report.json``.

    Raises
    ------
    TypeError
        If given ``out_dir`` (the first round's argument): the analysis writes no files.
    """
    if "out_dir" in removed:
        raise TypeError("behaviour_report() no longer writes files (out_dir=); call "
                        "rlsandbox.plots.save_behaviour_report(report, out_dir) on its result")
    if removed:
        raise TypeError(f"behaviour_report() got an unexpected keyword argument "
                        f"{next(iter(removed))!r}")
    episodes = list(history)
    if len(episodes) < 3:
        raise ValueError(f"behaviour_report needs at least 3 episodes, got {len(episodes)}")
    features = standardize(episode_features(history, n_states=n_states))
    Z = linkage(features, method="ward")
    n = len(episodes)
    if n_clusters is None:
        n_clusters = _largest_gap(Z, max_clusters=min(6, n - 1))
    elif (isinstance(n_clusters, bool) or not isinstance(n_clusters, int)
          or not 1 <= n_clusters <= n):
        raise ValueError(f"n_clusters must be an integer in [1, {n}], got {n_clusters!r}")
    labels = _first_appearance(fcluster(Z, n_clusters, criterion="maxclust"))
    pca = PCA(n_components=min(2, *features.shape)).fit(features)
    projection = pca.transform(features)
    ratio = pca.explained_variance_ratio_
    if projection.shape[1] < 2:  # too few features or episodes for a second axis
        projection = np.hstack([projection, np.zeros((n, 2 - projection.shape[1]))])
        ratio = np.concatenate([ratio, np.zeros(2 - len(ratio))])
    returns = np.array([ep.total_reward for ep in episodes])
    lengths = np.array([ep.length for ep in episodes])
    # NaN: the env did not report info["is_success"] (unknown, not failure).
    success = np.array([np.nan if ep.success is None else float(ep.success) for ep in episodes])
    clusters = [
        {
            "cluster": int(c),
            "size": int((labels == c).sum()),
            "mean_return": float(returns[labels == c].mean()),
            "mean_length": float(lengths[labels == c].mean()),
            "success_rate": _known_mean(success[labels == c]),
        }
        for c in range(labels.max() + 1)
    ]
    report = BehaviourReport(labels, projection, ratio, Z, clusters, k=k)
    if values is None:
        report.auc = {"start_value": None, "mean_value_first_k": None}
        report.notes.append("no value estimate given: pass values= to score success prediction")
    else:
        _score_values(report, episodes, np.asarray(values, dtype=np.float64), success, k)
    return report


def _score_values(report, episodes, values, success, k) -> None:
    if values.ndim != 1:
        raise ValueError(f"values must be one value per state (1-D), got shape {values.shape}")
    if not isinstance(k, int) or k <= 0:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    predictors = {
        "start_value": np.array([values[int(ep.observations[0])] for ep in episodes]),
        "mean_value_first_k": np.array(
            [values[np.asarray(ep.observations[:k], dtype=np.int64)].mean() for ep in episodes]
        ),
    }
    if np.isnan(success).any():
        report.notes.append("the env does not report success (info['is_success']) for every "
                            "episode: success cannot be predicted (AUC undefined)")
        report.auc = dict.fromkeys(predictors)
        return
    success = success == 1.0
    if success.all() or not success.any():
        outcome = "succeeded" if success.all() else "failed"
        report.notes.append(f"every episode {outcome}: success cannot be predicted (AUC undefined)")
        report.auc = dict.fromkeys(predictors)
        return
    for name, score in predictors.items():
        report.auc[name] = float(roc_auc_score(success, score))
        fpr, tpr, _ = roc_curve(success, score)
        report.roc[name] = (fpr, tpr)


def _known_mean(flags: np.ndarray) -> float | None:
    """Mean of the non-NaN entries; None (JSON null: unknown) when there are none."""
    known = flags[~np.isnan(flags)]
    return float(known.mean()) if known.size else None


def _largest_gap(Z: np.ndarray, max_clusters: int) -> int:
    """The cluster count in [2, max_clusters] whose cut sits in the widest gap of heights."""
    if max_clusters < 2:
        return 1
    heights = Z[:, 2]
    # Cutting into c clusters undoes the last c - 1 merges: the gap is h[-c+1] - h[-c].
    gaps = {c: heights[-c + 1] - heights[-c] for c in range(2, max_clusters + 1)}
    return max(gaps, key=lambda c: (gaps[c], -c))


def _first_appearance(labels: np.ndarray) -> np.ndarray:
    """Relabel clusters 0, 1, ... in the order their first episode appears."""
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(first)
    remap = np.empty(order.size, dtype=np.int64)
    remap[order] = np.arange(order.size)
    return remap[np.searchsorted(np.unique(labels), labels)]


def _per_episode_counts(history, size: int, get, what: tuple[str, str]) -> np.ndarray:
    episodes = list(history)
    parts = [np.asarray(get(ep)).reshape(-1) for ep in episodes]
    counts = np.zeros((len(episodes), size), dtype=np.float64)
    if not parts:
        return counts
    items = np.concatenate(parts)
    if items.size and (not np.issubdtype(items.dtype, np.integer)
                       or items.min() < 0 or items.max() >= size):
        raise ValueError(
            f"every {what[0]} must be an integer in [0, {size}); discretise continuous "
            f"observations first, or pass the right {what[1]}"
        )
    rows = np.repeat(np.arange(len(episodes)), [len(p) for p in parts])
    flat = np.bincount(rows * size + items.astype(np.int64), minlength=counts.size)
    return flat.reshape(counts.shape).astype(np.float64)


def _check_count(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
