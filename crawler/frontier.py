"""The crawl frontier and visited set, kept in `crawl_page` so a crawl survives `kill -9`.

Depth-first: the pending row with the highest `stack_order` goes next, and the links a page yields
are pushed with the first link on top. Workers claim a row with a conditional UPDATE
(`... WHERE id = ? AND state = 'pending'`) and keep it only when exactly one row changed, so two
processes never fetch the same page.

Politeness is shared the same way: `book_request` gives each request to a host its own start time
from the host's `crawl_host` row, so W workers (on any number of machines) together keep the delay.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table, case, func, insert, select, update
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.orm import Session

from db.conflicts import retrying_on_conflict
from db.engine import session_scope
from db.models import CrawlHost, CrawlPage

TABLE = CrawlPage.__table__
MICROSECONDS = 1_000_000
CLAIM_CANDIDATES = 8


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def worker_name(index: int) -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{index}"[:64]


@dataclass(slots=True)
class Claimed:
    id: int
    url: str
    kind: str
    depth: int
    attempts: int


@dataclass(slots=True)
class Child:
    url: str
    kind: str
    same_depth: bool = False  # the next list page: paging is not a step away from the start


@dataclass(slots=True)
class Limits:
    max_depth: int
    max_outfits: int | None
    max_items: int | None

    def cap(self, kind: str) -> int | None:
        return {"outfit": self.max_outfits, "item": self.max_items}.get(kind)


def _insert_ignoring_duplicates(
    session: Session, rows: list[dict], table: Table = TABLE, key: str = "url"
) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
    elif dialect in ("mysql", "mariadb"):
        statement = mysql.insert(table).prefix_with("IGNORE")
    else:
        statement = insert(table)
    session.execute(statement, rows)


def book_request(url_db: str, host: str, interval_s: float) -> float:
    """Reserve the next request to `host` for the caller; returns its start time (Unix seconds).

    One UPDATE moves the host's next allowed time to max(now, next allowed) + interval and the
    caller gets the slot before it. The UPDATE takes the row's write lock (SQLite: the database's)
    first, so concurrent workers queue on it and each gets a distinct slot, `interval_s` apart.
    """
    step = int(interval_s * MICROSECONDS)
    for attempt in retrying_on_conflict():  # a lock timeout or deadlock (first row of a host)
        with attempt, session_scope(url_db) as session:
            now = int(time.time() * MICROSECONDS)
            column = CrawlHost.next_allowed_us
            booking = (
                update(CrawlHost)
                .where(CrawlHost.host == host)
                .values(next_allowed_us=case((column > now, column), else_=now) + step)
            )
            if session.execute(booking).rowcount == 0:
                _insert_ignoring_duplicates(
                    session, [{"host": host, "next_allowed_us": 0}], CrawlHost.__table__, "host"
                )
                session.execute(booking)
            booked = session.scalar(select(column).where(CrawlHost.host == host))
    return (booked - step) / MICROSECONDS


def seed(url_db: str, start_url: str, kind: str) -> None:
    """Put the start URL on the stack unless this crawl already knows it."""
    with session_scope(url_db) as session:
        _insert_ignoring_duplicates(
            session,
            [
                {
                    "url": start_url,
                    "kind": kind,
                    "depth": 0,
                    "stack_order": 0,
                    "state": "pending",
                    "attempts": 0,
                }
            ],
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_abandoned(url_db: str, stale_after: timedelta) -> int:
    """Return pages left in progress by dead workers (this host) or stale claims to the stack."""
    host = socket.gethostname()
    now = utcnow()
    with session_scope(url_db) as session:
        rows = session.execute(
            select(CrawlPage.id, CrawlPage.claimed_by, CrawlPage.claimed_at).where(
                CrawlPage.state == "in_progress"
            )
        ).all()
        abandoned = []
        for page_id, claimed_by, claimed_at in rows:
            owner_host, _, rest = (claimed_by or "").partition(":")
            pid = rest.partition(":")[0]
            dead = owner_host == host and pid.isdigit() and not _pid_alive(int(pid))
            if dead or claimed_at is None or now - claimed_at > stale_after:
                abandoned.append(page_id)
        if abandoned:
            session.execute(
                update(CrawlPage)
                .where(CrawlPage.id.in_(abandoned), CrawlPage.state == "in_progress")
                .values(state="pending", claimed_by=None, claimed_at=None)
            )
        return len(abandoned)


def retry_failed(url_db: str) -> int:
    """Put failed pages back on the stack (for `--retry-failed`)."""
    with session_scope(url_db) as session:
        result = session.execute(
            update(CrawlPage)
            .where(CrawlPage.state == "failed", CrawlPage.kind != "image")
            .values(state="pending", last_error=None)
        )
        return result.rowcount


def claim(url_db: str, worker: str) -> Claimed | None:
    """Take the top pending page for `worker`, or None when nothing is pending right now.

    Two claims can deadlock on MariaDB: under REPEATABLE READ, an UPDATE that matched no row (another
    worker took the page) keeps its row lock while the claim tries the next candidate. InnoDB rolls one
    transaction back (error 1213), and that claim runs again.
    """
    while True:
        for attempt in retrying_on_conflict():
            with attempt, session_scope(url_db) as session:
                candidates = session.execute(
                    select(CrawlPage.id, CrawlPage.url, CrawlPage.kind, CrawlPage.depth, CrawlPage.attempts)
                    .where(CrawlPage.state == "pending")
                    .order_by(CrawlPage.stack_order.desc(), CrawlPage.id.asc())
                    .limit(CLAIM_CANDIDATES)
                ).all()
                if not candidates:
                    return None
                for page_id, url, kind, depth, attempts in candidates:
                    result = session.execute(
                        update(CrawlPage)
                        .where(CrawlPage.id == page_id, CrawlPage.state == "pending")
                        .values(
                            state="in_progress",
                            claimed_by=worker,
                            claimed_at=utcnow(),
                            attempts=CrawlPage.attempts + 1,
                        )
                    )
                    if result.rowcount == 1:
                        return Claimed(page_id, url, kind, depth, attempts + 1)
        # every candidate was taken by another worker between our read and our update: look again


def has_work(url_db: str) -> bool:
    """True while any page is pending or being fetched (a busy worker may still push links)."""
    with session_scope(url_db) as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(CrawlPage)
                .where(CrawlPage.state.in_(("pending", "in_progress")))
            )
            > 0
        )


def push(session: Session, parent: Claimed, children: list[Child], limits: Limits) -> list[str]:
    """Push unseen links (first link on top), respecting depth and per-kind caps; returns those pushed."""
    wanted: list[tuple[Child, int]] = []
    for child in children:
        depth = parent.depth if child.same_depth else parent.depth + 1
        if depth <= limits.max_depth:
            wanted.append((child, depth))
    if not wanted:
        return []
    known = set(session.scalars(select(CrawlPage.url).where(CrawlPage.url.in_([c.url for c, _ in wanted]))))
    # a page met again on a shorter path keeps the shorter depth while it still waits
    for child, depth in wanted:
        if child.url in known:
            session.execute(
                update(CrawlPage)
                .where(CrawlPage.url == child.url, CrawlPage.state == "pending", CrawlPage.depth > depth)
                .values(depth=depth)
            )
    fresh = [(c, d) for c, d in wanted if c.url not in known]
    room: dict[str, int | None] = {}
    for kind in {c.kind for c, _ in fresh}:
        cap = limits.cap(kind)
        if cap is not None:
            used = session.scalar(select(func.count()).select_from(CrawlPage).where(CrawlPage.kind == kind))
            room[kind] = max(0, cap - used)
    accepted: list[tuple[Child, int]] = []
    for child, depth in fresh:
        left = room.get(child.kind)
        if left is not None:
            if left <= 0:
                continue
            room[child.kind] = left - 1
        accepted.append((child, depth))
    if not accepted:
        return []
    top = session.scalar(select(func.coalesce(func.max(CrawlPage.stack_order), 0))) or 0
    rows = [
        {
            "url": child.url,
            "kind": child.kind,
            "depth": depth,
            "parent_id": parent.id,
            "stack_order": top + len(accepted) - index,
            "state": "pending",
            "attempts": 0,
        }
        for index, (child, depth) in enumerate(accepted)
    ]
    _insert_ignoring_duplicates(session, rows)
    return [child.url for child, _ in accepted]


def finish(
    session: Session,
    page_id: int,
    state: str,
    *,
    http_status: int | None = None,
    error: str | None = None,
    payload: str | None = None,
) -> None:
    """Record how a claimed page ended (done, failed or skipped) in the caller's transaction."""
    values: dict = {
        "state": state,
        "http_status": http_status,
        "last_error": error,
        "fetched_at": utcnow(),
        "claimed_at": None,
    }
    if payload is not None:
        values["payload"] = payload
    session.execute(update(CrawlPage).where(CrawlPage.id == page_id).values(**values))


def record_image(
    session: Session, parent: Claimed, url: str, *, ok: bool, http_status: int | None, error: str | None
) -> None:
    """Log an image download as its own `crawl_page` row (kind image), done or failed with the reason."""
    _insert_ignoring_duplicates(
        session,
        [
            {
                "url": url,
                "kind": "image",
                "depth": parent.depth + 1,
                "parent_id": parent.id,
                "stack_order": 0,
                "state": "done",
                "attempts": 0,
            }
        ],
    )
    session.execute(
        update(CrawlPage)
        .where(CrawlPage.url == url)
        .values(
            state="done" if ok else "failed",
            http_status=http_status,
            last_error=error,
            fetched_at=utcnow(),
            attempts=CrawlPage.attempts + 1,
        )
    )
