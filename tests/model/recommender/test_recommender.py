"""Artifact round trip, the app API, cold items and garments given by attributes, training from a DB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from db.engine import session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from model.recommender import ArtifactMissing, GarmentQuery, Recommender, UnknownItem
from model.recommender.artifact import save_artifact
from model.recommender.attributes import garment_profile
from model.recommender.data import TrainingSet, build_catalogue
from model.recommender.features import audience_agreement
from model.recommender.model import ClosetConfig, ClosetModel
from tests.model.recommender.conftest import CLUSTERS, PER_CLUSTER

STYLE_A = {"shirt:white", "slacks:navy", "sneakers:black"}


def item_id(cluster: int, i: int) -> int:
    return 100 + cluster * PER_CLUSTER + i


@pytest.fixture()
def fitted(synthetic: TrainingSet, tiny_config: ClosetConfig,
           tmp_path: Path) -> tuple[ClosetModel, Recommender]:
    model = ClosetModel(tiny_config).fit(synthetic)
    save_artifact(model, tmp_path)
    (tmp_path / "evaluation.json").write_text(json.dumps({"mango": {"methods": {}}}), encoding="utf-8")
    return model, Recommender.load(tmp_path, floor=0.0)  # ranking tests; test_shopper.py tests the floor


def cluster_of(rec: Recommender, item: int) -> str:
    return rec.cluster_keys[rec.cluster[rec.index[item]]]


def test_round_trip_scores_match_the_fitted_model(fitted) -> None:
    model, rec = fitted
    assert rec.snapshot_id == model.data.snapshot_id()
    assert rec.evaluation == {"mango": {"methods": {}}}
    query = item_id(1, 0)  # a warm navy slacks
    got = rec.recommend(query, k=6)
    expected = model.score(np.array([model.data.catalogue.item_ids.tolist().index(query)]))[0]
    for r in got:
        j = model.data.catalogue.item_ids.tolist().index(r.item_id)
        assert r.score == pytest.approx(expected[j], rel=1e-4, abs=1e-4)
    assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)


def test_warm_query_gets_its_style_partners_with_reasons(fitted) -> None:
    _, rec = fitted
    got = rec.recommend(item_id(1, 0), k=6)
    assert len(got) == 6
    assert all(r.big_class in {"top", "shoes"} for r in got)
    assert {cluster_of(rec, r.item_id) for r in got[:4]} <= STYLE_A
    assert all(0.0 <= r.probability <= 1.0 for r in got)
    assert got[0].probability > 0.5
    assert "코디에서 함께 착용" in got[0].reason


def test_cold_item_is_reached_through_its_cluster(fitted) -> None:
    _, rec = fitted
    cold = item_id(1, PER_CLUSTER - 1)  # navy slacks in no outfit
    assert rec.popularity[rec.index[cold]] == 0
    got = rec.recommend(cold, k=4)
    assert {cluster_of(rec, r.item_id) for r in got} <= STYLE_A
    assert all("함께 착용" not in r.reason for r in got)


def test_garment_by_attributes(fitted) -> None:
    _, rec = fitted
    got = rec.recommend(garment=GarmentQuery("bottom", "denim_pants", "blue", name="블루 데님 팬츠"), k=4)
    assert {cluster_of(rec, r.item_id) for r in got} <= {"tee_short:black", "boots:brown"}
    assert all(r.big_class != "bottom" for r in got)
    unknown_colour = rec.recommend(garment=GarmentQuery("bottom", "denim_pants", "pink"), k=2)
    assert len(unknown_colour) == 2


def test_per_big_class_and_same_class_switch(fitted) -> None:
    _, rec = fitted
    got = rec.recommend(item_id(0, 0), k=10, per_big_class=2)
    classes = [r.big_class for r in got]
    assert sorted(classes) == ["bottom", "bottom", "shoes", "shoes"]
    with_same = rec.recommend(item_id(0, 0), k=30, exclude_same_big_class=False)
    assert "top" in {r.big_class for r in with_same}
    assert item_id(0, 0) not in {r.item_id for r in with_same}


SERVE_WITHOUT_TORCH = """
import sys
from model.recommender import Recommender
from model.recommender.reloader import ModelReloader, latest_version
rec = ModelReloader(lambda path: Recommender.load(sys.argv[1], version=path),
                    lambda: latest_version(sys.argv[1])).current()
