import numpy as np

from rlsandbox.analysis import auc, roc_auc_score, roc_curve
from rlsandbox.plots import plot_roc

# Sample data: 1000 examples of two classes; the positives score higher on average.
rng = np.random.default_rng(0)
y = rng.integers(0, 2, size=1000)
y_scores = rng.normal(loc=1.5 * y, scale=1.0)

fpr, tpr, thresholds = roc_curve(y, y_scores)  # one (FPR, TPR) point per threshold
roc_auc = auc(fpr, tpr)  # the area under the ROC curve
print(f"AUC = {roc_auc:.3f}")
print(f"roc_auc_score gives the same: {roc_auc_score(y, y_scores):.3f}")
print("a random guess gives AUC 0.5, a perfect model 1.0")

fig = plot_roc(fpr, tpr, roc_auc)  # with the diagonal of a random guess
fig.savefig("roc.png", dpi=80)
