"""Analysis of agents' behaviour: PCA, hierarchical clustering, ROC / PR, episode features.

NumPy only. The results match scikit-learn and SciPy on the same input (the tests use them
as oracles); estimators follow scikit-learn's habits (``fit`` returns ``self``, fitted
attributes end in ``_``).
"""

from rlsandbox.analysis.behaviour import (
    BehaviourReport,
    action_histogram,
    behaviour_report,
    episode_features,
    state_visitation,
)
from rlsandbox.analysis.clustering import (
    AgglomerativeClustering,
    dendrogram_coordinates,
    fcluster,
    linkage,
)
from rlsandbox.analysis.pca import PCA, standardize
from rlsandbox.analysis.roc import (
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "PCA",
    "AgglomerativeClustering",
    "BehaviourReport",
    "action_histogram",
    "auc",
    "average_precision_score",
    "behaviour_report",
    "dendrogram_coordinates",
    "episode_features",
    "fcluster",
    "linkage",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
    "standardize",
    "state_visitation",
]
