"""Coordination examples for a pair of items: the outfits that combine them, or their clusters."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from backend.services.items import item_out
from db.models import Item, Outfit, OutfitItem


def outfits_with_both(session: Session, item_a: int, item_b: int, limit: int) -> list[int]:
    a, b = aliased(OutfitItem), aliased(OutfitItem)
    statement = (select(Outfit.id).join(a, a.outfit_id == Outfit.id).join(b, b.outfit_id == Outfit.id)
                 .where(a.item_id == item_a, b.item_id == item_b)
                 .order_by(Outfit.popularity.desc(), Outfit.id.desc()).limit(limit))
    return list(session.scalars(statement))


def outfits_with_clusters(session: Session, cluster_a: str, cluster_b: str, limit: int) -> list[int]:
    """Outfits with an item of cluster_a and a different item of cluster_b."""
    a, b = aliased(OutfitItem), aliased(OutfitItem)
    item_a, item_b = aliased(Item), aliased(Item)
    statement = (select(Outfit.id)
                 .join(a, a.outfit_id == Outfit.id).join(item_a, item_a.id == a.item_id)
                 .join(b, b.outfit_id == Outfit.id).join(item_b, item_b.id == b.item_id)
                 .where(item_a.cluster_key == cluster_a, item_b.cluster_key == cluster_b,
                        a.item_id != b.item_id)
                 .group_by(Outfit.id, Outfit.popularity)
                 .order_by(Outfit.popularity.desc(), Outfit.id.desc()).limit(limit))
    return list(session.scalars(statement))


def load_outfits(session: Session, ids: list[int]) -> list[dict]:
    """OutfitOut dicts in the order of `ids`, members in display order."""
    if not ids:
        return []
    statement = (select(Outfit).where(Outfit.id.in_(ids))
                 .options(selectinload(Outfit.tags), selectinload(Outfit.members)))
    outfits = {outfit.id: outfit for outfit in session.scalars(statement)}
    member_ids = {m.item_id for outfit in outfits.values() for m in outfit.members}
    items = {item.id: item for item in session.scalars(select(Item).where(Item.id.in_(member_ids)))}
    result = []
    for outfit_id in ids:
        outfit = outfits[outfit_id]
        members = sorted(outfit.members, key=lambda m: (m.position, m.item_id))
        result.append({
            "id": outfit.id, "source": outfit.source, "source_id": outfit.source_id,
            "style": outfit.style, "season": outfit.season, "gender": outfit.gender,
            "popularity": outfit.popularity, "image_url": outfit.image_url, "page_url": outfit.page_url,
            "tags": sorted(tag.tag for tag in outfit.tags),
            "items": [item_out(items[m.item_id]) for m in members if m.item_id in items],
        })
    return result


def outfits_for_pair(session: Session, a: Item, b: Item, limit: int) -> tuple[str, list[dict]]:
    """('items'|'clusters'|'none', outfits): exact pairs first, cluster pairs as the fallback."""
    if a.id == b.id:  # an item does not pair with itself
        return "none", []
    ids = outfits_with_both(session, a.id, b.id, limit)
    if ids:
        return "items", load_outfits(session, ids)
    if a.cluster_key and b.cluster_key:
        ids = outfits_with_clusters(session, a.cluster_key, b.cluster_key, limit)
        if ids:
            return "clusters", load_outfits(session, ids)
    return "none", []
