"""Serve a built replica shop on 127.0.0.1, with optional injected faults for tests.

`faults.json` in the shop directory (read on every request, so tests can change it live) maps a
request path (with or without its query) to a fault: `{"status": 500}` answers that status,
`{"status": 503, "times": 2}` only for the first two requests, `{"delay": 5}` waits before answering.
Every request is recorded with its arrival time (`ShopServer.requests`, `ShopServer.intervals()`), so
tests can check what a crawler fetched and how politely: `GET /__stats` answers the same as JSON
(requests seen, the gaps between consecutive requests and the smallest gap, in seconds).
"""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from crawler.demo_shop.build import page_file

FAULTS_FILE = "faults.json"
STATS_PATH = "/__stats"


class _ShopHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    root: Path
    requests: list[str]
    arrivals: list[float]
    hits: dict[str, int]
    lock: threading.Lock
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    server: _ShopHTTPServer
    server_version = "ReplicaShop/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: requests are recorded in `server.requests` instead."""

    def _fault(self, target: str, path: str) -> dict | None:
        try:
            faults = json.loads((self.server.root / FAULTS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        fault = faults.get(target) or faults.get(path)
        if not fault:
            return None
        with self.server.lock:
            seen = self.server.hits.get(target, 0)
            self.server.hits[target] = seen + 1
        times = fault.get("times")
        return fault if times is None or seen < times else None

    def _resolve(self, path: str, query: dict[str, str]) -> Path | None:
        root = self.server.root.resolve()
        target = page_file(root, path, query)
        if target is None:
            if ".." in path.split("/"):
                return None
            target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target.name in (FAULTS_FILE,):
            return None
        return target

    def _answer(self, head_only: bool) -> None:
        arrived = time.monotonic()
        parts = urlsplit(self.path)
        if parts.path == STATS_PATH:
            body = json.dumps(stats(self.server), ensure_ascii=False).encode()
            self._send(200, body, "application/json", head_only)
            return
        with self.server.lock:
            self.server.requests.append(self.path)
            self.server.arrivals.append(arrived)
        fault = self._fault(self.path, parts.path)
        if fault and fault.get("delay"):
            self.server.stopping.wait(float(fault["delay"]))
        if fault and fault.get("status"):
            self._send(
                int(fault["status"]), b"<html><body>injected failure</body></html>", "text/html", head_only
            )
            return
        target = self._resolve(parts.path, dict(parse_qsl(parts.query)))
        if target is None:
            self._send(404, b"<html><body>404 Not Found</body></html>", "text/html", head_only)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/"):
            kind += "; charset=utf-8"
        self._send(200, target.read_bytes(), kind, head_only)

    def _send(self, status: int, body: bytes, kind: str, head_only: bool) -> None:
        try:
            self.send_response(
                status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            )
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a crawler timeout); nothing to do

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head_only=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head_only=True)


def stats(server: _ShopHTTPServer) -> dict:
    """What the shop saw: how many requests, the gaps between consecutive ones and the smallest."""
    with server.lock:
        arrivals = sorted(server.arrivals)
    gaps = [round(later - earlier, 4) for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    return {"requests": len(arrivals), "intervals_s": gaps, "min_interval_s": min(gaps, default=None)}


class ShopServer:
    """A running replica shop; `start()` returns once it accepts connections."""

    def __init__(self, root: Path, port: int = 0, host: str = "127.0.0.1") -> None:
        self._server = _ShopHTTPServer((host, port), _Handler)
        self._server.root = Path(root)
        self._server.requests = []
        self._server.arrivals = []
        self._server.hits = {}
        self._server.lock = threading.Lock()
        self._server.stopping = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, name="replica-shop", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        with self._server.lock:
            return list(self._server.requests)

    def stats(self) -> dict:
        """Requests seen and the intervals between them (the JSON of `GET /__stats`)."""
        return stats(self._server)

    def clear_log(self) -> None:
        with self._server.lock:
            self._server.requests.clear()
            self._server.arrivals.clear()
            self._server.hits.clear()

    def start(self) -> ShopServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
