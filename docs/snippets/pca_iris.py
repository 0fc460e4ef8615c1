import numpy as np

from rlsandbox.analysis import PCA
from rlsandbox.plots import plot_pca

# The iris data (150 flowers x 4 measurements), as shipped in examples/data/.
iris = "examples/data/iris.csv"
X = np.loadtxt(iris, delimiter=",", skiprows=1, usecols=range(4))
y = np.loadtxt(iris, delimiter=",", skiprows=1, usecols=4, dtype=str)

# PCA with 2 components
pca = PCA(n_components=2)
X_pca = pca.fit_transform(X)
print(pca.explained_variance_ratio_.round(4))
print(f"2 components explain {pca.explained_variance_ratio_.sum():.2%} of the variance")

fig = plot_pca(X_pca, labels=y, explained_variance_ratio=pca.explained_variance_ratio_)
fig.axes[0].set_title("PCA: Iris Dataset")
fig.savefig("pca_iris.png", dpi=80)
