"""`--every`: refresh, wait, refresh again, until SIGTERM or SIGINT (a running refresh finishes first)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def run_every(seconds: float, job: Callable[[], int], stop: threading.Event | None = None,
              out: Callable[[str], None] = print) -> int:
    """Run `job` now and every `seconds` after the previous run ended; returns 0 once stopped."""
    stop = stop or threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        out(f"refresh: {signal.Signals(signum).name} received, stopping (a running refresh finishes first)")
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while not stop.is_set():
            code = job()
            if stop.is_set():
                break
            wake = datetime.now(UTC) + timedelta(seconds=seconds)
            out(f"refresh: exit status {code}; next refresh at {wake:%Y-%m-%d %H:%M:%S} UTC")
            stop.wait(seconds)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out("refresh: stopped")
    return 0
