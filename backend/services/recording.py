"""What shoppers do, written down: usage events, survey answers and shop-link clicks.

Each call is one transaction and all or nothing: a reference to an item or outfit that does not
exist refuses the whole write with 422 `unknown_reference` instead of a foreign-key failure.
The API runs these on its writer threads (`backend.api.writes`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from backend.errors import ApiError
from backend.schemas import EventIn, SurveyIn
from backend.services.items import unknown_references
from backend.services.shop import allowed_shop_url
from db.experiments import ExperimentConfig, experiment_columns
from db.models import InteractionEvent, Item, SurveyResponse


def record_events(session: Session, events: list[EventIn], experiment: ExperimentConfig) -> int:
    """Store a batch of events, each stamped with its session's experiment variant; the number stored."""
    if not events:
        return 0
    unknown = unknown_references(session, [i for e in events for i in (e.item_id, e.query_item_id)],
                                 [e.outfit_id for e in events])
    if unknown:
        raise ApiError(422, "unknown_reference", "Events refer to items or outfits that do not exist.",
                       unknown)
    rows = [{**event.model_dump(), **experiment_columns(experiment, event.session_id)} for event in events]
    session.execute(insert(InteractionEvent), rows)
    session.commit()
    return len(rows)


def record_survey(session: Session, answer: SurveyIn, experiment: ExperimentConfig) -> int:
    """Store one survey answer, stamped with its session's experiment variant; its id."""
    unknown = unknown_references(session, [answer.item_id, answer.query_item_id], [answer.outfit_id])
    if unknown:
        raise ApiError(422, "unknown_reference", "The answer refers to items or outfits that do not exist.",
                       unknown)
    response = SurveyResponse(**answer.model_dump(), **experiment_columns(experiment, answer.session_id))
    session.add(response)
    session.commit()
    return response.id


def record_shop_click(session: Session, item_id: int, *, session_id: str | None, query_item_id: int | None,
                      rank: int | None, shop_hosts: Iterable[str], shop_origins: Iterable[str],
                      experiment: ExperimentConfig) -> str:
    """Record a `shop_link_open` event and return the item's allow-listed shop URL (404/400 otherwise)."""
    item = session.get(Item, item_id)
    if item is None:
        raise ApiError(404, "not_found", f"Item {item_id} does not exist.")
    if not item.shop_url:
        raise ApiError(404, "no_shop_link", f"Item {item_id} has no shop page.")
    target = allowed_shop_url(item.shop_url, shop_hosts, shop_origins)
    if target is None:
        raise ApiError(400, "shop_not_allowed", "The item's shop page is not on an allowed shop host.")
    detail = None
    if query_item_id is not None and session.get(Item, query_item_id) is None:
        detail, query_item_id = {"unknown_query_item_id": query_item_id}, None
    session.add(InteractionEvent(session_id=session_id or "anonymous", event_type="shop_link_open",
                                 item_id=item.id, query_item_id=query_item_id, rank=rank, detail=detail,
                                 **experiment_columns(experiment, session_id)))
    session.commit()
    return target
