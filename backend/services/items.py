"""Item look-ups and their JSON shapes (ItemOut, ItemDetail)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import chain
from types import SimpleNamespace
from urllib.parse import quote

from sqlalchemy import Row, String, bindparam, func, literal, literal_column, null, select, union_all
from sqlalchemy.orm import Session

from db.models import Item, ItemAttribute, ItemBuyerShare, ItemTag, Outfit

API_PREFIX = "/api/v1"
MEDIA_PREFIX = "/media"


def image_link(item: Item | Row | SimpleNamespace) -> str | None:
    """A URL a browser can load: the backend's copy of a local image, else the shop's image."""
    if item.image_path:
        return f"{MEDIA_PREFIX}/{quote(item.image_path.lstrip('/'))}"
    return item.image_url or None


def item_out(item: Item | Row | SimpleNamespace) -> dict:
    return {
        "id": item.id, "source": item.source, "source_id": item.source_id, "name": item.name,
        "brand": item.brand, "big_class": item.big_class, "subcategory": item.subcategory,
        "color_family": item.color_family, "cluster_key": item.cluster_key, "price": item.price,
        "likes": item.likes, "rating": item.rating, "gender": item.gender, "image": image_link(item),
        "shop_link": f"{API_PREFIX}/items/{item.id}/shop", "is_recommendable": bool(item.is_recommendable),
    }


def item_detail(item: Item | Row | SimpleNamespace, children: Sequence[Row]) -> dict:
    """ItemDetail from the item and its (kind, key, bucket, pct) rows (see `get_item_detail`)."""
    tags: list[str] = []
    attributes: dict[str, list[str]] = {"season": [], "fit": []}
    shares: dict[str, dict[str, float]] = {"age": {}, "gender": {}}
    for kind, key, bucket, pct in sorted(children, key=lambda c: (c[0], c[1], c[2] or "")):
        if kind == "tag":
            tags.append(key)
        elif kind == "share":
            shares.setdefault(key, {})[bucket] = pct
        else:
            attributes.setdefault(kind, []).append(key)
    return {**item_out(item), "tags": tags, "attributes": attributes, "buyer_shares": shares,
            "dominant_rgb": item.dominant_rgb}


ITEM = Item.__table__
_TAG, _ATTRIBUTE, _SHARE = ItemTag.__table__, ItemAttribute.__table__, ItemBuyerShare.__table__
_ITEM_ID = bindparam("item_id")
# Plain Core statements on table columns, built once: the ORM's per-query work cost several times
# the CPU of the query itself on these hot paths (item detail, search pages).
# The columns ItemOut and ItemDetail show, fetched as one JSON object per row (json_object: SQLite and
# MariaDB/MySQL alike): a MySQL driver parses a description and a value per column in Python, which made
# a detail request on MariaDB cost over twice the CPU of one on SQLite. Keys are these fixed names.
SERVED = ("id", "source", "source_id", "name", "brand", "big_class", "subcategory", "color_family",
          "cluster_key", "price", "likes", "rating", "gender", "image_path", "image_url", "is_recommendable",
          "dominant_rgb")
_SERVED_JSON = func.json_object(*chain.from_iterable((literal_column(f"'{name}'"), ITEM.c[name])
                                                     for name in SERVED), type_=String)
_ITEM_BY_ID = select(_SERVED_JSON).where(ITEM.c.id == _ITEM_ID)
_ITEMS_BY_IDS = select(_SERVED_JSON).where(ITEM.c.id.in_(bindparam("ids", expanding=True)))


def served_item(text: str) -> SimpleNamespace:
    """One `_SERVED_JSON` value as an object with the columns as attributes (what `item_out` reads)."""
    return SimpleNamespace(**json.loads(text))


_CHILDREN = union_all(  # tags, fit/season attributes and buyer shares in one round trip
    select(literal("tag"), _TAG.c.tag, null(), null()).where(_TAG.c.item_id == _ITEM_ID),
    select(_ATTRIBUTE.c.attribute, _ATTRIBUTE.c.value, null(), null())
    .where(_ATTRIBUTE.c.item_id == _ITEM_ID),
    select(literal("share"), _SHARE.c.dimension, _SHARE.c.bucket, _SHARE.c.share_pct)
    .where(_SHARE.c.item_id == _ITEM_ID),
)


def get_item_detail(session: Session, item_id: int) -> dict | None:
    """ItemDetail for `item_id`, or None."""
    connection = session.connection()
    text = connection.execute(_ITEM_BY_ID, {"item_id": item_id}).scalar()
    if text is None:
        return None
    return item_detail(served_item(text), connection.execute(_CHILDREN, {"item_id": item_id}).all())


def items_by_ids(session: Session, ids: Sequence[int]) -> list[SimpleNamespace]:
    """Item rows in the order asked; unknown ids are left out, repeats kept."""
    if not ids:
        return []
    rows = map(served_item, session.connection().execute(_ITEMS_BY_IDS, {"ids": sorted(set(ids))}).scalars())
    found = {row.id: row for row in rows}
    return [found[i] for i in ids if i in found]


def random_item(session: Session, big_class: str | None, rng_value: float) -> Item | None:
    """A random recommendable item without sorting the table: seek from a random id, wrap around."""
    conditions = [Item.is_recommendable.is_(True)]
    if big_class is not None:
        conditions.append(Item.big_class == big_class)
    low, high = session.execute(select(func.min(Item.id), func.max(Item.id)).where(*conditions)).one()
    if low is None:
        return None
    start = low + int(rng_value * (high - low + 1))
    statement = select(Item).where(*conditions, Item.id >= start).order_by(Item.id).limit(1)
    return session.scalars(statement).first() or session.scalars(
        select(Item).where(*conditions).order_by(Item.id).limit(1)).first()


def missing_ids(session: Session, model: type, ids: Iterable[int | None]) -> list[int]:
    """Which of `ids` (None ignored) do not exist in `model`'s table, sorted."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    return sorted(wanted - set(session.scalars(select(model.id).where(model.id.in_(wanted)))))


def unknown_references(session: Session, item_ids: list[int | None],
                       outfit_ids: list[int | None]) -> dict[str, list[int]]:
    """Referenced ids that do not exist (refused with 422 instead of a foreign-key failure)."""
    unknown: dict[str, list[int]] = {}
    for key, model, ids in (("item_ids", Item, item_ids), ("outfit_ids", Outfit, outfit_ids)):
        if missing := missing_ids(session, model, ids):
            unknown[key] = missing
    return unknown
