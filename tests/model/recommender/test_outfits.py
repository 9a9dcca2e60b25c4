"""Whole outfits: `score_outfit` and `complete_outfits` on the two-style synthetic data, and the learnt
outfit score (fitted at training, stored in the artifact, equal at serving and in the evaluation)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from model.recommender import GarmentQuery, Recommender, UnknownItem
from model.recommender.artifact import save_artifact
from model.recommender.model import ClosetConfig, ClosetModel
from model.recommender.outfit_score import closet_outfit_scores
from tests.model.recommender.conftest import PER_CLUSTER, synthetic_training_set

# clusters 0-2: style A (white shirt, navy slacks, black sneakers); 3-5: style B (black tee, denim, boots)
SHIRT, SLACKS, SNEAKERS, TEE, DENIM, BOOTS = range(6)


def item_id(cluster: int, i: int) -> int:
    return 100 + cluster * PER_CLUSTER + i


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[ClosetModel, Recommender]:
    from model.recommender.lightgcn import LightGCNConfig

    data = synthetic_training_set(outfits_per_style=200)  # 80 held-out outfits: enough to fit the combiner
    model = ClosetModel(ClosetConfig(gcn=LightGCNConfig(dim=16, max_epochs=6, batch_size=256,
                                                        progress=False))).fit(data)
    path = tmp_path_factory.mktemp("artifact")
    save_artifact(model, path)
    return model, Recommender.load(path)


def test_combiner_is_fitted_and_stored(fitted) -> None:
    model, rec = fitted
    report = model.report["outfit_score"]
    assert report["fitted"] and report["outfits"] >= 20
    # styles never mix in the data, but a swap keeps the style half the time: 1 in 8 fakes is all one style
    assert report["auc"] > 0.75
    assert report["one_swap_accuracy"] > 0.6  # the fill-in-the-blank shape is part of the fit
    assert rec.meta["outfit_score"]["weights"] == pytest.approx(list(model.outfit_combiner.weights))


def test_serving_score_equals_the_evaluated_score(fitted) -> None:
    model, rec = fitted
    outfits = [[item_id(SHIRT, 0), item_id(SLACKS, 1), item_id(SNEAKERS, 2)],
               [item_id(TEE, 4), item_id(SLACKS, 0)],
               [item_id(SHIRT, 3), item_id(DENIM, 2), item_id(BOOTS, 1)]]
    index = model.data.catalogue.item_ids.tolist()
    logits = closet_outfit_scores(model, [[index.index(i) for i in o] for o in outfits])
    for outfit, logit in zip(outfits, logits, strict=True):
        assert rec.score_outfit(outfit).logit == pytest.approx(logit, rel=1e-3, abs=1e-3)


def test_score_outfit_prefers_one_style_and_explains_pairs(fitted) -> None:
    _, rec = fitted
    same = rec.score_outfit([item_id(SHIRT, 0), item_id(SLACKS, 0), item_id(SNEAKERS, 0)])
    mixed = rec.score_outfit([item_id(SHIRT, 0), item_id(DENIM, 0), item_id(BOOTS, 0)])
    assert 0 < mixed.probability < same.probability < 1
    assert len(same.pairs) == 3 and same.pair_reasons == [p.reason for p in same.pairs]
    assert [p.probability for p in same.pairs] == sorted((p.probability for p in same.pairs), reverse=True)
    assert same.strongest_reason == same.pair_reasons[0] and "함께 착용" in same.strongest_reason
    # described garments score too, and agree on style
    shirt = GarmentQuery("top", "shirt", "white")
    garments = rec.score_outfit([shirt, GarmentQuery("bottom", "slacks", "navy"), item_id(SNEAKERS, 1)])
    other = rec.score_outfit([shirt, GarmentQuery("bottom", "denim_pants", "blue"), item_id(BOOTS, 1)])
    assert garments.probability > other.probability
    assert "자주 매치" in garments.pair_reasons[-1] or "자주 매치" in garments.pair_reasons[0]


def test_score_outfit_errors_and_same_class(fitted) -> None:
    _, rec = fitted
    with pytest.raises(UnknownItem):
        rec.score_outfit([item_id(SHIRT, 0), 999_999])
    alone = rec.score_outfit([item_id(SHIRT, 0)])
    assert alone.pairs == [] and alone.strongest_reason is None and alone.probability == pytest.approx(
        1 / (1 + np.exp(-rec.outfits.combiner.bias)))  # no pair: no evidence either way
    assert len(rec.score_outfit([item_id(SHIRT, 0), item_id(TEE, 0)]).pairs) == 1  # same class pairs count


def roles(rec: Recommender, closet: list, members: list[int]) -> list[str]:
    out = []
    for p in members:
        entry = closet[p]
        if isinstance(entry, GarmentQuery):
            out.append("dress" if entry.subcategory == "dress" else entry.big_class)
        else:
            out.append(rec.big_classes[rec.big_class[rec.index[entry]]])
    return out


def test_complete_outfits_follows_the_rules(fitted) -> None:
    _, rec = fitted
    closet = [item_id(SHIRT, 0), item_id(SHIRT, 1), item_id(TEE, 0), item_id(SLACKS, 0), item_id(DENIM, 0),
              item_id(DENIM, 1), item_id(SNEAKERS, 0), item_id(BOOTS, 0),
              GarmentQuery("bottom", "dress", "black", name="블랙 원피스"), 999_999]  # unknown id: left out
    outfits = rec.complete_outfits(closet, k=5, fill_from_shop=False)
    assert 1 <= len(outfits) <= 5
    uses = Counter(p for o in outfits for p in o.members)
    assert max(uses.values()) <= 2 and 9 not in uses
    assert len({frozenset(o.members) for o in outfits}) == len(outfits)
    # outfits with shoes first (the closet has shoes), each group by score
    has_shoes = ["shoes" in roles(rec, closet, o.members) for o in outfits]
    assert has_shoes == sorted(has_shoes, reverse=True)
    for group in (True, False):
        scores = [o.score.probability for o, shod in zip(outfits, has_shoes, strict=True) if shod is group]
        assert scores == sorted(scores, reverse=True)
    for outfit in outfits:
        kinds = Counter(roles(rec, closet, outfit.members))
        assert (kinds["top"], kinds["bottom"], kinds["dress"]) in ((1, 1, 0), (0, 0, 1))
        assert kinds["shoes"] <= 1 and outfit.shop_items == [] and outfit.completed_score is None
        assert outfit.reason == outfit.score.strongest_reason
    best = outfits[0]
    # the best outfit never mixes the styles (white shirt + navy slacks + sneakers, tee + denim + boots);
    # the described dress belongs to neither
    clusters = {rec.cluster_keys[rec.cluster[rec.index[closet[p]]]] for p in best.members
                if not isinstance(closet[p], GarmentQuery)}
    assert any(clusters <= style for style in ({"shirt:white", "slacks:navy", "sneakers:black"},
                                               {"tee_short:black", "denim_pants:blue", "boots:brown"}))
    # shoes are in an outfit whenever some closet shoes are still free (each pair in at most two outfits)
    with_shoes = sum("shoes" in roles(rec, closet, o.members) for o in outfits)
    assert with_shoes == min(len(outfits), 4)
    assert len(rec.complete_outfits(closet, k=2, fill_from_shop=False)) == 2


def test_complete_the_look_from_the_shop(fitted) -> None:
    _, rec = fitted
    closet = [item_id(SHIRT, 0), item_id(SLACKS, 0)]  # no shoes at all
    outfits = rec.complete_outfits(closet, k=5)
    assert len(outfits) == 1
    outfit = outfits[0]
    shoes = [s for s in outfit.shop_items if s.big_class == "shoes"]
    assert len(shoes) == 1 and shoes[0].item_id not in closet
    # chosen for the whole (style A) outfit: the sneakers, not the boots
    assert rec.cluster_keys[rec.cluster[rec.index[shoes[0].item_id]]] == "sneakers:black"
    assert shoes[0].reason
    assert outfit.completed_score is not None
    with_boots = rec.score_outfit([*closet, item_id(BOOTS, 0)])
    assert outfit.completed_score.probability > with_boots.probability
    assert {-1} <= {label for p in outfit.completed_score.pairs for label in (p.first, p.second)}


def test_closets_that_make_no_outfit(fitted) -> None:
    _, rec = fitted
    assert rec.complete_outfits([]) == []
    assert rec.complete_outfits([item_id(SHIRT, 0), item_id(TEE, 1)]) == []  # only tops
    with pytest.raises(ValueError):
        rec.complete_outfits([item_id(SHIRT, 0)], k=0)


def test_untrained_combiner_is_the_mean_pair(tmp_path: Path, tiny_config: ClosetConfig) -> None:
    data = synthetic_training_set(outfits_per_style=10)
    model = ClosetModel(tiny_config).fit(data)
    assert not model.outfit_combiner.fitted
    save_artifact(model, tmp_path)
    rec = Recommender.load(tmp_path)
    score = rec.score_outfit([item_id(SHIRT, 0), item_id(SLACKS, 0), item_id(SNEAKERS, 0)])
    mean_logit = np.mean([np.log(p.probability / (1 - p.probability)) for p in score.pairs])
    assert score.logit == pytest.approx(mean_logit, rel=1e-6)


def test_a_dress_is_an_outfit_without_top_or_bottom(fitted) -> None:
    _, rec = fitted
    closet = [GarmentQuery("bottom", "dress", "black"), item_id(SNEAKERS, 0), item_id(SHIRT, 0)]
    outfits = rec.complete_outfits(closet, k=5, fill_from_shop=False)
    assert [o.members for o in outfits] == [[0, 1]]


def test_a_second_pair_of_shoes_lowers_the_score(fitted) -> None:
    """The outfit's shape counts: no training outfit has two pairs of shoes, whatever their pair logits."""
    model, rec = fitted
    assert model.report["outfit_score"]["weights"]["min_subcategory_lift"] > 0
    outfit = [item_id(SHIRT, 0), item_id(SLACKS, 0), item_id(SNEAKERS, 0)]
    assert rec.score_outfit([*outfit, item_id(SNEAKERS, 1)]).logit < rec.score_outfit(outfit).logit
    outfits = rec.complete_outfits([*outfit, item_id(SNEAKERS, 1)], k=5, fill_from_shop=False)
    assert all(sum(m in (2, 3) for m in o.members) == 1 for o in outfits)  # one pair of shoes each


