"""Item look-ups and their JSON shapes (ItemOut, ItemDetail)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.models import Item, Outfit

API_PREFIX = "/api/v1"
MEDIA_PREFIX = "/media"


def image_link(item: Item) -> str | None:
    """A URL a browser can load: the backend's copy of a local image, else the shop's image."""
    if item.image_path:
        return f"{MEDIA_PREFIX}/{quote(item.image_path.lstrip('/'))}"
    return item.image_url or None


def item_out(item: Item) -> dict:
    return {
        "id": item.id, "source": item.source, "source_id": item.source_id, "name": item.name,
        "brand": item.brand, "big_class": item.big_class, "subcategory": item.subcategory,
        "color_family": item.color_family, "cluster_key": item.cluster_key, "price": item.price,
        "likes": item.likes, "rating": item.rating, "gender": item.gender, "image": image_link(item),
        "shop_link": f"{API_PREFIX}/items/{item.id}/shop", "is_recommendable": bool(item.is_recommendable),
    }


def item_detail(item: Item) -> dict:
    attributes: dict[str, list[str]] = {"season": [], "fit": []}
    for attribute in sorted(item.attributes, key=lambda a: (a.attribute, a.value)):
        attributes.setdefault(attribute.attribute, []).append(attribute.value)
    shares: dict[str, dict[str, float]] = {"age": {}, "gender": {}}
    for share in sorted(item.buyer_shares, key=lambda s: (s.dimension, s.bucket)):
        shares.setdefault(share.dimension, {})[share.bucket] = share.share_pct
    return {
        **item_out(item),
        "tags": sorted(tag.tag for tag in item.tags),
        "attributes": attributes,
        "buyer_shares": shares,
        "dominant_rgb": item.dominant_rgb,
    }


def get_item_detail(session: Session, item_id: int) -> Item | None:
    statement = (select(Item).where(Item.id == item_id)
                 .options(selectinload(Item.tags), selectinload(Item.attributes),
                          selectinload(Item.buyer_shares)))
    return session.scalars(statement).first()


def items_by_ids(session: Session, ids: Sequence[int]) -> list[Item]:
    """Items in the order asked; unknown ids are left out, repeats kept."""
    if not ids:
        return []
    found = {item.id: item for item in session.scalars(select(Item).where(Item.id.in_(set(ids))))}
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


def existing_ids(session: Session, model: type, ids: Iterable[int | None]) -> set[int]:
    """Which of `ids` exist in `model`'s table (used to refuse dangling references clearly)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(session.scalars(select(model.id).where(model.id.in_(wanted))))


def unknown_references(session: Session, item_ids: list[int | None],
                       outfit_ids: list[int | None]) -> dict[str, list[int]]:
    """Referenced ids that do not exist (refused with 422 instead of a foreign-key failure)."""
    unknown: dict[str, list[int]] = {}
    items = existing_ids(session, Item, item_ids)
    outfits = existing_ids(session, Outfit, outfit_ids)
    if missing := sorted({i for i in item_ids if i is not None} - items):
        unknown["item_ids"] = missing
    if missing := sorted({i for i in outfit_ids if i is not None} - outfits):
        unknown["outfit_ids"] = missing
    return unknown
