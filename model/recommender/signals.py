"""Count-based signals: popularity, item co-occurrence and the cluster rule (the original design).

The co-occurrence counts come from the shared definition in `model.features.cooccurrence`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from model.features.cooccurrence import build_cooccurrence
from model.recommender.data import TrainingSet

ITEM_SMOOTHING = 1.0  # pseudo-count that lets unseen items of a cluster share its mass
CLUSTER_SMOOTHING = 1.0  # pseudo-count that backs a rare cluster off to the cluster prior


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

    @classmethod
    def fit(cls, data: TrainingSet) -> CountSignals:
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
                   (item_item @ types.T).astype(np.float32).tocsr())

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

    def group_pairs(self, q: np.ndarray, c: np.ndarray, group: np.ndarray) -> np.ndarray:
        return np.asarray(self.group_group[group[q], group[c]]).ravel()

    def two_hop_pairs(self, q: np.ndarray, c: np.ndarray) -> np.ndarray:
        return np.asarray(self.item_item[q].multiply(self.item_item[c]).sum(axis=1)).ravel()

    def item_cluster_pairs(self, q: np.ndarray, c: np.ndarray, item_cluster: np.ndarray) -> np.ndarray:
        return np.asarray(self.item_cluster_counts[q, item_cluster[c]]).ravel()

    def rule_scores(self, query_clusters: np.ndarray, item_cluster: np.ndarray) -> np.ndarray:
        """log P(target cluster | query cluster) + log P(target | its cluster), per catalogue item."""
        return self.cluster_log_prob[query_clusters][:, item_cluster] + self.item_in_cluster_log_prob
