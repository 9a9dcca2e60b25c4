"""Backend under faults: server memory for a 100 MB request body, and latencies while another
connection holds SQLite's write lock (issue 14's figures).

    .venv/bin/python -m benchmarks.bench_backend_faults [--hold 20] [--writers 12] [--backend-dir DIR]

Starts `python -m backend` on 127.0.0.1 against a fresh SQLite database, then
1. sends a 100 MB body to POST /api/v1/survey and prints the server's RSS before and its peak
   RSS (VmHWM) after, with the status it answered;
2. holds `BEGIN IMMEDIATE` from another connection for `--hold` seconds while `--writers`
   clients POST /api/v1/events at once and one client reads GET /api/v1/items/{id} in a loop;
   prints each kind's statuses and latencies (the writes' and the reads' slowest).
`--backend-dir` runs the server from another checkout (e.g. `git archive main | tar -x -C DIR`)
to get the figures from before a change; the database schema always comes from this checkout.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from benchmarks.bench_backend import wait_ready
from db import migrate
from db.engine import session_scope
from db.mariadb_server import free_port
from db.models import Item

ROOT = Path(__file__).resolve().parent.parent
BODY_BYTES = 100_000_000


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def big_body(port: int) -> str:
    """POST 100 MB (declared Content-Length); the status line the server answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(f"POST /api/v1/survey HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {BODY_BYTES}\r\n\r\n".encode())
        piece = b'{"comment": "' + b"x" * (1_048_576 - 13)
        sent = 0
        try:
            while sent < BODY_BYTES:
                chunk = piece[:BODY_BYTES - sent]
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            return sock.recv(200).split(b"\r\n", 1)[0].decode() + f" (client sent {sent / 1e6:.0f} MB)"
        except ConnectionResetError:
            return f"connection reset (client sent {sent / 1e6:.0f} MB)"


def timed(method: str, url: str, **kwargs: object) -> tuple[int | str, float]:
    started = time.monotonic()
    try:
        status: int | str = httpx.request(method, url, timeout=120, **kwargs).status_code
    except httpx.HTTPError as error:
        status = type(error).__name__
    return status, time.monotonic() - started


def write_lock(base: str, path: str, item_id: int, hold_s: float, writers: int) -> None:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(hold_s, lambda: holder.execute("ROLLBACK"))
    release.start()
    body = {"events": [{"session_id": "bench", "event_type": "click", "item_id": item_id}]}
    reads: list[tuple[int | str, float]] = []
    with ThreadPoolExecutor(writers) as pool:
        writes = [pool.submit(timed, "POST", f"{base}/api/v1/events", json=body) for _ in range(writers)]
        time.sleep(1)  # let the writes reach the server first (a benchmark, not a test)
        while not all(w.done() for w in writes):
            reads.append(timed("GET", f"{base}/api/v1/items/{item_id}"))
        results = [w.result() for w in writes]
    release.join()
    holder.close()
    for kind, rows in (("POST /events", results), ("GET /items/{id}", reads)):
        seconds = [s for _, s in rows]
        statuses = sorted({str(status) for status, _ in rows})
        print(f"  {kind:16s} n={len(rows):4d} statuses={','.join(statuses):12s} "
              f"median={statistics.median(seconds):6.2f} s  max={max(seconds):6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", type=float, default=20.0, help="seconds the write lock is held")
    parser.add_argument("--writers", type=int, default=12, help="concurrent POST /events clients")
    parser.add_argument("--backend-dir", type=Path, default=ROOT, help="checkout to run the server from")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="closet-faults-") as tmp:
        path = str(Path(tmp) / "bench.db")
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        with session_scope(url) as session:
            item = Item(source="bench", source_id="1", name="오버핏셔츠", is_recommendable=True)
            session.add(item)
            session.flush()
            item_id = item.id
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "IMAGE_DIR": tmp, "ADMIN_TOKEN": ""}
        server = subprocess.Popen([sys.executable, "-m", "backend", "--port", str(port), "--log-level",
                                   "error"], cwd=args.backend_dir, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, 60)
            print(f"server from {args.backend_dir}")
            before = rss_kb(server.pid, "VmRSS")
            answer = big_body(port)
            print(f"100 MB body: {answer}; server RSS {before / 1024:.0f} MB before, "
                  f"peak {rss_kb(server.pid, 'VmHWM') / 1024:.0f} MB after")
            print(f"write lock held {args.hold:.0f} s, {args.writers} writers:")
            write_lock(base, path, item_id, args.hold, args.writers)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
