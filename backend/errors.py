"""One JSON error body for every failure: `{"error": {"code", "message", "detail"}}`.

Database outages become 503 with a plain message (clients retry; the pool reconnects by itself);
anything unexpected becomes 500 without a traceback in the body (it goes to the log instead).
"""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, TimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)
RETRY_AFTER_S = "2"  # seconds a client should wait before retrying a 503


class ApiError(Exception):
    """Raise in a route to answer `status` with a chosen code and message."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail
        self.headers = headers


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def _validation_detail(errors: list[dict]) -> list[dict]:
    """Where and why, without echoing large or binary inputs back."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors]


def busy_error() -> ApiError:
    """503 for a write that could not get a lock or a writer thread in time."""
    return ApiError(503, "database_busy", "The database is busy with another write; try again shortly.",
                    headers={"Retry-After": RETRY_AFTER_S})


def is_lock_timeout(error: BaseException) -> bool:
    """SQLite's busy timeout ran out (SQLITE_BUSY/LOCKED), or MySQL/MariaDB's lock wait timeout
    (1205) or a deadlock (1213): another connection holds the lock, the database itself is fine."""
    original = getattr(error, "orig", None)
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    mysql_code = original.args[0] if original is not None and original.args else None
    return mysql_code in (1205, 1213)


def is_database_outage(error: BaseException) -> bool:
    """Connection refused, server gone away, pool exhausted: worth a 503, not a 500."""
    if isinstance(error, (InterfaceError, TimeoutError)):
        return True
    if isinstance(error, OperationalError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
    return error_response(error.status, error.code, error.message, error.detail, error.headers)


async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
    message = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    detail = None if isinstance(error.detail, str) else error.detail
    code = getattr(error, "code", None) or _code_for(error.status_code)
    return error_response(error.status_code, code, message, detail,
                          headers=getattr(error, "headers", None))


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    return error_response(422, "validation_error", "The request is not valid; see detail.",
                          _validation_detail(list(error.errors())))


async def _database_error(request: Request, error: DBAPIError) -> JSONResponse:
    if isinstance(error, IntegrityError):
        return error_response(409, "conflict", "The change conflicts with data already stored.")
    if is_lock_timeout(error):
        log.warning("database busy on %s %s", request.method, request.url.path)
        return await _api_error(request, busy_error())
    if is_database_outage(error):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    error.__class__.__name__)
        return error_response(503, "database_unavailable",
                              "The database is unavailable right now; try again shortly.",
                              headers={"Retry-After": RETRY_AFTER_S})
    return await _unexpected_error(request, error)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, "internal_error", "Something went wrong on the server.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(TimeoutError, _database_error)
    app.add_exception_handler(Exception, _unexpected_error)
