"""Outfit-level metrics (fitb4_outfit, compat_auc) on a hand-made data set, every figure worked out by hand.

Each big class has exactly two items, so every same-class draw is the class's other item whatever the seed.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from model.evaluation.outfits import (
    auc,
    compat_auc,
    fitb4_outfit,
    one_swapped,
    outfit_metrics,
    swapped_outfits,
)
from model.evaluation.protocol import Corpus, evaluate
from model.recommender.data import TrainingSet
from model.recommender.methods import Cooccurrence, Popularity
from model.recommender.signals import CountSignals
from tests.model.recommender.conftest import hand_made_corpus

CATEGORIES = ["top", "top", "bottom", "bottom", "shoes", "shoes"]
# co-occurrence: (0,2)=2 (0,4)=1 (0,5)=1 (2,5)=1 (1,3)=1 (1,4)=1 (3,4)=1; popularity 3, 1, 2, 1, 2, 1
TRAIN = [[0, 2], [0, 2, 5], [1, 3, 4], [0, 4]]
TEST = [[0, 2, 4], [1, 3], [5]]  # [5] is a single-item outfit (a distractor outfit): no outfit to score


@pytest.fixture()
def corpus() -> Corpus:
    return hand_made_corpus(CATEGORIES, TRAIN, TEST)


def fitted(cls: type, corpus: Corpus):
    method = cls(shared=None)
    method.model = SimpleNamespace(signals=CountSignals.fit(corpus.training), data=corpus.training)
    return method


class Constant:
    name = "constant"

    def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
        return np.zeros(len(outfits))


def test_swaps_take_the_other_item_of_each_class(corpus: Corpus) -> None:
    fake = swapped_outfits([[0, 2, 4], [1, 3]], corpus.category, np.random.default_rng(7))
    assert fake == [[1, 3, 5], [0, 2]]
    # an item alone in its class stays
    alone = np.array(["top", "bottom", "bottom"], dtype=object)
    assert swapped_outfits([[0, 1]], alone, np.random.default_rng(0)) == [[0, 2]]


def test_one_swap_replaces_each_item_of_outfits_with_three_or_more_in_turn(corpus: Corpus) -> None:
    owner, fake = one_swapped([[1, 3], [0, 2, 4, 2]], corpus.category, np.random.default_rng(3))
    # [1, 3] is too short; [0, 2, 4] (the repeated 2 counted once) gives one question per item
    assert owner.tolist() == [1, 1, 1]
    assert fake == [[1, 2, 4], [0, 3, 4], [0, 2, 5]]


def test_cooccurrence_sums_over_the_context(corpus: Corpus) -> None:
    method = fitted(Cooccurrence, corpus)
    # item 0 (context 2, 4): 2+1+0 = 3 vs item 1: 0+1+0 = 1, hit; item 2 (context 0, 4): 3 vs item 3: 0+1+1
    # = 2, hit; item 4 (context 0, 2): 1+0+2 = 3 vs item 5: 1+1+2 = 4, miss -> 2 of 3
    accuracy, questions = fitb4_outfit(method, corpus.test_outfits, corpus.category, seed=0)
    assert (accuracy, questions) == (pytest.approx(2 / 3), 3)
    # real 3 ([0,2,4]) and 1 ([1,3]) against swapped 1 ([1,3,5]) and 2 ([0,2]): 1 + 1 + 0.5 + 0 of 4
    area, outfits = compat_auc(method, corpus.test_outfits, corpus.category, seed=0)
    assert (area, outfits) == (pytest.approx(0.625), 2)


def test_popularity_sums_the_items(corpus: Corpus) -> None:
    method = fitted(Popularity, corpus)
    # true item always more popular than the other of its class: 3>1, 2>1, 2>1
    assert fitb4_outfit(method, corpus.test_outfits, corpus.category, seed=3) == (1.0, 3)
    # real 7 and 2 against swapped 3 and 5: 1 + 1 + 0 + 0 of 4
    assert compat_auc(method, corpus.test_outfits, corpus.category, seed=3) == (pytest.approx(0.5), 2)


def test_ties_are_misses_and_half_in_the_auc(corpus: Corpus) -> None:
    assert outfit_metrics(Constant(), corpus.test_outfits, corpus.category, seed=0) == {
        "fitb4_outfit": 0.0, "fitb4_outfit_questions": 3, "compat_auc": 0.5, "compat_outfits": 2}


def test_no_scorable_outfit(corpus: Corpus) -> None:
    assert fitb4_outfit(Constant(), [[1, 3], [5]], corpus.category, seed=0) == (0.0, 0)
    area, outfits = compat_auc(Constant(), [[5], [2, 2]], corpus.category, seed=0)
    assert np.isnan(area) and outfits == 0


def test_auc_by_hand() -> None:
    assert auc(np.array([3.0, 1.0]), np.array([1.0, 2.0])) == pytest.approx(0.625)
    assert auc(np.array([2.0]), np.array([1.0, 0.0])) == 1.0


def test_evaluate_reports_outfit_metrics_for_outfit_scorers(corpus: Corpus) -> None:
    class PairsOnly:
        """Scores pairs by train co-occurrence; cannot score outfits."""

        name = "pairs_only"

        def __init__(self) -> None:
            self.inner = fitted(Cooccurrence, corpus)

        def fit(self, data: TrainingSet) -> None:
            pass

        def score(self, queries: np.ndarray) -> np.ndarray:
            return self.inner.score(queries)

    class Counts(PairsOnly):
        name = "counts"

        def outfit_scores(self, outfits: list[list[int]]) -> np.ndarray:
            return self.inner.outfit_scores(outfits)

    table = evaluate([Counts(), PairsOnly()], corpus, k=2, seed=0)
    assert table["counts"]["fitb4_outfit"] == pytest.approx(2 / 3)
    assert table["counts"]["compat_auc"] == pytest.approx(0.625)
    assert "fitb4_outfit" not in table["pairs_only"]
