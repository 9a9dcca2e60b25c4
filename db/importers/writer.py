"""Portable batched upserts keyed by (source, source_id), shared by importers and the crawler.

Rows are only touched when a value differs, so re-importing the same data issues no UPDATE
and leaves every column (timestamps included) exactly as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.audience import combine_genders, genders_worn, normalise_gender
from db.importers.records import ItemKey, ItemRecord, OutfitRecord
from db.models import Item, ItemAttribute, ItemBuyerShare, ItemTag, Outfit, OutfitItem, OutfitTag

LOOKUP_CHUNK = 500  # keys per IN (...) lookup

ITEM_FIELDS = (
    "name", "brand", "big_class_raw", "subcategory_raw", "color_raw", "price", "likes",
    "rating", "gender", "season", "view_count", "sales_count", "image_url", "image_path",
    "shop_url", "serial",
)
OUTFIT_FIELDS = (
    "style", "season", "gender", "popularity", "image_url", "page_url", "description",
)
TAG_LENGTH = 64
# the item's gender in the one vocabulary, whoever wrote the record (a CHECK constraint enforces it)
ITEM_CLEANERS: dict[str, Callable[[object], object]] = {"gender": normalise_gender}


def _assign_changed(row: object, record: object, fields: Iterable[str],
                    cleaners: dict[str, Callable[[object], object]] | None = None) -> None:
    """Copy fields that differ; a None in the record never erases a known value."""
    for name in fields:
        value = getattr(record, name)
        if value is not None and cleaners and name in cleaners:
            value = cleaners[name](value)
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)


def _by_source(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for source, source_id in keys:
        grouped[source].append(source_id)
    return grouped


def _chunks(values: Sequence, size: int = LOOKUP_CHUNK) -> Iterable[Sequence]:
    """`values` in slices of `size`: an IN (...) list stays under SQLite's bound-variable limit (32,766 on
    older builds) and MariaDB's packet size, whatever the batch."""
    return (values[start:start + size] for start in range(0, len(values), size))


