"""The methods the evaluation compares, all built from one fitted `ClosetModel` per training set."""

from __future__ import annotations

import dataclasses

import numpy as np

from model.recommender.data import TrainingSet
from model.recommender.model import ClosetConfig, ClosetModel
from model.recommender.outfit_score import closet_outfit_scores, summed_pair_scores


class SharedFit:
    """Fits the Closet model once per training set; every method reads its own signal from it."""

    def __init__(self, config: ClosetConfig | None = None) -> None:
        self.config = config
        self._data: TrainingSet | None = None
        self.model: ClosetModel | None = None

    def get(self, data: TrainingSet) -> ClosetModel:
        if self._data is not data:
            self.model = ClosetModel(self.config).fit(data)
            self._data = data
        return self.model


class _Method:
    name = ""

    def __init__(self, shared: SharedFit) -> None:
        self.shared = shared
        self.model: ClosetModel | None = None

    def fit(self, data: TrainingSet) -> None:
        self.model = self.shared.get(data)


class Popularity(_Method):
    """Number of training outfits containing the candidate."""

    name = "popularity"

    def score(self, queries: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.model.signals.popularity, (len(queries), len(self.model.data.catalogue)))

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        """Sum of the items' popularity."""
        popularity = self.model.signals.popularity
        return np.array([popularity[list(outfit)].sum() for outfit in outfits], dtype=np.float64)


class Cooccurrence(_Method):
    """Number of training outfits containing both the query and the candidate (ties: popularity)."""

    name = "cooccurrence"

    def score(self, queries: np.ndarray) -> np.ndarray:
        return self.model.signals.cooccurrence_rows(np.asarray(queries))

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        """Co-occurrence summed over every pair of the outfit."""
        counts = self.model.signals.item_item
        return summed_pair_scores(lambda q, c: np.asarray(counts[q, c]).ravel(), outfits, None)


class RuleCluster(_Method):
    """The original rule: partner clusters by cluster co-occurrence, then items within a cluster."""

    name = "rule_cluster"

    def score(self, queries: np.ndarray) -> np.ndarray:
        cluster = self.model.data.catalogue.cluster
        return self.model.signals.rule_scores(cluster[np.asarray(queries)], cluster)

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        """The rule summed over both directions of every cross-class pair."""
        s, cluster = self.model.signals, self.model.data.catalogue.cluster

        def rule(q: np.ndarray, c: np.ndarray) -> np.ndarray:
            return (s.cluster_log_prob[cluster[q], cluster[c]] + s.item_in_cluster_log_prob[c]
                    + s.cluster_log_prob[cluster[c], cluster[q]] + s.item_in_cluster_log_prob[q])
        return summed_pair_scores(rule, outfits, self.model.data.catalogue.big_class)


class LightGCNOnly(_Method):
    """Dot products of LightGCN embeddings (unseen items through their cluster node)."""

    name = "lightgcn"

    def score(self, queries: np.ndarray) -> np.ndarray:
        items = self.model.gcn.item_embedding
        return items[np.asarray(queries)] @ items.T

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        """Embedding dot products summed over every cross-class pair."""
        items = self.model.gcn.item_embedding
        return summed_pair_scores(lambda q, c: (items[q] * items[c]).sum(axis=1), outfits,
                                  self.model.data.catalogue.big_class)


class Closet(_Method):
    """The blend the app uses; its sigmoid is the match probability."""

    name = "closet"

    def score(self, queries: np.ndarray) -> np.ndarray:
        return self.model.score(np.asarray(queries))

    def pair_probability(self, queries: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        return self.model.pair_probability(queries, candidates)

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        """The learnt outfit score the app shows (`Recommender.score_outfit`), as a logit."""
        return closet_outfit_scores(self.model, outfits)


class ClosetWithoutLightGCN(Closet):
    """The same blend refitted without the LightGCN feature: what LightGCN adds to Closet."""

    name = "closet_without_lightgcn"


METHODS = (Popularity, Cooccurrence, RuleCluster, LightGCNOnly, Closet)


def all_methods(config: ClosetConfig | None = None) -> list[_Method]:
    """Every method on one shared fit, plus `closet_without_lightgcn` on a fit without LightGCN."""
    config = config or ClosetConfig()
    shared = SharedFit(config)
    without = SharedFit(dataclasses.replace(config, use_lightgcn=False))
    return [cls(shared) for cls in METHODS] + [ClosetWithoutLightGCN(without)]
