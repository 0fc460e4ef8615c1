"""Private cores of :mod:`rlsandbox.analysis.clustering`: the merge algorithms and tree walks.

Everything here trusts its input (validated by the public functions) and follows SciPy's
``scipy/cluster/_hierarchy.pyx`` step by step where SciPy's choices decide the output:
which pair the nearest-neighbour chain merges on a tie, how the unsorted merges are sorted
and relabelled, how ``fcluster`` numbers its clusters. One Python iteration per chain step
or per merge; the work inside an iteration is vectorised NumPy over the active clusters.
"""

from __future__ import annotations

import numpy as np

INF = np.inf


# -- distances ------------------------------------------------------------------------------------
def _sq_dist_rows(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared Euclidean distance of every row of ``A`` to ``b``, summed over the columns in
    order (as SciPy's ``pdist`` does, so the square roots equal it bit for bit)."""
    diff = A - b
    diff *= diff
    # cumsum is a strictly sequential sum; np.sum would pair the terms up for d >= 8.
    return np.cumsum(diff, axis=1)[:, -1] if diff.shape[1] > 1 else diff[:, 0]


def pdist_condensed(X: np.ndarray) -> np.ndarray:
    """Condensed Euclidean distance vector of the rows of ``X`` (``pdist(X)`` bit for bit)."""
    n = len(X)
    D = np.empty(n * (n - 1) // 2)
    start = 0
    for i in range(n - 1):  # one row at a time: no (n, n) temporary
        D[start:start + n - i - 1] = _sq_dist_rows(X[i + 1:], X[i])
        start += n - i - 1
    return np.sqrt(D, out=D)


def condensed_base(n: int) -> np.ndarray:
    """``base[i]`` such that ``D[base[i] + j]`` is the distance of ``i < j`` in condensed form."""
    i = np.arange(n, dtype=np.int64)
    return n * i - i * (i + 1) // 2 - i - 1


# -- nearest-neighbour chain on a condensed matrix ------------------------------------------------
def _lance_williams(method: str, dx, dy, dxy: float, nx: float, ny: float, ni):
    """Distance of the merged cluster ``x ∪ y`` to clusters ``i``; SciPy's formulas and
    operation order, so that the result is bit-identical to SciPy's."""
    if method == "complete":
        return np.maximum(dx, dy)
    if method == "average":
        return (nx * dx + ny * dy) / (nx + ny)
    t = 1.0 / (nx + ny + ni)  # ward
    return np.sqrt((ni + nx) * t * dx * dx + (ni + ny) * t * dy * dy - ni * t * dxy * dxy)


def nn_chain_condensed(D: np.ndarray, n: int, method: str) -> np.ndarray:
    """SciPy's ``nn_chain`` on the condensed matrix ``D`` (overwritten): unsorted merges.

    Rows of the result are ``(slot_x, slot_y, distance, size)`` with ``slot_x < slot_y``; the
    merged cluster lives on in slot ``y``. Active slots are kept in increasing order, so that
    ``argmin`` breaks ties towards the lowest slot exactly as SciPy's scan does.
    """
    base = condensed_base(n)
    act = np.arange(n, dtype=np.int64)  # active slots, ascending
    bact = base.copy()  # base[act]
    size = np.ones(n)
    Z = np.empty((n - 1, 4))
    chain: list[int] = []  # positions in ``act``
    m = n

    def indices(p: int) -> np.ndarray:
        # condensed indices of d(act[p], act[q]) for every position q (q == p points at 0)
        x = act[p]
        ind = np.empty(m, dtype=np.int64)
        np.add(bact[:p], x, out=ind[:p])
        np.add(act[p + 1:m], base[x], out=ind[p + 1:])
        ind[p] = 0
        return ind

    for k in range(n - 1):
        if not chain:
            chain.append(0)
        while True:
            px = chain[-1]
            ind_x = indices(px)
            row = D[ind_x]
            row[px] = INF
            py = int(row.argmin())
            if len(chain) > 1 and row[chain[-2]] <= row[py]:
                py = chain[-2]  # SciPy prefers the previous link: no cycles on ties
                break
            chain.append(py)
        current = float(row[py])
        del chain[-2:]
        if px > py:
            px, py = py, px
            ind_x = indices(px)
        ind_y = indices(py)
        x, y = int(act[px]), int(act[py])
        nx, ny = size[x], size[y]
        Z[k] = (x, y, current, nx + ny)
        new = _lance_williams(method, D[ind_x], D[ind_y], current, nx, ny, size[act[:m]])
        keep = np.ones(m, dtype=bool)
        keep[[px, py]] = False
        D[ind_y[keep]] = new[keep]
        size[x] = 0.0
        size[y] = nx + ny
        # drop position px, keeping the order of the remaining slots
        act[px:m - 1] = act[px + 1:m].copy()
        bact[px:m - 1] = bact[px + 1:m].copy()
        m -= 1
        chain = [p - (p > px) for p in chain]
    return Z


# -- Ward on centroids ----------------------------------------------------------------------------
def ward_centroids(X: np.ndarray) -> np.ndarray:
    """Nearest-neighbour chain for Ward's method on centroids: O(n·d) memory, no distance matrix.

    Ward's merge distance of clusters ``A`` and ``B`` is
    ``sqrt(2·|A|·|B| / (|A| + |B|)) · ‖c_A − c_B‖``, the value SciPy's Lance–Williams update
    reaches from Euclidean distances. Each chain step finds the nearest cluster of ``x`` with
    one matrix-vector product (``‖c_i‖² − 2 c_i·c_x + ‖c_x‖²`` on centred centroids: fast but
    prone to cancellation), keeps every cluster whose approximate distance is within a
    rounding-error bound of the smallest, and decides among those with accurate differences.
    The choice is therefore the one the accurate computation makes, ties going to the lowest
    slot as in SciPy. Returns the unsorted merges, like :func:`nn_chain_condensed`.

    Accurate differences: a centroid is stored as its slot's observation plus an offset
    (``c_A = X[slot] + off_A``), so ``c_A − c_B = (X[a] − X[b]) + (off_A − off_B)`` never
    subtracts two large coordinates; for two observations it is ``pdist``'s value exactly.
    """
    n, d = X.shape
    # Coordinates relative to the first point, then to their mean: both steps are bounded
    # by the spread of X, never by its magnitude (X - X.mean() rounds by eps·|X|).
    X0 = X - X[0]
    mean = X0.mean(axis=0)
    # Rows [-2 c_i, ‖c_i‖², 1] of the centred centroids c_i: one matrix-vector product with
    # [c_x, 1, ‖c_x‖²] gives every ‖c_i − c_x‖² (approximately) in a single pass.
    A = np.empty((n, d + 2))
    A[:, :d] = X0 - mean
    A[:, d] = np.einsum("ij,ij->i", A[:, :d], A[:, :d])
    A[:, d + 1] = 1.0
    A[:, :d] *= -2.0
    off = np.zeros_like(X)
    # Bound on |approximate − accurate| squared distance, per unit of eps·(sq_max + sq_x):
    # the norm formula's rounding, plus the error of the centred coordinates themselves.
    slack_unit = (8.0 * (d + 2) + 64.0 * np.sqrt(d)) * np.finfo(np.float64).eps
    sq_max = float(A[:, d].max())  # a merged centroid's norm never exceeds its parts'
    size = np.ones(n)
    slot = np.arange(n, dtype=np.int64)  # rows are kept in slot order
    Z = np.empty((n - 1, 4))
    chain: list[int] = []
    v = np.empty(d + 2)
    m = n

    def accurate(rows, px, nx):
        """Ward's squared distances of ``x`` to ``rows`` from exact centroid differences."""
        diff = X[slot[rows]] - X[slot[px]]
        diff += off[rows] - off[px]
        diff *= diff
        s = np.cumsum(diff, axis=1)[:, -1]  # sequential, as pdist sums
        return 2.0 * nx * size[rows] / (nx + size[rows]) * s

    for k in range(n - 1):
        if not chain:
            chain.append(0)
        while True:
            px = chain[-1]
            sm = size[:m]
            nx = sm[px]
            v[:d] = A[px, :d] * -0.5
            v[d] = 1.0
            v[d + 1] = A[px, d]
            approx = A[:m] @ v
            approx *= sm / (sm + nx)  # Ward's weight, divided by 2·nx
            approx[px] = INF
            y0 = int(approx.argmin())
            slack = slack_unit * (sq_max + A[px, d])
            near = approx <= approx[y0] + 2.0 * slack
            prev = chain[-2] if len(chain) > 1 else -1
            if np.count_nonzero(near) == 1:  # the usual case: the nearest cluster is clear
                if y0 == prev:
                    py, best = prev, accurate([prev], px, nx)[0]
                    break
                chain.append(y0)  # prev is not a candidate: it is farther than y0
                continue
            cand = np.flatnonzero(near)
            exact = accurate(np.append(cand, max(prev, 0)), px, nx)
            j = int(exact[:-1].argmin())
            if prev >= 0 and exact[-1] <= exact[j]:  # SciPy prefers the previous link
                py, best = prev, exact[-1]
                break
            chain.append(int(cand[j]))
        del chain[-2:]
        if px > py:
            px, py = py, px
        nx, ny = size[px], size[py]
        sx, sy = slot[px], slot[py]
        Z[k] = (sx, sy, np.sqrt(best), nx + ny)
        off[py] = (nx * ((X[sx] - X[sy]) + off[px]) + ny * off[py]) / (nx + ny)
        c = (X0[sy] - mean) + off[py]
        A[py, d] = c @ c
        A[py, :d] = c * -2.0
        size[py] = nx + ny
        for arr in (A, off, size, slot):  # drop row px, keeping slot order
            arr[px:m - 1] = arr[px + 1:m].copy()
        m -= 1
        chain = [p - (p > px) for p in chain]
    return Z


# -- single linkage: minimum spanning tree --------------------------------------------------------
def mst_single(n: int, row) -> np.ndarray:
    """SciPy's ``mst_single_linkage`` (Prim); ``row(x, rest)`` gives the distances from slot
    ``x`` to the slots ``rest``. Returns the unsorted merges."""
    Z = np.empty((n - 1, 4))
    rest = np.arange(1, n, dtype=np.int64)  # not yet in the tree, ascending
    nearest = np.full(n - 1, INF)  # distance of each of ``rest`` to the tree
    x = 0
    for k in range(n - 1):
        np.minimum(nearest, row(x, rest), out=nearest)
        j = int(nearest.argmin())  # first minimum: SciPy's strict "<" scan
        y = int(rest[j])
        Z[k] = (x, y, nearest[j], 0.0)
        rest = np.delete(rest, j)
        nearest = np.delete(nearest, j)
        x = y
    return Z


# -- from unsorted merges to SciPy's linkage matrix -----------------------------------------------
def sort_and_label(Z: np.ndarray, n: int) -> np.ndarray:
    """Stable sort by distance, then name clusters ``n + i`` with a union-find (SciPy's
    ``label``), smaller id first; column 3 becomes the cluster sizes."""
    Z = Z[np.argsort(Z[:, 2], kind="mergesort")]
    parent = list(range(2 * n - 1))
    sizes = [1] * (2 * n - 1)
    pairs = Z[:, :2].astype(np.int64).tolist()
    out = np.empty((n - 1, 3))
    for i, (a, b) in enumerate(pairs):
        roots = []
        for leaf in (a, b):
            r = leaf
            while parent[r] != r:
                r = parent[r]
            while parent[leaf] != r:  # path compression
                parent[leaf], leaf = r, parent[leaf]
            roots.append(r)
        ra, rb = roots
        parent[ra] = parent[rb] = n + i
        sizes[n + i] = sizes[ra] + sizes[rb]
        out[i] = (min(ra, rb), max(ra, rb), sizes[n + i])
    Z[:, 0], Z[:, 1], Z[:, 3] = out[:, 0], out[:, 1], out[:, 2]
    return Z


# -- walks over a linkage matrix ------------------------------------------------------------------
def max_dists(Z: np.ndarray) -> np.ndarray:
    """Largest merge distance in each cluster's subtree (SciPy's
    ``get_max_dist_for_each_cluster``); children always precede their parent's row."""
    n = len(Z) + 1
    md = Z[:, 2].tolist()
    for i, (a, b) in enumerate(Z[:, :2].astype(np.int64).tolist()):
        for child in (a, b):
            if child >= n and md[child - n] > md[i]:
                md[i] = md[child - n]
    return np.asarray(md)


def monocrit_labels(Z: np.ndarray, mc: np.ndarray, cutoff: float) -> np.ndarray:
    """SciPy's ``cluster_monocrit``: a cluster per highest subtree with ``mc <= cutoff``,
    numbered 1, 2, ... in the order a left-first depth-first walk meets them."""
    n = len(Z) + 1
    children = Z[:, :2].astype(np.int64).tolist()
    mcl = mc.tolist()
    T = np.zeros(n, dtype=np.int32)
    visited = bytearray(2 * n - 1)
    stack = [2 * n - 2]
    n_cluster, leader = 0, -1
    while stack:
        root = stack[-1] - n
        a, b = children[root]
        if leader == -1 and mcl[root] <= cutoff:  # found a cluster
            leader = root
            n_cluster += 1
        if a >= n and not visited[a]:
            visited[a] = 1
            stack.append(a)
            continue
        if b >= n and not visited[b]:
            visited[b] = 1
            stack.append(b)
            continue
        for leaf in (a, b):
            if leaf < n:
                if leader == -1:  # a singleton cluster
                    n_cluster += 1
                T[leaf] = n_cluster
        if leader == root:
            leader = -1
        stack.pop()
    return T


def maxclust_cutoff(mc: np.ndarray, n: int, max_nc: int) -> float:
    """SciPy's bisection in ``cluster_maxclust_monocrit`` for the smallest ``mc[i]`` that
    leaves at most ``max_nc`` clusters. ``mc`` grows towards the root, so a cutoff leaves
    ``n - #{i: mc[i] <= cutoff}`` clusters."""
    lower, upper = -1, n - 1
    while upper - lower > 1:
        i = (lower + upper) >> 1
        if n - np.count_nonzero(mc <= mc[i]) > max_nc:
            lower = i
        else:
            upper = i
    return float(mc[upper]) if upper < n - 1 else float(mc.max())


def dendrogram_walk(Z: np.ndarray):
    """Leaf order and U-links of SciPy's ``dendrogram`` (no truncation, no sorting).

    Returns ``(leaves, icoord, dcoord)``: leaves left to right, and one ``[x0, x0, x1, x1]``
    / ``[h0, h, h, h1]`` pair per merge, in the post-order SciPy appends them.
    """
    n = len(Z) + 1
    children = Z[:, :2].astype(np.int64).tolist()
    heights = Z[:, 2].tolist()
    leaves: list[int] = []
    order: list[int] = []  # merge rows in post-order
    stack = [(2 * n - 2, False)]
    while stack:
        node, expanded = stack.pop()
        if node < n:
            leaves.append(node)
        elif expanded:
            order.append(node - n)
        else:
            a, b = children[node - n]
            stack += [(node, True), (b, False), (a, False)]
    x = [0.0] * (2 * n - 1)
    for rank, leaf in enumerate(leaves):
        x[leaf] = 5.0 + 10.0 * rank
    h = [0.0] * n + heights
    icoord = np.empty((n - 1, 4))
    dcoord = np.empty((n - 1, 4))
    for j, i in enumerate(order):
        a, b = children[i]
        icoord[j] = (x[a], x[a], x[b], x[b])
        dcoord[j] = (h[a], heights[i], heights[i], h[b])
        x[n + i] = (x[a] + x[b]) / 2
    return np.asarray(leaves, dtype=np.int64), icoord, dcoord


def cut_top(Z: np.ndarray, n_clusters: int) -> np.ndarray:
    """Clusters left after undoing the last ``n_clusters - 1`` merges (scikit-learn's
    ``_hc_cut``), numbered 0, 1, ... in order of first appearance among the observations."""
    n = len(Z) + 1
    kept = n - n_clusters  # rows 0 .. kept-1 stay merged
    root = np.arange(2 * n - 1)
    children = Z[:, :2].astype(np.int64).tolist()
    for i in range(kept - 1, -1, -1):  # parents before children: top-down
        a, b = children[i]
        root[a] = root[b] = root[n + i]
    _, first, inverse = np.unique(root[:n], return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.ravel()]
