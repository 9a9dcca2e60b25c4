"""recommend's rules on a small trained artifact: audience, the probability floor, no look-alikes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from db.settings import get_settings
from model.recommender import GarmentQuery, Recommender
from model.recommender.artifact import save_artifact
from model.recommender.data import TrainingSet
from model.recommender.model import ClosetConfig, ClosetModel
from model.recommender.shopper import default_floor, lookalike_keys, product_stem
from tests.model.recommender.conftest import PER_CLUSTER


def item_id(cluster: int, i: int) -> int:
    return 100 + cluster * PER_CLUSTER + i


def index(cluster: int, i: int) -> int:
    return cluster * PER_CLUSTER + i


@pytest.fixture(params=["exact", "candidates"], autouse=True)
def scoring_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Every rule holds on both paths: every item scored, and candidates (the size threshold at 0)."""
    if request.param == "candidates":
        monkeypatch.setenv("RECOMMEND_EXACT_BELOW", "0")
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


@pytest.fixture()
def artifact(synthetic: TrainingSet, tiny_config: ClosetConfig, tmp_path: Path) -> Path:
    """The synthetic styles with audiences and colour variants:

    - shirts (cluster 0): item 0 men's, item 1 women's, the rest unknown;
    - sneakers (cluster 2, style A's shoes): items 0-1 women's, 2 men's, 3 unisex, 4 unknown;
      items 0 and 1 are one product in two colours (same brand, same name but the colour word);
    - slacks (cluster 1): items 2 and 3 share a variant group (Mango-style colour variants).
    """
    cat = synthetic.catalogue
    gender: list[str | None] = [None] * len(cat)
    gender[index(0, 0)], gender[index(0, 1)] = "male", "female"
    for i, g in enumerate(["female", "female", "male", "unisex", None]):
        gender[index(2, i)] = g
    cat.gender = gender
    cat.name[index(2, 0)], cat.name[index(2, 1)] = "캔버스 스니커즈 블랙", "캔버스 스니커즈 화이트"
    cat.group[index(1, 3)] = cat.group[index(1, 2)]
    save_artifact(ClosetModel(tiny_config).fit(synthetic), tmp_path)
    return tmp_path


def genders_of(rec: Recommender, found) -> set[int]:  # noqa: ANN001
    return {int(rec.gender[rec.index[r.item_id]]) for r in found}


def test_men_never_get_womens_items_and_the_reverse(artifact: Path) -> None:
    rec = Recommender.load(artifact, floor=0.0)
    male, female, unisex, unknown = 1, 2, 3, 0
    for_men = rec.recommend(item_id(0, 0), k=30)
    assert female not in genders_of(rec, for_men)
    assert {male, unisex, unknown} <= genders_of(rec, for_men)  # unisex and unknown fit both
    for_women = rec.recommend(item_id(0, 1), k=30)
    assert male not in genders_of(rec, for_women) and female in genders_of(rec, for_women)
    for_anyone = rec.recommend(item_id(0, 2), k=30)  # a garment of unknown audience: no rule
    assert {male, female} <= genders_of(rec, for_anyone)
    described = rec.recommend(garment=GarmentQuery("top", "shirt", "white", gender="남"), k=30)
    assert female not in genders_of(rec, described) and male in genders_of(rec, described)
    also_per_class = rec.recommend(item_id(0, 0), k=30, per_big_class=5)
    assert female not in genders_of(rec, also_per_class)


def test_nothing_at_or_below_the_floor(artifact: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = Recommender.load(artifact, floor=0.0).recommend(item_id(1, 0), k=30)
    probabilities = sorted(r.probability for r in everything)
    floor = float(np.median(probabilities))
    assert probabilities[0] <= floor < probabilities[-1]  # the floor cuts this list
    floored = Recommender.load(artifact, floor=floor).recommend(item_id(1, 0), k=30)
    assert floored and all(r.probability > floor for r in floored)
    assert [r.item_id for r in floored] == [r.item_id for r in everything if r.probability > floor]
    monkeypatch.setenv("RECOMMEND_FLOOR", str(floor))  # the setting reaches every caller of load()
    get_settings.cache_clear()
    try:
        assert Recommender.load(artifact).floor == pytest.approx(floor)
    finally:
        monkeypatch.delenv("RECOMMEND_FLOOR")
        get_settings.cache_clear()
    nothing_good_enough = Recommender.load(artifact, floor=0.999999)
    assert nothing_good_enough.recommend(item_id(1, 0), k=30, per_big_class=5) == []
    assert nothing_good_enough.match_classes(item_id(1, 0)) == ["shoes", "top"]


@pytest.mark.parametrize("shift", [0.0, 30.0])  # 30: probabilities within 1e-13 of 1, where logits round
def test_a_floor_at_a_cards_probability_hides_that_card(artifact: Path, shift: float) -> None:
    def load(floor: float) -> Recommender:
        rec = Recommender.load(artifact, floor=floor)
        for blend in rec.blends.values():
            blend.bias += shift
        return rec

    cards = load(0.0).recommend(item_id(1, 0), k=30)
    assert len({c.probability for c in cards}) > 1
    for card in cards[:5]:
        floored = load(card.probability).recommend(item_id(1, 0), k=30)
        assert card.item_id not in {r.item_id for r in floored}
        assert all(r.probability > card.probability for r in floored)


def test_default_floor_is_what_training_measured_else_the_balanced_prior() -> None:
    assert default_floor({"random_probability": 0.31}) == pytest.approx(0.31)
    assert default_floor({}) == 0.5


def test_one_card_per_product_and_k_still_honoured(artifact: Path) -> None:
    rec = Recommender.load(artifact, floor=0.0)
    sneakers = {item_id(2, 0), item_id(2, 1)}
    slacks = {item_id(1, 2), item_id(1, 3)}
    for query in (item_id(0, 2), item_id(0, 3)):  # unknown audience: every sneaker may be shown
        found = rec.recommend(query, k=25)
        ids = [r.item_id for r in found]
        assert len(ids) == 20 - 2  # 20 bottoms and shoes, two of them a second colour of a shown one
        assert len(sneakers & set(ids)) == 1 and len(slacks & set(ids)) == 1
        keys = [int(rec.lookalike[rec.index[i]]) for i in ids]
        assert len(keys) == len(set(keys))
        per_class = rec.recommend(query, k=10, per_big_class=5)
        assert [r.big_class for r in per_class].count("shoes") == 5  # over-fetched past the look-alike
        assert len(sneakers & {r.item_id for r in per_class}) <= 1


def test_lookalike_keys_join_colour_variants_and_variant_groups() -> None:
    names = ["데이시즌 셔츠 스카이블루", "데이시즌 셔츠 블랙", "데이시즌 셔츠 블랙", "다른 셔츠 블랙",
             "Trousers Offwhite", "블랙"]
    brands = ["A", "A", "B", "A", "MANGO", "A"]
    groups = np.asarray([0, 1, 2, 3, 3, 4])  # item 4 is a colour variant of item 3 by its product code
    keys = lookalike_keys(brands, names, ["sky_blue", "black", "black", "black", "ivory", "black"], groups)
    assert keys[0] == keys[1] != keys[2]  # same brand and name but the colour; another brand differs
    assert keys[3] == keys[4] and keys[3] != keys[0]
    assert len({keys[0], keys[2], keys[3], keys[5]}) == 4
    assert product_stem("A", "블랙", "black") == "a|블랙|black"  # a name of colour words only keeps them
