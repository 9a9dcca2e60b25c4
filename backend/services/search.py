"""Item search and facets: the in-memory index when it is loaded, else an equivalent SQL scan.

Both paths apply the same rule and the same relevance order (see `search_index`): every query term
matches the name, brand, raw category or raw colour through one of its spellings (`search_terms`),
as a case-insensitive substring or, for whole-word spellings, as `' ' || field || ' ' LIKE '% w %'`
with the same delimiters turned into spaces. The SQL path runs only until the first index snapshot
exists; it uses bound parameters and escapes LIKE wildcards in user text.
"""

from __future__ import annotations

from functools import reduce
from types import SimpleNamespace

from sqlalchemy import ColumnElement, Row, Select, String, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session

from backend.services.items import items_by_ids
from backend.services.search_index import (
    FACET_LIMIT,
    CatalogueIndex,
    ItemFilters,
    SortKey,
    query_words,
)
from backend.services.search_terms import DELIMITERS, QueryTerm, Spelling, named_subcategories, query_terms
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
    columns = (Item.name, Item.brand, Item.subcategory_raw, Item.color_raw)
    for term in query_terms(f.q):
        conditions.append(or_(*(_spelling_matches(c, s) for c in columns for s in term.spellings)))
    return conditions


def _padded_words(column: ColumnElement) -> ColumnElement:
    """' ' || lower(column) || ' ' with every delimiter as a space (`search_terms.padded_words`)."""
    lowered = reduce(lambda text, char: func.replace(text, char, " ", type_=String), DELIMITERS,
                     func.lower(column, type_=String))
    return literal(" ", String) + lowered + literal(" ", String)


def _spelling_matches(
    column: ColumnElement, spelling: Spelling, *, whole: bool = False
) -> ColumnElement[bool]:
    """`column` contains the spelling (as a whole word when the spelling or the caller asks)."""
    if whole or spelling.whole:
        if not spelling.words:
            return false()  # only delimiters: never a whole word (as in the index)
        return _padded_words(column).like(f"%{escape_like(spelling.padded)}%", escape="\\")
    return func.lower(column).like(f"%{escape_like(spelling.text)}%", escape="\\")


def _relevance_tiers(words: list[str], terms: list[QueryTerm]) -> list[ColumnElement]:
    """The index's relevance tiers (`CatalogueIndex._relevance_tiers`) as ORDER BY terms."""
    def term_in_name(term: QueryTerm, whole: bool) -> ColumnElement[bool]:
        return or_(*(_spelling_matches(Item.name, s, whole=whole) for s in term.spellings))

    starts = func.lower(Item.name).like(f"{escape_like(words[0])}%", escape="\\")
    tiers = [
        case((and_(*(term_in_name(t, whole=False) for t in terms)), 0), else_=1),
        case((and_(*(term_in_name(t, whole=True) for t in terms)), 0), else_=1),
        case((starts, 0), else_=1),
    ]
    wanted = named_subcategories(terms)
    if wanted:
        tiers.insert(0, case((Item.subcategory.in_(sorted(wanted)), 0), else_=1))
    return tiers


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
                 index: CatalogueIndex | None) -> tuple[list[Row] | list[SimpleNamespace], int]:
    """One page of matching items (current rows from the database) and the total number of matches."""
    if index is not None:
        ids, total = index.search(filters, sort=sort, page=page, page_size=page_size)
        return items_by_ids(session, ids), total
    total = session.execute(_base(filters, func.count(Item.id))).scalar_one()
    if total == 0 or (page - 1) * page_size >= total:
        return [], total
    order = list(ORDERS[sort])
    words = query_words(filters.q)
    if sort == "relevance" and words:  # the index's relevance tiers, then the most liked
        order = _relevance_tiers(words, query_terms(filters.q)) + order
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
