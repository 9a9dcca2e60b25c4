"""Liveness (the process answers) and readiness (the database answers)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from backend.api.deps import SearchIndexDep, SessionDep
from backend.api.respond import respond
from backend.errors import RETRY_AFTER_S, ApiError
from backend.schemas import ErrorResponse, Health
from db.models import Item

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, response_model_exclude_none=True, summary="The process is up")
async def health() -> dict:
    return {"status": "ok"}


@router.get("/ready", response_model=Health, summary="The database is reachable",
            responses={503: {"model": ErrorResponse}})
def ready(session: SessionDep, index: SearchIndexDep) -> Response:
    try:
        session.execute(select(Item.id).limit(1))  # reachable, and migrated
    except Exception as error:  # any failure to reach the database means "not ready"
        raise ApiError(503, "database_unavailable",
                       "The database is unavailable right now (or not migrated: python -m db upgrade); "
                       "try again shortly.", headers={"Retry-After": RETRY_AFTER_S}) from error
    return respond(Health, {"status": "ready", "search_index": "building" if index is None else "ready"})
