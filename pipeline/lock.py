"""One refresh at a time: a non-blocking `fcntl.flock` on `refresh.lock` next to the artifacts.

The kernel drops the lock when its holder exits (even on `kill -9`), so a stale file never blocks.
The file keeps the holder's pid for the message; it is never deleted (deleting would race).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

LOCK_FILE = "refresh.lock"


class RefreshRunning(RuntimeError):
    """Another process holds the refresh lock."""

    def __init__(self, path: Path, pid: str) -> None:
        super().__init__(f"another refresh is running (pid {pid or '?'}); lock file {path}")
        self.path = path
        self.pid = pid


class RefreshLock:
    """`with RefreshLock(path):` holds the lock or raises RefreshRunning at once."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise RefreshRunning(self.path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RefreshLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()
