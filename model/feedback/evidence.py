"""Feedback evidence: what shoppers did with each (query, shown item) pair, and the score term it gives.

Two tables share one layout: per (query item, shown item) and per (query cluster, shown item), the
impressions, examinations (impressions weighted by the chance their rank was looked at), successes
(clicks or shop opens, plus survey ratings as fractional successes), shop opens and ratings. The
cluster table lets evidence about one white shirt inform the next white shirt, and serves described
garments, which have no item id.

Smoothing (`feedback_term`): the model's own match probability p, scaled to click units by the logs'
base rate rho (successes per examination-weighted model probability), is the mean of a Beta prior with
`kappa` pseudo-examinations:

    p0 = rho * p;  posterior = (C + kappa p0) / (E + kappa);  term = log(posterior / p0)

(0 for a pair nobody has seen: unknown pairs are neutral), so a handful of clicks moves a pair by a
bounded amount and a well-examined pair by what it earned. A catalogue query uses its item table, a
described garment its cluster table; each kind has its own weight, fitted by the job, and the ranking
adds weight * term to the calibrated logit. (Letting cluster evidence also inform catalogue queries,
as the prior of the item posterior, lowered the simulated click-through on Mango: a click for one
white shirt says little about the next white shirt's outfit.)
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

FEEDBACK_DIR = "feedback"
EVIDENCE_FILE = "evidence.npz"
STATS = ("impressions", "examinations", "successes", "opens", "rating_sum", "rating_count")
ITEM_KEYS = ("query_item", "item")
CLUSTER_KEYS = ("query_cluster", "item")
DEFAULT_WEIGHT = 1.0
MAX_PRIOR = 0.95
TERM_BOUND = 3.0  # |term| never exceeds this many logits, whatever the evidence


def empty_table(keys: tuple[str, ...]) -> pd.DataFrame:
    columns = {key: pd.Series(dtype=object if key == "query_cluster" else np.int64) for key in keys}
    return pd.DataFrame({**columns, **{s: pd.Series(dtype=np.float64) for s in STATS}})


@dataclass
class Evidence:
    """Everything the job keeps between runs (one file), and what the ranking reads."""

    items: pd.DataFrame = field(default_factory=lambda: empty_table(ITEM_KEYS))
    clusters: pd.DataFrame = field(default_factory=lambda: empty_table(CLUSTER_KEYS))
    rank_shown: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rank_clicks: np.ndarray = field(default_factory=lambda: np.zeros(0))
    meta: dict = field(default_factory=lambda: {
        "last_event_id": 0, "last_survey_id": 0, "eta": 1.0,
        "weights": [DEFAULT_WEIGHT, DEFAULT_WEIGHT], "weight_fitted": False,
        "successes": 0.0, "expected": 0.0, "kappa": 5.0, "runs": 0})

    @property
    def rho(self) -> float:
        """Successes per examination-weighted model probability (1 until the logs say otherwise)."""
        return self.meta["successes"] / self.meta["expected"] if self.meta["expected"] > 0 else 1.0

    # -- storage ----------------------------------------------------------------------------------------
    def save(self, directory: Path) -> Path:
        """One .npz written to a temporary name and renamed: a reader sees the old or the new file."""
        directory.mkdir(parents=True, exist_ok=True)
        arrays = {f"items_{c}": self.items[c].to_numpy() for c in (*ITEM_KEYS, *STATS)}
        arrays |= {f"clusters_{c}": self.clusters[c].to_numpy() for c in (*CLUSTER_KEYS, *STATS)}
        arrays["clusters_query_cluster"] = self.clusters["query_cluster"].to_numpy().astype(str)
        arrays |= {"rank_shown": self.rank_shown, "rank_clicks": self.rank_clicks,
                   "meta": np.array(json.dumps(self.meta))}
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        path = directory / EVIDENCE_FILE
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, directory: Path) -> Evidence:
        """The saved evidence, or empty evidence when the job has not run yet."""
        path = directory / EVIDENCE_FILE
        if not path.exists():
            return cls()
        with np.load(path, allow_pickle=False) as data:
            items = pd.DataFrame({c: data[f"items_{c}"] for c in (*ITEM_KEYS, *STATS)})
            clusters = pd.DataFrame({c: data[f"clusters_{c}"] for c in (*CLUSTER_KEYS, *STATS)})
            clusters["query_cluster"] = clusters["query_cluster"].astype(object)
            meta = json.loads(str(data["meta"]))
            return cls(items, clusters, data["rank_shown"], data["rank_clicks"], meta)


def add_tables(old: pd.DataFrame, new: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Per-pair sums of two tables (the incremental merge)."""
    if new.empty:
        return old
    if old.empty:
        return new.groupby(list(keys), as_index=False, sort=False)[list(STATS)].sum()
    both = pd.concat([old, new], ignore_index=True)
    return both.groupby(list(keys), as_index=False, sort=False)[list(STATS)].sum()


def both_directions(items: pd.DataFrame) -> pd.DataFrame:
    """The item table with each pair's evidence counted in both directions. A match is symmetric: a
    shopper with a who picks b (or passes b over) says as much about a for the next shopper with b, and
    that reaches partners the model ranked below what b's own page shows."""
    if items.empty:
        return items
    swapped = items.rename(columns={"query_item": "item", "item": "query_item"})[list(items.columns)]
    return add_tables(items, swapped, ITEM_KEYS)


def feedback_term(probability: np.ndarray, rho: float, kappa: float, successes: np.ndarray,
                  examinations: np.ndarray) -> np.ndarray:
    """log(posterior / prior) per pair; 0 where there is no evidence (unknown pairs are neutral)."""
    p0 = np.clip(rho * np.asarray(probability, dtype=np.float64), 1e-6, MAX_PRIOR)
    posterior = (successes + kappa * p0) / (examinations + kappa)
    return np.clip(np.log(np.clip(posterior, 1e-9, None) / p0), -TERM_BOUND, TERM_BOUND)
