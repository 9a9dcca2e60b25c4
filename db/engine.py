"""One engine and session factory per database URL, tuned for SQLite and MySQL/MariaDB.

SQLite files are opened read-write *without create* (`file:...?mode=rw`): a database file that is
briefly moved away must give a clear "unable to open" error, not a new empty file that the pool
would keep using after the real one is back. Only `create_sqlite_file` (called by `db upgrade`)
makes the file. Each pooled SQLite connection remembers which file (device, inode) it opened and
is dropped at checkout when the path now names another file or none, so service recovers by
itself when the file returns.

`lock_timeout_s` bounds how long a statement waits for another connection's lock (SQLite busy
timeout; MariaDB/MySQL `innodb_lock_wait_timeout` and `lock_wait_timeout`). The backend passes a
few seconds so a write answers 503 instead of stalling; batch jobs keep the long default.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from db.settings import get_settings

DEFAULT_SQLITE_TIMEOUT_S = 30.0
PING_AFTER_IDLE_S = 1.0  # a pooled MySQL connection unused this long is pinged before use
# JSON columns: readable Korean in the database, and never NaN/Infinity (not JSON; MariaDB refuses it).
_JSON_TEXT = partial(json.dumps, ensure_ascii=False, allow_nan=False)
FileIdentity = tuple[int, int] | None


def sqlite_path(url: str) -> str | None:
    """The file path of a plain SQLite URL; None for other engines, memory or URI-style URLs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.query:
        return None
    database = parsed.database or ""
    return None if database in ("", ":memory:") or database.startswith("file:") else database


def create_sqlite_file(url: str) -> None:
    """Create the (empty) SQLite file and its folder; only schema creation may do this."""
    path = sqlite_path(url)
    if path is not None and not Path(path).exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(path).close()


def _file_identity(path: str) -> FileIdentity:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _connect_existing(path: str, timeout_s: float) -> sqlite3.Connection:
    """Open `path` read-write; fails (never creates) when the file is missing."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=timeout_s, check_same_thread=False)


def _sqlite_engine(url: str, path: str | None, timeout_s: float) -> Engine:
    if path is None:  # memory or a URI the caller spelled out: opened as given
        engine = create_engine(url, connect_args={"timeout": timeout_s, "check_same_thread": False},
                               json_serializer=_JSON_TEXT)
    else:
        engine = create_engine(url, creator=partial(_connect_existing, path, timeout_s),
                               json_serializer=_JSON_TEXT)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record) -> None:  # noqa: ANN001
        """Foreign keys are off by default in SQLite; WAL lets readers work during writes."""
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if path is not None:
            record.info["file_identity"] = _file_identity(path)

    if path is None:
        return engine

    @event.listens_for(engine, "checkout")
    def _still_same_file(_dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        """A connection to a file that was moved away or replaced is dropped (the pool reconnects)."""
        current = _file_identity(path)
        if current is None or current != record.info.get("file_identity"):
            raise DisconnectionError("the SQLite file was moved, replaced or removed")

    return engine


def get_engine(url: str | None = None, *, lock_timeout_s: float | None = None) -> Engine:
    """The pooled engine for `url` (default: the configured DATABASE_URL).

    `lock_timeout_s`: how long to wait for another connection's lock (None: the driver's long
    default, right for batch jobs; the backend passes a few seconds). However a caller spells the
    arguments, one URL and timeout share one engine (and so one pool and its event listeners).
    """
    return _engine(url or get_settings().database_url, lock_timeout_s)


@lru_cache(maxsize=16)
def _engine(url: str, lock_timeout_s: float | None) -> Engine:
    if url.startswith("sqlite"):
        timeout_s = DEFAULT_SQLITE_TIMEOUT_S if lock_timeout_s is None else lock_timeout_s
        return _sqlite_engine(url, sqlite_path(url), timeout_s)
    connect_args = {}
    if lock_timeout_s is not None:
        seconds = max(1, math.ceil(lock_timeout_s))
        connect_args["init_command"] = (
            f"SET SESSION innodb_lock_wait_timeout = {seconds}, lock_wait_timeout = {seconds}")
    # pool_reset_on_return=None: every use goes through a Connection or Session, which already ends its
    # transaction (ROLLBACK or COMMIT) before the connection goes back; the pool's own ROLLBACK on top
    # was a second round trip per request.
    engine = create_engine(url, pool_recycle=1800, pool_size=10, max_overflow=20, pool_reset_on_return=None,
                           connect_args=connect_args, json_serializer=_JSON_TEXT)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only when it sat unused for PING_AFTER_IDLE_S, instead of
    `pool_pre_ping`'s ping at every checkout: a round trip costs the backend about 0.4 ms of CPU per request
    here, and a connection back from a request milliseconds ago is alive. A server that went away in
    between fails that request as a disconnect, which invalidates the whole pool (503, then fresh
    connections); one idle longer is pinged and replaced before use."""
    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record) -> None:  # noqa: ANN001
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:  # noqa: ANN001
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection, record, _proxy) -> None:  # noqa: ANN001
        if time.monotonic() - record.info.get("returned_at", -math.inf) < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the database connection went away while idle") from error


@lru_cache(maxsize=16)
def get_sessionmaker(url: str | None = None, *, lock_timeout_s: float | None = None) -> sessionmaker[Session]:
    """Session factory bound to the engine for `url`."""
    return sessionmaker(bind=get_engine(url, lock_timeout_s=lock_timeout_s), expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
