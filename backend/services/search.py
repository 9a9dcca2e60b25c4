"""Item search and facets: the in-memory index when it is loaded, else an equivalent SQL scan.

Both paths apply the same rule (see `search_index`): every query word is a case-insensitive
substring of the name, brand, raw category or raw colour. The SQL path runs only until the first
index snapshot exists; it uses bound parameters and escapes LIKE wildcards in user text.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.orm import Session

from backend.services.items import items_by_ids
from backend.services.search_index import (
    FACET_LIMIT,
    CatalogueIndex,
    ItemFilters,
    SortKey,
    query_words,
)
from db.models import Item

__all__ = ["ItemFilters", "SortKey", "escape_like", "facets", "search_items"]


def escape_like(text: str) -> str:
    """Make %, _ and the escape character itself literal inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(filters: ItemFilters) -> list[ColumnElement[bool]]:
    f = filters
    conditions: list[ColumnElement[bool]] = []
    for column, value in ((Item.big_class, f.big_class), (Item.subcategory, f.subcategory),
                          (Item.color_family, f.color_family), (Item.brand, f.brand),
                          (Item.gender, f.gender)):
        if value is not None:
            conditions.append(column == value)
    if f.min_price is not None:
        conditions.append(Item.price >= f.min_price)
    if f.max_price is not None:
        conditions.append(Item.price <= f.max_price)
    if f.recommendable_only:
        conditions.append(Item.is_recommendable == True)  # noqa: E712 - '= 1' lets an index serve
    columns = [func.lower(c) for c in (Item.name, Item.brand, Item.subcategory_raw, Item.color_raw)]
    for word in query_words(f.q):
        pattern = f"%{escape_like(word)}%"
        conditions.append(or_(*(c.like(pattern, escape="\\") for c in columns)))
    return conditions


def _base(filters: ItemFilters, *columns) -> Select:  # noqa: ANN002
    return select(*columns).select_from(Item).where(*_conditions(filters))


ORDERS: dict[str, list[ColumnElement]] = {
    "relevance": [Item.likes.is_(None), Item.likes.desc(), Item.id.desc()],
    "-likes": [Item.likes.is_(None), Item.likes.desc(), Item.id.desc()],
    "likes": [Item.likes.is_(None), Item.likes.asc(), Item.id.asc()],
    "price": [Item.price.is_(None), Item.price.asc(), Item.id.asc()],
    "-price": [Item.price.is_(None), Item.price.desc(), Item.id.desc()],
    "name": [func.lower(Item.name).asc(), Item.id.asc()],
    "newest": [Item.created_at.is_(None), Item.created_at.desc(), Item.id.desc()],
}


def search_items(session: Session, filters: ItemFilters, *, sort: SortKey, page: int, page_size: int,
                 index: CatalogueIndex | None) -> tuple[list[Row], int]:
    """One page of matching items (current rows from the database) and the total number of matches."""
    if index is not None:
        ids, total = index.search(filters, sort=sort, page=page, page_size=page_size)
        return items_by_ids(session, ids), total
    total = session.execute(_base(filters, func.count(Item.id))).scalar_one()
    if total == 0 or (page - 1) * page_size >= total:
        return [], total
    order = list(ORDERS[sort])
    words = query_words(filters.q)
    if sort == "relevance" and words:  # names starting with the first word first, as the index does
        starts = func.lower(Item.name).like(f"{escape_like(words[0])}%", escape="\\")
        order.insert(0, ~starts)
    statement = (_base(filters, *Item.__table__.columns).order_by(*order)
                 .offset((page - 1) * page_size).limit(page_size))
    return list(session.execute(statement).all()), total


def facets(session: Session, filters: ItemFilters, *, index: CatalogueIndex | None) -> dict[str, list[dict]]:
    """Counts per big class, subcategory, colour family and brand among the matching items."""
    if index is not None:
        return index.facets(filters)
    result: dict[str, list[dict]] = {}
    for name, column in (("big_classes", Item.big_class), ("subcategories", Item.subcategory),
                         ("colors", Item.color_family), ("brands", Item.brand)):
        count = func.count(Item.id)
        statement = (_base(filters, column, count).where(column.is_not(None)).group_by(column)
                     .order_by(count.desc(), column).limit(FACET_LIMIT))
        result[name] = [{"value": value, "count": n} for value, n in session.execute(statement)]
    return result
