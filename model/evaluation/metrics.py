"""Ranking metrics from the 0-based rank of the single relevant item."""

from __future__ import annotations

import numpy as np


def hit_rate(ranks: np.ndarray, k: int) -> float:
    return float((ranks < k).mean()) if len(ranks) else 0.0


def ndcg(ranks: np.ndarray, k: int) -> float:
    """One relevant item: DCG = 1/log2(rank+2) inside the top k, ideal DCG = 1."""
    if not len(ranks):
        return 0.0
    gains = np.where(ranks < k, 1.0 / np.log2(ranks + 2.0), 0.0)
    return float(gains.mean())


def mrr(ranks: np.ndarray) -> float:
    return float((1.0 / (ranks + 1.0)).mean()) if len(ranks) else 0.0


def expected_calibration_error(probability: np.ndarray, label: np.ndarray, bins: int = 10) -> float:
    """Weighted mean |accuracy - confidence| over equal-width probability bins."""
    probability = np.asarray(probability, dtype=np.float64)
    label = np.asarray(label, dtype=np.float64)
    if not len(probability):
        return float("nan")
    which = np.minimum((probability * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(label[inside].mean() - probability[inside].mean())
    return float(error)
