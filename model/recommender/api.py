"""The app-facing recommender: load the latest artifact once, answer `recommend` in a few milliseconds.

At load time every per-item part of the blend that does not depend on the query is folded into one
static vector, and the LightGCN and content vectors are stacked into one matrix pre-scaled by their
weights, so a query costs one matrix-vector product, a gather over clusters, a few sparse row additions
and an `argpartition`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from db.settings import get_settings
from model.recommender.artifact import ArtifactMissing, latest_artifact, load_csr, read_artifact
from model.recommender.attributes import make_cluster_key
from model.recommender.content import ContentModel
from model.recommender.features import audience_agreement
from model.recommender.reasons import explain

EVALUATION_FILE = "evaluation.json"


class UnknownItem(KeyError):
    """The item id is not in the artifact's catalogue (retrain after importing new items)."""


@dataclass(frozen=True, slots=True)
class GarmentQuery:
    """A garment described by attributes only (not in the catalogue)."""

    big_class: str
    subcategory: str | None = None
    color_family: str | None = None
    brand: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    item_id: int
    big_class: str
    score: float
    probability: float
    reason: str


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


class _Blend:
    def __init__(self, spec: dict, features: list[str]) -> None:
        self.w = dict(zip(features, spec["weights"], strict=True))
        self.scale = float(spec["scale"])
        self.bias = float(spec["bias"])


