"""Outfits from a shopper's closet: score a whole outfit, and make up to k complete, diverse outfits.

Shoppers ask "what do I wear with what I own?", which the pair recommender answers one garment at a time.
Here every closet garment is scored against the others with the same calibrated pair logits `recommend`
uses (both directions combined by `outfit_score.undirected`), and an outfit's score is
`outfit_score.OutfitCombiner` over all its pairs: the one score the evaluation measures (fitb4_outfit,
compat_auc). Outfits are one top and one bottom, or one
dress (a bottom whose subcategory is `dress`), shoes when the closet has any, and outerwear, a bag and
headwear only when they raise the score. Missing classes are filled from the shop with the item that makes
the whole outfit score best. Serving code: numpy only (no torch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np

from db.audience import normalise_gender
from model.features.vocab import BIG_CLASSES
from model.recommender.attributes import cluster_subcategory, make_cluster_key, subcategory_codes
from model.recommender.outfit_score import (
    OutfitCombiner,
    features_from_grouped,
    features_from_pairs,
    undirected,
)
from model.recommender.reasons import explain
from model.recommender.shopper import GENDER_CODES
from model.recommender.signals import ITEM_SMOOTHING

if TYPE_CHECKING:
    from model.recommender.api import GarmentQuery, Recommender

OPTIONAL_ROLES = ("outerwear", "bag", "headwear")
MAX_USES = 2  # no garment in more than 2 of the k outfits
MAX_BASES = 30  # (top, bottom) pairs and dresses considered, best base pair first
CALIBRATED = SimpleNamespace(scale=1.0, bias=0.0)  # `_vector` is already the calibrated logit
CACHE_FLOATS = 8_000_000  # keep the closet's catalogue vectors for the shop step up to 32 MB (float32)


@dataclass(frozen=True, slots=True)
class OutfitPair:
    """Two members of a scored outfit (positions in the list given) and their pair's match."""

    first: int
    second: int
    probability: float
    reason: str


@dataclass(frozen=True, slots=True)
class OutfitScore:
    """`probability` is the calibrated 코디 점수: P(real outfit | a real outfit or the same shape of random
    items of the same big classes). `pairs` (strongest first) and `pair_reasons` (aligned) explain it."""

    probability: float
    logit: float
    pair_reasons: list[str]
    pairs: list[OutfitPair]

    @property
    def strongest_reason(self) -> str | None:
        return self.pair_reasons[0] if self.pair_reasons else None


@dataclass(frozen=True, slots=True)
class ShopPick:
    """A shop item that completes an outfit (chosen for the whole outfit) and why."""

    item_id: int
    big_class: str
    reason: str


@dataclass(frozen=True, slots=True)
class ClosetOutfit:
    """`members`: positions in the closet given; `score`: those garments alone; `shop_items`: the best shop
    item per missing class; `completed_score`: members plus shop items (None without shop items)."""

    members: list[int]
    score: OutfitScore
    reason: str | None
    shop_items: list[ShopPick] = field(default_factory=list)
    completed_score: OutfitScore | None = None


@dataclass
class _Member:
    """A garment as the planner sees it: catalogue index (or None for a described garment) and its role."""

    index: int | None
    garment: GarmentQuery | None
    big_class: str
    role: str | None
    cluster: int | None
    brand: int
    subcategory: int  # code into the subcategory lift table; -1: a subcategory no training item has
    content: np.ndarray | None = None  # a described garment's name/brand vector (computed once)


@dataclass(frozen=True, slots=True)
class _Pairs:
    """Symmetric [n, n] tables over a list of members: pair logits and subcategory lifts."""

    logits: np.ndarray
    lifts: np.ndarray

    def rows(self, rows: Sequence[int], cols: Sequence[int]) -> _Pairs:
        return _Pairs(self.logits[np.ix_(rows, cols)], self.lifts[np.ix_(rows, cols)])

    def within(self, positions: Sequence[int]) -> tuple[list[float], list[float]]:
        """Logits and lifts of every pair of `positions`, in `combinations` order."""
        pairs = list(combinations(positions, 2))
        return ([float(self.logits[a, b]) for a, b in pairs], [float(self.lifts[a, b]) for a, b in pairs])


