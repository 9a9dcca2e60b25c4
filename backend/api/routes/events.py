"""Batch ingestion of usage events (searches, views, recommendations shown, clicks)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Response
from sqlalchemy import insert

from backend.api.deps import SessionDep, SettingsDep
from backend.api.respond import respond
from backend.errors import ApiError
from backend.schemas import Accepted, ErrorResponse, EventBatch
from backend.services.items import unknown_references
from db.experiments import experiment_columns
from db.models import InteractionEvent

router = APIRouter(tags=["events"])


@router.post("/events", status_code=202, response_model=Accepted,
             responses={422: {"model": ErrorResponse}}, summary="Record a batch of usage events")
def ingest(body: EventBatch, session: SessionDep, settings: SettingsDep) -> Response:
    """All or nothing: a batch with a dangling reference is refused whole, so nothing is half-kept."""
    if not body.events:
        return respond(Accepted, {"accepted": 0}, status_code=202)
    unknown = unknown_references(
        session,
        [i for e in body.events for i in (e.item_id, e.query_item_id)],
        [e.outfit_id for e in body.events],
    )
    if unknown:
        raise ApiError(422, "unknown_reference", "Events refer to items or outfits that do not exist.",
                       unknown)
    rows = [{**event.model_dump(exclude={"detail"}),
             **experiment_columns(settings.experiment, event.session_id),
             "detail": json.dumps(event.detail, ensure_ascii=False) if event.detail is not None else None}
            for event in body.events]
    session.execute(insert(InteractionEvent), rows)
    session.commit()
    return respond(Accepted, {"accepted": len(rows)}, status_code=202)
