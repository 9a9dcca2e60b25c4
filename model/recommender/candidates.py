"""Approximate nearest neighbours for `Recommender.recommend` on large catalogues (docs/recommender.md,
"A million items").

Scoring every item costs a pass over the whole [items x 176] matrix (about 60 ms at 1,000,000 items on
the 2-core machine), so large catalogues score a candidate set instead, and the candidates are rescored
exactly. The part of the blend that is one dot product (LightGCN and content vectors, pre-scaled by their
weights) plus the per-item static term is an inner product over `[stacked, static_warm, static_cold]`
with the query `[vector, 1, 0]` (warm) or `[vector, 0, 1]` (cold): the rows with the largest norms are
scored exactly, the others through an inverted-file index of faiss (`CandidateIndex`). The index is built
at load time (seconds, seeded, so two loads of one artifact give the same index); the artifact stays
faiss-free.
"""

from __future__ import annotations

import faiss
import numpy as np

KINDS = ("warm", "cold")  # the static columns, in this order
TRAIN_SAMPLE = 40  # k-means points per list (faiss warns below 39)
PROBES = 16  # inverted lists scanned per query
HEAD = 8192  # rows with the largest norms, scored exactly (at most an eighth of the catalogue)
ADD_CHUNK = 65_536  # rows stacked with their static columns at a time (no second full-size copy)
SIMD_WIDTH = 16  # faiss scans 8-bit codes with SIMD only when the dimension is a multiple of 8 (16: AVX-512)


class CandidateIndex:
    """The best rows by `vector . stacked + static[kind]`: the largest-norm rows scored exactly, the rest
    through an IVF (8-bit scalar quantised) index searched by L2 after the inner-product-to-L2 reduction.

    Each row `x = [stacked, static_warm - mean, static_cold - mean]` of the rest gets one more coordinate
    sqrt(R^2 - |x|^2) (R their largest norm), so all have norm R and the L2 distance to the query
    `[vector, 1, 0, 0]` is a constant minus twice the inner product: the nearest rows are the best ones and
    the k-means lists group rows that the same queries rank high. Subtracting each static column's mean
    changes no ranking (the query's static coefficient is 1) but keeps a common offset out of the norms.

    Why a head: the best items by inner product are mostly the few with the largest norms (popular items:
    longer LightGCN vectors and a larger popularity term), the same for most queries. At 1,000,000
    structured synthetic items 96 % of a query's 50 best were among the 8,192 longest rows; one IVF over all
    rows found 70-97 % of them at 16 probes depending on the k-means seed (whether the lists holding those
    rows were probed), the head scanned exactly plus the IVF over the rest 97-98 % for every seed tried.
    The former index (an inner-product scan of an L2 quantizer over the raw rows) probed lists of outliers
    near the short query vector and found 16 %. The rows are padded with zeros to a multiple of
    SIMD_WIDTH: faiss's 8-bit scan falls back to scalar code otherwise (ten times slower).
    """

    def __init__(self, stacked: np.ndarray, static: dict[str, np.ndarray], lists: int | None = None,
                 probes: int = PROBES, seed: int = 0, head: int = HEAD) -> None:
        n, dim = stacked.shape
        columns = np.stack([static[kind] - static[kind].mean() for kind in KINDS], axis=1).astype(np.float32)
        norms = np.einsum("ij,ij->i", stacked, stacked) + np.einsum("ij,ij->i", columns, columns)
        head = min(head, n // 8)
        order = np.argsort(-norms, kind="stable")
        self.head, self.tail = np.sort(order[:head]), np.sort(order[head:])
        self.head_rows = np.ascontiguousarray(np.hstack([stacked[self.head], columns[self.head]]))
        self.lists = lists or max(1, min(len(self.tail) // TRAIN_SAMPLE, int(np.sqrt(len(self.tail)))))
        self.probes = min(probes, self.lists)
        self.width = -(-(dim + len(KINDS) + 1) // SIMD_WIDTH) * SIMD_WIDTH
        lift = np.sqrt(np.maximum(norms[self.tail].max() - norms, 0.0)).astype(np.float32)[:, None]
        padding = np.zeros((1, self.width - dim - len(KINDS) - 1), dtype=np.float32)

        def rows(part: np.ndarray) -> np.ndarray:
            return np.hstack([stacked[part], columns[part], lift[part],
                              np.broadcast_to(padding, (len(part), padding.shape[1]))])

        self.quantizer = quantizer = faiss.IndexFlatL2(self.width)  # kept alive: the index does not own it
        self.index = faiss.IndexIVFScalarQuantizer(quantizer, self.width, self.lists,
                                                   faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_L2)
        self.index.cp.seed = seed
        self.index.cp.niter = 10
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(len(self.tail), size=min(len(self.tail), self.lists * TRAIN_SAMPLE * 2),
                                    replace=False))
        self.index.train(rows(self.tail[sample]))
        for start in range(0, len(self.tail), ADD_CHUNK):
            self.index.add(rows(self.tail[start:start + ADD_CHUNK]))
        self.index.nprobe = self.probes
        self._kind_columns = {kind: np.eye(len(KINDS), dtype=np.float32)[i] for i, kind in enumerate(KINDS)}

    def search(self, vector: np.ndarray, kind: str, m: int) -> np.ndarray:
        """Rows of (about) the `m` best head rows and the `m` best other rows by
        vector . stacked + static[kind] (up to 2m rows, unsorted)."""
        query = np.concatenate([vector.astype(np.float32), self._kind_columns[kind]])
        best = self.head
        if len(best) > m:
            scores = np.einsum("ij,j->i", self.head_rows, query)  # single-threaded, as Recommender._dot
            best = best[np.argpartition(-scores, m - 1)[:m]]
        if not len(self.tail):
            return best
        padded = np.zeros(self.width, dtype=np.float32)
        padded[:len(query)] = query
        _, rows = self.index.search(padded[None, :], m)
        rows = rows[0]
        return np.concatenate([best, self.tail[rows[rows >= 0]]])

    @property
    def nbytes(self) -> int:
        return int(self.index.sa_code_size() * self.index.ntotal + self.head_rows.nbytes
                   + self.head.nbytes + self.tail.nbytes)


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
