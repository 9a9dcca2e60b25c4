"""Keeps the search index in step with `item` from inside the backend process.

The first pass may take a while on a large, never-indexed catalogue, so it runs in a background
thread; until it has finished once, search falls back to a LIKE scan (correct, only slower).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from backend.services.search_index import sync_search_index

log = logging.getLogger(__name__)


class SearchIndexer:
    """`ready` turns True after the first complete pass; later passes pick up changes."""

    def __init__(self, engine: Engine, interval_s: float) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.ready = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Index new and changed items now; returns how many were (re)indexed."""
        with self._lock:
            indexed = sync_search_index(self.engine).indexed
            self.ready = True
            return indexed

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                indexed = self.run_once()
                if indexed:
                    log.info("search index: %d new or changed items indexed", indexed)
            except SQLAlchemyError as error:
                log.warning("search index update failed (will retry): %s", error.__class__.__name__)
            self._stop.wait(self.interval_s)  # periodic timer; stop() wakes it at once

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="search-indexer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