found = rec.recommend(int(sys.argv[2]), k=3)
assert found, "no recommendations"
loaded = sorted(m for m in sys.modules if m == "torch" or m.startswith(("torch.", "torch_geometric")))
print("TORCH:" + ",".join(loaded))
"""


def test_serving_never_imports_torch(fitted, tmp_path: Path) -> None:
    """The app's first matches page must not pay torch's import (4-8 s): load + recommend stay torch-free."""
    result = subprocess.run([sys.executable, "-c", SERVE_WITHOUT_TORCH, str(tmp_path), str(item_id(0, 0))],
                            capture_output=True, text=True, timeout=120, check=False,
                            cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 0, result.stderr
    assert "TORCH:\n" in result.stdout, result.stdout


def test_bad_queries_fail_clearly(fitted, tmp_path: Path) -> None:
    _, rec = fitted
    with pytest.raises(UnknownItem):
        rec.recommend(999_999)
    with pytest.raises(ValueError, match="exactly one"):
        rec.recommend()
    with pytest.raises(ValueError, match="at least 1"):
        rec.recommend(item_id(0, 0), k=0)
    with pytest.raises(ArtifactMissing):
        Recommender.load(tmp_path / "nothing-here")


def test_train_from_the_database(sqlite_url: str, tmp_path: Path) -> None:
    from model.train import train

    records, outfits = [], []
    for c, (big, _key, name, brand) in enumerate(CLUSTERS):
        for i in range(3):
            records.append(ItemRecord(source="musinsa", source_id=f"{c}-{i}", name=f"{name} {i}", brand=brand,
                                      big_class_raw={"top": "상의", "bottom": "하의"}.get(big, big),
                                      gender="Female" if i else None, tags=["line:SHE", "fabric:P-PLANA"]))
    for n in range(12):
        style = n % 2
        members = [(("musinsa", f"{style * 3 + c}-{n % 3}"), c + 1) for c in range(3)]
        outfits.append(OutfitRecord(source="musinsa_snap", source_id=str(n), members=members))
    with session_scope(sqlite_url) as session:
        ids = upsert_items(session, records)
        upsert_outfits(session, outfits, ids)
    path = train(sqlite_url, tmp_path, progress=False)
    rec = Recommender.load(tmp_path)
    assert path.parent.name == "recommender"
    assert set(rec.index) == set(ids.values())
    shirt = ids[("musinsa", "0-0")]
    got = rec.recommend(shirt, k=3)
    assert got and all(r.item_id in ids.values() for r in got)
    assert got[0].reason
    # Gender and the line/fabric tags reach the model: unknown gender stays unknown (-1), never a guess.
    gender = rec.audience[[rec.index[ids[("musinsa", f"0-{i}")]] for i in range(3)], 0]
    assert gender[0] == -1 and gender[1] == gender[2] >= 0
    assert (rec.audience[:, 1] >= 0).all()
    assert train(sqlite_url, tmp_path, progress=False, if_stale=True) == path  # same data: no retraining


def test_audience_agreement_and_profiles() -> None:
    """Known and equal counts +1, known and different -1, unknown or unisex is neutral."""
    rows = [{"id": n, "big_class": "top", "cluster_key": "shirt:white", "name": "셔츠", "brand": None,
             **garment_profile("Tops > Shirts > Shirt", gender, tags)}
            for n, (gender, tags) in enumerate([("Female", ["line:SHE", "age:Adult", "fabric:P-PLANA"]),
                                                ("Female", ["line:SHE", "age:Kids", "fabric:J-JEANS"]),
                                                ("Male", ["line:HE"]), ("Unisex", []), (None, None)])]
    cat = build_catalogue(rows)
    agreement = audience_agreement(cat.audience[:1], cat.audience)[0]
    assert agreement.tolist() == [3.0, 1.0, -2.0, 0.0, 0.0]
    assert cat.garment_type[0] != cat.garment_type[1]  # same product type, other fabric
    assert len({int(t) for t in cat.garment_type[2:]}) == 1  # no fabric: the product type alone


def test_blend_weights_never_take_the_wrong_sign() -> None:
    from model.recommender.model import _logistic

    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.5).astype(float)
    good = y + rng.normal(0, 1, 2000)  # real partners score higher
    artefact = -y + rng.normal(0, 1, 2000)  # real partners score *lower* (as "rarely worn" did)
    x = np.column_stack([good, artefact, rng.normal(0, 1, 2000)])
    weights = _logistic(x, y, np.ones(2000))
    assert weights[0] > 0.5 and weights[1] == 0.0 and weights[2] >= 0.0
    assert _logistic(x, y, np.ones(2000), fixed=[0])[0] == 0.0  # a feature left out stays out


def test_artifact_states_the_random_probability(fitted) -> None:
    model, rec = fitted
    assert rec.meta["random_probability"] == pytest.approx(model.random_probability) == pytest.approx(0.5)
    assert all(w >= 0 for blend in model.blends.values() for w in blend.weights)
