"""Turn parsed pages into database rows through `db/importers/writer.py`, and link outfits to items.

Each handler runs inside the transaction that also marks the page done, so a crash either keeps
the page and everything it produced, or neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crawler import frontier, urls
from crawler.frontier import Child, Claimed, Limits
from crawler.pages.goods import GoodsPage
from crawler.pages.outfit import OutfitPage
from crawler.pages.outfit_list import OutfitListPage
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import item_ids_for, upsert_items, upsert_outfits
from db.models import CrawlPage


def _payload(row_payload: str | None) -> dict:
    try:
        value = json.loads(row_payload) if row_payload else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def item_record(page: GoodsPage, page_url: str, image_path: str | None) -> ItemRecord:
    """The writer's record for a goods page: every stored field in one place."""
    return ItemRecord(
        source=urls.item_source(page_url),
        source_id=page.goods_no,
        name=page.name,
        brand=page.brand,
        serial=page.serial,
        big_class_raw=page.big_category,
        subcategory_raw=page.mid_category,
        price=page.price,
        likes=page.likes,
        rating=page.rating,
        gender=page.gender,
        season=page.season,
        view_count=page.views_1m,
        sales_count=page.sales_1y,
        image_url=page.image_url,
        image_path=image_path,
        shop_url=urls.goods_url(page_url, page.goods_no),
        tags=page.tags,
        attributes=[("season", v) for v in page.seasons_active] + [("fit", v) for v in page.fits_active],
        buyer_shares=[("age", b, p) for b, p in page.age_shares]
        + [("gender", b, p) for b, p in page.gender_shares],
    )


def link_outfits(session: Session, rows: Iterable[CrawlPage]) -> int:
    """Write the outfits of done outfit pages with whichever of their items are stored; returns how many."""
    records: list[OutfitRecord] = []
    keys_needed = set()
    parsed: list[tuple[CrawlPage, dict, list[tuple[str, str]]]] = []
    for row in rows:
        data = _payload(row.payload)
        if row.kind != "outfit" or row.state != "done" or "outfit" not in data:
            continue
        keys = [(urls.item_source(u), urls.page_id(u)) for u in data["outfit"]["item_urls"]]
        parsed.append((row, data, keys))
        keys_needed.update(keys)
    stored = item_ids_for(session, keys_needed)
    for row, data, keys in parsed:
        page, listing = data["outfit"], data.get("listing", {})
        members = [(key, position) for position, key in enumerate(keys, start=1) if key in stored]
        if not members:
            continue
        records.append(
            OutfitRecord(
                source=urls.outfit_source(row.url),
                source_id=urls.page_id(row.url),
                members=members,
                style=listing.get("style"),
                popularity=listing.get("views"),
                image_url=page.get("image_url"),
                page_url=row.url,
                tags=page.get("tags"),
            )
        )
    if records:
        upsert_outfits(session, records, stored)
    return len(records)


def link_all_outfits(session: Session) -> int:
    """The closing pass: every done outfit page gets exactly its stored members."""
    rows = session.scalars(
        select(CrawlPage).where(CrawlPage.kind == "outfit", CrawlPage.state == "done").order_by(CrawlPage.id)
    )
    return link_outfits(session, list(rows))


def store_list(session: Session, claimed: Claimed, page: OutfitListPage, limits: Limits) -> None:
    """Push the listed outfits (then the next list page) and remember each outfit's style and views."""
    children = [Child(entry.url, "outfit") for entry in page.entries]
    if page.next_url:
        children.append(Child(page.next_url, "list", same_depth=True))
    pushed = frontier.push(session, claimed, children, limits)
    if page.next_url and set(pushed) & {entry.url for entry in page.entries}:
        # a list page read again (a refresh) listed new outfits: the next page, read before, may list
        # new ones too, so read it again; a page whose outfits are all known ends the walk there
        session.execute(update(CrawlPage).where(CrawlPage.url == page.next_url, CrawlPage.kind == "list",
                                                CrawlPage.state == "done").values(state="pending"))
    listed = {entry.url: {"style": entry.style, "views": entry.views} for entry in page.entries}
    rows = session.scalars(
        select(CrawlPage).where(CrawlPage.url.in_(list(listed))).with_for_update()  # no lost payload update
    ).all()
    done = []
    for row in rows:
        data = _payload(row.payload)
        listing = {k: v for k, v in listed[row.url].items() if v is not None}
        if data.get("listing") != listing:
            data["listing"] = listing
            row.payload = _dump(data)
            if row.state == "done":
                done.append(row)
    session.flush()
    link_outfits(session, done)


def store_outfit(session: Session, claimed: Claimed, page: OutfitPage, limits: Limits) -> str:
    """Keep what the outfit page says, push its items, and link the ones already stored."""
    row = session.get(CrawlPage, claimed.id, with_for_update=True)  # a list page may add its listing
    data = _payload(row.payload)
    data["outfit"] = {"item_urls": page.item_urls, "tags": page.tags, "image_url": page.image_url}
    frontier.push(session, claimed, [Child(u, "item") for u in page.item_urls], limits)
    return _dump(data)


def store_goods(
    session: Session, claimed: Claimed, page: GoodsPage, image_path: str | None, limits: Limits
) -> str:
    """Upsert the item, push its related outfits, and link the outfit that led here."""
    upsert_items(session, [item_record(page, claimed.url, image_path)])
    frontier.push(session, claimed, [Child(u, "outfit") for u in page.related_outfit_urls], limits)
    row = session.get(CrawlPage, claimed.id)
    if row.parent_id is not None:
        parent = session.get(CrawlPage, row.parent_id)
        if parent is not None and parent.kind == "outfit":
            link_outfits(session, [parent])
    return _dump({"goods": {"serial": page.serial, "related_outfit_urls": page.related_outfit_urls}})
