"""Approximate nearest neighbours for `Recommender.recommend` on large catalogues (docs/recommender.md,
"A million items").

Scoring every item costs a pass over the whole [items x 176] matrix (about 60 ms at 1,000,000 items on
the 2-core machine), so large catalogues score a candidate set instead, and the candidates are rescored
exactly. The part of the blend that is one dot product (LightGCN and content vectors, pre-scaled by their
weights) plus the per-item static term is an inner product over `[stacked, static_warm, static_cold]`
with the query `[vector, 1, 0]` (warm) or `[vector, 0, 1]` (cold), which an inverted-file index of faiss
answers by scanning a few of its lists. The index is built at load time (seconds, seeded, so two loads
of one artifact give the same index); the artifact stays faiss-free.
"""

from __future__ import annotations

import faiss
import numpy as np

KINDS = ("warm", "cold")  # the static columns, in this order
TRAIN_SAMPLE = 40  # k-means points per list (faiss warns below 39)
PROBES = 24  # inverted lists scanned per query
ADD_CHUNK = 65_536  # rows stacked with their static columns at a time (no second full-size copy)


class CandidateIndex:
    """IVF (8-bit scalar quantised) index scanned by inner product over the dot-product part of the blend.

    The coarse quantizer is L2: with an inner-product one most items fell into a few huge lists (the
    centroid with the largest norm wins every assignment). Tried and dropped: the L2 reduction of inner
    products (one more coordinate sqrt(R^2 - |x|^2)), which found fewer of the best items at the same
    number of probed lists on the synthetic benchmark's vectors.
    """

    def __init__(self, stacked: np.ndarray, static: dict[str, np.ndarray], lists: int | None = None,
                 probes: int = PROBES, seed: int = 0) -> None:
        n, dim = stacked.shape
        self.lists = lists or max(1, min(n // TRAIN_SAMPLE, int(np.sqrt(n))))
        self.probes = min(probes, self.lists)
        columns = np.stack([static[kind] for kind in KINDS], axis=1).astype(np.float32)
        width = dim + len(KINDS)
        self.quantizer = quantizer = faiss.IndexFlatL2(width)  # kept alive: the index does not own it
        self.index = faiss.IndexIVFScalarQuantizer(
            quantizer, width, self.lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        self.index.cp.seed = seed
        self.index.cp.niter = 10
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(n, size=min(n, self.lists * TRAIN_SAMPLE * 2), replace=False))
        self.index.train(np.hstack([stacked[sample], columns[sample]]))
        for start in range(0, n, ADD_CHUNK):
            part = slice(start, min(start + ADD_CHUNK, n))
            self.index.add(np.ascontiguousarray(np.hstack([stacked[part], columns[part]])))
        self.index.nprobe = self.probes
        self._kind_columns = {kind: np.eye(len(KINDS), dtype=np.float32)[i] for i, kind in enumerate(KINDS)}

    def search(self, vector: np.ndarray, kind: str, m: int) -> np.ndarray:
        """Rows of (about) the `m` items with the largest vector . stacked + static[kind]."""
        query = np.concatenate([vector.astype(np.float32), self._kind_columns[kind]])[None, :]
        _, rows = self.index.search(query, m)
        rows = rows[0]
        return rows[rows >= 0]

    @property
    def nbytes(self) -> int:
        return int(self.index.sa_code_size() * self.index.ntotal)


class GroupTops:
    """Per group (cluster, garment type, brand, audience profile), its items by static term, best first.

    A per-group term of the blend (the query's cluster-rule row, its brands' partners) lifts whole groups,
    which the index, built without it, cannot see; the best groups' best items by the per-item static term
    join the candidates instead.
    """

    def __init__(self, keys: np.ndarray, n_keys: int, static: dict[str, np.ndarray]) -> None:
        keys = np.where(keys < 0, n_keys - 1, keys)  # -1 (no brand) is the table's last entry
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n_keys))])
        self.order = {kind: np.lexsort((-static[kind], keys)) for kind in KINDS}

    def best(self, values: np.ndarray, kind: str, groups: int, per_group: int) -> np.ndarray:
        """Rows of the `per_group` best items of each of the `groups` groups with the largest values."""
        top = (np.argpartition(-values, groups - 1)[:groups] if len(values) > groups
               else np.arange(len(values)))
        starts = self.indptr[top]
        counts = np.minimum(self.indptr[top + 1] - starts, per_group)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return self.order[kind][np.repeat(starts, counts) + offsets]