def outfit_role(big_class: str, subcategory: str | None) -> str | None:
    """'dress' for a dress (a bottom in our vocabulary), else the big class; None outside the vocabulary."""
    if big_class == "bottom" and subcategory == "dress":
        return "dress"
    return big_class if big_class in BIG_CLASSES else None


class OutfitPlanner:
    """Outfit scores and closet outfits on top of a loaded `Recommender` (one per recommender)."""

    def __init__(self, rec: Recommender, combiner: OutfitCombiner) -> None:
        self.rec = rec
        self.combiner = combiner
        mass = np.bincount(rec.cluster, weights=rec.popularity + ITEM_SMOOTHING,
                           minlength=len(rec.cluster_keys))
        # log P(an item seen in no outfit | its cluster): what a described garment gets in the cluster rule
        self.unseen_log_prob = -np.log(np.maximum(mass, ITEM_SMOOTHING))
        names, self.cluster_subcategory = subcategory_codes(rec.cluster_keys)
        self.subcategory_index = {name: i for i, name in enumerate(names)}

    # -- members and pair logits ------------------------------------------------------------------------
    def _member(self, entry: int | GarmentQuery, strict: bool) -> _Member | None:
        rec = self.rec
        if isinstance(entry, (int, np.integer)):
            index = rec.index.get(int(entry))
            if index is None:
                if strict:
                    from model.recommender.api import UnknownItem
                    raise UnknownItem(entry)
                return None
            big = rec.big_classes[rec.big_class[index]]
            key = rec.cluster_keys[rec.cluster[index]]
            cluster = int(rec.cluster[index])
            return _Member(index, None, big, outfit_role(big, cluster_subcategory(key)), cluster,
                           int(rec.brand_ids[index]), int(self.cluster_subcategory[cluster]))
        cluster = rec._garment_cluster(entry)
        brand = int(rec.content.brand_ids([entry.brand])[0])
        content = (rec.content.vectors([entry.name or ""], [entry.brand])[0] if entry.name or entry.brand
                   else np.zeros(rec.content_vectors.shape[1], dtype=np.float32))  # nothing to read
        subcategory = self.subcategory_index.get(
            cluster_subcategory(make_cluster_key(entry.big_class, entry.subcategory, entry.color_family)), -1)
        return _Member(None, entry, entry.big_class, outfit_role(entry.big_class, entry.subcategory), cluster,
                       brand, subcategory, content)

    def _vector(self, member: _Member) -> np.ndarray:
        """Calibrated logits of every catalogue item with the member as the query."""
        if member.index is not None:
            scores, blend = self.rec._query_scores(member.index)
        else:
            scores, blend, _ = self.rec._garment_scores(member.garment)
        return (blend.scale * scores + blend.bias).astype(np.float32)

    def _gender(self, member: _Member) -> int:
        if member.index is not None:
            return int(self.rec.gender[member.index])
        return GENDER_CODES[normalise_gender(member.garment.gender)]

    def _garment_pair(self, a: _Member, b: _Member) -> float:
        """Cold-blend logit of described garment b for described garment a, as if b were a catalogue item of
        its cluster seen in no outfit (cluster embedding, name and brand, the cluster rule)."""
        rec = self.rec
        blend = rec.blends["cold"]
        dim = rec.gcn_clusters.shape[1]
        gcn = [rec.gcn_clusters[m.cluster] if m.cluster is not None else np.zeros(dim) for m in (a, b)]
        raw = (blend.w["lightgcn"] * float(gcn[0] @ gcn[1])
               + blend.w["content"] * float(a.content @ b.content))
        if a.cluster is not None and b.cluster is not None:
            raw += blend.w["cluster_rule"] * float(rec.cluster_log_prob[a.cluster, b.cluster]
                                                   + self.unseen_log_prob[b.cluster])
        if a.brand >= 0 and a.brand == b.brand:
            raw += blend.w["same_brand"]
        return blend.scale * raw + blend.bias

    def _cached(self, member: _Member, cache: dict | None) -> np.ndarray:
        if cache is None:
            return self._vector(member)
        key = ("item", member.index) if member.index is not None else ("garment", id(member.garment))
        if key not in cache:
            cache[key] = self._vector(member)
        return cache[key]

    def _lifts(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Subcategory lifts of codes rows x cols ([r, c]); an unknown subcategory (-1) is neutral (0)."""
        rows, cols = np.asarray(rows)[:, None], np.asarray(cols)[None, :]
        known = (rows >= 0) & (cols >= 0)
        return np.where(known, self.rec.subcategory_lift[np.maximum(rows, 0), np.maximum(cols, 0)], 0.0)

    def _pair_matrix(self, members: list[_Member], cache: dict | None = None) -> _Pairs:
        """Symmetric [n, n] pair logits (`undirected`; a described garment is seen in no outfit and only
        ever a query) and subcategory lifts. With `cache`, each member's catalogue vector is kept there for
        later use."""
        n = len(members)
        directed = np.zeros((n, n))
        known = np.array([m.index is not None for m in members], dtype=bool)
        known_index = np.array([m.index for m in members if m.index is not None], dtype=np.int64)
        for p, member in enumerate(members):
            directed[p, known] = self._cached(member, cache)[known_index]
        for p, q in combinations(range(n), 2):
            if not known[p] and not known[q]:
                directed[p, q] = self._garment_pair(members[p], members[q])
                directed[q, p] = self._garment_pair(members[q], members[p])
            elif not known[q]:
                directed[p, q] = directed[q, p]
            elif not known[p]:
                directed[q, p] = directed[p, q]
        seen = np.array([m.index is not None and self.rec.popularity[m.index] > 0 for m in members],
                        dtype=bool)
        codes = np.array([m.subcategory for m in members], dtype=np.int64)
        logits = undirected(directed, directed.T, seen[:, None], seen[None, :])
        return _Pairs(logits, self._lifts(codes, codes))

    def _reason(self, a: _Member, b: _Member) -> str:
        rec = self.rec
        together = int(rec.item_item[a.index, b.index]) if a.index is not None and b.index is not None else 0
        paired = (a.cluster is not None and b.cluster is not None
                  and bool(rec.cluster_log_prob[a.cluster, b.cluster] > rec.cluster_median[a.cluster]))
        same_brand = rec.brand_names.get(a.brand) if a.brand >= 0 and a.brand == b.brand else None
        return explain(together=together, query_cluster=self._cluster_key(a),
                       target_cluster=self._cluster_key(b), clusters_together=int(paired),
                       same_brand=same_brand)

    def _cluster_key(self, m: _Member) -> str:
        if m.cluster is not None:
            return self.rec.cluster_keys[m.cluster]
        return make_cluster_key(m.big_class, m.garment.subcategory if m.garment else None,
                                m.garment.color_family if m.garment else None)

    # -- outfit scores ----------------------------------------------------------------------------------
    def _logit(self, values: Sequence[float], lifts: Sequence[float]) -> float:
        """The outfit logit of one outfit's pair logits and subcategory lifts."""
        owner = np.zeros(len(values), dtype=np.int64)
        features = features_from_pairs(np.asarray(values), np.asarray(lifts), owner, 1)
        return float(self.combiner.logit(features)[0])

    def _outfit_score(self, members: list[_Member], matrix: _Pairs, positions: Sequence[int],
                      labels: Sequence[int] | None = None) -> OutfitScore:
        """The OutfitScore of members[positions]; pairs are reported with `labels` (default: positions)."""
        labels = list(labels if labels is not None else positions)
        pairs = list(combinations(range(len(positions)), 2))
        values, lifts = matrix.within(positions)
        logit = self._logit(values, lifts)
        order = np.argsort(-np.asarray(values), kind="stable") if values else []
        scored = [OutfitPair(labels[pairs[o][0]], labels[pairs[o][1]], float(_sigmoid(values[o])),
                             self._reason(members[positions[pairs[o][0]]], members[positions[pairs[o][1]]]))
                  for o in order]
        return OutfitScore(float(_sigmoid(logit)), logit, [p.reason for p in scored], scored)

    def score_outfit(self, items: Sequence[int | GarmentQuery]) -> OutfitScore:
        """The outfit score of catalogue items (ids) and described garments, in any order."""
        members = [self._member(entry, strict=True) for entry in items]
        return self._outfit_score(members, self._pair_matrix(members), list(range(len(members))))

    # -- closet outfits ---------------------------------------------------------------------------------
    def complete_outfits(self, closet: Sequence[int | GarmentQuery], k: int = 5,
                         fill_from_shop: bool = True) -> list[ClosetOutfit]:
        """Up to k outfits from the closet, best first; garments the artifact does not know are left out."""
        if k < 1:
            raise ValueError("k must be at least 1")
        resolved = [self._member(entry, strict=False) for entry in closet]
        where = [p for p, m in enumerate(resolved) if m is not None and m.role is not None]
        members = [resolved[p] for p in where]
        if not members:
            return []
        # a closet member's vector is needed again to pick shop items: keep them when they fit the budget
        vectors: dict = {} if len(members) * len(self.rec) <= CACHE_FLOATS else None
        matrix = self._pair_matrix(members, vectors)
        vectors = {} if vectors is None else vectors
        roles: dict[str, list[int]] = {}
        for local, m in enumerate(members):
            roles.setdefault(m.role, []).append(local)
        chosen = self._choose(members, matrix, roles, k)
        owned = {m.index for m in members if m.index is not None}
        out = []
        for outfit in chosen:
            score = self._outfit_score(members, matrix, outfit, [where[i] for i in outfit])
            picks, completed = ([], None)
            if fill_from_shop:
                picks, completed = self._fill(members, outfit, [where[i] for i in outfit], owned, vectors)
            out.append(ClosetOutfit([where[i] for i in outfit], score, score.strongest_reason, picks,
                                    completed))
        return out

    def _bases(self, pairs: _Pairs, roles: dict[str, list[int]]) -> list[tuple[int, ...]]:
        """(top, bottom) pairs and dresses, best first (a dress by its best pair with anything)."""
        matrix = pairs.logits
        scored = [(float(matrix[t, b]), (t, b))
                  for t in roles.get("top", []) for b in roles.get("bottom", [])]
        for d in roles.get("dress", []):
            others = [i for r in ("shoes", *OPTIONAL_ROLES) for i in roles.get(r, [])]
            scored.append((float(matrix[d, others].max()) if others else 0.0, (d,)))
        scored.sort(key=lambda s: -s[0])
        return [base for _, base in scored[:MAX_BASES]]

    def _best_addition(self, sub: _Pairs, values: list[float], lifts: list[float]) -> tuple[int, float]:
        """Row of the candidate whose addition scores the outfit best, and that score. `sub` holds the
        candidates' (rows) pair logits and lifts with the outfit's members (columns); `values` and `lifts`
        are those of the outfit's own pairs, which every candidate outfit shares. Scored with the outfit
        features `score_outfit` uses (`features_from_grouped`), so they are defined once."""
        scores = self.combiner.logit(features_from_grouped(sub.logits, sub.lifts, values, lifts))
        best = int(np.argmax(scores))
        return best, float(scores[best])

    def _complete(self, matrix: _Pairs, base: tuple[int, ...], roles: dict[str, list[int]],
                  usable: np.ndarray) -> tuple[list[int], float]:
        outfit = list(base)
        values, lifts = matrix.within(outfit)
        logit = self._logit(values, lifts)
        for role in ("shoes", *OPTIONAL_ROLES):
            candidates = [i for i in roles.get(role, []) if usable[i]]
            if not candidates:
                continue
            row, new_logit = self._best_addition(matrix.rows(candidates, outfit), values, lifts)
            pick = candidates[row]
            if role == "shoes" or new_logit > logit:
                values.extend(float(matrix.logits[pick, o]) for o in outfit)
                lifts.extend(float(matrix.lifts[pick, o]) for o in outfit)
                outfit.append(pick)
                logit = new_logit
        return outfit, logit

    def _choose(self, members: list[_Member], matrix: _Pairs, roles: dict[str, list[int]],
                k: int) -> list[list[int]]:
        """Greedy: the best completed outfit, then the best among those whose garments are still usable
        (each garment in at most MAX_USES outfits, no outfit twice)."""
        uses = np.zeros(len(members), dtype=np.int64)
        bases = self._bases(matrix, roles)
        cache: dict[tuple[int, ...], tuple[list[int], float]] = {}
        chosen: list[tuple[list[int], float]] = []
        seen: set[frozenset[int]] = set()
        while len(chosen) < k:
            usable = uses < MAX_USES
            best = None
            for base in bases:
                if not usable[list(base)].all():
                    continue
                entry = cache.get(base)
                if entry is None or not usable[entry[0]].all():
                    entry = cache[base] = self._complete(matrix, base, roles, usable)
                if frozenset(entry[0]) in seen:
                    continue
                if best is None or entry[1] > best[1]:
                    best = entry
            if best is None:
                break
            chosen.append(best)
            seen.add(frozenset(best[0]))
            uses[best[0]] += 1
        # a later round can beat an earlier one once a shared garment is used up: rank by score, but an
        # outfit left without shoes (the closet's were used up) never leads one that has them
        shoes = set(roles.get("shoes", []))
        return [outfit for outfit, _ in sorted(chosen, key=lambda e: (not shoes & set(e[0]), -e[1]))]

    def _fill(self, members: list[_Member], outfit: list[int], labels: list[int], owned: set[int],
              vectors: dict) -> tuple[list[ShopPick], OutfitScore | None]:
        """The best shop item per missing class for the whole outfit: shoes always, outerwear, bag and
        headwear when they raise the outfit's score. Returns the picks and the completed outfit's score."""
        rec = self.rec
        current = [members[i] for i in outfit]
        present = {m.role for m in current}
        values, lifts = self._pair_matrix(current, vectors).within(range(len(current)))
        logit = self._logit(values, lifts)
        picks: list[_Member] = []
        for role in ("shoes", *OPTIONAL_ROLES):
            if role in present or role not in rec.big_classes:
                continue
            pool = rec.class_members[rec.big_classes.index(role)]
            pool = pool[~np.isin(pool, list(owned))]
            for m in current:  # what `recommend` would show with every member (gender rule, floor)
                pool = pool[rec._showable(self._cached(m, vectors), CALIBRATED, self._gender(m))[pool]]
            if not len(pool):
                continue
            logits = np.stack([self._cached(m, vectors)[pool] for m in current], axis=1)
            codes = np.array([m.subcategory for m in current], dtype=np.int64)
            pool_codes = self.cluster_subcategory[rec.cluster[pool]]
            sub = _Pairs(logits.astype(np.float64), self._lifts(pool_codes, codes))
            best, new_logit = self._best_addition(sub, values, lifts)
            if role == "shoes" or new_logit > logit:
                member = self._member(int(rec.item_ids[pool[best]]), strict=True)
                values.extend(sub.logits[best].tolist())
                lifts.extend(sub.lifts[best].tolist())
                picks.append(member)
                current.append(member)
                logit = new_logit
        if not picks:
            return [], None
        completed = current
        matrix = self._pair_matrix(completed, vectors)
        shop_labels = [-(n + 1) for n in range(len(picks))]  # shop items: -1, -2, ... in pick order
        score = self._outfit_score(completed, matrix, list(range(len(completed))), labels + shop_labels)
        shop = []
        for n, pick in enumerate(picks):
            reason = next((p.reason for p in score.pairs if shop_labels[n] in (p.first, p.second)), "")
            shop.append(ShopPick(int(rec.item_ids[pick.index]), pick.big_class, reason))
        return shop, score


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-np.clip(x, -40, 40))))
