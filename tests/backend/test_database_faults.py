"""Database faults under a real `python -m backend`: the SQLite file briefly moved away, and another
connection holding the write lock. Service must heal by itself and reads must never wait for writes."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text

from db.engine import session_scope
from db.models import InteractionEvent
from tests.backend.factories import add_items
from tests.backend.server import running_backend, status_of, wait_until

CLIENTS = 12


def sqlite_path(url: str) -> str | None:
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None


def test_sqlite_file_moved_away_and_back_heals_without_restart(sqlite_url: str, tmp_path: Path) -> None:
    ids = add_items(sqlite_url, *({"name": f"셔츠 {n}"} for n in range(CLIENTS)))
    database = Path(sqlite_path(sqlite_url))
    aside = tmp_path / "aside"
    aside.mkdir()
    with running_backend(sqlite_url, tmp_path) as base, ThreadPoolExecutor(CLIENTS) as pool, \
            httpx.Client(timeout=10, limits=httpx.Limits(max_connections=CLIENTS)) as http:
        urls = [f"{base}/items/{item_id}" for item_id in ids] * 3

        def statuses() -> set[int]:
            return set(pool.map(lambda url: http.get(url).status_code, urls))

        assert statuses() == {200}  # 12 clients at once: the pool holds several connections
        files = [p for p in (database, Path(f"{database}-wal"), Path(f"{database}-shm")) if p.exists()]
        for path in files:
            path.rename(aside / path.name)
        assert statuses() == {503}
        assert status_of(f"{base}/ready") == 503
        assert not database.exists(), "the backend created an empty database file in its place"
        for path in reversed(files):  # the database file last, so it never appears without its WAL
            (aside / path.name).rename(path)
        wait_until(lambda: status_of(f"{base}/ready") == 200, 10, "readiness after the file came back")
        assert statuses() == {200}  # every pooled connection is good again, no flapping
        assert statuses() == {200}


@contextmanager
def write_lock_held(url: str, item_id: int) -> Iterator[None]:
    """Another connection holds a write lock: SQLite's BEGIN IMMEDIATE, or on MariaDB a row lock on
    the item that every new event referring to it must wait for (its foreign-key check)."""
    path = sqlite_path(url)
    if path is not None:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT id FROM item WHERE id = :id FOR UPDATE"), {"id": item_id})
            yield
            connection.rollback()
    finally:
        engine.dispose()


def _timed_post(url: str, body: dict) -> tuple[int, str | None, float]:
    started = time.monotonic()
    response = httpx.post(url, json=body, timeout=20)
    return response.status_code, response.headers.get("retry-after"), time.monotonic() - started


def _event_count(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(InteractionEvent))


def test_held_write_lock_answers_503_soon_and_never_stalls_reads(db_url: str, tmp_path: Path) -> None:
    """Before: every write waited 30 s holding a worker thread, so reads queued behind them."""
    [item] = add_items(db_url, {"name": "셔츠"})
    write_timeout_s = 4
    batch = {"events": [{"session_id": "s", "event_type": "click", "item_id": item}]}
    with running_backend(db_url, tmp_path, BACKEND_THREADS="2", BACKEND_WRITE_THREADS="2",
                         BACKEND_WRITE_TIMEOUT_S=str(write_timeout_s)) as base:
        with write_lock_held(db_url, item), ThreadPoolExecutor(6) as pool, httpx.Client() as http:
            writes = [pool.submit(_timed_post, f"{base}/events", batch) for _ in range(6)]
            reads = 0
            while not any(write.done() for write in writes):  # every write is stuck on the lock
                # A read that queued behind the writes would wait >= write_timeout_s.
                assert http.get(f"{base}/items/{item}", timeout=write_timeout_s - 1).status_code == 200
                reads += 1
            answers = [write.result() for write in writes]  # all answered while the lock is still held
        assert reads > 0
        assert [(status, retry) for status, retry, _ in answers] == [(503, "2")] * len(writes)
        assert max(seconds for _, _, seconds in answers) < 3 * write_timeout_s
        assert _event_count(db_url) == 0
        assert httpx.post(f"{base}/events", json=batch).status_code == 202  # lock gone: writes work
    assert _event_count(db_url) == 1
