"""The `feedback` variant's score term, applied inside `Recommender.recommend` through its `adjust` hook.

For the query's item (or a described garment's cluster), every shown item with evidence gets its
weighted feedback term (divided by the blend's Platt scale) added to its blend score (the term is in
calibrated-logit units, see `model.feedback.evidence`). Items without evidence are untouched, so an
empty evidence file ranks exactly like `control`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.feedback.evidence import FEEDBACK_DIR, Evidence, both_directions, feedback_term


def _slices(keys: np.ndarray) -> dict:
    """key -> slice of the rows holding it (rows sorted by key)."""
    if len(keys) == 0:
        return {}
    values, starts = np.unique(keys, return_index=True)
    stops = np.append(starts[1:], len(keys))
    return {v.item() if hasattr(v, "item") else v: slice(a, b)
            for v, a, b in zip(values, starts, stops, strict=True)}


class FeedbackScorer:
    """Evidence arranged for per-query lookups; `apply` is the recommender hook."""

    def __init__(self, evidence: Evidence) -> None:
        self.weights = (float(evidence.meta["weights"][0]), float(evidence.meta["weights"][1]))
        self.kappa = float(evidence.meta["kappa"])
        self.rho = evidence.rho
        items = both_directions(evidence.items).sort_values("query_item", kind="stable")
        clusters = evidence.clusters.assign(query_cluster=evidence.clusters["query_cluster"].astype(str))
        clusters = clusters.sort_values("query_cluster", kind="stable")
        self._item_ids = {"items": items["item"].to_numpy(np.int64),
                          "clusters": clusters["item"].to_numpy(np.int64)}
        self._stats = {name: (t["successes"].to_numpy(np.float64), t["examinations"].to_numpy(np.float64))
                       for name, t in (("items", items), ("clusters", clusters))}
        self._by_item = _slices(items["query_item"].to_numpy(np.int64))
        self._by_cluster = _slices(clusters["query_cluster"].to_numpy().astype(str))
        self._rows: dict[int, dict[str, np.ndarray]] = {}

    @classmethod
    def load(cls, artifact_dir: Path) -> FeedbackScorer:
        return cls(Evidence.load(Path(artifact_dir) / FEEDBACK_DIR))

    def __len__(self) -> int:
        return len(self._item_ids["items"]) + len(self._item_ids["clusters"])

    def rows(self, recommender: object, query_item_id: int | None, query_cluster: str | None) -> np.ndarray:
        """The recommender rows `apply` may change for this query (a large catalogue scores them too)."""
        name, part = self._part(query_item_id, query_cluster)
        if part is None:
            return np.zeros(0, dtype=np.int64)
        rows = self._recommender_rows(recommender)[name][part]
        return rows[rows >= 0]

    def _part(self, query_item_id: int | None, query_cluster: str | None) -> tuple[str, slice | None]:
        """Which table holds the query's evidence, and its slice (None: no evidence)."""
        name, key = ("items", query_item_id) if query_item_id is not None else ("clusters", query_cluster)
        part = (self._by_item if name == "items" else self._by_cluster).get(key) if key is not None else None
        return name, part

    def _recommender_rows(self, recommender: object) -> dict[str, np.ndarray]:
        """Evidence item ids as the recommender's row numbers (-1: not in its catalogue), once per model."""
        key = id(recommender)
        if key not in self._rows:
            ids = np.asarray(recommender.item_ids, dtype=np.int64)
            order = np.argsort(ids, kind="stable")
            rows = {}
            for name, wanted in self._item_ids.items():
                pos = np.clip(np.searchsorted(ids[order], wanted), 0, max(len(ids) - 1, 0))
                found = ids[order][pos] == wanted if len(ids) else np.zeros(len(wanted), bool)
                rows[name] = np.where(found, order[pos], -1)
            self._rows = {key: rows}  # one model at a time: a reloaded model replaces the old one
        return self._rows[key]

    def apply(self, recommender: object, scores: np.ndarray, scale: float, bias: float,
              query_item_id: int | None, query_cluster: str | None) -> None:
        """Add the weighted feedback term to `scores` (in place) for the pairs with evidence: the item
        table for a catalogue query, the cluster table for a described garment."""
        name, part = self._part(query_item_id, query_cluster)
        weight = self.weights[name == "items"]
        if part is None or weight == 0 or scale <= 0:
            return
        rows = self._recommender_rows(recommender)[name][part]
        successes, examinations = (s[part] for s in self._stats[name])
        known = rows >= 0
        rows, successes, examinations = rows[known], successes[known], examinations[known]
        probability = 1.0 / (1.0 + np.exp(-np.clip(scale * scores[rows] + bias, -40, 40)))
        term = feedback_term(probability, self.rho, self.kappa, successes, examinations)
        scores[rows] += (weight * term / scale).astype(scores.dtype)
