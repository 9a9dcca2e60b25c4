"""Small helpers shared by the frontend page tests (real backend data, no fakes)."""

from __future__ import annotations

from sqlalchemy import func, select

from db.engine import session_scope
from db.models import Item, OutfitItem
from frontend.backend_client import BackendClient


def items(backend_url: str, ids: list[int]) -> list[dict]:
    """ItemOut dicts exactly as the backend serves them."""
    client = BackendClient(backend_url)
    try:
        return client.items_batch(ids)
    finally:
        client.close()


def pair_worn_together(database_url: str) -> tuple[int, int]:
    """Two items of one stored outfit (the first two positions of the lowest outfit id)."""
    with session_scope(database_url) as session:
        outfit = session.scalar(select(func.min(OutfitItem.outfit_id)))
        rows = session.execute(select(OutfitItem.item_id).where(OutfitItem.outfit_id == outfit)
                               .order_by(OutfitItem.position).limit(2)).scalars().all()
    return rows[0], rows[1]


def pair_only_clusters_share(database_url: str) -> tuple[int, int] | None:
    """Two items never in one outfit whose clusters are (through other items of those clusters)."""
    with session_scope(database_url) as session:
        members = session.execute(select(OutfitItem.outfit_id, OutfitItem.item_id)).all()
        cluster = dict(session.execute(select(Item.id, Item.cluster_key)).all())
    outfits_of: dict[int, set[int]] = {}
    cluster_outfits: dict[str, set[int]] = {}
    for outfit_id, item_id in members:
        outfits_of.setdefault(item_id, set()).add(outfit_id)
        cluster_outfits.setdefault(cluster[item_id], set()).add(outfit_id)
    for a in sorted(cluster):
        for b in sorted(cluster):
            if (cluster[a] != cluster[b] and a < b and not outfits_of.get(a, set()) & outfits_of.get(b, set())
                    and cluster_outfits.get(cluster[a], set()) & cluster_outfits.get(cluster[b], set())):
                return a, b
    return None


def outfits(backend_url: str, item_a: int, item_b: int) -> list[dict]:
    """OutfitOut dicts for a pair, as the outfits page gets them."""
    client = BackendClient(backend_url)
    try:
        return client.outfits_by_pair(item_a, item_b)["outfits"]
    finally:
        client.close()


def partner_of_cluster(database_url: str, cluster_key: str) -> int:
    """An item worn in some outfit together with an item of `cluster_key` (from another cluster)."""
    with session_scope(database_url) as session:
        outfit = session.scalar(
            select(func.min(OutfitItem.outfit_id)).join(Item, Item.id == OutfitItem.item_id)
            .where(Item.cluster_key == cluster_key))
        return session.scalar(
            select(func.min(Item.id)).join(OutfitItem, OutfitItem.item_id == Item.id)
            .where(OutfitItem.outfit_id == outfit, Item.cluster_key != cluster_key))


def item_of_cluster(database_url: str, subcategory: str, color: str) -> int:
    """The lowest item id of one subcategory in one colour (the seeded catalogue has one or two)."""
    with session_scope(database_url) as session:
        return session.scalar(select(func.min(Item.id)).where(Item.subcategory == subcategory,
                                                             Item.color_family == color))
