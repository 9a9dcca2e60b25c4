"""Build the training set from the database: items (by item.id) and the outfits that link them.

Items whose normalised fields are NULL (features not built yet) get them from the same shared
definition on the fly, so training works right after an import; items that still have no big class
stay in the graph (they connect outfits) but are never recommended.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Item, ItemTag, OutfitItem
from model.features.vocab import BIG_CLASSES
from model.recommender.attributes import garment_profile, raw_attributes, variant_group
from model.recommender.data import TrainingSet, build_catalogue

# the importers' attribute tags that feed `garment_profile`
PROFILE_TAGS = ("line:", "fabric:", "age:", "collection:")


def _row(item, tags: list[str]) -> dict:
    big, sub, color, key = item.big_class, item.subcategory, item.color_family, item.cluster_key
    recommendable = bool(item.is_recommendable)
    if big is None or key is None:
        attrs = raw_attributes(item.source, item.big_class_raw, item.subcategory_raw, item.color_raw,
                               item.name)
        big = big or attrs.big_class
        sub = sub or attrs.subcategory
        color = color or attrs.color
        key = key or attrs.cluster_key
        recommendable = recommendable or attrs.recommendable
    recommendable = recommendable and big in BIG_CLASSES
    return {"id": int(item.id), "big_class": big or "", "cluster_key": key, "subcategory": sub,
            "color": color, "name": item.name, "brand": item.brand, "recommendable": recommendable,
            "group": variant_group(item.source, item.source_id),
            **garment_profile(item.subcategory_raw, item.gender, tags)}


def load_training_set(session: Session) -> TrainingSet:
    """Every item, ordered by id, and every outfit with at least two items."""
    items = session.execute(
        select(Item.id, Item.source, Item.source_id, Item.name, Item.brand, Item.big_class_raw,
               Item.subcategory_raw, Item.color_raw, Item.big_class, Item.subcategory, Item.color_family,
               Item.cluster_key, Item.is_recommendable, Item.gender).order_by(Item.id)
    ).all()
    tags: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(select(ItemTag.item_id, ItemTag.tag).order_by(ItemTag.item_id, ItemTag.tag))
    for item_id, tag in rows:
        if tag.startswith(PROFILE_TAGS):
            tags[int(item_id)].append(tag)
    catalogue = build_catalogue([_row(item, tags.get(int(item.id), [])) for item in items])
    index = {int(item_id): i for i, item_id in enumerate(catalogue.item_ids.tolist())}
    members: dict[int, list[int]] = defaultdict(list)
    rows = session.execute(select(OutfitItem.outfit_id, OutfitItem.item_id)
                           .order_by(OutfitItem.outfit_id, OutfitItem.position))
    for outfit_id, item_id in rows:
        if item_id in index and index[item_id] not in members[outfit_id]:
            members[outfit_id].append(index[item_id])
    outfits = [m for _, m in sorted(members.items()) if len(m) >= 2]
    return TrainingSet(catalogue, outfits)
