"""The simulator on a tiny catalogue where feedback must help: the held-out outfits wear the two items
the model ranks low in its top 10, so clicks must lift them. And its evidence ceiling, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.evaluation.protocol import Corpus
from model.feedback.evidence import ITEM_KEYS, STATS, Evidence
from model.recommender.api import Recommender
from model.recommender.data import TrainingSet
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig
from model.simulate import evidence_ceiling, format_table, simulate, summary, train_recommender
from tests.model.recommender.conftest import PER_CLUSTER, synthetic_training_set


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[TrainingSet, Recommender]:
    training = synthetic_training_set()
    corpus = Corpus(training, [], training.catalogue.big_class.copy())
    config = ClosetConfig(gcn=LightGCNConfig(dim=16, max_epochs=8, batch_size=64, progress=False))
    # floor 0: a full top 10 for the tiny model
    return training, train_recommender(corpus, 0, tmp_path_factory.mktemp("tiny"), config, floor=0.0)


def test_feedback_lifts_click_through_on_a_tiny_catalogue(tiny: tuple[TrainingSet, Recommender]) -> None:
    training, recommender = tiny
    # Each held-out outfit wears what the model ranks 8th and 10th for its top: shown, rarely looked at.
    test_outfits = []
    for top in [c * PER_CLUSTER + i for c in (0, 3) for i in range(PER_CLUSTER)]:
        ranked = [r.item_id - 1 for r in recommender.recommend(top + 1, k=10)]
        test_outfits.append([top, ranked[7], ranked[9]])
    results = simulate(recommender, test_outfits, training.catalogue.big_class, sessions=300, rounds=3,
                       seed=0, eta=1.0, explore_share=0.05, kappa=2.0, ceiling=True)
    table = summary(results)
    control, feedback = table["control"]["ctr_by_round"], table["feedback"]["ctr_by_round"]
    assert abs(feedback[0] - control[0]) < 0.02  # round 1: no evidence yet, same ranking (but shuffles)
    assert feedback[-1] > 1.3 * control[-1]
    assert np.allclose(control, control[0], atol=0.03)  # control does not learn
    assert table["last_round_ceiling"] > 1.3  # the clicks found the partners control ranks low
    assert "round" in format_table(table) and "allows at best" in format_table(table)


def _clicks(*pairs: tuple[int, int]) -> Evidence:
    """Evidence holding one click (one examination) per (query item id, item id)."""
    rows = pd.DataFrame([(a, b, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0) for a, b in pairs],
                        columns=[*ITEM_KEYS, *STATS])
    return Evidence(items=rows)


def test_the_evidence_ceiling_puts_clicked_partners_first(tiny: tuple[TrainingSet, Recommender]) -> None:
    """One outfit wears the query's 8th and 10th items; a shopper looks at rank r with probability 1/r,
    so control expects 1/8 + 1/10 clicks."""
    training, recommender = tiny
    category = training.catalogue.big_class
    query = 0
    ranked = [r.item_id - 1 for r in recommender.recommend(query + 1, k=10)]
    outfits, queries = [[query, ranked[7], ranked[9]]], [(0, query)]
    control = 1 / 8 + 1 / 10

    def ceiling(evidence: Evidence) -> float:
        return evidence_ceiling(recommender, outfits, category, evidence, queries)

    assert ceiling(Evidence()) == pytest.approx(1.0)  # nothing clicked: control's own list
    # the 10th clicked: it leads, and the 8th slips to 9th behind it
    assert ceiling(_clicks((query + 1, ranked[9] + 1))) == pytest.approx((1 + 1 / 9) / control)
    # a click counts in both directions, and both partners lead
    both = _clicks((ranked[7] + 1, query + 1), (query + 1, ranked[9] + 1))
    assert ceiling(both) == pytest.approx((1 + 1 / 2) / control)
    # a clicked item the outfits do not wear is not put first
    assert ceiling(_clicks((query + 1, ranked[0] + 1))) == pytest.approx(1.0)
