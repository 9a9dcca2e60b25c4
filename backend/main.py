"""The FastAPI application: `create_app()` wires settings, the pooled engine, routers and errors.

`app` is what uvicorn serves (`python -m backend`). Tests build their own app with
`create_app(database_url=...)` so each one runs against its own SQLite or MariaDB database.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from tenacity import RetryError, retry, retry_if_exception_type, stop_after_delay, wait_exponential

from backend.api.body_limit import BodyLimit
from backend.api.media import MediaFiles
from backend.api.routes import admin, closets, events, health, items, outfits, survey
from backend.api.writes import WriteGate
from backend.errors import install_error_handlers
from backend.schemas import ErrorResponse
from backend.services.indexer import SearchIndexer
from backend.services.items import API_PREFIX, MEDIA_PREFIX
from db.engine import get_engine, get_sessionmaker
from db.settings import Settings, get_settings

log = logging.getLogger(__name__)


def wait_for_database(engine: Engine, timeout_s: float) -> bool:
    """Retry `SELECT 1` with back-off for up to `timeout_s`; False if the database stayed away."""

    @retry(stop=stop_after_delay(timeout_s), wait=wait_exponential(multiplier=0.2, max=2),
           retry=retry_if_exception_type(SQLAlchemyError))
    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        ping()
        return True
    except (RetryError, SQLAlchemyError):
        log.warning("database unreachable after %.0f s; serving anyway, /ready answers 503", timeout_s)
        return False


def create_app(database_url: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """A new application bound to `database_url` (default: settings.database_url)."""
    settings = settings or get_settings()
    url = database_url or settings.database_url

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.backend_threads
        if not settings.image_dir.is_dir():
            log.warning("IMAGE_DIR %s is not a folder: /media answers 404 until it exists",
                        settings.image_dir)
        engine = get_engine(url, lock_timeout_s=settings.backend_write_timeout_s)
        await run_in_threadpool(wait_for_database, engine, settings.backend_startup_timeout_s)
        app.state.search_indexer = SearchIndexer(engine, settings.backend_search_index_interval_s)
        app.state.search_indexer.start()
        try:
            yield
        finally:
            app.state.search_indexer.stop()
            engine.dispose()

    app = FastAPI(
        title="Closet backend",
        version="1.0.0",
        description="Item search, metadata, outfits, shop links, survey and usage events for Closet.",
        lifespan=lifespan,
        responses={400: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                   422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    )
    app.state.settings = settings
    app.state.sessionmaker = get_sessionmaker(url, lock_timeout_s=settings.backend_write_timeout_s)
    app.state.write_gate = WriteGate(settings.backend_write_threads, settings.backend_write_timeout_s)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.backend_max_body_bytes)

    api = APIRouter(prefix=API_PREFIX)
    for module in (health, items, outfits, survey, events, admin, closets):
        api.include_router(module.router)
    app.include_router(api)
    app.mount(MEDIA_PREFIX, MediaFiles(directory=settings.image_dir, check_dir=False), name="media")
    return app


app = create_app()
