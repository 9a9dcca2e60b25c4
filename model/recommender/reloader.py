"""Hot reload: serve the loaded recommender while a newer artifact loads in a background thread.

`ModelReloader.current()` is meant to be called on every page run. It asks `latest()` which artifact is
the newest (for artifacts on disk, `latest_version`: one read of the small `LATEST` pointer that
`save_artifact` replaces atomically, the same rule `latest_artifact` applies) and, when that differs
from the one in use, starts one background load of it. Until that load finishes, `current()` keeps
returning the old model; only while there is no model at all does a caller wait for the load (there is
nothing else to serve). A load that raises keeps the old model, is logged once, and is not retried until
`latest()` names another artifact. UI-free and torch-free: the Streamlit app holds one per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from model.recommender.artifact import ArtifactMissing, latest_artifact

log = logging.getLogger(__name__)

M = TypeVar("M")


def latest_version(artifact_dir: Path) -> Path | None:
    """The newest complete artifact directory under `artifact_dir`, or None when there is none yet."""
    try:
        return latest_artifact(artifact_dir)
    except ArtifactMissing:
        return None


class ModelReloader(Generic[M]):
    """One model in use, replaced by `load(latest())` in the background whenever `latest()` changes."""

    def __init__(self, load: Callable[[Path], M], latest: Callable[[], Path | None]) -> None:
        self._load = load
        self._latest = latest
        self._lock = threading.Lock()
        self._in_use: tuple[M | None, Path | None] = (None, None)  # the model and its artifact, as one
        self._pending: Path | None = None  # the artifact being loaded now
        self._failed: Path | None = None  # the last artifact whose load raised: not retried
        self._error: BaseException | None = None  # why `_failed` could not be loaded
        self._done = threading.Event()  # set when no load is in flight
        self._done.set()
        self._thread: threading.Thread | None = None
        self.loads = 0  # loads started (each artifact at most once unless it fails and changes back)

    # -- what pages ask ---------------------------------------------------------------------------------
    def current(self) -> M | None:
        """The model in use, after starting a background load when a newer artifact exists.

        Returns None only when no model has loaded yet (no artifact, or its load failed: see `error`).
        """
        try:
            path = self._latest()
        except Exception:  # an unreadable pointer must not take the pages down: keep what we have
            log.exception("could not check for a newer recommender artifact")
            path = None
        with self._lock:
            if path is not None and path not in (self._in_use[1], self._pending, self._failed):
                self._start(path)
            wait = self._in_use[0] is None and self._pending is not None
            done = self._done
        if wait:  # nothing to serve meanwhile: this run waits, as a first load always did
            done.wait()
        return self._in_use[0]

    @property
    def in_use(self) -> tuple[M | None, Path | None]:
        """The model in use and the artifact it was loaded from, read together (no check, no load)."""
        return self._in_use

    @property
    def error(self) -> BaseException | None:
        """Why the newest artifact tried could not be loaded (None once a later load succeeds)."""
        return self._error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no load is in flight (True) or `timeout` seconds pass (False)."""
        return self._done.wait(timeout)

    # -- loading ----------------------------------------------------------------------------------------
    def _start(self, path: Path) -> None:
        """Begin loading `path` in a thread (called with the lock held; one load at a time)."""
        if self._pending is not None:
            return  # the load in flight finishes first; the next check after it sees `path` again
        self._pending = path
        self._done = threading.Event()
        self.loads += 1
        self._thread = threading.Thread(target=self._run, args=(path, self._done), name="model-reload",
                                        daemon=True)
        self._thread.start()

    def _run(self, path: Path, done: threading.Event) -> None:
        try:
            model = self._load(path)
        except Exception as error:  # any failure keeps the old model
            log.exception("loading recommender artifact %s failed; keeping %s", path, self._in_use[1])
            with self._lock:
                self._failed, self._error = path, error
        else:
            log.info("recommender artifact %s loaded (was %s)", path, self._in_use[1])
            with self._lock:
                self._in_use = (model, path)
                self._failed = self._error = None
        finally:
            with self._lock:
                self._pending = None
            done.set()
