"""Count-based signals: popularity, item co-occurrence and the cluster rule (the original design).

The co-occurrence counts come from the shared definition in `model.features.cooccurrence`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from model.features.cooccurrence import build_cooccurrence
from model.recommender.data import TrainingSet

ITEM_SMOOTHING = 1.0  # pseudo-count that lets unseen items of a cluster share its mass
CLUSTER_SMOOTHING = 1.0  # pseudo-count that backs a rare cluster off to the cluster prior


def brand_npmi(outfits: list[list[int]], brand_ids: np.ndarray) -> sp.csr_matrix:
    """[brands, brands] positive *normalised* PMI (in (0, 1]) of two different brands in one outfit.

    Only pairs worn together at least once get a value: a brand pair nobody wore says nothing, and
    smoothing it would reward rare brands, i.e. items the fitting outfits barely know. Normalised by
    -log p(both), so two rare brands seen together once do not get a huge raw PMI (log n) that no
    calibration fitted on common brands could tame. An unseen item of a known brand gets its brand's
    partners (the same brand is the `same_brand` feature).
    """
    n_brands = int(brand_ids.max(initial=-1)) + 1
    brand_outfits = [list({int(brand_ids[i]) for i in outfit} - {-1}) for outfit in outfits]
    counts = build_cooccurrence(brand_outfits, np.full(n_brands, -1), n_brands, 0)
    pairs = counts.item_item.tocoo()
    n = max(len(outfits), 1)
    pop = counts.item_popularity.astype(np.float64)
    joint = pairs.data / n
    pmi = np.log(joint / ((pop[pairs.row] / n) * (pop[pairs.col] / n)))
    denominator = -np.log(joint)
    values = np.where(denominator > 0, pmi / np.maximum(denominator, 1e-12), 1.0)
    keep = values > 0
    return sp.csr_matrix((values[keep].astype(np.float32), (pairs.row[keep], pairs.col[keep])),
                         shape=(n_brands, n_brands))


def subcategory_lift(outfits: list[list[int]], item_subcategory: np.ndarray, n_subcategories: int
                     ) -> np.ndarray:
    """[S, S] log of how much more often two distinct items of subcategories a and b share an outfit than
    their shares of all worn items predict, with one pseudo-count each side.

    Outfits have a shape (one pair of shoes, one bag, a top with a bottom); pair logits, fitted on pairs of
    different big classes, cannot see that a second pair of shoes or a bikini with a coat is implausible.
    Two items of one subcategory count too (a < 0 lift for a second pair of shoes).
    """
    rows = np.repeat(np.arange(len(outfits)), [len(set(o)) for o in outfits])
    cols = np.concatenate([item_subcategory[list(set(o))] for o in outfits]) if len(outfits) else rows
    per_outfit = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(outfits), n_subcategories))
    together = (per_outfit.T @ per_outfit).toarray()
    worn = np.asarray(per_outfit.sum(axis=0)).ravel()
    together -= np.diag(worn)  # an item is not its own partner
    expected = np.outer(worn, worn) / max(worn.sum(), 1.0)
    return np.log((together + 1.0) / (expected + 1.0)).astype(np.float32)


def _with_no_brand(table: sp.csr_matrix) -> sp.csr_matrix:
    """`table` with an empty last row and column (index -1 = no brand)."""
    n = table.shape[0] + 1
    return sp.csr_matrix((table.data, table.indices, np.append(table.indptr, table.indptr[-1])), shape=(n, n))


def unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to length 1 (empty rows stay empty): a brand's partner profile, for cosines."""
    if not matrix.shape[0]:
        return matrix.astype(np.float32)
    return normalize(matrix, norm="l2", axis=1).tocsr().astype(np.float32)


