"""`python -m model.audit` on a small database: the rules hold, and each check does see a break."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import update

from db.engine import session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits
from db.models import Item
from model.audit import audit, catalogue_facts, main
from model.recommender import Recommender
from model.train import train

# (source, big class raw, name stem, brand): a small shop per source, outfits within each source
SHOPS = {
    "musinsa": [("상의", "화이트 옥스포드 셔츠", "alpha"), ("하의", "네이비 와이드 슬랙스", "alpha"),
                ("아우터", "블랙 울 코트", "beta")],
    "mango": [("Tops", "Shirt White", "MANGO"), ("Bottoms", "Trousers Navy", "MANGO"),
              ("Outerwear", "Coat Black", "MANGO")],
}


def _seed(url: str) -> dict[tuple[str, str], int]:
    records, outfits = [], []
    for source, shop in SHOPS.items():
        for c, (big, name, brand) in enumerate(shop):
            for i in range(4):
                gender = ("male", "female")[i % 2] if i < 3 else None
                records.append(ItemRecord(source=source, source_id=f"{c}-{i}", name=f"{name} {i}",
                                          brand=brand, big_class_raw=big, gender=gender))
        for n in range(12):
            outfits.append(OutfitRecord(source=source, source_id=f"{source}-{n}",
                                        members=[((source, f"{c}-{n % 4}"), c + 1) for c in range(3)]))
    with session_scope(url) as session:
        ids = upsert_items(session, records)
        upsert_outfits(session, outfits, ids)
    return ids


def test_audit_reports_the_rules_holding_and_catches_breaks(sqlite_url: str, tmp_path: Path, capsys) -> None:
    _seed(sqlite_url)
    train(sqlite_url, tmp_path, progress=False)
    out = tmp_path / "audit.json"
    assert main(["--database-url", sqlite_url, "--artifact-dir", str(tmp_path), "--source", "any",
                 "--queries", "12", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "gender clashes" in printed and "rows left empty" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["queries"] == 12 and report["cards"] > 0
    assert report["gender_clashes"] == report["below_floor"] == report["lookalikes"] == 0

    rec = Recommender.load(tmp_path, floor=0.0)
    queries = [int(i) for i in rec.item_ids.tolist()]
    with session_scope(sqlite_url) as session:
        facts = catalogue_facts(session)
    clean = audit(rec, facts, queries, k=30, per_big_class=5)
    assert clean.cards and clean.gender_clashes == clean.lookalikes == 0 and clean.below_floor == 0
    expected_other = sum(facts.source[r.item_id] != facts.source[q] for q in queries
                         for r in rec.recommend(q, k=30, per_big_class=5))
    assert clean.other_source == expected_other
    assert audit(rec, facts, queries, floor=1.0).below_floor == clean.cards  # judged against a higher floor

    # The database changes after training (a stale artifact): every card becomes women's and shares one name.
    with session_scope(sqlite_url) as session:
        session.execute(update(Item).values(gender="female", name="같은 셔츠", brand="alpha"))
    with session_scope(sqlite_url) as session:
        stale = catalogue_facts(session)
    broken = audit(rec, stale, queries, k=30, per_big_class=5)
    assert broken.lookalikes == broken.cards  # every card repeats the query's product
    assert broken.gender_clashes == 0  # women's everywhere: no clash
    with session_scope(sqlite_url) as session:
        session.execute(update(Item).where(Item.source_id.like("0-%")).values(gender="male"))
    with session_scope(sqlite_url) as session:
        mixed = catalogue_facts(session)
    clashes = audit(rec, mixed, queries, k=30, per_big_class=5)
    tops = {i for i, gender in mixed.gender.items() if gender == "male"}
    expected = sum((q in tops) != (r.item_id in tops) for q in queries
                   for r in rec.recommend(q, k=30, per_big_class=5))
    assert clashes.gender_clashes == expected > 0
