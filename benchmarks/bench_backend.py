"""Backend latency under load: search and item detail at 200 requests/s on 100,000 items.

    .venv/bin/python -m benchmarks.bench_backend [--items 100000] [--rate 200] [--duration 30]
                                                 [--workers 1] [--engines sqlite,mariadb]

For each engine: builds a synthetic catalogue (benchmarks/backend_catalogue.py), starts
`python -m backend` (uvicorn) on 127.0.0.1, waits until its search index is loaded, then runs
locust headless (benchmarks/locustfile_backend.py) at a constant offered rate and prints p50, p99
and errors per endpoint. The target is p99 < 50 ms with no errors.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.backend_catalogue import fill, search_path
from db import migrate
from db.engine import get_engine
from db.mariadb_server import MariaDBServer, MariaDBUnavailable, free_port

ROOT = Path(__file__).resolve().parent.parent
WRK_INTERVAL_MS = 100  # each wrk connection: one request, then 100 ms pause
USER_RATE = 5.0  # requests/s per simulated user: tolerates up to 200 ms latency without lowering the rate


def wait_ready(base: str, timeout_s: float) -> None:
    """Poll /ready until the database answers and the search index is loaded."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            body = httpx.get(f"{base}/api/v1/ready", timeout=2).json()
            if body.get("search_index") == "ready":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError("backend did not become ready")


def process_tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and its children (uvicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        pending.extend(int(child) for child in children)
    return total


def run_load(base: str, items: int, rate: float, duration: int, prefix: Path) -> tuple[list[dict], float]:
    """Locust's per-endpoint stats rows, and the CPU seconds locust itself used (same machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    users = max(1, round(rate / USER_RATE))
    env = {**os.environ, "BENCH_ITEMS": str(items), "BENCH_USER_RATE": str(USER_RATE),
           "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile_backend.py"),
         "--headless", "-u", str(users), "-r", str(users), "-t", f"{duration}s", "--host", base,
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        check=False, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}_locust.log", "w"),  # noqa: SIM115 - closed with the process
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle)), cpu


def write_paths(workdir: Path, items: int) -> dict[str, Path]:
    """Request paths per endpoint for wrk: varied searches (words, filters, pages) and random ids."""
    rng = random.Random(3)
    files = {"search": workdir / "search_paths.txt", "detail": workdir / "detail_paths.txt"}
    files["search"].write_text("\n".join(search_path(rng) for _ in range(5000)) + "\n")
    details = (f"/api/v1/items/{rng.randint(1, items)}" for _ in range(5000))
    files["detail"].write_text("\n".join(details) + "\n")
    return files


def run_wrk(base: str, items: int, rate: float, duration: int, workdir: Path) -> tuple[list[dict], float]:
    """Half the rate to search, half to item detail, as two paced wrk runs side by side."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Each connection waits for its answer (and wrk's own timer slack, ~4 ms here) before the
    # pause, so plan for 105 ms per request and round up: the offered rate is at least `rate`.
    connections = max(1, math.ceil(rate / 2 * (WRK_INTERVAL_MS + 5) / 1000))
    interval_ms = WRK_INTERVAL_MS
    runs = {}
    for name, paths in write_paths(workdir, items).items():
        runs[name] = subprocess.Popen(
            ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
             "-s", str(ROOT / "benchmarks" / "wrk_backend.lua"), base,
             "--", str(interval_ms), str(paths)],
            stdout=subprocess.PIPE, text=True)
    rows = []
    for name, process in runs.items():
        output, _ = process.communicate()
        result = next(line for line in output.splitlines() if line.startswith("RESULT "))
        values = dict(part.split("=") for part in result.split()[1:])
        rows.append({"Name": name, "Request Count": values["requests"], "Failure Count": values["errors"],
                     "Requests/s": str(int(values["requests"]) / float(values["seconds"])),
                     "50%": values["p50"], "99%": values["p99"], "Max Response Time": values["max"]})
    rows.append({"Name": "Aggregated", "Request Count": str(sum(int(r["Request Count"]) for r in rows)),
                 "Failure Count": str(sum(int(r["Failure Count"]) for r in rows)),
                 "Requests/s": str(sum(float(r["Requests/s"]) for r in rows)), "50%": "-", "99%": "-",
                 "Max Response Time": str(max(float(r["Max Response Time"]) for r in rows))})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return rows, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def measure(engine_name: str, url: str, args: argparse.Namespace, workdir: Path) -> None:
    started = time.perf_counter()
    migrate.upgrade(url)
    fill(get_engine(url), args.items)
    get_engine(url).dispose()
    print(f"{engine_name}: {args.items} items written in {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    # Steady state: no index rebuild during the run (a rebuild of 100,000 items costs ~5 s of CPU
    # and happens only after the catalogue changed; the catalogue was written seconds ago).
    env = {**os.environ, "DATABASE_URL": url, "BACKEND_SEARCH_INDEX_INTERVAL_S": str(args.duration + 60)}
    server = subprocess.Popen(
        [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        wait_ready(base, 300)
        print(f"{engine_name}: backend ready (index loaded) after {time.perf_counter() - started:.0f} s",
              flush=True)
        cpu_before = process_tree_cpu_s(server.pid)
        if args.tool == "wrk":
            rows, load_cpu = run_wrk(base, args.items, args.rate, args.duration, workdir)
        else:
            rows, load_cpu = run_load(base, args.items, args.rate, args.duration, workdir / engine_name)
        cpu_used = process_tree_cpu_s(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"{'engine':8} {'endpoint':10} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7}   ({args.tool})")
    total = sum(int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated")
    print(f"{engine_name}: backend CPU {1000 * cpu_used / max(total, 1):.2f} ms per request "
          f"({cpu_used:.1f} s for {total} requests; {args.tool} used {load_cpu:.1f} s; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for row in rows:
        print(f"{engine_name:8} {row['Name']:10} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):6.1f} {row['50%']:>7} {row['99%']:>7} "
              f"{float(row['Max Response Time']):7.0f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0, help="offered requests per second")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per engine")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--engines", default="sqlite,mariadb")
    parser.add_argument("--tool", choices=["wrk", "locust"], default="wrk",
                        help="wrk (paced, C, light) or locust (constant throughput, Python)")
    args = parser.parse_args()
    engines = args.engines.split(",")
    with tempfile.TemporaryDirectory(prefix="closet-bench-") as tmp:
        workdir = Path(tmp)
        if "sqlite" in engines:
            measure("sqlite", f"sqlite:///{workdir / 'bench.db'}", args, workdir)
        if "mariadb" in engines:
            try:
                with MariaDBServer() as server:
                    measure("mariadb", server.create_database(), args, workdir)
            except MariaDBUnavailable as error:
                print(f"mariadb  skipped: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
