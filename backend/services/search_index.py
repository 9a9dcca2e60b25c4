"""Bigram index for substring search: '셔츠' must find '오버핏셔츠' on SQLite and MariaDB alike.

FTS trigram tokenizers miss two-character Korean words and `LIKE '%..%'` scans every row, so the
backend keeps `item_search_gram` (every two-character substring of an item's lower-cased text)
in step with `item`. A query word's bigrams narrow the candidates through the index; a LIKE on
the short `item_search_doc.search_text` then confirms the exact substring.

`sync_search_index` is incremental (new items, items whose `updated_at` moved on) and idempotent,
so several workers or repeated runs are harmless.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from db.models import Item, ItemSearchDoc, ItemSearchGram

log = logging.getLogger(__name__)

MAX_TEXT = 1100
BATCH = 2000


def normalise(text: str) -> str:
    """Compatibility-folded, lower-cased text: full-width letters and case never hide a match."""
    return unicodedata.normalize("NFKC", text).lower()


def alnum_runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (Hangul counts as letters)."""
    runs: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalnum():
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def bigrams(text: str) -> set[str]:
    """Two-character substrings inside each alphanumeric run of already normalised text.

    A query run is a substring of one text run (both are maximal alphanumeric runs), so its
    bigrams are always among the text's: the index never loses a match.
    """
    return {run[i:i + 2] for run in alnum_runs(text) for i in range(len(run) - 1)}


def search_text(name: str | None, brand: str | None, subcategory_raw: str | None,
                color_raw: str | None) -> str:
    """The text an item is found by."""
    parts = (normalise(part) for part in (name, brand, subcategory_raw, color_raw) if part)
    return " ".join(parts)[:MAX_TEXT]


@dataclass
class SyncResult:
    indexed: int = 0


def _stale_items(connection, after_id: int, limit: int) -> Sequence:  # noqa: ANN001
    """Items after `after_id` without an index row, or changed since they were indexed."""
    doc = ItemSearchDoc.__table__
    item = Item.__table__
    query = (
        select(item.c.id, item.c.name, item.c.brand, item.c.subcategory_raw, item.c.color_raw,
               item.c.updated_at)
        .select_from(item.outerjoin(doc, doc.c.item_id == item.c.id))
        .where(item.c.id > after_id,
               or_(doc.c.item_id.is_(None), item.c.updated_at > doc.c.item_updated_at))
        .order_by(item.c.id)
        .limit(limit)
    )
    return connection.execute(query).all()


def _write_batch(engine: Engine, rows: Iterable) -> int:  # noqa: ANN001
    rows = list(rows)
    doc = ItemSearchDoc.__table__
    gram = ItemSearchGram.__table__
    with engine.begin() as connection:
        now = connection.execute(select(func.current_timestamp())).scalar_one()
        if isinstance(now, str):  # SQLite answers text
            now = datetime.fromisoformat(now)
        ids = [row.id for row in rows]
        connection.execute(delete(gram).where(gram.c.item_id.in_(ids)))
        connection.execute(delete(doc).where(doc.c.item_id.in_(ids)))
        docs, grams = [], []
        for row in rows:
            text = search_text(row.name, row.brand, row.subcategory_raw, row.color_raw)
            updated = row.updated_at
            # An update later in this same second would keep the same updated_at: index it again
            # next round by recording a slightly older stamp.
            if updated is not None and updated >= now - timedelta(seconds=1):
                updated = updated - timedelta(seconds=2)
            docs.append({"item_id": row.id, "search_text": text, "item_updated_at": updated})
            grams.extend({"gram": g, "item_id": row.id} for g in bigrams(text))
        connection.execute(insert(doc), docs)
        if grams:
            connection.execute(insert(gram), grams)
    return len(rows)


def sync_search_index(engine: Engine, *, batch: int = BATCH, progress: bool = False) -> SyncResult:
    """Index every new or changed item; returns how many were (re)indexed."""
    result = SyncResult()
    after_id, conflicts = 0, 0
    while True:
        with engine.connect() as connection:
            rows = _stale_items(connection, after_id, batch)
        if not rows:
            return result
        try:
            result.indexed += _write_batch(engine, rows)
        except IntegrityError:
            # Another worker indexed the same items at the same moment, or an item vanished.
            conflicts += 1
            if conflicts > 5:
                raise
            log.info("search index: concurrent writer, retrying this batch")
            continue
        after_id = rows[-1].id
        if progress:
            log.info("search index: %d items indexed", result.indexed)
        if len(rows) < batch:
            return result
