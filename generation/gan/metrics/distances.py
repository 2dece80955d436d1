"""Distribution and memorisation metrics on feature (or pixel) vectors, in NumPy and PyTorch only."""

import math

import numpy as np
import torch


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """||mu_a - mu_b||^2 + Tr(Sa + Sb - 2 (Sa^1/2 Sb Sa^1/2)^1/2), with symmetric square roots from eigh."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    middle = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_root = np.sqrt(np.clip(middle, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)


def pairwise_nearest(
    query: np.ndarray, reference: np.ndarray, k: int = 1, exclude_self: bool = False, chunk: int = 2048
):
    """Distances and indices of each query row's k nearest reference rows (Euclidean)."""
    ref = torch.from_numpy(np.asarray(reference, dtype=np.float32))
    dists, idxs = [], []
    for start in range(0, len(query), chunk):
        q = torch.from_numpy(np.asarray(query[start : start + chunk], dtype=np.float32))
        d = torch.cdist(q, ref)
        if exclude_self:
            rows = torch.arange(len(q))
            d[rows, rows + start] = float("inf")
        values, indices = d.topk(k, dim=1, largest=False)
        dists.append(values.numpy())
        idxs.append(indices.numpy())
    return np.concatenate(dists), np.concatenate(idxs)


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019): the share of fake samples inside the union of
    real k-NN balls, and of real samples inside the union of fake k-NN balls."""

    def coverage(manifold: np.ndarray, probes: np.ndarray) -> float:
        neighbours = min(k + 1, len(manifold))
        radii = pairwise_nearest(manifold, manifold, k=neighbours)[0][:, -1]  # k-th neighbour, self excluded
        m = torch.from_numpy(manifold.astype(np.float32))
        r = torch.from_numpy(radii.astype(np.float32))
        inside = 0
        for start in range(0, len(probes), 2048):
            p = torch.from_numpy(probes[start : start + 2048].astype(np.float32))
            inside += (torch.cdist(p, m) <= r[None, :]).any(dim=1).sum().item()
        return inside / len(probes)

    return coverage(real, fake), coverage(fake, real)


def mann_whitney_z(x: np.ndarray, y: np.ndarray) -> float:
    """Z score of the Mann-Whitney U statistic of x against y (normal approximation, ties averaged)."""
    m, n = len(x), len(y)
    combined = np.concatenate([x, y])
    order = combined.argsort(kind="mergesort")
    ranks = np.empty(len(combined))
    ranks[order] = np.arange(1, len(combined) + 1)
    _, inverse, counts = np.unique(combined, return_inverse=True, return_counts=True)
    ranks = np.bincount(inverse, weights=ranks)[inverse] / counts[inverse]
    u = ranks[:m].sum() - m * (m + 1) / 2
    return float((u - m * n / 2) / math.sqrt(m * n * (m + n + 1) / 12))


def kmeans(points: np.ndarray, clusters: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """Cluster centres (Lloyd's algorithm, k-means++ light: random distinct starting points)."""
    rng = np.random.default_rng(seed)
    centres = points[rng.choice(len(points), clusters, replace=False)].astype(np.float32)
    for _ in range(iterations):
        assign = pairwise_nearest(points, centres)[1][:, 0]
        for c in range(clusters):
            members = points[assign == c]
            if len(members):
                centres[c] = members.mean(0)
    return centres


def data_copying_ct(
    train: np.ndarray, test: np.ndarray, generated: np.ndarray, cells: int = 10, min_per_cell: int = 20
) -> float | None:
    """C_T of Meehan et al. 2020: in each cell of a k-means partition of the training set, the Mann-Whitney Z
    of generated samples' distances to their nearest training sample against held-out samples' distances,
    averaged with the test share of each cell. Clearly negative: the model copies its training data;
    about zero: it generalises like held-out data does; positive: it underfits."""
    centres = kmeans(train, min(cells, len(train)))
    test_cell = pairwise_nearest(test, centres)[1][:, 0]
    gen_cell = pairwise_nearest(generated, centres)[1][:, 0]
    test_dist = pairwise_nearest(test, train)[0][:, 0]
    gen_dist = pairwise_nearest(generated, train)[0][:, 0]
    total, weight = 0.0, 0.0
    for c in range(len(centres)):
        t, g = test_dist[test_cell == c], gen_dist[gen_cell == c]
        if len(t) >= min_per_cell and len(g) >= min_per_cell:
            share = len(t) / len(test)
            total += share * mann_whitney_z(g, t)
            weight += share
    return total / weight if weight else None  # too few samples per cell to say
