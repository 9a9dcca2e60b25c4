"""Batch ingestion of usage events (searches, views, recommendations shown, clicks)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from backend.api.deps import SessionDep, SettingsDep, WriteGateDep
from backend.api.respond import respond
from backend.schemas import Accepted, ErrorResponse, EventBatch
from backend.services.recording import record_events

router = APIRouter(tags=["events"])


@router.post("/events", status_code=202, response_model=Accepted,
             responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
             summary="Record a batch of usage events")
async def ingest(body: EventBatch, session: SessionDep, settings: SettingsDep,
                 writes: WriteGateDep) -> Response:
    """All or nothing: a batch with a dangling reference is refused whole, so nothing is half-kept."""
    accepted = await writes.run(record_events, session, body.events, settings.experiment)
    return respond(Accepted, {"accepted": accepted}, status_code=202)