class Recommender:
    """Recommendations from a trained artifact; see docs/recommender.md."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, evaluation: dict | None = None) -> None:
        self.meta = meta
        self.evaluation = evaluation
        self.snapshot_id: str = meta["snapshot_id"]
        self.item_ids = arrays["item_ids"]
        self.index = {int(item): i for i, item in enumerate(self.item_ids.tolist())}
        self.big_classes: list[str] = meta["big_classes"]
        self.big_class = arrays["big_class"]
        self.cluster = arrays["cluster"]
        self.cluster_keys: list[str] = meta["cluster_keys"]
        self.cluster_index = {key: i for i, key in enumerate(self.cluster_keys)}
        self.cluster_big_class = arrays["cluster_big_class"]
        self.group = arrays["group"]
        self.trivial_groups = np.array_equal(self.group, np.arange(len(self.group)))
        self.popularity = arrays["popularity"]
        self.brand_ids = arrays["brand_ids"]
        self.brand_names = {i: b for b, i in meta["brands"].items()}
        self.item_item = load_csr(arrays, "item_item")
        self.item_cluster = load_csr(arrays, "item_cluster")
        self.group_group = load_csr(arrays, "group_group")
        self.garment_type = arrays["garment_type"]
        self.audience = arrays["audience"]
        # Few distinct audience profiles exist (Mango: a handful), so agreement is a table lookup per query.
        profiles, profile = np.unique(self.audience, axis=0, return_inverse=True)
        self.audience_profile = profile.reshape(-1).astype(np.int64)
        self.profile_agreement = audience_agreement(profiles, profiles, arrays["audience_weights"])
        self.audience_known = bool((self.audience >= 0).any())
        self.type_item = load_csr(arrays, "type_item")
        self.item_type = load_csr(arrays, "item_type")
        self.cluster_log_prob = arrays["cluster_log_prob"]
        self.cluster_median = (np.median(self.cluster_log_prob, axis=1) if len(self.cluster_log_prob)
                               else np.zeros(0, dtype=np.float32))
        self.gcn_items = arrays["gcn_items"]
        self.gcn_clusters = arrays["gcn_clusters"]
        self.content_vectors = arrays["content_vectors"]
        self.content = ContentModel(meta["content_vocabulary"], arrays["content_idf"],
                                    arrays.get("content_components"), meta["brands"])
        self.blends = {kind: _Blend(spec, meta["features"]) for kind, spec in meta["blends"].items()}
        self.stacked = np.ascontiguousarray(np.hstack([self.gcn_items, self.content_vectors]),
                                            dtype=np.float32)
        log_pop = np.log1p(self.popularity).astype(np.float32)
        self.static = {kind: (b.w["popularity"] * log_pop
                              + b.w["cluster_rule"] * arrays["item_in_cluster_log_prob"]).astype(np.float32)
                       for kind, b in self.blends.items()}
        recommendable = arrays["recommendable"].astype(bool)
        self.class_members = [np.flatnonzero(recommendable & (self.big_class == c))
                              for c in range(len(self.big_classes))]
        self.everyone = np.flatnonzero(recommendable)
        self.others = [np.flatnonzero(recommendable & (self.big_class != c))
                       for c in range(len(self.big_classes))]

    # -- loading ----------------------------------------------------------------------------------------
    @classmethod
    def load(cls, artifact_dir: Path | None = None) -> Recommender:
        """The latest artifact in `settings.artifact_dir` (raises ArtifactMissing when there is none)."""
        artifact_dir = Path(artifact_dir or get_settings().artifact_dir)
        arrays, meta = read_artifact(latest_artifact(artifact_dir))
        evaluation = None
        try:
            evaluation = json.loads((artifact_dir / EVALUATION_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            evaluation = None
        return cls(arrays, meta, evaluation)

    def __len__(self) -> int:
        return len(self.item_ids)

    # -- scoring ----------------------------------------------------------------------------------------
    def _query_scores(self, q: int) -> tuple[np.ndarray, _Blend]:
        kind = "warm" if self.popularity[q] > 0 else "cold"
        b = self.blends[kind]
        vector = np.concatenate([b.w["lightgcn"] * self.gcn_items[q],
                                 b.w["content"] * self.content_vectors[q]])
        scores = self._dot(vector)
        scores += self.static[kind]
        per_cluster = b.w["cluster_rule"] * self.cluster_log_prob[self.cluster[q]]
        row = self.item_cluster[q]
        if row.nnz and b.w["item_cluster"]:
            per_cluster = per_cluster.copy()
            per_cluster[row.indices] += b.w["item_cluster"] * np.log1p(row.data)
        scores += per_cluster[self.cluster]
        row = self.item_type[q]
        if row.nnz and b.w["item_type"]:
            per_type = np.zeros(self.item_type.shape[1], dtype=np.float32)
            per_type[row.indices] = b.w["item_type"] * np.log1p(row.data)
            scores += per_type[self.garment_type]
        row = self.type_item[self.garment_type[q]]
        if row.nnz and b.w["type_partner"]:
            scores[row.indices] += b.w["type_partner"] * np.log1p(row.data)
        if self.audience_known and b.w["audience"] and (self.audience[q] >= 0).any():
            agreement = self.profile_agreement[self.audience_profile[q]]
            scores += (b.w["audience"] * agreement)[self.audience_profile]
        if self.brand_ids[q] >= 0 and b.w["same_brand"]:
            scores[self.brand_ids == self.brand_ids[q]] += b.w["same_brand"]
        row = self.item_item[q]
        if row.nnz:
            scores[row.indices] += b.w["cooccurrence"] * np.log1p(row.data)
            if b.w["two_hop"]:
                hop = row @ self.item_item
                scores[hop.indices] += b.w["two_hop"] * np.log1p(hop.data)
        row = self.group_group[self.group[q]]
        if self.trivial_groups:  # every item is its own product: the variant row is the item's row
            if row.nnz and b.w["variant_cooccurrence"]:
                scores[row.indices] += b.w["variant_cooccurrence"] * np.log1p(row.data)
        elif row.nnz and b.w["variant_cooccurrence"]:
            per_group = np.zeros(self.group_group.shape[1], dtype=np.float32)
            per_group[row.indices] = b.w["variant_cooccurrence"] * np.log1p(row.data)
            scores += per_group[self.group]
        return scores, b

    def _dot(self, vector: np.ndarray) -> np.ndarray:
        """stacked @ vector with einsum's single-threaded loop: BLAS gemv with two threads on a busy
        2-core machine was 4x slower and far less predictable (p99)."""
        return np.einsum("ij,j->i", self.stacked, vector.astype(np.float32))

    def _garment_scores(self, garment: GarmentQuery) -> tuple[np.ndarray, _Blend, int | None]:
        b = self.blends["cold"]
        cluster = self._garment_cluster(garment)
        content = self.content.vectors([garment.name or ""], [garment.brand])[0]
        gcn = self.gcn_clusters[cluster] if cluster is not None else np.zeros(self.gcn_items.shape[1])
        vector = np.concatenate([b.w["lightgcn"] * gcn, b.w["content"] * content]).astype(np.float32)
        scores = self._dot(vector) + self.static["cold"]
        if cluster is not None:
            scores += (b.w["cluster_rule"] * self.cluster_log_prob[cluster])[self.cluster]
        brand = self.content.brand_ids([garment.brand])[0]
        if brand >= 0 and b.w["same_brand"]:
            scores[self.brand_ids == brand] += b.w["same_brand"]
        return scores, b, cluster

    def _garment_cluster(self, garment: GarmentQuery) -> int | None:
        """The garment's cluster, else the same subcategory in any colour, else its big class's."""
        exact = self.cluster_index.get(make_cluster_key(garment.big_class, garment.subcategory,
                                                        garment.color_family))
        if exact is not None:
            return exact
        for prefix in (f"{garment.subcategory}:", f"{garment.big_class}_any:"):
            if garment.subcategory or prefix.endswith("_any:"):
                matches = [i for key, i in self.cluster_index.items() if key.startswith(prefix)]
                if matches:
                    return max(matches, key=lambda i: self.cluster_log_prob[i].max())
        return None

    def recommend(self, item_id: int | None = None, *, garment: GarmentQuery | None = None, k: int = 10,
                  per_big_class: int | None = None,
                  exclude_same_big_class: bool = True) -> list[Recommendation]:
        """Top items to wear with a catalogue item (item_id) or with a garment given by attributes.

        `per_big_class` caps how many come from each big class; `k` caps the total.
        """
        if (item_id is None) == (garment is None):
            raise ValueError("give exactly one of item_id or garment")
        if k < 1 or (per_big_class is not None and per_big_class < 1):
            raise ValueError("k and per_big_class must be at least 1")
        q = None
        if item_id is not None:
            q = self.index.get(int(item_id))
            if q is None:
                raise UnknownItem(item_id)
            scores, blend = self._query_scores(q)
            query_class = int(self.big_class[q])
            query_cluster = self.cluster_keys[self.cluster[q]]
        else:
            scores, blend, cluster = self._garment_scores(garment)
            known = garment.big_class in self.big_classes
            query_class = self.big_classes.index(garment.big_class) if known else -1
            query_cluster = self.cluster_keys[cluster] if cluster is not None else None
        pool = self.others[query_class] if exclude_same_big_class and query_class >= 0 else self.everyone
        if per_big_class is None:
            chosen = self._top(scores, pool, k, exclude=q)
        else:
            parts = [self._top(scores, members, per_big_class, exclude=q)
                     for c, members in enumerate(self.class_members)
                     if not (exclude_same_big_class and c == query_class)]
            chosen = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            chosen = self._order(scores, chosen)[:k]
        return self._recommendations(scores, blend, chosen, q, query_cluster, garment)

    def _top(self, scores: np.ndarray, pool: np.ndarray, k: int, exclude: int | None) -> np.ndarray:
        k_inner = min(k + (exclude is not None), len(pool))
        if k_inner == 0:
            return np.zeros(0, dtype=np.int64)
        values = scores[pool]
        chosen = pool[np.argpartition(-values, k_inner - 1)[:k_inner]] if k_inner < len(pool) else pool
        if exclude is not None:
            chosen = chosen[chosen != exclude]
        return self._order(scores, chosen)[:k]

    def _order(self, scores: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Score descending, ties by popularity then item id (the evaluation's rule)."""
        return chosen[np.lexsort((self.item_ids[chosen], -self.popularity[chosen], -scores[chosen]))]

    def _recommendations(self, scores: np.ndarray, blend: _Blend, chosen: np.ndarray, q: int | None,
                         query_cluster: str | None, garment: GarmentQuery | None) -> list[Recommendation]:
        """Scores, probabilities and reasons for the chosen items (evidence looked up once per query)."""
        together: dict[int, float] = {}
        if q is not None:
            row = self.item_item[q]
            together = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        source = self.cluster_index.get(query_cluster) if query_cluster else None
        brand_q = int(self.brand_ids[q] if q is not None else self.content.brand_ids([garment.brand])[0])
        out = []
        for j in chosen.tolist():
            target_cluster = int(self.cluster[j])
            paired = source is not None and bool(
                self.cluster_log_prob[source, target_cluster] > self.cluster_median[source])
            same_brand = (self.brand_names.get(brand_q)
                          if brand_q >= 0 and brand_q == self.brand_ids[j] else None)
            logit = blend.scale * float(scores[j]) + blend.bias  # the score is the calibrated logit
            out.append(Recommendation(
                item_id=int(self.item_ids[j]), big_class=self.big_classes[self.big_class[j]], score=logit,
                probability=float(_sigmoid(np.asarray(logit))),
                reason=explain(together=int(together.get(j, 0)), query_cluster=query_cluster,
                               target_cluster=self.cluster_keys[target_cluster],
                               clusters_together=int(paired), same_brand=same_brand)))
        return out


__all__ = ["ArtifactMissing", "GarmentQuery", "Recommendation", "Recommender", "UnknownItem"]
