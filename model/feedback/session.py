"""Session re-ranking in the Streamlit process: within one shopper's visit, matches like the ones
they clicked rise and matches shown several times but never clicked sink, within bounds.

It only re-orders what `Recommender.recommend` returned (nothing is added or removed) and never
moves a probability below the floor: a match the recommender judged worth showing stays above it.
A page of 30 matches costs a few microseconds (`benchmarks/bench_feedback.py`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SAME_CLUSTER_BOOST = 0.6  # logits: same subcategory and colour as a clicked match
SAME_SUBCATEGORY_BOOST = 0.3
IGNORED_PENALTY = 0.25  # per showing beyond the first without a click
MAX_SHIFT = 1.0  # |change| of any match's logit within a session


@dataclass
class SessionSignals:
    """What this session clicked (as garment kinds) and how often each item was shown."""

    clicked_items: set[int] = field(default_factory=set)
    clicked_clusters: set[str] = field(default_factory=set)
    clicked_subcategories: set[str] = field(default_factory=set)
    shown: dict[int, int] = field(default_factory=dict)

    def record_click(self, item: dict[str, Any]) -> None:
        self.clicked_items.add(int(item["id"]))
        if item.get("cluster_key"):
            self.clicked_clusters.add(str(item["cluster_key"]))
        if item.get("subcategory"):
            self.clicked_subcategories.add(str(item["subcategory"]))

    def record_shown(self, item_id: int) -> None:
        self.shown[item_id] = self.shown.get(item_id, 0) + 1


def shift(item: dict[str, Any], signals: SessionSignals) -> float:
    """The session's change to one match's logit, within +-MAX_SHIFT."""
    item_id = int(item["id"])
    boost = 0.0
    if item.get("cluster_key") in signals.clicked_clusters:
        boost = SAME_CLUSTER_BOOST
    elif item.get("subcategory") in signals.clicked_subcategories:
        boost = SAME_SUBCATEGORY_BOOST
    penalty = 0.0
    if item_id not in signals.clicked_items:
        penalty = IGNORED_PENALTY * max(0, signals.shown.get(item_id, 0) - 1)
    return max(-MAX_SHIFT, min(MAX_SHIFT, boost - penalty))


def _probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


def rerank(entries: Sequence[dict[str, Any]], signals: SessionSignals, floor: float) -> list[dict[str, Any]]:
    """Entries `{"item": ItemOut, "rec": {"score", "probability", ...}}` re-ordered by the shifted
    logit (ties keep the model's order); each rec gets `session_shift` and a probability that is the
    shifted one but never below min(its model probability, floor)."""
    if not signals.clicked_items and not any(n > 1 for n in signals.shown.values()):
        return list(entries)
    scored = []
    for position, entry in enumerate(entries):
        rec = entry["rec"]
        delta = shift(entry["item"], signals)
        logit = float(rec["score"]) + delta
        probability = max(_probability(logit), min(float(rec["probability"]), floor))
        scored.append((-logit, position, {**entry, "rec": {**rec, "probability": probability,
                                                           "session_shift": delta}}))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [entry for _, _, entry in scored]
