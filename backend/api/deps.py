"""Injected dependencies: a session per request, settings, the search index, the admin token check."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from backend.api.writes import WriteGate
from backend.errors import ApiError
from backend.services.search_index import CatalogueIndex
from db.settings import Settings


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session from the app's pooled engine; closed (and rolled back if uncommitted) afterwards.

    Async on purpose: creating a session does no I/O, and a sync generator dependency would cost
    two extra thread-pool hops per request. The route itself still runs in the thread pool.
    """
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


async def get_search_index(request: Request) -> CatalogueIndex | None:
    """The process's latest search index snapshot, or None while it is still being built."""
    indexer = getattr(request.app.state, "search_indexer", None)
    return indexer.index if indexer is not None else None


async def get_write_gate(request: Request) -> WriteGate:
    return request.app.state.write_gate


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SearchIndexDep = Annotated[CatalogueIndex | None, Depends(get_search_index)]
WriteGateDep = Annotated[WriteGate, Depends(get_write_gate)]

_bearer = HTTPBearer(auto_error=False, description="ADMIN_TOKEN as a Bearer token.")


async def require_admin(settings: SettingsDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """401 for a missing or wrong token, and also when no token is configured (never 403)."""
    expected = settings.admin_token.get_secret_value() if settings.admin_token else ""
    given = credentials.credentials if credentials else ""
    if not expected or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "A valid admin token is required.",
                       headers={"WWW-Authenticate": "Bearer"})
