"""Keeps the in-memory search index in step with `item` from inside each backend process.

Every `interval_s` the indexer asks the database for the catalogue's signature (count, max id,
max updated_at: one indexed query) and rebuilds the snapshot in the background when it changed.
Until the first snapshot exists, search falls back to a SQL LIKE scan (correct, only slower).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from backend.services.search_index import CatalogueIndex, catalogue_signature

log = logging.getLogger(__name__)


class SearchIndexer:
    """`index` is the latest complete snapshot (or None); replaced atomically on each rebuild."""

    def __init__(self, engine: Engine, interval_s: float) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.index: CatalogueIndex | None = None
        self._recheck = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self, force: bool = False) -> bool:
        """Rebuild if the catalogue changed since the current snapshot; True if it rebuilt."""
        with self._lock:
            with self.engine.connect() as connection:
                signature = catalogue_signature(connection)
                current = self.index
                if not force and not self._recheck and current is not None and current.signature == signature:
                    return False
                started = time.perf_counter()
                index = CatalogueIndex.load(connection, signature)
                now = connection.execute(select(func.current_timestamp())).scalar_one()
            self.index = index
            # ~100,000 long-lived objects per snapshot made each full garbage collection a ~120 ms
            # pause of every request (the p99); freezing moves them out of the collector's scans.
            # Reference counting still frees an old snapshot as soon as it is replaced.
            gc.freeze()
            # An update later within the same second keeps max(updated_at): look again next round.
            self._recheck = _recent(index.signature[2], now)
            log.info("search index: %d items in %.1f s", index.size, time.perf_counter() - started)
            return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except SQLAlchemyError as error:
                log.warning("search index refresh failed (will retry): %s", error.__class__.__name__)
            self._stop.wait(self.interval_s)  # a periodic timer; stop() wakes it at once

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="search-indexer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def _recent(updated: object, now: object) -> bool:
    if updated is None:
        return False
    updated_at = updated if isinstance(updated, datetime) else datetime.fromisoformat(str(updated))
    now_at = now if isinstance(now, datetime) else datetime.fromisoformat(str(now))
    return updated_at >= now_at - timedelta(seconds=2)
