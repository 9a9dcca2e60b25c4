"""Co-occurrence counts from outfits: the one definition training, candidates and evaluation share.

Items are row indices ``0 .. n_items-1`` (the caller maps database ids to indices), clusters are
indices ``0 .. n_clusters-1``; an item whose cluster is negative has no cluster and is left out of the
cluster counts only.

- ``item_item[i, j]``: number of outfits containing both item i and item j (i != j); zero diagonal.
- ``cluster_cluster[a, b]``: number of outfits in which two *distinct* items have clusters a and b.
  For a != b that is "outfits containing both clusters"; the diagonal ``[a, a]`` counts outfits with
  at least two distinct items of cluster a (two black tees worn together), so a cluster is never
  its own partner through a single item.
- ``item_popularity[i]``: outfits containing item i; ``cluster_popularity[a]``: outfits containing at
  least one item of cluster a.
An item listed twice in one outfit counts once. All matrices are symmetric ``scipy.sparse`` CSR
with int64 counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Cooccurrence:
    """Sparse co-occurrence counts and popularity (see the module docstring for the definitions)."""

    item_item: sp.csr_matrix
    cluster_cluster: sp.csr_matrix
    item_popularity: np.ndarray
    cluster_popularity: np.ndarray
    n_outfits: int


def _incidence(outfits: Sequence[Sequence[int]], n_items: int) -> sp.csr_matrix:
    """Binary outfit x item matrix (duplicates inside an outfit collapse to one)."""
    lengths = np.fromiter((len(o) for o in outfits), dtype=np.int64, count=len(outfits))
    columns = (np.fromiter((i for o in outfits for i in o), dtype=np.int64, count=int(lengths.sum()))
               if len(outfits) else np.zeros(0, dtype=np.int64))
    if columns.size and (columns.min() < 0 or columns.max() >= n_items):
        bad = int(columns[(columns < 0) | (columns >= n_items)][0])
        raise ValueError(f"item index {bad} outside 0..{n_items - 1}")
    rows = np.repeat(np.arange(len(outfits), dtype=np.int64), lengths)
    matrix = sp.csr_matrix((np.ones(columns.size, dtype=np.int64), (rows, columns)),
                           shape=(len(outfits), n_items))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def build_cooccurrence(outfits: Sequence[Sequence[int]], item_cluster: Sequence[int] | np.ndarray,
                       n_items: int, n_clusters: int) -> Cooccurrence:
    """Count item-item and cluster-cluster co-occurrence over `outfits` (lists of item indices)."""
    item_cluster = np.asarray(item_cluster, dtype=np.int64)
    if item_cluster.shape != (n_items,):
        raise ValueError(f"item_cluster must have one entry per item ({n_items}), got {item_cluster.shape}")
    if item_cluster.size and item_cluster.max(initial=-1) >= n_clusters:
        raise ValueError(f"cluster index {int(item_cluster.max())} outside 0..{n_clusters - 1}")

    incidence = _incidence(outfits, n_items)
    item_item = (incidence.T @ incidence).tocsr()
    item_item.setdiag(0)
    item_item.eliminate_zeros()
    item_popularity = np.asarray(incidence.sum(axis=0)).ravel().astype(np.int64)

    clustered = np.flatnonzero(item_cluster >= 0)
    membership = sp.csr_matrix(
        (np.ones(clustered.size, dtype=np.int64), (clustered, item_cluster[clustered])),
        shape=(n_items, n_clusters),
    )
    per_outfit = (incidence @ membership).tocsr()  # distinct items of each cluster in each outfit
    present = per_outfit.copy()
    present.data = (present.data > 0).astype(np.int64)
    cluster_cluster = (present.T @ present).tolil()
    pairs_within = np.asarray((per_outfit >= 2).sum(axis=0)).ravel().astype(np.int64)
    cluster_cluster.setdiag(pairs_within)
    cluster_cluster = cluster_cluster.tocsr()
    cluster_cluster.eliminate_zeros()
    cluster_popularity = np.asarray(present.sum(axis=0)).ravel().astype(np.int64)

    return Cooccurrence(
        item_item=item_item.astype(np.int64), cluster_cluster=cluster_cluster.astype(np.int64),
        item_popularity=item_popularity, cluster_popularity=cluster_popularity, n_outfits=len(outfits),
    )
