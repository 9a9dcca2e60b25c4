"""The feature build on a real database (SQLite and MariaDB): results, incremental runs, bad images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, update

from db.engine import get_engine, session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from db.models import Cluster, Item
from model.features.pipeline import build_features, load_cooccurrence
from model.synthetic_garments import render_garment


def _records(image_dir: Path) -> tuple[list[ItemRecord], list[OutfitRecord]]:
    image_dir.mkdir(parents=True, exist_ok=True)
    render_garment((30, 38, 72), "slacks", background="solid", seed=1, size=96).save(image_dir / "navy.png")
    (image_dir / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    items = [
        ItemRecord("musinsa", "1", "오버핏 반팔 티셔츠 [블랙]", big_class_raw="상의"),
        ItemRecord("musinsa", "2", "와이드 슬랙스", big_class_raw="하의", image_path="navy.png"),
        ItemRecord("musinsa", "3", "베이직 셔츠 3colors", big_class_raw="상의", image_path="broken.jpg"),
        ItemRecord("musinsa", "4", "울 발마칸 코트", big_class_raw="아우터",
                   image_path="../../etc/passwd"),
        ItemRecord("mango", "5", "Jeans Tejano Oscuro", big_class_raw="Bottoms",
                   subcategory_raw="Jeans > Jeans > Jeans", color_raw="BLUE"),
        ItemRecord("mango", "6", "Earrings Oro", big_class_raw="Accesories, Swim and Intimate",
                   subcategory_raw="Accessories > Jewellery > Earrings", color_raw="YELLOW"),
        ItemRecord("musinsa", "7", "", big_class_raw="상의"),
        ItemRecord("musinsa", "8", "데일리 반팔 티셔츠 블랙", big_class_raw="상의"),
    ]
    outfits = [
        OutfitRecord("musinsa_snap", "o1", [(("musinsa", "1"), 1), (("musinsa", "2"), 2)]),
        OutfitRecord("musinsa_snap", "o2",
                     [(("musinsa", "8"), 1), (("musinsa", "2"), 2), (("musinsa", "4"), 3)]),
        OutfitRecord("mango", "o3", [(("mango", "5"), 1), (("mango", "6"), 2)]),
    ]
    return items, outfits


def _load(url: str, items: list[ItemRecord], outfits: list[OutfitRecord]) -> None:
    with session_scope(url) as session:
        ids = upsert_items(session, items)
    with session_scope(url) as session:
        upsert_outfits(session, outfits, ids)


def _items(url: str) -> dict[str, Item]:
    with session_scope(url) as session:
        return {row.source_id: row for row in session.scalars(select(Item))}


def _clusters(url: str) -> dict[str, tuple[int, int]]:
    with session_scope(url) as session:
        return {c.key: (c.item_count, c.outfit_count) for c in session.scalars(select(Cluster))}


def _build(url: str, tmp_path: Path) -> object:
    return build_features(url, use_u2netp=False, image_dir=tmp_path / "images", cache_dir=tmp_path / "cache",
                          artifact_dir=tmp_path / "artifacts")


def test_build_then_incremental(db_url: str, tmp_path: Path) -> None:
    items, outfits = _records(tmp_path / "images")
    _load(db_url, items, outfits)
    report = _build(db_url, tmp_path)
    assert report.items == 8 and report.changed == 8 and report.images_read == 3

    rows = _items(db_url)
    tee = rows["1"]
    assert (tee.big_class, tee.subcategory, tee.color_family, tee.color_source) == (
        "top", "tee_short", "black", "name")
    assert tee.cluster_key == "tee_short:black" and tee.is_recommendable
    slacks = rows["2"]  # no colour in the name: read from the image
    assert (slacks.subcategory, slacks.color_family, slacks.color_source) == ("slacks", "navy", "image")
    assert slacks.dominant_rgb and slacks.dominant_rgb.startswith("#")
    shirt = rows["3"]  # several colours, broken image: unknown colour with both reasons
    assert shirt.color_family is None and shirt.cluster_key == "shirt:unknown"
    assert "several colours" in shirt.feature_note and "unreadable" in shirt.feature_note
    coat = rows["4"]  # an image path that leaves the image folder is never opened
    assert coat.subcategory == "coat" and coat.color_family is None and "no image" in coat.feature_note
    jeans = rows["5"]
    assert (jeans.subcategory, jeans.color_family, jeans.color_source) == ("denim_pants", "blue", "source")
    earrings = rows["6"]
    assert not earrings.is_recommendable and earrings.cluster_key is None
    assert "not a recommendable" in earrings.feature_note
    empty = rows["7"]
    assert empty.subcategory == "top_other" and empty.color_family is None and "empty" in empty.feature_note

    clusters = _clusters(db_url)
    assert clusters["tee_short:black"] == (2, 2)
    assert clusters["slacks:navy"] == (1, 2)
    assert clusters["denim_pants:blue"] == (1, 1)
    assert set(clusters) == {row.cluster_key for row in rows.values() if row.cluster_key}

    counts, item_ids, keys = load_cooccurrence(Path(report.cooccurrence_path))
    row_of = {int(item_id): index for index, item_id in enumerate(item_ids)}
    assert counts.item_item[row_of[tee.id], row_of[slacks.id]] == 1
    assert counts.item_popularity[row_of[slacks.id]] == 2
    tee_cluster, slacks_cluster = keys.index("tee_short:black"), keys.index("slacks:navy")
    assert counts.cluster_cluster[tee_cluster, slacks_cluster] == 2

    stamps = {key: row.updated_at for key, row in rows.items()}
    again = _build(db_url, tmp_path)
    assert again.changed == 0 and again.clusters_changed == 0 and again.images_read == 0
    assert {key: row.updated_at for key, row in _items(db_url).items()} == stamps

    with session_scope(db_url) as session:  # a renamed item is the only one recomputed
        session.execute(update(Item).where(Item.id == tee.id).values(name="오버핏 반팔 티셔츠 [화이트]"))
    third = _build(db_url, tmp_path)
    assert third.changed == 1
    assert _items(db_url)["1"].cluster_key == "tee_short:white"
    clusters = _clusters(db_url)
    assert clusters["tee_short:black"] == (1, 1) and clusters["tee_short:white"] == (1, 1)


def test_cluster_keys_do_not_depend_on_insertion_order(sqlite_url: str, tmp_path: Path) -> None:
    items, outfits = _records(tmp_path / "images")
    _load(sqlite_url, items, outfits)
    _build(sqlite_url, tmp_path)
    other_url = f"sqlite:///{tmp_path / 'reversed.db'}"
    from db import migrate

    migrate.upgrade(other_url)
    _load(other_url, list(reversed(items)), list(reversed(outfits)))
    _build(other_url, tmp_path)
    first = {k: (v.cluster_key, v.color_family, v.subcategory) for k, v in _items(sqlite_url).items()}
    second = {k: (v.cluster_key, v.color_family, v.subcategory) for k, v in _items(other_url).items()}
    assert first == second and _clusters(sqlite_url) == _clusters(other_url)
    get_engine(other_url).dispose()


def test_build_without_images_and_empty_database(sqlite_url: str, tmp_path: Path) -> None:
    report = _build(sqlite_url, tmp_path)
    assert report.items == 0 and report.outfits == 0
    counts, item_ids, _keys = load_cooccurrence(Path(report.cooccurrence_path))
    assert counts.item_item.shape == (0, 0) and len(item_ids) == 0
    items, outfits = _records(tmp_path / "images")
    _load(sqlite_url, items, outfits)
    report = build_features(sqlite_url, images=False, artifact_dir=tmp_path / "a")
    assert report.images_read == 0 and report.image_method == "off"
    assert _items(sqlite_url)["2"].color_family is None


@pytest.mark.parametrize("workers", [1])
def test_cli_build(sqlite_url: str, tmp_path: Path, workers: int, capsys: pytest.CaptureFixture) -> None:
    import json

    from model.features.__main__ import main

    items, outfits = _records(tmp_path / "images")
    _load(sqlite_url, items, outfits)
    assert main(["build", "--database-url", sqlite_url, "--no-images", "--workers", str(workers),
                 "--artifact-dir", str(tmp_path / "cli")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["changed"] == 8 and np.isfinite(printed["seconds"])