@dataclass
class CountSignals:
    """Co-occurrence counts and the cluster rule's log-probabilities, fitted on training outfits."""

    item_item: sp.csr_matrix  # outfits containing both items
    popularity: np.ndarray  # outfits containing the item
    cluster_log_prob: np.ndarray  # [query cluster, target cluster] log P(target cluster | query cluster)
    item_in_cluster_log_prob: np.ndarray  # per item: log P(item | its cluster)
    item_cluster_counts: sp.csr_matrix  # [item, cluster]: co-occurrences of the item with the cluster's items
    group_group: sp.csr_matrix  # [group, group]: outfits containing both variant groups
    type_item: sp.csr_matrix  # [garment type, item]: co-occurrences of the type's items with the item
    item_type: sp.csr_matrix  # [item, garment type]: co-occurrences of the item with the type's items
    brand_brand: sp.csr_matrix  # [brand, brand]: positive normalised PMI of two brands worn together
    # [subcategory, subcategory] (`attributes.subcategory_codes` of the cluster keys): `subcategory_lift`
    subcategory_lift: np.ndarray

    @classmethod
    def fit(cls, data: TrainingSet, brand_ids: np.ndarray | None = None) -> CountSignals:
        """`brand_ids`: each item's brand number (-1 none), as the content model numbers them."""
        cat = data.catalogue
        counts = build_cooccurrence(data.outfits, cat.cluster, len(cat), cat.n_clusters)
        item_item = counts.item_item
        popularity = np.asarray(counts.item_popularity, dtype=np.float64)
        cc = counts.cluster_cluster.toarray().astype(np.float64)
        np.fill_diagonal(cc, 0.0)
        prior = cc.sum(axis=0) + 1.0
        prior /= prior.sum()
        cluster_log_prob = np.log((cc + CLUSTER_SMOOTHING * prior) / (cc.sum(axis=1, keepdims=True)
                                                                      + CLUSTER_SMOOTHING))
        cluster_mass = np.bincount(cat.cluster, weights=popularity + ITEM_SMOOTHING,
                                   minlength=cat.n_clusters)
        item_log_prob = np.log((popularity + ITEM_SMOOTHING) / cluster_mass[cat.cluster])
        membership = sp.csr_matrix((np.ones(len(cat)), (np.arange(len(cat)), cat.cluster)),
                                   shape=(len(cat), cat.n_clusters))
        item_item = item_item.astype(np.float32).tocsr()
        n_groups = int(cat.group.max()) + 1 if len(cat) else 0
        group_outfits = [list({int(cat.group[i]) for i in outfit}) for outfit in data.outfits]
        group_counts = build_cooccurrence(group_outfits, np.full(n_groups, -1), n_groups, 0)
        types = sp.csr_matrix((np.ones(len(cat)), (cat.garment_type, np.arange(len(cat)))),
                              shape=(cat.n_types, len(cat)))
        return cls(item_item, popularity.astype(np.float64), cluster_log_prob.astype(np.float32),
                   item_log_prob.astype(np.float32), (item_item @ membership).astype(np.float32).tocsr(),
                   group_counts.item_item.astype(np.float32).tocsr(),
                   (types @ item_item).astype(np.float32).tocsr(),
                   (item_item @ types.T).astype(np.float32).tocsr(),
                   brand_npmi(data.outfits, brand_ids if brand_ids is not None else np.full(len(cat), -1)),
                   subcategory_lift(data.outfits, cat.item_subcategory, cat.n_subcategories))

    def cooccurrence_rows(self, queries: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items] counts of outfits shared with each query item."""
        return self.item_item[queries].toarray()

    def two_hop_rows(self, queries: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: co-occurrences with the items the query was worn with."""
        return (self.item_item[queries] @ self.item_item).toarray()

    def item_cluster_rows(self, queries: np.ndarray, item_cluster: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: how often the query was worn with items of each item's cluster."""
        return self.item_cluster_counts[queries].toarray()[:, item_cluster]

    def group_rows(self, queries: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: outfits pairing the query's product with each item's product."""
        return self.group_group[group[queries]].toarray()[:, group]

    def type_rows(self, queries: np.ndarray, garment_type: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: how often garments of the query's type were worn with each item."""
        return self.type_item[garment_type[queries]].toarray()

    def item_type_rows(self, queries: np.ndarray, garment_type: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: how often the query was worn with garments of each item's type."""
        return self.item_type[queries].toarray()[:, garment_type]

    def item_type_pairs(self, q: np.ndarray, c: np.ndarray, garment_type: np.ndarray) -> np.ndarray:
        return np.asarray(self.item_type[q, garment_type[c]]).ravel()

    def type_pairs(self, q: np.ndarray, c: np.ndarray, garment_type: np.ndarray) -> np.ndarray:
        return np.asarray(self.type_item[garment_type[q], c]).ravel()

    def brand_rows(self, queries: np.ndarray, brand_ids: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: how much more often the two brands are worn together than chance."""
        npmi, _ = self._brand_tables
        return npmi[brand_ids[queries]].toarray()[:, brand_ids]

    def brand_pairs(self, q: np.ndarray, c: np.ndarray, brand_ids: np.ndarray) -> np.ndarray:
        npmi, _ = self._brand_tables
        return np.asarray(npmi[brand_ids[q], brand_ids[c]]).ravel()

    def brand_two_hop_rows(self, queries: np.ndarray, brand_ids: np.ndarray) -> np.ndarray:
        """Dense [len(queries), n_items]: cosine of the two brands' partner profiles (0: the same brand)."""
        _, unit = self._brand_tables
        hop = (unit[brand_ids[queries]] @ unit.T).toarray()
        hop[np.arange(len(queries)), brand_ids[queries]] = 0.0  # the same brand is `same_brand`'s
        return hop[:, brand_ids]

    def brand_two_hop_pairs(self, q: np.ndarray, c: np.ndarray, brand_ids: np.ndarray) -> np.ndarray:
        _, unit = self._brand_tables
        hop = np.asarray(unit[brand_ids[q]].multiply(unit[brand_ids[c]]).sum(axis=1)).ravel()
        return np.where(brand_ids[q] == brand_ids[c], 0.0, hop)

    @cached_property
    def _brand_tables(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """brand_brand and its unit rows, built once, each with an empty last row and column so that
        brand number -1 (none) reads zeros."""
        return _with_no_brand(self.brand_brand), _with_no_brand(unit_rows(self.brand_brand))

    def group_pairs(self, q: np.ndarray, c: np.ndarray, group: np.ndarray) -> np.ndarray:
        return np.asarray(self.group_group[group[q], group[c]]).ravel()

    def two_hop_pairs(self, q: np.ndarray, c: np.ndarray) -> np.ndarray:
        return np.asarray(self.item_item[q].multiply(self.item_item[c]).sum(axis=1)).ravel()

    def item_cluster_pairs(self, q: np.ndarray, c: np.ndarray, item_cluster: np.ndarray) -> np.ndarray:
        return np.asarray(self.item_cluster_counts[q, item_cluster[c]]).ravel()

    def rule_scores(self, query_clusters: np.ndarray, item_cluster: np.ndarray) -> np.ndarray:
        """log P(target cluster | query cluster) + log P(target | its cluster), per catalogue item."""
        return self.cluster_log_prob[query_clusters][:, item_cluster] + self.item_in_cluster_log_prob
