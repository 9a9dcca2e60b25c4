"""Read the events newer than the evidence's watermark from the database into an `EventLog`.

Only `recommendation_shown`, `click` and `shop_link_open` events and survey answers matter. A click on
an impression logged before the watermark is still attributed: those sessions' earlier impressions are
read again as context (not counted twice). Rows are read in id order in batches with bound parameters.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.events import CLICK, RECOMMENDATION_SHOWN, SHOP_LINK_OPEN
from db.models import InteractionEvent, SurveyResponse
from model.feedback.job import CLICK as OUTCOME_CLICK
from model.feedback.job import NO_QUERY_ITEM, OPEN, EventLog
from model.recommender.attributes import make_cluster_key

BATCH = 100_000
SESSION_CHUNK = 500


def _parse_detail(stored: dict | str | None) -> tuple[str | None, float, bool]:
    """(query cluster, model probability, randomised) from one impression's JSON detail (a JSON column:
    a dict; older exports may hand over its text)."""
    detail = stored
    if isinstance(stored, str):
        try:
            detail = json.loads(stored)
        except ValueError:
            detail = {}
    if not isinstance(detail, dict):
        return None, np.nan, False
    garment = detail.get("garment")
    cluster = (make_cluster_key(*garment[:3]) if isinstance(garment, list) and len(garment) >= 3
               else detail.get("query_cluster"))
    probability = detail.get("probability")
    return (cluster, float(probability) if isinstance(probability, int | float) else np.nan,
            bool(detail.get("randomised")))


def _detail_key(detail: dict | str | None) -> str | None:
    return json.dumps(detail, sort_keys=True) if isinstance(detail, dict) else detail


def _detail_fields(details: list[dict | str | None]) -> tuple[list, list, list]:
    """The parsed fields of every detail; each distinct detail is parsed once (pages repeat them)."""
    parsed: dict[str | None, tuple] = {}
    rows = []
    for detail in details:
        key = _detail_key(detail)
        if key not in parsed:
            parsed[key] = _parse_detail(detail)
        rows.append(parsed[key])
    if not rows:
        return [], [], []
    clusters, probabilities, randomised = zip(*rows, strict=True)
    return list(clusters), list(probabilities), list(randomised)


def _shown_frame(rows: list, counted: bool) -> pd.DataFrame:
    sessions, query, item, rank, details = zip(*rows, strict=True) if rows else ([], [], [], [], [])
    clusters, probabilities, randomised = _detail_fields(list(details))
    shown = pd.DataFrame({"session": sessions, "query_item": query, "query_cluster": clusters, "item": item,
                          "rank": rank, "probability": probabilities, "randomised": randomised,
                          "counted": counted})
    shown["query_item"] = shown["query_item"].fillna(NO_QUERY_ITEM).astype(np.int64)
    shown["rank"] = shown["rank"].fillna(1).astype(np.int64)
    return shown.dropna(subset=["probability"])  # impressions without the model's probability teach nothing


def read_new_events(session: Session, last_event_id: int, last_survey_id: int) -> EventLog:
    e = InteractionEvent
    shown_rows: list = []
    outcome_rows: list = []
    last = last_event_id
    while True:
        rows = session.execute(
            select(e.id, e.event_type, e.session_id, e.query_item_id, e.item_id, e.rank, e.detail)
            .where(e.id > last, e.item_id.is_not(None),
                   e.event_type.in_((RECOMMENDATION_SHOWN, CLICK, SHOP_LINK_OPEN)))
            .order_by(e.id).limit(BATCH)).all()
        for _, kind, sid, query, item, rank, detail in rows:
            if kind == RECOMMENDATION_SHOWN:
                shown_rows.append((sid, query, item, rank, detail))
            else:
                outcome_rows.append((sid, query if query is not None else NO_QUERY_ITEM, item,
                                     OPEN if kind == SHOP_LINK_OPEN else OUTCOME_CLICK))
        if len(rows) < BATCH:
            break
        last = rows[-1].id
    newest = session.execute(select(e.id).order_by(e.id.desc()).limit(1)).scalar() or last_event_id
    shown = _shown_frame(shown_rows, counted=True)
    outcomes = pd.DataFrame(outcome_rows, columns=["session", "query_item", "item", "kind"])
    context = _earlier_impressions(session, outcomes, shown, last_event_id)
    s = SurveyResponse
    survey = session.execute(select(s.id, s.session_id, s.query_item_id, s.item_id, s.rating)
                             .where(s.id > last_survey_id, s.item_id.is_not(None)).order_by(s.id)).all()
    survey_frame = pd.DataFrame(
        [(sid, q if q is not None else NO_QUERY_ITEM, i, r) for _, sid, q, i, r in survey],
        columns=["session", "query_item", "item", "rating"])
    newest_survey = survey[-1][0] if survey else last_survey_id
    return EventLog(pd.concat([shown, context], ignore_index=True) if len(context) else shown, outcomes,
                    survey_frame, int(newest), int(newest_survey))


def _earlier_impressions(session: Session, outcomes: pd.DataFrame, shown: pd.DataFrame,
                         before_id: int) -> pd.DataFrame:
    """Impressions from earlier runs of sessions whose new clicks have no impression in this batch."""
    if outcomes.empty or before_id == 0:
        return pd.DataFrame()
    seen = set(zip(shown["session"], shown["query_item"], shown["item"], strict=True))
    orphans = sorted({sid for sid, q, i, _ in outcomes.itertuples(index=False) if (sid, q, i) not in seen})
    e = InteractionEvent
    rows: list = []
    for start in range(0, len(orphans), SESSION_CHUNK):
        rows += session.execute(
            select(e.session_id, e.query_item_id, e.item_id, e.rank, e.detail)
            .where(e.id <= before_id, e.event_type == RECOMMENDATION_SHOWN, e.item_id.is_not(None),
                   e.session_id.in_(orphans[start:start + SESSION_CHUNK]))).all()
    return _shown_frame(rows, counted=False)
