"""Compare what a crawl stored with the replica shop's ground_truth.json, field by field.

The expected values are read from the JSON here, independently of the crawler's own mapping code.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.audience import normalise_gender
from db.engine import session_scope
from db.models import Item, Outfit


def load(shop_dir: Path) -> dict:
    return json.loads((shop_dir / "ground_truth.json").read_text(encoding="utf-8"))


def expected_item(raw: dict, base_url: str) -> dict:
    return {
        "name": raw["name"],
        "brand": raw["brand"],
        "serial": raw["serial"],
        "big_class_raw": raw["big_category"],
        "subcategory_raw": raw["mid_category"],
        "price": raw["price"],
        "likes": raw["likes"],
        "rating": raw["rating"],
        "gender": normalise_gender(raw["gender"]),  # stored as male / female / unisex
        "season": raw["season"],
        "view_count": raw["views_1m"],
        "sales_count": raw["sales_1y"],
        "image_url": base_url + raw["image"],
        "shop_url": f"{base_url}/app/goods/{raw['goods_no']}/0",
        "tags": sorted(raw["tags"]),
        "attributes": sorted(
            [("season", v) for v in raw["seasons_active"]] + [("fit", v) for v in raw["fits_active"]]
        ),
        "buyer_shares": sorted(
            [("age", b, float(p)) for b, p in raw["age_shares"].items()]
            + [("gender", b, float(p)) for b, p in raw["gender_shares"].items()]
        ),
    }


def stored_item(item: Item) -> dict:
    return {
        "name": item.name,
        "brand": item.brand,
        "serial": item.serial,
        "big_class_raw": item.big_class_raw,
        "subcategory_raw": item.subcategory_raw,
        "price": item.price,
        "likes": item.likes,
        "rating": item.rating,
        "gender": item.gender,
        "season": item.season,
        "view_count": item.view_count,
        "sales_count": item.sales_count,
        "image_url": item.image_url,
        "shop_url": item.shop_url,
        "tags": sorted(t.tag for t in item.tags),
        "attributes": sorted((a.attribute, a.value) for a in item.attributes),
        "buyer_shares": sorted((s.dimension, s.bucket, s.share_pct) for s in item.buyer_shares),
    }


def assert_matches_truth(
    database_url: str,
    shop_dir: Path,
    base_url: str,
    image_dir: Path,
    *,
    lost_items: frozenset[int] = frozenset(),
    lost_outfits: frozenset[int] = frozenset(),
    imageless: frozenset[int] = frozenset(),
    incomplete: dict[int, set[str]] | None = None,
) -> None:
    """Every reachable item and outfit is stored exactly as the shop shows it, and nothing else is.

    `lost_*` were made unreachable or unusable on purpose; `imageless` items had their picture broken;
    `incomplete` maps an item to the fields its page was stripped of (stored as NULL).
    """
    truth = load(shop_dir)
    incomplete = incomplete or {}
    outfits = {o["codimap_id"]: o for o in truth["outfits"] if o["codimap_id"] not in lost_outfits}
    reachable = {n for o in outfits.values() for n in o["items"]} - lost_items
    items = {i["goods_no"]: i for i in truth["items"] if i["goods_no"] in reachable}
    with session_scope(database_url) as session:
        rows = session.scalars(
            select(Item).options(
                selectinload(Item.tags), selectinload(Item.attributes), selectinload(Item.buyer_shares)
            )
        ).all()
        stored = {int(r.source_id): r for r in rows}
        assert {r.source for r in rows} <= {"replica"}
        assert set(stored) == set(items), set(stored) ^ set(items)
        for number, raw in items.items():
            row = stored[number]
            want = expected_item(raw, base_url)
            for field in incomplete.get(number, set()):
                want[field] = None
            assert stored_item(row) == want, number
            if number in imageless:
                assert row.image_path is None
            else:
                assert (
                    row.image_path
                    and (image_dir / row.image_path).read_bytes()
                    == (shop_dir / raw["image"].lstrip("/")).read_bytes()
                )
        outfit_rows = session.scalars(
            select(Outfit).options(selectinload(Outfit.members), selectinload(Outfit.tags))
        ).all()
        id_to_no = {r.id: int(r.source_id) for r in rows}
        stored_outfits = {int(o.source_id): o for o in outfit_rows}
        assert set(stored_outfits) == set(outfits), set(stored_outfits) ^ set(outfits)
        for codimap_id, raw in outfits.items():
            row = stored_outfits[codimap_id]
            assert row.source == "replica"
            assert (row.style, row.popularity, row.image_url, row.page_url) == (
                raw["style"],
                raw["views"],
                base_url + raw["image"],
                f"{base_url}/app/codimap/views/{codimap_id}",
            )
            assert sorted(t.tag for t in row.tags) == sorted(raw["tags"])
            members = sorted((m.position, id_to_no[m.item_id]) for m in row.members)
            want = [(position, n) for position, n in enumerate(raw["items"], start=1) if n in reachable]
            assert members == want, codimap_id
