"""Outfit-level metrics: FITB-4 over whole outfits and the compatibility AUC (issue 12).

A method that can score outfits has `outfit_scores(outfits: list[list[int]]) -> array` (higher = more
likely a real outfit). Single-item outfits form no outfit and are skipped by both metrics.

- `fitb4_outfit`: for each test outfit with 3 or more items and each of its items, the rest of the outfit is
  the context and the candidates are the item plus 3 seeded random items of its big class (never one of
  the outfit's items); a hit when the true item's outfit scores strictly above every distractor's.
- `compat_auc`: AUC of the outfit score, test outfits (2 or more items) against the same outfits with every
  item swapped (seeded) for a random item of its big class.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from scipy.stats import rankdata

FITB_DISTRACTORS = 3  # FITB-4: the true item and 3 distractors, as in the pair protocol
FITB_MIN_ITEMS = 3


class OutfitMethod(Protocol):
    name: str

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray: ...


class _ClassPools:
    """Catalogue items per big class, for seeded same-class draws that avoid an outfit's own items."""

    def __init__(self, category: np.ndarray) -> None:
        self.category = category
        self.members = {c: np.flatnonzero(category == c) for c in np.unique(category)}

    def draw(self, item: int, outfit: list[int], n: int, rng: np.random.Generator) -> np.ndarray | None:
        """n items of `item`'s class outside the outfit (with replacement only when fewer exist); None
        when there is none."""
        pool = self.members[self.category[item]]
        pool = pool[~np.isin(pool, outfit)]
        if not len(pool):
            return None
        return rng.choice(pool, size=n, replace=len(pool) < n)


def swapped_outfits(outfits: list[list[int]], category: np.ndarray,
                    rng: np.random.Generator) -> list[list[int]]:
    """Each outfit with every item swapped for a random item of its class (kept when it is alone in it)."""
    pools = _ClassPools(category)
    out = []
    for outfit in outfits:
        swapped = []
        for item in outfit:
            pick = pools.draw(item, outfit + swapped, 1, rng)
            swapped.append(int(pick[0]) if pick is not None else item)
        out.append(swapped)
    return out


def one_swapped(outfits: list[list[int]], category: np.ndarray, rng: np.random.Generator,
                min_items: int = FITB_MIN_ITEMS) -> tuple[np.ndarray, list[list[int]]]:
    """The fill-in-the-blank question's shape: for each outfit of at least `min_items` distinct items and
    each of its items, the outfit with that one item swapped for a random item of its class. Returns the
    index of the original outfit in `outfits` and the swapped outfit, row by row."""
    pools = _ClassPools(category)
    owner, fake = [], []
    for index, outfit in enumerate(outfits):
        distinct = list(dict.fromkeys(int(i) for i in outfit))
        if len(distinct) < min_items:
            continue
        for position, item in enumerate(distinct):
            pick = pools.draw(item, distinct, 1, rng)
            if pick is not None:
                owner.append(index)
                fake.append(distinct[:position] + [int(pick[0])] + distinct[position + 1:])
    return np.asarray(owner, dtype=np.int64), fake


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """P(a positive scores above a negative), ties counting one half (Mann-Whitney U / (n_pos n_neg))."""
    positive, negative = np.asarray(positive, dtype=np.float64), np.asarray(negative, dtype=np.float64)
    if not len(positive) or not len(negative):
        return float("nan")
    ranks = rankdata(np.concatenate([positive, negative]))
    u = ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2.0
    return float(u / (len(positive) * len(negative)))


def scorable(outfits: list[list[int]], min_items: int) -> list[list[int]]:
    """Outfits (their distinct items, in order) with at least `min_items` items."""
    distinct = [list(dict.fromkeys(int(i) for i in outfit)) for outfit in outfits]
    return [o for o in distinct if len(o) >= min_items]


def fitb4_outfit(method: OutfitMethod, test_outfits: list[list[int]], category: np.ndarray,
                 seed: int) -> tuple[float, int]:
    """(accuracy, number of questions) of outfit-level FITB-4."""
    rng = np.random.default_rng(seed)
    pools = _ClassPools(category)
    candidates: list[list[int]] = []
    for outfit in scorable(test_outfits, FITB_MIN_ITEMS):
        for position, item in enumerate(outfit):
            distractors = pools.draw(item, outfit, FITB_DISTRACTORS, rng)
            if distractors is None:
                continue
            context = outfit[:position] + outfit[position + 1:]
            candidates.extend(context + [int(c)] for c in [item, *distractors.tolist()])
    if not candidates:
        return 0.0, 0
    scores = np.asarray(method.outfit_scores(candidates), dtype=np.float64).reshape(-1, 1 + FITB_DISTRACTORS)
    hits = scores[:, 0] > scores[:, 1:].max(axis=1)
    return float(hits.mean()), int(len(hits))


def compat_auc(method: OutfitMethod, test_outfits: list[list[int]], category: np.ndarray,
               seed: int) -> tuple[float, int]:
    """(AUC, number of real outfits) of the outfit score, real outfits against same-class swaps."""
    real = scorable(test_outfits, 2)
    if not real:
        return float("nan"), 0
    fake = swapped_outfits(real, category, np.random.default_rng(seed))
    scores = np.asarray(method.outfit_scores(real + fake), dtype=np.float64)
    return auc(scores[:len(real)], scores[len(real):]), len(real)


def outfit_metrics(method: OutfitMethod, test_outfits: list[list[int]], category: np.ndarray,
                   seed: int) -> dict[str, float | int]:
    """The two metrics (and how many questions / outfits each used) for the evaluation table."""
    fitb, questions = fitb4_outfit(method, test_outfits, category, seed)
    area, outfits = compat_auc(method, test_outfits, category, seed)
    return {"fitb4_outfit": fitb, "fitb4_outfit_questions": questions, "compat_auc": area,
            "compat_outfits": outfits}
