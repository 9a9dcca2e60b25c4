"""The evaluation protocol on a hand-made data set, every metric computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.evaluation.metrics import expected_calibration_error
from model.evaluation.pair_groups import GROUPS, pair_groups, shares
from model.evaluation.protocol import Corpus, evaluate, evaluate_method, fitb_distractors, held_out_pairs
from model.recommender.data import TrainingSet, build_catalogue
from tests.model.recommender.conftest import hand_made_corpus

CATEGORIES = ["top", "top", "bottom", "bottom", "shoes", "shoes"]
TRAIN = [[0, 2], [0, 3], [1, 3], [1, 4]]  # popularity 2, 2, 1, 2, 1, 0
TEST = [[0, 2, 4]]


@pytest.fixture()
def corpus() -> Corpus:
    return hand_made_corpus(CATEGORIES, TRAIN, TEST)


class Fixed:
    """A method whose scores are given: constant, or the train co-occurrence counts."""

    def __init__(self, name: str, matrix: np.ndarray) -> None:
        self.name, self.matrix = name, matrix

    def fit(self, data: TrainingSet) -> None:
        pass

    def score(self, queries: np.ndarray) -> np.ndarray:
        return self.matrix[queries]


def cooccurrence_matrix() -> np.ndarray:
    m = np.zeros((6, 6))
    for outfit in TRAIN:
        for a in outfit:
            for b in outfit:
                if a != b:
                    m[a, b] += 1
    return m


def test_pairs_are_ordered_cross_category(corpus: Corpus) -> None:
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    assert pairs.tolist() == [[0, 2], [0, 4], [2, 0], [2, 4], [4, 0], [4, 2]]


def test_constant_scores_rank_by_popularity_then_id(corpus: Corpus) -> None:
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    distractors = fitb_distractors(pairs, corpus.category, seed=0)
    # q=0: 3 (pop 2), 2, 4, 5 -> ranks 1, 2; q=2: 0, 1, 4, 5 -> 0, 2; q=4: 0, 1, 3, 2 -> 0, 3
    ranks = [1, 2, 0, 2, 0, 3]
    result = evaluate_method(Fixed("constant", np.zeros((6, 6))), corpus, pairs, distractors, k=3)
    assert result["hit@3"] == pytest.approx(5 / 6)
    assert result["ndcg@3"] == pytest.approx(sum(1 / math.log2(r + 2) for r in ranks if r < 3) / 6)
    assert result["mrr"] == pytest.approx(sum(1 / (r + 1) for r in ranks) / 6)
    assert result["fitb4"] == 0.0  # every distractor ties with the target: ties are misses
    assert result["pairs"] == 6


def test_cooccurrence_by_hand(corpus: Corpus) -> None:
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    # Hand-picked distractors from each target's category (the target's only other item, repeated).
    distractors = np.array([[3] * 3, [5] * 3, [1] * 3, [5] * 3, [1] * 3, [3] * 3])
    # q=0: scores 2:1, 3:1 (tie, 3 more popular) -> t=2 rank 1, t=4 rank 2
    # q=2: 0:1 first -> t=0 rank 0; t=4 behind 1 (pop 2) -> rank 2
    # q=4: 1:1 first, then 0, 3 (pop 2), 2 -> t=0 rank 1, t=2 rank 3
    ranks = [1, 2, 0, 2, 1, 3]
    result = evaluate_method(Fixed("cooccurrence", cooccurrence_matrix()), corpus, pairs, distractors, k=2)
    assert result["hit@2"] == pytest.approx(3 / 6)
    assert result["ndcg@2"] == pytest.approx((2 / math.log2(3) + 1) / 6)
    assert result["mrr"] == pytest.approx(sum(1 / (r + 1) for r in ranks) / 6)
    # FITB: only (2, 0) wins strictly (1 > 0); (0, 2) ties 1 = 1 -> miss
    assert result["fitb4"] == pytest.approx(1 / 6)


def test_distractors_are_seeded_and_from_the_target_category(corpus: Corpus) -> None:
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    first = fitb_distractors(pairs, corpus.category, seed=3)
    assert np.array_equal(first, fitb_distractors(pairs, corpus.category, seed=3))
    for (_, target), row in zip(pairs, first, strict=True):
        assert target not in row
        assert all(corpus.category[d] == corpus.category[target] for d in row)


def test_real_baselines_match_the_hand_computation(corpus: Corpus, tiny_config) -> None:
    from model.recommender.methods import all_methods

    table = evaluate(all_methods(tiny_config), corpus, k=2, seed=0)
    assert set(table) == {"popularity", "cooccurrence", "rule_cluster", "lightgcn", "closet",
                          "closet_without_lightgcn"}
    assert table["cooccurrence"]["hit@2"] == pytest.approx(3 / 6)
    assert table["cooccurrence"]["mrr"] == pytest.approx(sum(1 / (r + 1) for r in [1, 2, 0, 2, 1, 3]) / 6)
    assert table["popularity"]["hit@2"] == pytest.approx(3 / 6)  # ranks 1, 2, 0, 2, 0, 3
    assert all(row["pairs"] == 6 for row in table.values())


def test_single_item_outfits_join_the_catalogue_but_form_no_pairs() -> None:
    # item 6 is a distractor: a bottom in a single-item test outfit, in no training outfit
    rows = [{"id": f"i{n}", "big_class": c, "cluster_key": f"{c}:x", "name": f"item {n}", "brand": None}
            for n, c in enumerate([*CATEGORIES, "bottom"])]
    catalogue = build_catalogue(rows)
    corpus = Corpus(TrainingSet(catalogue, TRAIN), [*TEST, [6]], catalogue.big_class.copy())
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    assert pairs.tolist() == [[0, 2], [0, 4], [2, 0], [2, 4], [4, 0], [4, 2]]  # none with item 6
    constant = evaluate([Fixed("constant", np.zeros((7, 7)))], corpus, k=3, seed=0)
    assert constant["constant"]["hit@3"] == pytest.approx(5 / 6)  # unseen item 6 loses every tie
    # A method that puts the distractor first: it outranks every target of another category.
    # q=0: 6, 3, 2, 4 -> t=2 rank 2, t=4 rank 3; q=2 (a bottom, 6 excluded): ranks 0, 2;
    # q=4: 6, 0, 1, 3, 2 -> t=0 rank 1, t=2 rank 4
    likes_six = np.zeros((7, 7))
    likes_six[:, 6] = 1.0
    table = evaluate([Fixed("likes_six", likes_six)], corpus, k=3, seed=0)
    assert table["likes_six"]["hit@3"] == pytest.approx(4 / 6)
    assert table["likes_six"]["mrr"] == pytest.approx(sum(1 / (r + 1) for r in [2, 3, 0, 2, 1, 4]) / 6)
    assert table["likes_six"]["pairs"] == 6


def test_pair_groups_by_hand() -> None:
    # items 0-4 are in training outfits, 5 is not; (0, 2) were worn together, (0, 4) never
    pairs = np.array([[0, 2], [2, 0], [0, 4], [0, 5], [5, 0], [5, 5]])
    groups = pair_groups(pairs, TRAIN, 6)
    assert {name: np.flatnonzero(mask).tolist() for name, mask in groups.items()} == {
        "worn_together": [0, 1], "seen_never_together": [2], "target_unseen": [3], "query_unseen": [4],
        "both_unseen": [5]}
    assert list(groups) == list(GROUPS)
    assert shares(groups) == pytest.approx(
        {"worn_together": 2 / 6, "seen_never_together": 1 / 6, "target_unseen": 1 / 6, "query_unseen": 1 / 6,
         "both_unseen": 1 / 6})


def test_hit_rate_by_group_by_hand(corpus: Corpus) -> None:
    by_group: dict = {}
    table = evaluate([Fixed("constant", np.zeros((6, 6)))], corpus, k=3, seed=0, by_group=by_group)
    # ranks 1, 2, 0, 2, 0, 3 (as above); (0, 2) and (2, 0) were worn together, the other four never
    assert by_group["shares"] == pytest.approx(
        {"worn_together": 2 / 6, "seen_never_together": 4 / 6, "target_unseen": 0.0, "query_unseen": 0.0,
         "both_unseen": 0.0})
    hits = by_group["hit@3"]["constant"]
    assert hits["worn_together"] == pytest.approx(1.0)
    assert hits["seen_never_together"] == pytest.approx(3 / 4)  # (4, 2) ranks 3rd from 0: a miss at k = 3
    assert hits["target_unseen"] is None
    assert table["constant"]["hit@3"] == pytest.approx(5 / 6)  # the flat row is unchanged


def test_expected_calibration_error_by_hand() -> None:
    # bin 0.1-0.2: p=0.15 x2, labels 0,1 -> |0.5-0.15| ; bin 0.9-1.0: p=0.95 x2, labels 1,1 -> |1-0.95|
    ece = expected_calibration_error(np.array([0.15, 0.15, 0.95, 0.95]), np.array([0, 1, 1, 1]))
    assert ece == pytest.approx(0.5 * 0.35 + 0.5 * 0.05)
