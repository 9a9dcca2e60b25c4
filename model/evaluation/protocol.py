"""The protocol: test pairs, full-catalogue ranking with fixed tie-breaks, HitRate/NDCG/MRR and FITB-4.

A method is anything with `fit(TrainingSet)` and `score(queries) -> [len(queries), n_items]`.
Ties are broken by training popularity (higher first), then by catalogue index (the catalogue is
ordered by item id), so every method is judged by the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from model.evaluation.metrics import expected_calibration_error, hit_rate, mrr, ndcg
from model.evaluation.outfits import FITB_DISTRACTORS, outfit_metrics
from model.evaluation.pair_groups import hit_rate_by_group, pair_groups, shares
from model.recommender.data import TrainingSet, training_pairs

QUERY_CHUNK = 256


class Method(Protocol):
    name: str

    def fit(self, data: TrainingSet) -> None: ...

    def score(self, queries: np.ndarray) -> np.ndarray: ...


@dataclass
class Corpus:
    """Training set (catalogue + train outfits), test outfits, and each item's protocol category."""

    training: TrainingSet
    test_outfits: list[list[int]]
    category: np.ndarray  # object: the raw big category of the format


def held_out_pairs(outfits: list[list[int]], category: np.ndarray) -> np.ndarray:
    """Every ordered (query, target) pair of distinct items in one outfit with different categories."""
    return training_pairs(outfits, category)


def popularity(outfits: list[list[int]], n_items: int) -> np.ndarray:
    counts = np.zeros(n_items, dtype=np.int64)
    for outfit in outfits:
        counts[list(set(outfit))] += 1
    return counts


def tie_break_order(pop: np.ndarray) -> np.ndarray:
    """Position of each item when sorted by popularity (desc) then index (asc); lower wins a tie."""
    order = np.lexsort((np.arange(len(pop)), -pop))
    position = np.empty(len(pop), dtype=np.int64)
    position[order] = np.arange(len(pop))
    return position


def fitb_distractors(pairs: np.ndarray, category: np.ndarray, seed: int) -> np.ndarray:
    """For each pair, 3 items of the target's category other than the target (seeded), [P, 3].

    A target alone in its category gets -1s and is left out of FITB-4.
    """
    rng = np.random.default_rng(seed)
    members = {c: np.flatnonzero(category == c) for c in np.unique(category)}
    out = np.full((len(pairs), FITB_DISTRACTORS), -1, dtype=np.int64)
    for row, (_, target) in enumerate(pairs):
        pool = members[category[target]]
        pool = pool[pool != target]
        if len(pool):
            out[row] = rng.choice(pool, size=FITB_DISTRACTORS, replace=len(pool) < FITB_DISTRACTORS)
    return out


def target_ranks(scores: np.ndarray, query: int, targets: np.ndarray, category: np.ndarray,
                 tie_position: np.ndarray) -> np.ndarray:
    """0-based rank of each target among catalogue items outside the query's category."""
    eligible = category != category[query]
    s = np.where(eligible, scores, -np.inf)
    ranks = np.empty(len(targets), dtype=np.int64)
    for i, target in enumerate(targets):
        st = s[target]
        better = (s > st) | ((s == st) & (tie_position < tie_position[target]) & eligible)
        ranks[i] = int(better.sum())
    return ranks


def rank_pairs(method: Method, corpus: Corpus, pairs: np.ndarray,
               distractors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's 0-based target rank and whether the target beat its FITB-4 distractors strictly."""
    pop = popularity(corpus.training.outfits, len(corpus.category))
    tie_position = tie_break_order(pop)
    ranks = np.zeros(len(pairs), dtype=np.int64)
    fitb = np.zeros(len(pairs), dtype=bool)
    queries = np.unique(pairs[:, 0]) if len(pairs) else np.zeros(0, dtype=np.int64)
    for start in range(0, len(queries), QUERY_CHUNK):
        chunk = queries[start:start + QUERY_CHUNK]
        scores = np.asarray(method.score(chunk), dtype=np.float64)
        for row, query in enumerate(chunk):
            where = np.flatnonzero(pairs[:, 0] == query)
            targets = pairs[where, 1]
            ranks[where] = target_ranks(scores[row], query, targets, corpus.category, tie_position)
            s = scores[row]
            fitb[where] = s[targets] > s[distractors[where]].max(axis=1)
    return ranks, fitb


def metrics(ranks: np.ndarray, fitb: np.ndarray, distractors: np.ndarray, k: int) -> dict[str, float]:
    """The table row from ranks; FITB-4 leaves out targets alone in their category (no distractors)."""
    has_distractors = distractors[:, 0] >= 0 if len(ranks) else np.zeros(0, dtype=bool)
    return {f"hit@{k}": hit_rate(ranks, k), f"ndcg@{k}": ndcg(ranks, k), "mrr": mrr(ranks),
            "fitb4": float(fitb[has_distractors].mean()) if has_distractors.any() else 0.0,
            "pairs": int(len(ranks))}


def evaluate_method(method: Method, corpus: Corpus, pairs: np.ndarray, distractors: np.ndarray,
                    k: int) -> dict[str, float]:
    """Metrics of one fitted method on the given pairs (and FITB-4 distractors)."""
    ranks, fitb = rank_pairs(method, corpus, pairs, distractors)
    return metrics(ranks, fitb, distractors, k)


def calibration_error(method: Method, pairs: np.ndarray, distractors: np.ndarray) -> float | None:
    """ECE of a method's match probability on test pairs: each target (1) against one distractor (0)."""
    probability = getattr(method, "pair_probability", None)
    if probability is None or not len(pairs):
        return None
    queries = np.concatenate([pairs[:, 0], pairs[:, 0]])
    candidates = np.concatenate([pairs[:, 1], distractors[:, 0]])
    labels = np.concatenate([np.ones(len(pairs)), np.zeros(len(pairs))])
    return expected_calibration_error(probability(queries, candidates), labels)


def evaluate(methods: list[Method], corpus: Corpus, k: int = 10, seed: int = 0,
             by_group: dict[str, dict] | None = None) -> dict[str, dict]:
    """Fit every method on the training outfits only and evaluate it on the test outfits.

    With `by_group` (a dict), it is filled with {"shares": {group: share of pairs}, "hit@k": {method:
    {group: HitRate@k}}} over the `pair_groups` of the test pairs; the returned table stays flat.
    """
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    distractors = fitb_distractors(pairs, corpus.category, seed)
    groups = None
    if by_group is not None:
        groups = pair_groups(pairs, corpus.training.outfits, len(corpus.category))
        by_group.update({"shares": shares(groups), f"hit@{k}": {}})
    table: dict[str, dict] = {}
    for method in methods:
        method.fit(corpus.training)
        ranks, fitb = rank_pairs(method, corpus, pairs, distractors)
        table[method.name] = metrics(ranks, fitb, distractors, k)
        if groups is not None:
            by_group[f"hit@{k}"][method.name] = hit_rate_by_group(ranks, groups, k)
        ece = calibration_error(method, pairs, distractors)
        if ece is not None:
            table[method.name]["ece"] = ece
        if hasattr(method, "outfit_scores"):
            table[method.name].update(outfit_metrics(method, corpus.test_outfits, corpus.category, seed))
    return table
