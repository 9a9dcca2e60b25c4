"""Admin reports: survey summary, per-day activity, insights, CSV exports."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.services.items import item_out, items_by_ids
from backend.services.search import ItemFilters, facets
from backend.services.search_index import CatalogueIndex
from db.events import EVENT_TYPES
from db.models import InteractionEvent, Item, SurveyResponse

EXPORT_BATCH = 1000


def _as_date(value: date | str) -> date:
    """SQLite's date() answers text, MariaDB's DATE() a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _database_now(session: Session) -> datetime:
    now = session.execute(select(func.current_timestamp())).scalar_one()
    return now if isinstance(now, datetime) else datetime.fromisoformat(str(now))


def survey_summary(session: Session) -> dict:
    rating = SurveyResponse.rating
    by_kind: dict[str, dict] = {}
    rows = session.execute(select(SurveyResponse.target_kind, rating, func.count())
                           .group_by(SurveyResponse.target_kind, rating))
    for kind, value, count in rows:
        empty = {"count": 0, "sum": 0, "histogram": {str(r): 0 for r in range(1, 6)}}
        entry = by_kind.setdefault(kind, empty)
        entry["count"] += count
        entry["sum"] += value * count
        entry["histogram"][str(value)] = count
    summary = {kind: {"count": e["count"], "mean_rating": round(e["sum"] / e["count"], 3),
                      "histogram": e["histogram"]} for kind, e in sorted(by_kind.items())}
    day = func.date(SurveyResponse.created_at)
    kind_column = SurveyResponse.target_kind
    per_day = session.execute(select(day, kind_column, func.count(), func.avg(rating))
                              .group_by(day, kind_column).order_by(day, kind_column))
    by_day = [{"day": _as_date(d), "target_kind": kind, "count": n, "mean_rating": round(float(mean), 3)}
              for d, kind, n, mean in per_day]
    return {"by_kind": summary, "by_day": by_day}


def daily_stats(session: Session, days: int) -> dict:
    """One row per day of the last `days` days (zeros included), oldest first."""
    today = _database_now(session).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time())
    stats = {first + timedelta(days=n): {"events": dict.fromkeys(EVENT_TYPES, 0), "survey_responses": 0}
             for n in range(days)}
    event_day = func.date(InteractionEvent.created_at)
    for d, kind, n in session.execute(
            select(event_day, InteractionEvent.event_type, func.count())
            .where(InteractionEvent.created_at >= since).group_by(event_day, InteractionEvent.event_type)):
        if (day := _as_date(d)) in stats:
            stats[day]["events"][kind] = n
    survey_day = func.date(SurveyResponse.created_at)
    for d, n in session.execute(select(survey_day, func.count()).where(SurveyResponse.created_at >= since)
                                .group_by(survey_day)):
        if (day := _as_date(d)) in stats:
            stats[day]["survey_responses"] = n
    return {"days": days, "stats": [{"day": day, **value} for day, value in sorted(stats.items())]}


def _top_items(session: Session, event_type: str, limit: int) -> list[dict]:
    count = func.count()
    rows = session.execute(select(InteractionEvent.item_id, count)
                           .where(InteractionEvent.event_type == event_type,
                                  InteractionEvent.item_id.is_not(None))
                           .group_by(InteractionEvent.item_id)
                           .order_by(count.desc(), InteractionEvent.item_id)
                           .limit(limit)).all()
    items = {item.id: item for item in items_by_ids(session, [item_id for item_id, _ in rows])}
    return [{"item": item_out(items[i]), "count": n} for i, n in rows if i in items]


def insights(session: Session, limit: int = 10, index: CatalogueIndex | None = None) -> dict:
    per_class: dict[str, dict[str, int]] = defaultdict(lambda: {"shown": 0, "clicked": 0})
    rows = session.execute(select(Item.big_class, InteractionEvent.event_type, func.count())
                           .join(Item, Item.id == InteractionEvent.item_id)
                           .where(InteractionEvent.event_type.in_(("recommendation_shown", "click")))
                           .group_by(Item.big_class, InteractionEvent.event_type))
    for big_class, kind, n in rows:
        per_class[big_class or "unknown"]["shown" if kind == "recommendation_shown" else "clicked"] = n
    click_through = [
        {"big_class": c, **v, "rate": round(v["clicked"] / v["shown"], 4) if v["shown"] else None}
        for c, v in sorted(per_class.items())
    ]
    catalogue = facets(session, ItemFilters(recommendable_only=False), index=index)
    return {
        "most_shown": _top_items(session, "recommendation_shown", limit),
        "most_clicked": _top_items(session, "click", limit),
        "click_through_by_big_class": click_through,
        "catalogue": {key: catalogue[key] for key in ("colors", "subcategories", "big_classes")},
    }


# Where a spreadsheet may begin a new cell inside a text: after a separator of any locale or a line break.
_CELL_BREAKS = frozenset(",;\t\r\n")
_FORMULA_STARTS = frozenset("=+-@")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _starts_formula(text: str, start: int) -> bool:
    """Does a cell beginning at `start` open with = + - @ (or a full-width or small look-alike such
    as ＝), after any spaces (NBSP and other Unicode spaces included)?"""
    position = start
    while position < len(text) and (text[position].isspace() or text[position] in _INVISIBLE):
        position += 1
    if position == len(text):
        return False
    return unicodedata.normalize("NFKC", text[position])[:1] in _FORMULA_STARTS


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas (CSV injection) with a leading `'` wherever a cell could start:
    at the field's start and after every separator (`,` `;` tab) or line break inside it. Quoting
    alone does not help where `;` separates cells or a spreadsheet splits a field's lines."""
    if not isinstance(value, str):
        return value
    starts = [0] + [i + 1 for i, char in enumerate(value) if char in _CELL_BREAKS]
    flagged = {start for start in starts if _starts_formula(value, start)}
    if not flagged:
        return value
    return "".join(("'" if i in flagged else "") + char for i, char in enumerate(value))


def _as_text(value: object) -> object:
    """JSON columns (event detail) as JSON text, not Python's repr."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def export_csv(make_session: sessionmaker[Session], table: Table) -> Iterator[str]:
    """The whole table as CSV, read in id order a batch at a time (constant memory)."""
    columns = [c.name for c in table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    last_id = 0
    while True:
        with make_session() as session:
            rows = session.execute(select(table).where(table.c.id > last_id).order_by(table.c.id)
                                   .limit(EXPORT_BATCH)).all()
        for row in rows:
            writer.writerow([safe_cell(_as_text(value)) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(rows) < EXPORT_BATCH:
            return
        last_id = rows[-1].id