def _clean_tags(tags: Iterable[str]) -> list[str]:
    """Trim, cut to the column size and deduplicate, keeping first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        tag = tag.strip()[:TAG_LENGTH]
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _sync_children(collection: list, wanted: dict[tuple, object], key_of) -> None:  # noqa: ANN001
    """Make `collection` hold exactly `wanted` (keyed), adding and removing only differences."""
    present = {key_of(child): child for child in collection}
    for key, child in present.items():
        if key not in wanted:
            collection.remove(child)
    for key, make in wanted.items():
        if key not in present:
            collection.append(make())


def load_items(session: Session, keys: Sequence[ItemKey], with_children: bool) -> dict[ItemKey, Item]:
    """Existing items for `keys`, optionally with their tags, attributes and buyer shares."""
    query = select(Item)
    if with_children:
        query = query.options(
            selectinload(Item.tags), selectinload(Item.attributes), selectinload(Item.buyer_shares)
        )
    found: dict[ItemKey, Item] = {}
    for source, ids in _by_source(keys).items():
        for chunk in _chunks(ids):
            rows = session.scalars(query.where(Item.source == source, Item.source_id.in_(chunk)))
            found.update({(row.source, row.source_id): row for row in rows})
    return found


def upsert_items(session: Session, records: Sequence[ItemRecord]) -> dict[ItemKey, int]:
    """Insert new items, update changed ones; returns the database id of every record."""
    with_children = any(
        r.tags is not None or r.attributes is not None or r.buyer_shares is not None
        for r in records
    )
    existing = load_items(session, [r.key for r in records], with_children)
    rows: dict[ItemKey, Item] = {}
    for record in records:
        row = existing.get(record.key)
        if row is None:
            row = Item(source=record.source, source_id=record.source_id, name=record.name)
            if with_children:
                row.tags, row.attributes, row.buyer_shares = [], [], []
            session.add(row)
        _assign_changed(row, record, ITEM_FIELDS, ITEM_CLEANERS)
        if record.tags is not None:
            _sync_children(
                row.tags, {(t,): (lambda t=t: ItemTag(tag=t)) for t in _clean_tags(record.tags)},
                lambda c: (c.tag,),
            )
        if record.attributes is not None:
            _sync_children(
                row.attributes,
                {(a, v): (lambda a=a, v=v: ItemAttribute(attribute=a, value=v))
                 for a, v in record.attributes},
                lambda c: (c.attribute, c.value),
            )
        if record.buyer_shares is not None:
            wanted = {(d, b): p for d, b, p in record.buyer_shares}
            _sync_children(
                row.buyer_shares,
                {k: (lambda k=k, p=p: ItemBuyerShare(dimension=k[0], bucket=k[1], share_pct=p))
                 for k, p in wanted.items()},
                lambda c: (c.dimension, c.bucket),
            )
            for share in row.buyer_shares:
                pct = wanted[(share.dimension, share.bucket)]
                if share.share_pct != pct:
                    share.share_pct = pct
        rows[record.key] = row
    session.flush()
    return {key: row.id for key, row in rows.items()}


def item_ids_for(session: Session, keys: Iterable[ItemKey]) -> dict[ItemKey, int]:
    """Database ids of items already stored, looked up by (source, source_id)."""
    found: dict[ItemKey, int] = {}
    for source, ids in _by_source(set(keys)).items():
        for chunk in _chunks(ids):
            rows = session.execute(
                select(Item.source, Item.source_id, Item.id).where(
                    Item.source == source, Item.source_id.in_(chunk)
                )
            )
            found.update({(s, sid): item_id for s, sid, item_id in rows})
    return found


def upsert_outfits(
    session: Session, records: Sequence[OutfitRecord], item_ids: dict[ItemKey, int]
) -> dict[tuple[str, str], int]:
    """Insert or update outfits, their tags and memberships; members must already exist."""
    query = select(Outfit).options(selectinload(Outfit.members), selectinload(Outfit.tags))
    existing: dict[tuple[str, str], Outfit] = {}
    for source, ids in _by_source(r.key for r in records).items():
        for chunk in _chunks(ids):
            rows = session.scalars(query.where(Outfit.source == source, Outfit.source_id.in_(chunk)))
            existing.update({(row.source, row.source_id): row for row in rows})
    result: dict[tuple[str, str], Outfit] = {}
    for record in records:
        row = existing.get(record.key)
        if row is None:
            row = Outfit(source=record.source, source_id=record.source_id, members=[], tags=[])
            session.add(row)
        _assign_changed(row, record, OUTFIT_FIELDS)
        positions = {item_ids[key]: position for key, position in record.members}
        _sync_children(
            row.members,
            {(i,): (lambda i=i, p=p: OutfitItem(item_id=i, position=p)) for i, p in positions.items()},
            lambda c: (c.item_id,),
        )
        for member in row.members:
            if member.position != positions[member.item_id]:
                member.position = positions[member.item_id]
        if record.tags is not None:
            _sync_children(
                row.tags, {(t,): (lambda t=t: OutfitTag(tag=t)) for t in _clean_tags(record.tags)},
                lambda c: (c.tag,),
            )
        result[record.key] = row
    session.flush()
    worn = {i for r in records if normalise_gender(r.gender) for i in (item_ids[k] for k, _ in r.members)}
    derive_item_genders(session, worn)
    return {key: row.id for key, row in result.items()}


def derive_item_genders(session: Session, item_ids: Iterable[int]) -> int:
    """Add the genders of the outfits each item is worn in to its gender (male + female = unisex).

    Evidence only accumulates (the stored gender joins the union), so re-importing changes nothing and an
    item that turns up in an outfit of the other gender becomes unisex. Returns how many items changed.
    """
    ids = sorted(set(item_ids))
    changed = 0
    for chunk in _chunks(ids):
        rows = session.execute(select(OutfitItem.item_id, Outfit.gender)
                               .join(Outfit, Outfit.id == OutfitItem.outfit_id)
                               .where(OutfitItem.item_id.in_(chunk), Outfit.gender.is_not(None)))
        worn = genders_worn((gender, [item_id]) for item_id, gender in rows)
        for item in session.scalars(select(Item).where(Item.id.in_(chunk))):
            gender = combine_genders([item.gender, worn.get(item.id)])
            if gender != item.gender:
                item.gender = gender
                changed += 1
    session.flush()
    return changed
