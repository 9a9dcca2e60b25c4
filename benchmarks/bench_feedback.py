"""Feedback figures: the evidence job on 1,000,000 events (time and peak memory), an incremental run,
and session re-ranking per page.

    .venv/bin/python -m benchmarks.bench_feedback [--events 1000000] [--items 5000] [--sessions 100000]

Builds a temporary SQLite database (migrated with Alembic) holding synthetic items and events shaped
like the app's (recommendation_shown with its JSON detail, clicks, shop opens, survey answers), then
runs `python -m model.feedback` in a child process and reports its wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from db import migrate
from db.engine import get_engine
from db.events import CLICK, RECOMMENDATION_SHOWN, SHOP_LINK_OPEN
from db.models import InteractionEvent, Item, SurveyResponse
from model.feedback.session import SessionSignals, rerank

CHUNK = 50_000


def build_database(url: str, n_events: int, n_items: int, n_sessions: int, seed: int = 0) -> None:
    migrate.upgrade(url)
    engine = get_engine(url)
    rng = np.random.default_rng(seed)
    with engine.begin() as connection:
        connection.execute(insert(Item), [{"source": "musinsa", "source_id": f"b{i}", "name": f"item {i}",
                                           "is_recommendable": True} for i in range(1, n_items + 1)])
    pages = n_events // 11  # one page: 10 impressions and about one click or open
    with engine.begin() as connection:
        rows: list[dict] = []
        for page in range(pages):
            session, query = f"s{rng.integers(n_sessions)}", int(rng.integers(1, n_items + 1))
            items = rng.choice(np.arange(1, n_items + 1), size=10, replace=False)
            randomised = bool(rng.random() < 0.05)
            garment = {"probability": 0.9, "garment": ["top", "shirt", f"c{query % 40}"],
                       "randomised": randomised}
            for rank, item in enumerate(items.tolist(), start=1):
                rows.append({"session_id": session, "event_type": RECOMMENDATION_SHOWN, "item_id": item,
                             "query_item_id": query, "rank": rank, "detail": garment})
            clicked = int(items[min(int(rng.geometric(0.4)) - 1, 9)])
            rows.append({"session_id": session, "event_type": CLICK if page % 3 else SHOP_LINK_OPEN,
                         "item_id": clicked, "query_item_id": query, "rank": 1, "detail": None})
            if len(rows) >= CHUNK or page == pages - 1:
                connection.execute(insert(InteractionEvent), rows)
                rows = []
        connection.execute(insert(SurveyResponse), [
            {"session_id": f"s{i}", "target_kind": "item", "item_id": int(rng.integers(1, n_items + 1)),
             "query_item_id": int(rng.integers(1, n_items + 1)), "rating": int(rng.integers(1, 6))}
            for i in range(5000)])


def run_job(url: str, artifact_dir: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the child process, and its report line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "model.feedback", "--database-url", url,
                           "--artifact-dir", str(artifact_dir)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib, done.stdout.strip()


def bench_rerank(pages: int = 20_000) -> tuple[float, float]:
    """Median and p99 microseconds per page of 30 matches with a busy session."""
    rng = np.random.default_rng(1)
    entries = [{"item": {"id": i, "cluster_key": f"k{i % 7}:c", "subcategory": f"k{i % 7}"},
                "rec": {"item_id": i, "score": float(rng.normal(1, 0.5)), "probability": 0.7}}
               for i in range(30)]
    signals = SessionSignals()
    for i in range(0, 60, 3):
        signals.record_shown(i % 30)
        signals.record_shown(i % 30)
    signals.record_click(entries[3]["item"])
    times = []
    for _ in range(pages):
        started = time.perf_counter()
        rerank(entries, signals, floor=0.55)
        times.append((time.perf_counter() - started) * 1e6)
    times.sort()
    return statistics.median(times), times[int(0.99 * len(times))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=100_000)
    args = parser.parse_args(argv)
    median, p99 = bench_rerank()
    print(f"session re-ranking, 30 matches per page: median {median:.1f} us, p99 {p99:.1f} us "
          "(target < 2 ms)")
    with tempfile.TemporaryDirectory(prefix="closet-bench-feedback-") as directory:
        url = f"sqlite:///{directory}/closet.db"
        started = time.perf_counter()
        build_database(url, args.events, args.items, args.sessions)
        print(f"built {args.events:,} events on {args.items:,} items "
              f"in {time.perf_counter() - started:.0f} s")
        seconds, peak, report = run_job(url, Path(directory) / "artifacts")
        print(f"feedback job, first run over all events: {seconds:.1f} s (process start included), "
              f"peak RSS {peak:.0f} MiB (target < 60 s)")
        print(f"  {report}")
        seconds, _, report = run_job(url, Path(directory) / "artifacts")
        print(f"incremental run with no new events: {seconds:.1f} s ({report})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
