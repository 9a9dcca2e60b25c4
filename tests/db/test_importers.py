"""Importers: upsert by (source, source_id), idempotent, malformed records reported, not fatal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.__main__ import main as db_cli
from db.audience import combine_genders, normalise_gender
from db.engine import session_scope
from db.importers.runner import import_source
from db.models import Item, Outfit, OutfitItem, OutfitTag


def _snap(outfits: list[dict], tmp_path: Path) -> Path:
    path = tmp_path / "outfits.json"
    path.write_text(json.dumps(outfits, ensure_ascii=False), encoding="utf-8")
    return path


def _item(item_id: str, name: str, category: str = "상의", price: int = 10000) -> dict:
    return {"item_id": item_id, "name": name, "category": category, "brand": "브랜드",
            "price": price, "image_url": f"https://img/{item_id}.jpg",
            "purchase_url": f"https://www.musinsa.com/app/goods/{item_id}", "position": 1}


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Item, Outfit, OutfitItem, OutfitTag)
        }


def _snapshot(url: str) -> list[tuple]:
    with session_scope(url) as session:
        items = session.execute(select(Item.__table__).order_by(Item.id)).all()
        members = session.execute(select(OutfitItem.__table__).order_by(
            OutfitItem.outfit_id, OutfitItem.item_id)).all()
    return [tuple(r) for r in items] + [tuple(r) for r in members]


def test_snap_import_upserts_and_is_idempotent(db_url: str, tmp_path: Path) -> None:
    outfits = [
        {"outfit_id": "1", "style": "캐주얼", "season": "봄", "gender": "MALE",
         "description": "데일리 #캐주얼 #봄", "detail_url": "https://www.musinsa.com/snap/1",
         "image_url": "https://img/o1.jpg",
         "items": [_item("10", "오버핏셔츠 화이트"), _item("20", "데님 팬츠", "하의")]},
        {"outfit_id": "2", "items": [_item("10", "오버핏셔츠 화이트"), _item("30", "코트", "아우터")]},
    ]
    path = _snap(outfits, tmp_path)
    first = import_source("musinsa-snap", path, db_url, progress=False)
    assert first.ok and (first.items, first.outfits) == (3, 2)
    assert _counts(db_url) == {"item": 3, "outfit": 2, "outfit_item": 4, "outfit_tag": 2}
    before = _snapshot(db_url)

    again = import_source("musinsa-snap", path, db_url, progress=False)
    assert again.ok
    assert _snapshot(db_url) == before  # same rows, same contents, timestamps untouched

    outfits[1]["items"][1]["price"] = 99000  # a changed price updates in place
    outfits[1]["items"] = outfits[1]["items"][1:]  # and a removed member disappears
    import_source("musinsa-snap", _snap(outfits, tmp_path), db_url, progress=False)
    with session_scope(db_url) as session:
        assert session.scalar(select(Item.price).where(Item.source_id == "30")) == 99000
    assert _counts(db_url)["outfit_item"] == 3


def test_malformed_records_are_reported_and_the_rest_loads(db_url: str, tmp_path: Path) -> None:
    outfits = [
        {"outfit_id": "1", "items": [_item("10", "셔츠"), _item("20", "팬츠", "하의")]},
        {"items": [_item("11", "셔츠")]},  # no outfit id
        {"outfit_id": "3", "items": [{"name": "이름만"}]},  # item without id
        {"outfit_id": "4", "items": [_item("12", "셔츠") | {"price": "비쌈"}]},
        "not an outfit",
        {"outfit_id": "6", "items": [_item("13", "셔츠"), _item("14", "바지", "하의")]},
    ]
    report = import_source("musinsa-snap", _snap(outfits, tmp_path), db_url, progress=False)
    assert not report.ok
    reasons = {p.position: p.reason for p in report.problems}
    assert reasons == {
        "outfit #1": "missing outfit_id",
        "outfit #2": "item 1: missing item_id",
        "outfit #3": "item 1: price must be a number, got '비쌈'",
        "outfit #4": "outfit is not an object",
    }
    assert _counts(db_url)["outfit"] == 2
    assert _counts(db_url)["item"] == 4


def test_cli_exit_status_reflects_skipped_records(sqlite_url: str, tmp_path: Path) -> None:
    good = _snap([{"outfit_id": "1", "items": [_item("10", "셔츠")]}], tmp_path)
    assert db_cli(["--database-url", sqlite_url, "import", "--format", "musinsa-snap",
                   str(good), "--no-progress"]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert db_cli(["--database-url", sqlite_url, "import", "--format", "musinsa-snap",
                   str(bad), "--no-progress"]) == 1
    assert db_cli(["--database-url", sqlite_url, "import", "--format", "mango",
                   str(tmp_path / "missing"), "--no-progress"]) == 2
    assert _counts(sqlite_url)["outfit"] == 1  # the bad file lost nothing already loaded


def test_mango_reports_unknown_products(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "product_data.csv").write_text(
        "cod_modelo_color,des_agrup_color_eng,des_product_category,des_product_family,"
        "des_product_type,des_color_specification_esp\n"
        "A-01,BLUE,Bottoms,Jeans,Jeans,TEJANO OSCURO\n"
        "B-02,WHITE,Tops,Shirt,Shirt,BLANCO\n"
        ",WHITE,Tops,Shirt,Shirt,BLANCO\n", encoding="utf-8")
    (tmp_path / "outfit_data.csv").write_text(
        "cod_outfit,cod_modelo_color\n1,A-01\n1,B-02\n1,Z-99\n", encoding="utf-8")
    report = import_source("mango", tmp_path, db_url, progress=False)
    assert [str(p) for p in report.problems] == [
        "product_data.csv line 4: missing cod_modelo_color",
        "outfit_data.csv line 4: unknown product 'Z-99'",
    ]
    assert _counts(db_url) == {"item": 2, "outfit": 1, "outfit_item": 2, "outfit_tag": 0}
    with session_scope(db_url) as session:
        jeans = session.scalar(select(Item).where(Item.source_id == "A-01"))
        assert (jeans.name, jeans.color_raw, jeans.big_class_raw) == (
            "Jeans Tejano Oscuro", "BLUE", "Bottoms")


@pytest.mark.datasets
@pytest.mark.slow
def test_full_shared_datasets_import_exactly_and_idempotently(
    db_url: str, datasets_dir: Path
) -> None:
    import csv

    snap = json.loads((datasets_dir / "musinsa_snap/outfits.json").read_text(encoding="utf-8"))
    snap_items = {i["item_id"] for o in snap for i in o["items"]}
    snap_members = {(o["outfit_id"], i["item_id"]) for o in snap for i in o["items"]}
    with (datasets_dir / "mango/product_data.csv").open(encoding="utf-8") as handle:
        mango_items = {row["cod_modelo_color"] for row in csv.DictReader(handle)}
    with (datasets_dir / "mango/outfit_data.csv").open(encoding="utf-8") as handle:
        mango_members = {(r["cod_outfit"], r["cod_modelo_color"]) for r in csv.DictReader(handle)}
    mango_outfits = {outfit for outfit, _ in mango_members}

    for _ in range(2):  # the second round must change nothing
        assert import_source("musinsa-snap", datasets_dir / "musinsa_snap/outfits.json",
                             db_url, progress=False).ok
        assert import_source("mango", datasets_dir / "mango", db_url, progress=False).ok
        counts = _counts(db_url)
        assert counts["outfit"] == 2264 + 6259 == len(snap) + len(mango_outfits)
        assert counts["item"] == len(snap_items) + len(mango_items)
        assert counts["outfit_item"] == len(snap_members) + len(mango_members)


def _genders(url: str, source: str) -> dict[str, str | None]:
    with session_scope(url) as session:
        return dict(session.execute(select(Item.source_id, Item.gender).where(Item.source == source)).all())


def test_snap_items_take_the_genders_of_their_outfits(db_url: str, tmp_path: Path) -> None:
    """Men's and women's outfits make men's and women's items; an item seen with both is unisex, also
    when the other gender only turns up in a later import; re-importing changes nothing."""
    outfits = [
        {"outfit_id": "1", "gender": "MALE", "items": [_item("10", "셔츠"), _item("20", "팬츠", "하의")]},
        {"outfit_id": "2", "gender": "FEMALE", "items": [_item("10", "셔츠"), _item("30", "스커트", "하의")]},
        {"outfit_id": "3", "items": [_item("40", "코트", "아우터"), _item("20", "팬츠", "하의")]},
    ]
    assert import_source("musinsa-snap", _snap(outfits, tmp_path), db_url, progress=False).ok
    assert _genders(db_url, "musinsa") == {"10": "unisex", "20": "male", "30": "female", "40": None}
    before = _snapshot(db_url)
    import_source("musinsa-snap", _snap(outfits, tmp_path), db_url, progress=False)
    assert _snapshot(db_url) == before

    later = [{"outfit_id": "4", "gender": "FEMALE",
              "items": [_item("20", "팬츠", "하의"), _item("40", "코트", "아우터")]}]
    import_source("musinsa-snap", _snap(later, tmp_path), db_url, progress=False)
    assert _genders(db_url, "musinsa") == {"10": "unisex", "20": "unisex", "30": "female", "40": "female"}


def test_mango_gender_comes_from_des_sex(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "product_data.csv").write_text(
        "cod_modelo_color,des_product_type,des_sex\n"
        "A-01,Jeans,Female\nB-02,Shirt,Male\nC-03,Cushion,Unisex\nD-04,Shirt,\n", encoding="utf-8")
    (tmp_path / "outfit_data.csv").write_text("cod_outfit,cod_modelo_color\n1,A-01\n1,B-02\n",
                                              encoding="utf-8")
    assert import_source("mango", tmp_path, db_url, progress=False).ok
    assert _genders(db_url, "mango") == {"A-01": "female", "B-02": "male", "C-03": "unisex", "D-04": None}


def test_the_database_rejects_a_gender_outside_the_vocabulary(db_url: str) -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError

    with pytest.raises((IntegrityError, OperationalError)), session_scope(db_url) as session:
        session.add(Item(source="x", source_id="1", name="셔츠", gender="Female"))


@pytest.mark.parametrize(("raw", "gender"), [
    ("남", "male"), ("여", "female"), ("남 여", "unisex"), ("MALE", "male"), ("FEMALE", "female"),
    ("Female", "female"), ("Male", "male"), ("Unisex", "unisex"), ("남녀공용", "unisex"),
    ("Male/Female", "unisex"),
    ("", None), (None, None), ("Kids", None),
])
def test_gender_labels_normalise(raw: str | None, gender: str | None) -> None:
    assert normalise_gender(raw) == gender


def test_genders_combine_by_union() -> None:
    assert combine_genders([None, "male"]) == "male"
    assert combine_genders(["male", "female"]) == "unisex"
    assert combine_genders(["female", "unisex"]) == "unisex"
    assert combine_genders([None]) is None


def test_lookups_of_a_batch_larger_than_one_in_list_find_every_row(db_url: str, monkeypatch) -> None:
    """A batch is looked up in slices (SQLite refuses more than 250,000 bound values, older builds 32,766):
    with 3 keys per slice, 10 items and 4 outfits still update in place instead of being inserted twice."""
    from db.importers import writer
    from db.importers.records import ItemRecord, OutfitRecord

    monkeypatch.setattr(writer, "LOOKUP_CHUNK", 3)
    items = [ItemRecord("musinsa", str(i), f"셔츠 {i}", big_class_raw="상의") for i in range(10)]
    outfits = [OutfitRecord("musinsa_snap", f"o{n}", [(("musinsa", str(n)), 1), (("musinsa", str(n + 5)), 2)])
               for n in range(4)]
    for _ in range(2):
        with session_scope(db_url) as session:
            ids = writer.upsert_items(session, items)
            writer.upsert_outfits(session, outfits, ids)
    assert len(set(ids.values())) == 10
    assert _counts(db_url)["item"] == 10 and _counts(db_url)["outfit"] == 4
    with session_scope(db_url) as session:
        assert writer.item_ids_for(session, [("musinsa", str(i)) for i in range(10)]) == ids
