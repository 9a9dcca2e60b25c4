"""Test pairs grouped by what the training outfits know about them, so a table can say where hits come from.

A method can only find a partner through what training shows: pairs worn together before are the
co-occurrence baseline's ground; pairs of seen items never worn together need generalisation; a partner
(or query) seen in no training outfit can only be reached through its attributes.
"""

from __future__ import annotations

import numpy as np

from model.evaluation.metrics import hit_rate
from model.features.cooccurrence import build_cooccurrence

GROUPS = ("worn_together", "seen_never_together", "target_unseen", "query_unseen", "both_unseen")


def pair_groups(pairs: np.ndarray, train_outfits: list[list[int]], n_items: int) -> dict[str, np.ndarray]:
    """Boolean mask per group over `pairs` [P, 2] (query, target); every pair is in exactly one group."""
    if not len(pairs):
        return {name: np.zeros(0, dtype=bool) for name in GROUPS}
    counts = build_cooccurrence(train_outfits, np.full(n_items, -1), n_items, 0)
    seen = counts.item_popularity > 0
    query, target = pairs[:, 0], pairs[:, 1]
    together = np.asarray(counts.item_item[query, target]).ravel() > 0
    query_seen, target_seen = seen[query], seen[target]
    return {
        "worn_together": together,
        "seen_never_together": query_seen & target_seen & ~together,
        "target_unseen": query_seen & ~target_seen,
        "query_unseen": ~query_seen & target_seen,
        "both_unseen": ~query_seen & ~target_seen,
    }


def shares(groups: dict[str, np.ndarray]) -> dict[str, float]:
    """Share of all pairs in each group."""
    total = sum(int(mask.sum()) for mask in groups.values())
    return {name: float(mask.sum() / total) if total else 0.0 for name, mask in groups.items()}


def hit_rate_by_group(ranks: np.ndarray, groups: dict[str, np.ndarray], k: int) -> dict[str, float | None]:
    """HitRate@k inside each group (None for an empty group)."""
    return {name: hit_rate(ranks[mask], k) if mask.any() else None for name, mask in groups.items()}
