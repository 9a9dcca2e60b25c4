"""The simulator on a tiny catalogue where feedback must help: the held-out outfits wear the two items
the model ranks low in its top 10, so clicks must lift them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.evaluation.protocol import Corpus
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.model import ClosetConfig
from model.simulate import format_table, simulate, summary, train_recommender
from tests.model.recommender.conftest import PER_CLUSTER, synthetic_training_set


def test_feedback_lifts_click_through_on_a_tiny_catalogue(tmp_path: Path) -> None:
    training = synthetic_training_set()
    corpus = Corpus(training, [], training.catalogue.big_class.copy())
    tiny = ClosetConfig(gcn=LightGCNConfig(dim=16, max_epochs=8, batch_size=64, progress=False))
    recommender = train_recommender(corpus, 0, tmp_path, tiny, floor=0.0)  # a full top 10 for the tiny model
    # Each held-out outfit wears what the model ranks 8th and 10th for its top: shown, rarely looked at.
    test_outfits = []
    for top in [c * PER_CLUSTER + i for c in (0, 3) for i in range(PER_CLUSTER)]:
        ranked = [r.item_id - 1 for r in recommender.recommend(top + 1, k=10)]
        test_outfits.append([top, ranked[7], ranked[9]])
    results = simulate(recommender, test_outfits, training.catalogue.big_class, sessions=300, rounds=3,
                       seed=0, eta=1.0, explore_share=0.05, kappa=2.0)
    table = summary(results)
    control, feedback = table["control"]["ctr_by_round"], table["feedback"]["ctr_by_round"]
    assert abs(feedback[0] - control[0]) < 0.02  # round 1: no evidence yet, same ranking (but shuffles)
    assert feedback[-1] > 1.3 * control[-1]
    assert np.allclose(control, control[0], atol=0.03)  # control does not learn
    assert "round" in format_table(table)
