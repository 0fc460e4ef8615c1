import numpy as np

from rlsandbox.analysis import AgglomerativeClustering, fcluster, linkage
from rlsandbox.plots import plot_dendrogram

# Sample data: A, B, C, D
X = np.array([[1, 2],
              [2, 3],
              [5, 8],
              [6, 9]])

# Step 1: the linkage matrix (merged cluster, merged cluster, distance, size)
Z = linkage(X, method="ward")
print(Z.round(3))

# Step 2: the dendrogram
fig = plot_dendrogram(Z, labels=["A", "B", "C", "D"])
fig.axes[0].set(title="Hierarchical Clustering Dendrogram", xlabel="Data Points",
                ylabel="Distance")
fig.savefig("dendrogram.png", dpi=80)

# Two clusters: cut the tree, or fit the model
print("fcluster:", fcluster(Z, 2, criterion="maxclust"))
model = AgglomerativeClustering(n_clusters=2)
model.fit(X)
print("Cluster Labels:", model.labels_)
