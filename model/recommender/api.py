"""The app-facing recommender: load the latest artifact once, answer `recommend` in a few milliseconds.

At load time every per-item part of the blend that does not depend on the query is folded into one
static vector, and the LightGCN and content vectors are stacked into one matrix pre-scaled by their
weights, so a query costs one matrix-vector product, a gather over clusters, a few sparse row additions
and an `argpartition`. From `settings.recommend_exact_below` items (200,000) on, that pass over every item
is too slow, so a query scores a candidate set instead (the best items by the dot product and static term
from `candidates.CandidateIndex`, the sparse terms' items, the best groups' best items) with the same code
(`_scores` with rows), and every rule of `recommend` applies to the candidates (docs/recommender.md,
"A million items").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol

import numpy as np
import scipy.sparse as sp

from db.audience import normalise_gender
from db.settings import get_settings
from model.recommender.artifact import ArtifactMissing, latest_artifact, load_csr, read_artifact
from model.recommender.attributes import make_cluster_key
from model.recommender.content import ContentModel
from model.recommender.features import audience_agreement
from model.recommender.outfit_score import OutfitCombiner
from model.recommender.outfits import ClosetOutfit, OutfitPlanner, OutfitScore
from model.recommender.reasons import explain
from model.recommender.shopper import GENDER_CODES, clashing_gender, default_floor, first_of_each_product
from model.recommender.signals import unit_rows

EVALUATION_FILE = "evaluation.json"
EXACT_BELOW = 200_000  # catalogues with fewer items score every item; larger ones score candidates
CANDIDATES = 512  # best items by the dot product and static term (of the index's head and of the rest)
BEST_GROUPS, BEST_PER_GROUP = 8, 64  # per-group terms: the best groups' best items join the candidates
SPARSE_TOP = 512  # most candidates one sparse term adds, by value
BRAND_TABLES = 1024  # per-brand tables kept (each a float per brand: 13 KiB at 3,333 brands)


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
    gender: str | None = None  # who wears it (male / female / unisex or a shop label); None: anyone


@dataclass(frozen=True, slots=True)
class Recommendation:
    item_id: int
    big_class: str
    score: float
    probability: float
    reason: str


FLOOR_LOGIT_MARGIN = 0.01  # covers the floor logit's rounding error for floors up to 1 - 1e-14


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


class ScoreAdjustment(Protocol):
    """A post-blend term: adds to the blend scores of one query in place (the feedback hook).

    `rows` names the items `apply` may change, so a large catalogue scores them as candidates too.
    """

    def apply(self, recommender: Recommender, scores: np.ndarray, scale: float, bias: float,
              query_item_id: int | None, query_cluster: str | None) -> None: ...

    def rows(self, recommender: Recommender, query_item_id: int | None,
             query_cluster: str | None) -> np.ndarray: ...


class _Blend:
    def __init__(self, spec: dict, features: list[str]) -> None:
        self.w = dict(zip(features, spec["weights"], strict=True))
        self.scale = float(spec["scale"])
        self.bias = float(spec["bias"])


@dataclass(frozen=True, slots=True)
class _Table:
    """A per-group term of one query's blend: every item gets `values[keys[item]]` (cluster, garment
    type, audience profile, brand or variant group tables)."""

    values: np.ndarray
    keys: np.ndarray
    group: str  # which grouping: cluster, type, audience, brand or variant


@dataclass(frozen=True, slots=True)
class _Sparse:
    """A term only some items get: `values` at `rows` (co-occurrence, two-hop, type partners)."""

    values: np.ndarray
    rows: np.ndarray


@dataclass(frozen=True, slots=True)
class _Terms:
    """One query's blend as data, so the whole catalogue and a candidate subset are scored by one code
    path (`Recommender._scores`): the dot-product vector, the static column, then the additive steps in
    the order they were always added (float sums, so the whole-catalogue scores stay bit-identical)."""

    blend: _Blend
    kind: str
    vector: np.ndarray
    steps: list[_Table | _Sparse]


class _Row(NamedTuple):
    indices: np.ndarray
    data: np.ndarray

    @property
    def nnz(self) -> int:
        return len(self.indices)


def _row(matrix: sp.csr_matrix, i: int) -> _Row:
    """Row i of a CSR matrix as views of its arrays: scipy's row indexing costs about 0.1 ms a call, and a
    query reads several rows."""
    start, stop = matrix.indptr[i], matrix.indptr[i + 1]
    return _Row(matrix.indices[start:stop], matrix.data[start:stop])


def _largest(rows: np.ndarray, values: np.ndarray, most: int) -> np.ndarray:
    """The `most` rows with the largest values (all when there are no more): a sparse term with a long
    tail of small values (type partners on a large catalogue) adds those as candidates, and the rest
    must win through the index like any item."""
    if len(rows) <= most:
        return rows
    return rows[np.argpartition(-values, most - 1)[:most]]


def _sorted_unique(rows: np.ndarray) -> np.ndarray:
    """np.unique by sorting: numpy 2's hash-based unique took 0.5 ms on a query's 5,000 candidate rows,
    this 0.15 ms."""
    rows = np.sort(rows)
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = rows[1:] != rows[:-1]
    return rows[keep]


class Recommender:
    """Recommendations from a trained artifact; see docs/recommender.md."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict, evaluation: dict | None = None,
                 floor: float | None = None, exact_below: int | None = None) -> None:
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
        self.brand_brand = load_csr(arrays, "brand_brand")
        self.brand_unit = unit_rows(self.brand_brand)
        self.brand_unit_t = self.brand_unit.T.tocsr()  # transposed once, not per query
        self._brand_table = lru_cache(maxsize=BRAND_TABLES)(self._brand_table_uncached)
        self.cluster_log_prob = arrays["cluster_log_prob"]
        self.cluster_median = (np.median(self.cluster_log_prob, axis=1) if len(self.cluster_log_prob)
                               else np.zeros(0, dtype=np.float32))
        self.gcn_items = arrays["gcn_items"]
        self.gcn_clusters = arrays["gcn_clusters"]
        self.subcategory_lift = arrays["subcategory_lift"]  # outfit shape (signals.subcategory_lift)
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
        self.recommendable = recommendable
        self.everyone = np.flatnonzero(recommendable)
        # What a shopper is never shown (shopper.py): the other audience, no better than random, look-alikes.
        self.gender = arrays["gender"]
        self.lookalike = arrays["lookalike"]
        self.floor = float(floor) if floor is not None else default_floor(meta)
        self.floor_logit = float(np.log(self.floor / (1.0 - self.floor))) if self.floor > 0 else -np.inf
        # Large catalogues score a candidate set (candidates.py), small ones every item, exactly.
        self.exact_below = EXACT_BELOW if exact_below is None else int(exact_below)
        self.candidate_index = None
        if len(self.item_ids) >= self.exact_below and len(self.item_ids):
            from model.recommender.candidates import CandidateIndex, GroupTops  # faiss: large ones only

            self.candidate_index = CandidateIndex(self.stacked, self.static)
            self.group_tops = {
                name: GroupTops(keys, n_keys, self.static) for name, keys, n_keys in (
                    ("cluster", self.cluster, len(self.cluster_keys)),
                    ("type", self.garment_type, self.item_type.shape[1]),
                    ("audience", self.audience_profile, len(self.profile_agreement)),
                    ("brand", self.brand_ids, self.brand_brand.shape[1] + 1))}

    # -- loading ----------------------------------------------------------------------------------------
    @classmethod
    def load(cls, artifact_dir: Path | None = None, floor: float | None = None,
             exact_below: int | None = None, version: Path | None = None) -> Recommender:
        """The latest artifact in `settings.artifact_dir` (raises ArtifactMissing when there is none).

        `version`: this artifact directory (as `latest_artifact` returned it) instead of the latest, so a
        reloader that chose a version loads exactly that one.

        `floor` (else `settings.recommend_floor`, else the artifact's random-item probability): matches
        must have a calibrated probability above it. `exact_below` (else
        `settings.recommend_exact_below`): catalogues this large or larger score candidates.
        """
        settings = get_settings()
        artifact_dir = Path(artifact_dir or settings.artifact_dir)
        floor = floor if floor is not None else settings.recommend_floor
        exact_below = exact_below if exact_below is not None else settings.recommend_exact_below
        arrays, meta = read_artifact(Path(version) if version is not None else latest_artifact(artifact_dir))
        evaluation = None
        try:
            evaluation = json.loads((artifact_dir / EVALUATION_FILE).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            evaluation = None
        return cls(arrays, meta, evaluation, floor, exact_below)

    def __len__(self) -> int:
        return len(self.item_ids)

    # -- scoring ----------------------------------------------------------------------------------------
    def _item_terms(self, q: int) -> _Terms:
        kind = "warm" if self.popularity[q] > 0 else "cold"
        b = self.blends[kind]
        vector = np.concatenate([b.w["lightgcn"] * self.gcn_items[q],
                                 b.w["content"] * self.content_vectors[q]])
        steps: list[_Table | _Sparse] = []
        per_cluster = b.w["cluster_rule"] * self.cluster_log_prob[self.cluster[q]]
        row = _row(self.item_cluster, q)
        if row.nnz and b.w["item_cluster"]:
            per_cluster = per_cluster.copy()
            per_cluster[row.indices] += b.w["item_cluster"] * np.log1p(row.data)
        steps.append(_Table(per_cluster, self.cluster, "cluster"))
        row = _row(self.item_type, q)
        if row.nnz and b.w["item_type"]:
            per_type = np.zeros(self.item_type.shape[1], dtype=np.float32)
            per_type[row.indices] = b.w["item_type"] * np.log1p(row.data)
            steps.append(_Table(per_type, self.garment_type, "type"))
        row = _row(self.type_item, self.garment_type[q])
        if row.nnz and b.w["type_partner"]:
            steps.append(_Sparse(b.w["type_partner"] * np.log1p(row.data), row.indices))
        if self.audience_known and b.w["audience"] and (self.audience[q] >= 0).any():
            agreement = self.profile_agreement[self.audience_profile[q]]
            steps.append(_Table(b.w["audience"] * agreement, self.audience_profile, "audience"))
        steps.extend(self._brand_steps(kind, int(self.brand_ids[q])))
        row = _row(self.item_item, q)
        if row.nnz:
            steps.append(_Sparse(b.w["cooccurrence"] * np.log1p(row.data), row.indices))
            if b.w["two_hop"]:
                hop = self.item_item[q] @ self.item_item
                steps.append(_Sparse(b.w["two_hop"] * np.log1p(hop.data), hop.indices))
        row = _row(self.group_group, self.group[q])
        if self.trivial_groups:  # every item is its own product: the variant row is the item's row
            if row.nnz and b.w["variant_cooccurrence"]:
                steps.append(_Sparse(b.w["variant_cooccurrence"] * np.log1p(row.data), row.indices))
        elif row.nnz and b.w["variant_cooccurrence"]:
            per_group = np.zeros(self.group_group.shape[1], dtype=np.float32)
            per_group[row.indices] = b.w["variant_cooccurrence"] * np.log1p(row.data)
            steps.append(_Table(per_group, self.group, "variant"))
        return _Terms(b, kind, vector, steps)

    def _garment_terms(self, garment: GarmentQuery) -> tuple[_Terms, int | None]:
        b = self.blends["cold"]
        cluster = self._garment_cluster(garment)
        content = self.content.vectors([garment.name or ""], [garment.brand])[0]
        gcn = self.gcn_clusters[cluster] if cluster is not None else np.zeros(self.gcn_items.shape[1])
        vector = np.concatenate([b.w["lightgcn"] * gcn, b.w["content"] * content]).astype(np.float32)
        steps: list[_Table | _Sparse] = []
        if cluster is not None:
            per_cluster = b.w["cluster_rule"] * self.cluster_log_prob[cluster]
            steps.append(_Table(per_cluster, self.cluster, "cluster"))
        steps.extend(self._brand_steps("cold", int(self.content.brand_ids([garment.brand])[0])))
        return _Terms(b, "cold", vector, steps), cluster

    def _brand_steps(self, kind: str, brand: int) -> list[_Table | _Sparse]:
        """The same brand's bonus, the brand's usual partner brands (brand_partner) and the brands that
        share partners with it (brand_two_hop), as one per-brand table."""
        b = self.blends[kind]
        if brand < 0 or not (b.w["same_brand"] or b.w["brand_partner"] or b.w["brand_two_hop"]):
            return []
        return [self._brand_table(kind, brand)]

    def _brand_table_uncached(self, kind: str, brand: int) -> _Table:
        """`_brand_steps`' table (read-only: it is shared through the cache). With thousands of brands the
        two-hop product is nearly dense and cost 0.4-1 ms a query at 1,000,000 items, hence the cache."""
        b = self.blends[kind]
        per_brand = np.zeros(self.brand_brand.shape[1] + 1, dtype=np.float32)  # last: no brand (-1)
        row = _row(self.brand_brand, brand)
        if row.nnz and (b.w["brand_partner"] or b.w["brand_two_hop"]):
            per_brand[row.indices] = b.w["brand_partner"] * row.data
            hop = self.brand_unit[brand] @ self.brand_unit_t
            per_brand[hop.indices] += b.w["brand_two_hop"] * hop.data
        per_brand[brand] = b.w["same_brand"]  # the same brand counts once, through same_brand
        per_brand.flags.writeable = False
        return _Table(per_brand, self.brand_ids, "brand")

    def _dot(self, vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """stacked @ vector with einsum's single-threaded loop: BLAS gemv with two threads on a busy
        2-core machine was 4x slower and far less predictable (p99). `np.take` gathers the candidates'
        rows in about 0.6 of the time fancy indexing takes (3,500 rows of 1,000,000)."""
        matrix = self.stacked if rows is None else np.take(self.stacked, rows, axis=0)
        return np.einsum("ij,j->i", matrix, vector.astype(np.float32))

    def _query_scores(self, q: int) -> tuple[np.ndarray, _Blend]:
        """Every item's blend score with catalogue item q (outfits.py ranks whole pools with it)."""
        terms = self._item_terms(q)
        return self._scores(terms), terms.blend

    def _garment_scores(self, garment: GarmentQuery) -> tuple[np.ndarray, _Blend, int | None]:
        terms, cluster = self._garment_terms(garment)
        return self._scores(terms), terms.blend, cluster

    def _scores(self, terms: _Terms, rows: np.ndarray | None = None) -> np.ndarray:
        """The blend score of every item (rows None), or of `rows` only: one code path, so candidate scores
        equal the whole catalogue's. With rows, other items' entries are left 0 and mean nothing."""
        if rows is None:
            scores, where = self._dot(terms.vector), slice(None)
        else:
            scores, where = np.zeros(len(self), dtype=np.float32), rows
            scores[rows] = self._dot(terms.vector, rows)
        scores[where] += self.static[terms.kind][where]
        for step in terms.steps:
            if isinstance(step, _Table):
                scores[where] += step.values[step.keys[where]]
            else:
                scores[step.rows] += step.values
        return scores
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
                  exclude_same_big_class: bool = True, adjust: ScoreAdjustment | None = None,
                  ) -> list[Recommendation]:
        """Top items to wear with a catalogue item (item_id) or with a garment given by attributes.

        `per_big_class` caps how many come from each big class; `k` caps the total. `adjust` (the
        `feedback` variant's `model.feedback.scorer.FeedbackScorer`) may add to the scores first. Never
        returned (docs/recommender.md, "What a shopper is never shown"): an item for the other gender than
        a men-only or women-only query, a match whose probability is not above `self.floor`, and a second
        card of one product (same look-alike key, including the query's own).
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
            terms = self._item_terms(q)
            query_class = int(self.big_class[q])
            query_cluster = self.cluster_keys[self.cluster[q]]
            query_gender = int(self.gender[q])
        else:
            terms, cluster = self._garment_terms(garment)
            query_class = self._class_index(garment.big_class)
            query_cluster = self.cluster_keys[cluster] if cluster is not None else None
            query_gender = GENDER_CODES[normalise_gender(garment.gender)]
        blend = terms.blend
        rows = None
        if self.candidate_index is not None:
            extra = [adjust.rows(self, item_id, query_cluster)] if adjust is not None else []
            rows = self._candidates(terms, extra)
        scores = self._scores(terms, rows)
        if adjust is not None:
            adjust.apply(self, scores, blend.scale, blend.bias, item_id, query_cluster)
        visible = self._visible(scores, blend, query_gender, rows)
        seen = {int(self.lookalike[q])} if q is not None else set()
        excluded = query_class if exclude_same_big_class and query_class >= 0 else None
        if per_big_class is None:
            pool = visible if excluded is None else visible[self.big_class[visible] != excluded]
            chosen = self._top(scores, pool, k, seen)
        else:
            parts = [self._top(scores, visible[self.big_class[visible] == c], per_big_class, seen)
                     for c in range(len(self.big_classes)) if c != excluded]
            chosen = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            chosen = first_of_each_product(self._order(scores, chosen), self.lookalike, k, seen)
        return self._recommendations(scores, blend, chosen, q, query_cluster, garment)

    def match_classes(self, item_id: int | None = None, *, garment: GarmentQuery | None = None) -> list[str]:
        """The big classes `recommend(..., per_big_class=n)` draws from for this query (catalogue order),
        so a page can say which of them had nothing worth showing."""
        if item_id is not None:
            q = self.index.get(int(item_id))
            if q is None:
                raise UnknownItem(item_id)
            query_class = int(self.big_class[q])
        else:
            query_class = self._class_index(garment.big_class if garment else None)
        return [name for c, name in enumerate(self.big_classes)
                if c != query_class and len(self.class_members[c])]

    def _class_index(self, big_class: str | None) -> int:
        return self.big_classes.index(big_class) if big_class in self.big_classes else -1

    def _candidates(self, terms: _Terms, extra: list[np.ndarray]) -> np.ndarray:
        """Sorted rows worth scoring exactly: the index's best by the dot product plus static term, every
        item a sparse term lifts (co-occurrence, two-hop, type partners, variants), and `extra`."""
        parts = [self.candidate_index.search(terms.vector, terms.kind, CANDIDATES), *extra]
        parts += [_largest(step.rows, step.values, SPARSE_TOP) for step in terms.steps
                  if isinstance(step, _Sparse)]
        for step in terms.steps:  # a per-variant-group term lifts its groups' items
            if isinstance(step, _Table) and step.group == "variant":
                parts.append(np.flatnonzero(np.isin(self.group, np.flatnonzero(step.values))))
            elif isinstance(step, _Table):
                parts.append(self.group_tops[step.group].best(step.values, terms.kind, BEST_GROUPS,
                                                              BEST_PER_GROUP))
        return _sorted_unique(np.concatenate(parts).astype(np.int64))

    def _visible(self, scores: np.ndarray, blend: _Blend, query_gender: int,
                 rows: np.ndarray | None) -> np.ndarray:
        """Sorted recommendable items (of `rows`, else of all) that pass the floor and the gender rule."""
        if rows is None:
            return self.everyone[self._showable(scores, blend, query_gender)[self.everyone]]
        rows = rows[self.recommendable[rows]]
        return rows[self._showable(scores[rows], blend, query_gender, rows)]

    def _showable(self, scores: np.ndarray, blend: _Blend, query_gender: int,
                  rows: np.ndarray | None = None) -> np.ndarray:
        """Bool per item (or per row of `rows`, `scores` being theirs): above the probability floor and
        not for the other gender than the query."""
        logit = blend.scale * scores.astype(np.float64) + blend.bias  # as the cards' logit
        shown = logit > self.floor_logit
        # The floor's logit is inexact near probability 1 (1 - p cancels); near it, compare what the card
        # shows, its probability, so a floor set to a card's probability always excludes that card.
        near = np.flatnonzero(np.abs(logit - self.floor_logit) <= FLOOR_LOGIT_MARGIN)
        shown[near] = _sigmoid(logit[near]) > self.floor
        clash = clashing_gender(query_gender)
        if clash is not None:
            shown &= (self.gender if rows is None else self.gender[rows]) != clash
        return shown

    def _top(self, scores: np.ndarray, pool: np.ndarray, k: int, seen: set[int]) -> np.ndarray:
        """The best `k` of `pool`, one per product: over-fetch, skip look-alikes, widen when short."""
        fetch = k + len(seen)
        while True:
            fetch = min(2 * fetch + 8, len(pool))
            if fetch == 0:
                return np.zeros(0, dtype=np.int64)
            values = scores[pool]
            candidates = pool[np.argpartition(-values, fetch - 1)[:fetch]] if fetch < len(pool) else pool
            chosen = first_of_each_product(self._order(scores, candidates), self.lookalike, k, seen)
            if len(chosen) == k or fetch == len(pool):
                return chosen

    def _order(self, scores: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Score descending, ties by popularity then item id (the evaluation's rule)."""
        return chosen[np.lexsort((self.item_ids[chosen], -self.popularity[chosen], -scores[chosen]))]

    def _recommendations(self, scores: np.ndarray, blend: _Blend, chosen: np.ndarray, q: int | None,
                         query_cluster: str | None, garment: GarmentQuery | None) -> list[Recommendation]:
        """Scores, probabilities and reasons for the chosen items (evidence looked up once per query)."""
        together: dict[int, float] = {}
        if q is not None:
            row = _row(self.item_item, q)
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

    # -- whole outfits (model/recommender/outfits.py) ---------------------------------------------------
    @cached_property
    def outfits(self) -> OutfitPlanner:
        return OutfitPlanner(self, OutfitCombiner.from_dict(self.meta.get("outfit_score")))

    def score_outfit(self, items: Sequence[int | GarmentQuery]) -> OutfitScore:
        """Calibrated outfit score (코디 점수) of catalogue item ids and/or described garments."""
        return self.outfits.score_outfit(items)

    def complete_outfits(self, closet: Sequence[int | GarmentQuery], k: int = 5,
                         fill_from_shop: bool = True) -> list[ClosetOutfit]:
        """Up to k diverse outfits from the closet's garments, best first, with shop items that complete
        them when `fill_from_shop` (see docs/recommender.md, "Outfits")."""
        return self.outfits.complete_outfits(closet, k=k, fill_from_shop=fill_from_shop)


__all__ = ["ArtifactMissing", "ClosetOutfit", "GarmentQuery", "OutfitScore", "Recommendation", "Recommender",
           "UnknownItem"]