def test_best_addition_is_the_outfit_score_of_each_candidate(fitted) -> None:
    """The planner picks an addition (closet completion, shop step) with the outfit features `score_outfit`
    uses: each candidate's score, the chosen candidate and its score are those of the whole outfit."""
    _, rec = fitted
    planner = rec.outfits
    catalogue = [int(i) for i in rec.item_ids]
    dress = GarmentQuery("bottom", "dress", "black")
    for outfit in ([item_id(SHIRT, 0)], [item_id(SHIRT, 0), item_id(SLACKS, 1)],
                   [item_id(TEE, 2), item_id(DENIM, 4), dress], [dress, item_id(BOOTS, 1)]):
        candidates = [i for i in catalogue if i not in outfit]  # every class: second tops, shoes, ...
        members = [planner._member(entry, strict=True) for entry in [*outfit, *candidates]]
        matrix = planner._pair_matrix(members)
        own, rows = list(range(len(outfit))), list(range(len(outfit), len(members)))
        values, lifts = matrix.within(own)
        whole = np.array([rec.score_outfit([*outfit, c]).logit for c in candidates])
        alone = [planner._best_addition(matrix.rows([r], own), list(values), list(lifts)) for r in rows]
        np.testing.assert_allclose([logit for _, logit in alone], whole, rtol=1e-12, atol=1e-12)
        row, logit = planner._best_addition(matrix.rows(rows, own), values, lifts)
        assert logit == pytest.approx(whole.max(), rel=1e-12, abs=1e-12)
        assert whole[row] == pytest.approx(whole.max(), rel=1e-12, abs=1e-12)  # the best (or one tied)
        if whole.max() - np.sort(whole)[-2] > 1e-9:
            assert row == int(np.argmax(whole))
