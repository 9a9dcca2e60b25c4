"""Database writes run on their own few threads, apart from the read threads.

A write can wait for another connection's lock (a long import, an admin's transaction). If writes
shared the read threads, a held lock would block every thread and stall reads too (seen: item
detail took 18.5 s while an external process held SQLite's write lock). Here a write first waits
at most `wait_s` for one of `threads` writer slots, and the database itself gives up after the
engine's lock timeout (the same setting); either way the client gets 503 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from backend.errors import busy_error

Result = TypeVar("Result")


class WriteGate:
    """At most `threads` writes at once, on threads of their own; waits `wait_s` at most for a slot."""

    def __init__(self, threads: int, wait_s: float) -> None:
        self.wait_s = wait_s
        self._slots = anyio.Semaphore(threads)
        self._threads = anyio.CapacityLimiter(threads)  # never waits: the slots already bound it

    async def run(self, write: Callable[..., Result], *args: object) -> Result:
        """`write(*args)` on a writer thread; ApiError 503 `database_busy` if no slot frees in time."""
        acquired = False
        with anyio.move_on_after(self.wait_s):
            await self._slots.acquire()
            acquired = True
        if not acquired:
            raise busy_error()
        try:
            return await anyio.to_thread.run_sync(write, *args, limiter=self._threads)
        finally:
            self._slots.release()
