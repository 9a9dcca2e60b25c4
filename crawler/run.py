"""Run a crawl: seed the frontier, start W workers (processes), show progress, link outfits, summarise."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from tqdm import tqdm

from crawler import frontier, store, urls
from crawler.options import CrawlOptions
from crawler.worker import run_worker
from db import migrate
from db.engine import get_engine, session_scope
from db.models import CrawlPage, Item, Outfit

STALE_CLAIM = timedelta(minutes=10)
PROGRESS_EVERY_S = 0.5


@dataclass(slots=True)
class CrawlSummary:
    pages_by_state: dict[str, int]
    fetched_this_run: int
    seconds: float
    items: int
    outfits: int
    incomplete: int
    images_failed: int
    failures: list[tuple[str, str]] = field(default_factory=list)
    aborted: str | None = None

    @property
    def pages_per_second(self) -> float:
        return self.fetched_this_run / self.seconds if self.seconds > 0 else 0.0

    def render(self) -> str:
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.pages_by_state.items()))
        lines = [
            f"crawl {'STOPPED: ' + self.aborted if self.aborted else 'finished'}",
            f"  pages: {states}; {self.fetched_this_run} handled in this run, {self.seconds:.1f} s, "
            f"{self.pages_per_second:.2f} pages/s",
            f"  items {self.items}, outfits {self.outfits}; incomplete pages {self.incomplete}, "
            f"images failed {self.images_failed}",
        ]
        for url, reason in self.failures[:10]:
            lines.append(f"  failed: {url}: {reason}")
        if len(self.failures) > 10:
            lines.append(f"  ... and {len(self.failures) - 10} more (crawl_page.state = 'failed')")
        return "\n".join(lines)


def _counts(url_db: str) -> tuple[Counter, int, int, int]:
    with session_scope(url_db) as session:
        by_state: Counter = Counter()
        errors = 0
        for kind, state, count in session.execute(
            select(CrawlPage.kind, CrawlPage.state, func.count()).group_by(CrawlPage.kind, CrawlPage.state)
        ):
            if kind != "image":
                by_state[state] += count
            elif state == "failed":
                errors += count
        errors += by_state["failed"]
        items = session.scalar(select(func.count()).select_from(Item)) or 0
        outfits = session.scalar(select(func.count()).select_from(Outfit)) or 0
    return by_state, items, outfits, errors


def _progress(options: CrawlOptions, done: threading.Event, start_finished: int, started: float) -> None:
    bar = tqdm(total=0, unit="page", desc="crawl", dynamic_ncols=True, disable=not options.progress)
    while True:
        by_state, items, outfits, errors = _counts(options.database_url)
        finished = by_state["done"] + by_state["failed"] + by_state["skipped"]
        bar.total = finished + by_state["pending"] + by_state["in_progress"]
        bar.n = finished
        rate = (finished - start_finished) / max(1e-6, time.monotonic() - started)
        bar.set_postfix(outfits=outfits, items=items, errors=errors, pages_s=f"{rate:.1f}", refresh=False)
        bar.refresh()
        if done.wait(PROGRESS_EVERY_S):
            break
    bar.close()


def crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl from `options.start_url` until the frontier is empty (or the crawl stops on failures)."""
    start = urls.canonical(options.start_url)
    migrate.upgrade(options.database_url)
    options.image_dir.mkdir(parents=True, exist_ok=True)
    frontier.seed(options.database_url, start, urls.kind_of(start))
    frontier.recover_abandoned(options.database_url, STALE_CLAIM)
    if options.retry_failed:
        frontier.retry_failed(options.database_url)
    by_state, *_ = _counts(options.database_url)
    start_finished = by_state["done"] + by_state["failed"] + by_state["skipped"]
    started = time.monotonic()
    aborted: str | None = None
    if frontier.has_work(options.database_url):
        done = threading.Event()
        monitor = threading.Thread(
            target=_progress, args=(options, done, start_finished, started), daemon=True
        )
        monitor.start()
        try:
            aborted = _run_workers(options)
        finally:
            done.set()
            monitor.join()
    with session_scope(options.database_url) as session:
        store.link_all_outfits(session)
    seconds = time.monotonic() - started
    return summarise(options.database_url, start_finished, seconds, aborted)


def _run_workers(options: CrawlOptions) -> str | None:
    if options.workers <= 1:
        return run_worker(options, 0, None)
    get_engine(options.database_url).dispose()  # no pooled connection may cross into a child
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    results = context.Queue()
    ready = context.Barrier(options.workers)
    processes = [
        context.Process(target=run_worker, args=(options, index, stop, results, ready), daemon=True)
        for index in range(options.workers)
    ]
    for process in processes:
        process.start()
    reasons: list[str] = []
    reported: set[int] = set()
    while len(reported) < len(processes):
        try:
            index, reason = results.get(timeout=1.0)
        except queue.Empty:
            if any(p.is_alive() for p in processes):
                continue
            break  # a worker died without reporting (killed): say so below
        reported.add(index)
        if reason:
            reasons.append(reason)
    for index, process in enumerate(processes):
        process.join()
        if index not in reported:
            reasons.append(f"worker {index} exited with code {process.exitcode} without reporting")
    return "; ".join(reasons) or None


def summarise(url_db: str, start_finished: int, seconds: float, aborted: str | None) -> CrawlSummary:
    by_state, items, outfits, _ = _counts(url_db)
    with session_scope(url_db) as session:
        incomplete = (
            session.scalar(
                select(func.count())
                .select_from(CrawlPage)
                .where(CrawlPage.state == "done", CrawlPage.last_error.like("incomplete%"))
            )
            or 0
        )
        images_failed = (
            session.scalar(
                select(func.count())
                .select_from(CrawlPage)
                .where(CrawlPage.kind == "image", CrawlPage.state == "failed")
            )
            or 0
        )
        failures = [
            (u, e or "")
            for u, e in session.execute(
                select(CrawlPage.url, CrawlPage.last_error)
                .where(CrawlPage.state.in_(("failed", "skipped")))
                .order_by(CrawlPage.id)
            )
        ]
    finished = by_state["done"] + by_state["failed"] + by_state["skipped"]
    return CrawlSummary(
        dict(by_state),
        finished - start_finished,
        seconds,
        items,
        outfits,
        incomplete,
        images_failed,
        failures,
        aborted,
    )
