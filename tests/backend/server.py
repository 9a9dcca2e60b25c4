"""A real `python -m backend` (uvicorn) on a free 127.0.0.1 port, for tests that need real sockets,
real worker threads and a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from db.mariadb_server import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll `condition` until it holds; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def status_of(url: str, timeout_s: float = 5) -> int | None:
    """The status of GET `url`, or None when the server did not answer."""
    try:
        return httpx.get(url, timeout=timeout_s).status_code
    except httpx.HTTPError:
        return None


@contextmanager
def running_backend(database_url: str, image_dir: Path, **env: str) -> Iterator[str]:
    """Start `python -m backend` with extra environment `env`; yields the API base URL once ready."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "IMAGE_DIR": str(image_dir),
                   "ADMIN_TOKEN": "", **env}
    command = [sys.executable, "-m", "backend", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until(lambda: status_of(f"{base}/ready", 1) == 200, 30, "python -m backend to answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
