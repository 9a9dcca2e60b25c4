"""Item search: free text plus filters, allow-listed sort and pagination, on SQLite and MariaDB.

Text matching: every whitespace-separated word of the query must occur as a substring of the
item's name, brand, raw category or colour, ignoring case. Words are matched through the bigram
index (`search_index`); words it cannot decide alone are confirmed with a LIKE on the indexed text,
whose wildcards in user text are escaped. Everything user-supplied is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from backend.services.search_index import alnum_runs, bigrams, normalise
from db.models import Item, ItemSearchDoc, ItemSearchGram

SortKey = Literal["relevance", "price", "-price", "likes", "-likes", "name", "newest"]
MAX_WORDS = 8
MAX_GRAMS = 6
FACET_LIMIT = 50


@dataclass(frozen=True)
class ItemFilters:
    """Structured filters shared by search and facets."""

    q: str | None = None
    big_class: str | None = None
    subcategory: str | None = None
    color_family: str | None = None
    brand: str | None = None
    gender: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    recommendable_only: bool = True


def escape_like(text: str) -> str:
    """Make %, _ and the escape character itself literal inside a LIKE pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def query_words(q: str | None) -> list[str]:
    """Distinct normalised words of the query, in order, at most MAX_WORDS."""
    words: list[str] = []
    for word in normalise(q or "").split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


@dataclass
class TextMatch:
    """How a query is matched: grams looked up in the index, words confirmed with LIKE."""

    grams: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)


def plan_text_match(words: Sequence[str]) -> TextMatch:
    """A word that is exactly one two-character run is decided by its bigram; others need LIKE."""
    plan = TextMatch()
    all_grams: list[str] = []
    for word in words:
        runs = alnum_runs(word)
        all_grams.extend(sorted(bigrams(word)))
        if not (len(runs) == 1 and runs[0] == word and len(word) == 2):
            plan.confirm.append(word)
    # Only a few grams are needed to narrow the candidates; LIKE confirms the rest.
    plan.grams = list(dict.fromkeys(all_grams))[:MAX_GRAMS]
    if len(plan.grams) < len(dict.fromkeys(all_grams)):
        plan.confirm = list(words)
    return plan


def _like(column: ColumnElement, word: str) -> ColumnElement[bool]:
    return column.like(f"%{escape_like(word)}%", escape="\\")


class ItemQuery:
    """Builds the filtered statement once; search, count and facets share it."""

    def __init__(self, filters: ItemFilters, *, use_index: bool) -> None:
        self.filters = filters
        self.words = query_words(filters.q)
        self.use_index = use_index

    def conditions(self) -> list[ColumnElement[bool]]:
        f = self.filters
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
            conditions.append(Item.is_recommendable.is_(True))
        if self.words and not self.use_index:
            conditions.extend(self._scan_conditions())
        return conditions

    def _scan_conditions(self) -> list[ColumnElement[bool]]:
        """Fallback while the index is still being built: LIKE over the item's own columns."""
        columns = [func.lower(c) for c in (Item.name, Item.brand, Item.subcategory_raw, Item.color_raw)]
        return [or_(*(_like(c, word) for c in columns)) for word in self.words]

    def base(self, *columns) -> Select:  # noqa: ANN002
        """SELECT columns FROM item [JOIN index] WHERE every filter and query word matches."""
        statement = select(*columns).select_from(Item)
        if self.words and self.use_index:
            plan = plan_text_match(self.words)
            for position, gram in enumerate(plan.grams):
                alias = ItemSearchGram.__table__.alias(f"g{position}")
                statement = statement.join(alias, and_(alias.c.item_id == Item.id, alias.c.gram == gram))
            if plan.confirm or not plan.grams:
                statement = statement.join(ItemSearchDoc, ItemSearchDoc.item_id == Item.id)
                statement = statement.where(*(_like(ItemSearchDoc.search_text, w) for w in plan.confirm))
        return statement.where(*self.conditions())

    def order_by(self, sort: SortKey) -> list[ColumnElement]:
        orders: dict[str, list[ColumnElement]] = {
            "relevance": [Item.likes.desc(), Item.id.desc()],
            "-likes": [Item.likes.desc(), Item.id.desc()],
            "likes": [Item.likes.is_(None), Item.likes.asc(), Item.id.asc()],
            "price": [Item.price.is_(None), Item.price.asc(), Item.id.asc()],
            "-price": [Item.price.desc(), Item.id.desc()],
            "name": [Item.name.asc(), Item.id.asc()],
            "newest": [Item.created_at.desc(), Item.id.desc()],
        }
        order = orders[sort]
        if sort == "relevance" and self.words:
            # Names that start with the first word come first, then the popular ones.
            starts = func.lower(Item.name).like(f"{escape_like(self.words[0])}%", escape="\\")
            order = [case((starts, 0), else_=1), *order]
        return order


def search_items(session: Session, filters: ItemFilters, *, sort: SortKey, page: int, page_size: int,
                 use_index: bool) -> tuple[list[Item], int]:
    """One page of matching items and the total number of matches."""
    query = ItemQuery(filters, use_index=use_index)
    total = session.execute(query.base(func.count(Item.id))).scalar_one()
    if total == 0 or (page - 1) * page_size >= total:
        return [], total
    statement = (query.base(Item).order_by(*query.order_by(sort))
                 .offset((page - 1) * page_size).limit(page_size))
    return list(session.scalars(statement)), total


def facets(session: Session, filters: ItemFilters, *, use_index: bool) -> dict[str, list[dict]]:
    """Counts per big class, subcategory, colour family and brand among the matching items."""
    query = ItemQuery(filters, use_index=use_index)
    result: dict[str, list[dict]] = {}
    for name, column in (("big_classes", Item.big_class), ("subcategories", Item.subcategory),
                         ("colors", Item.color_family), ("brands", Item.brand)):
        count = func.count(Item.id)
        statement = (query.base(column, count).where(column.is_not(None)).group_by(column)
                     .order_by(count.desc(), column).limit(FACET_LIMIT))
        result[name] = [{"value": value, "count": n} for value, n in session.execute(statement)]
    return result
