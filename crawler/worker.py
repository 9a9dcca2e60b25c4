"""One crawl worker: claim a page, fetch it politely with retries, parse it, store it; repeat.

Retries (tenacity, exponential backoff with jitter) cover timeouts, browser connection errors,
5xx and 429; a 404 or any other 4xx fails the page at once. A worker that sees `max_failures`
pages in a row fail for transient reasons stops the whole crawl with the reason.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import threading
import traceback
from dataclasses import dataclass
from functools import partial

import httpx
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from crawler import frontier, store, urls
from crawler.browser import Browser, BrowserError, PageTimeout
from crawler.frontier import Claimed, Limits
from crawler.images import ImageRejected, store_image
from crawler.options import CrawlOptions
from crawler.pages import goods, outfit, outfit_list
from crawler.pages.common import MissingField
from crawler.politeness import HostThrottle, Robots, http_client
from db.conflicts import retrying_on_conflict
from db.engine import get_engine, session_scope
from db.models import CrawlPage

PARSERS = {"list": outfit_list.parse, "outfit": outfit.parse, "item": goods.parse}
IDLE_POLL_S = 0.2
READY_TIMEOUT_S = 60.0  # how long a started worker waits for the others' browsers before crawling alone


class FetchFailure(Exception):
    """A page or image could not be fetched; `status` is the HTTP status when there was one."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class TransientFailure(FetchFailure):
    """Worth retrying: timeout, 5xx, 429, connection trouble."""


class PermanentFailure(FetchFailure):
    """Not worth retrying: 404 and other client errors."""


class CrawlAborted(RuntimeError):
    """Too many pages failed in a row: the shop is down or blocking us."""


def _check_status(status: int | None, what: str) -> None:
    if status is None or status < 400:
        return
    if status == 429 or status >= 500:
        raise TransientFailure(f"HTTP {status} for {what}", status)
    raise PermanentFailure(f"HTTP {status} for {what}", status)


@dataclass(slots=True)
class Outcome:
    state: str
    transient: bool = False


class Worker:
    """Holds one browser, one HTTP client (robots.txt, images) and the politeness state."""

    def __init__(
        self, options: CrawlOptions, index: int, stop: multiprocessing.synchronize.Event | None
    ) -> None:
        self.options = options
        self.name = frontier.worker_name(index)
        self.stop = stop if stop is not None else threading.Event()
        self.limits = Limits(options.max_depth, options.max_outfits, options.max_items)
        self.client = http_client(options.page_timeout)
        self.throttle = HostThrottle(
            options.delay,
            random.Random(f"{self.name}"),
            book=partial(frontier.book_request, options.database_url),
            stop=self.stop,
        )
        self.robots = Robots(self.client, self.throttle)
        self.browser = Browser(options.remote_url, options.page_timeout)
        self.parent_pid = os.getppid()

    def _retrying(self) -> Retrying:
        return Retrying(
            retry=retry_if_exception_type(TransientFailure),
            stop=stop_after_attempt(self.options.retries + 1),
            wait=wait_exponential_jitter(multiplier=self.options.backoff, max=self.options.backoff * 32),
            reraise=True,
        )

    def _polite(self, url: str) -> None:
        self.throttle.wait(url, self.robots.crawl_delay(url))

    def fetch_page(self, url: str) -> tuple[int | None, str]:
        for attempt in self._retrying():
            with attempt:
                self._polite(url)
                try:
                    loaded = self.browser.load(url)
                except PageTimeout:
                    raise TransientFailure(f"timeout after {self.options.page_timeout:g}s") from None
                except BrowserError as error:
                    raise TransientFailure(f"browser error: {error}") from None
                _check_status(loaded.status, "page")
                return loaded.status, loaded.html
        raise AssertionError("unreachable")  # pragma: no cover

    def fetch_image(self, url: str) -> tuple[str, int]:
        if not self.robots.allowed(url):
            raise PermanentFailure("robots.txt disallows this image")
        for attempt in self._retrying():
            with attempt:
                self._polite(url)
                try:
                    response = self.client.get(url)
                except httpx.TimeoutException:
                    raise TransientFailure(f"image timeout after {self.options.page_timeout:g}s") from None
                except httpx.HTTPError as error:
                    raise TransientFailure(f"image download failed: {error!r}") from None
                _check_status(response.status_code, "image")
                return store_image(self.options.image_dir, response.content), response.status_code
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(
        self,
        claimed: Claimed,
        status: int | None,
        parsed: object,
        image: tuple[str | None, int | None, str | None],
    ) -> None:
        """Store a parsed page and mark it done, in one transaction.

        Retried on lock conflicts, and when another worker inserted the same outfit at the same
        moment (a unique-key clash): the next attempt sees that row and updates it instead.
        """
        for attempt in retrying_on_conflict(IntegrityError):
            with attempt, session_scope(self.options.database_url) as session:
                payload = None
                if claimed.kind == "list":
                    store.store_list(session, claimed, parsed, self.limits)
                elif claimed.kind == "outfit":
                    payload = store.store_outfit(session, claimed, parsed, self.limits)
                else:
                    image_path, image_status, image_error = image
                    payload = store.store_goods(session, claimed, parsed, image_path, self.limits)
                    if parsed.image_url:
                        frontier.record_image(
                            session,
                            claimed,
                            parsed.image_url,
                            ok=image_error is None,
                            http_status=image_status,
                            error=image_error,
                        )
                missing = list(parsed.missing)
                if claimed.kind == "item" and image[2]:
                    missing.append("image file")
                frontier.finish(
                    session,
                    claimed.id,
                    "done",
                    http_status=status,
                    payload=payload,
                    error=f"incomplete: missing {', '.join(missing)}" if missing else None,
                )
                if claimed.kind == "outfit":
                    session.expire_all()
                    store.link_outfits(session, [session.get(CrawlPage, claimed.id)])

    def _fail(self, claimed: Claimed, state: str, reason: str, status: int | None = None) -> None:
        for attempt in retrying_on_conflict():
            with attempt, session_scope(self.options.database_url) as session:
                frontier.finish(session, claimed.id, state, http_status=status, error=reason[:2000])

    def process(self, claimed: Claimed) -> Outcome:
        if not self.robots.allowed(claimed.url):
            origin_problem = self.robots.unreachable.get(urls.origin(claimed.url))
            self._fail(claimed, "skipped", origin_problem or "robots.txt disallows this URL")
            return Outcome("skipped")
        try:
            status, html = self.fetch_page(claimed.url)
        except TransientFailure as error:
            self._fail(
                claimed, "failed", f"{error} (after {self.options.retries + 1} attempts)", error.status
            )
            return Outcome("failed", transient=True)
        except PermanentFailure as error:
            self._fail(claimed, "failed", str(error), error.status)
            return Outcome("failed")
        try:
            parsed = PARSERS[claimed.kind](html, claimed.url)
        except MissingField as error:
            self._fail(claimed, "failed", f"unusable page: {error}", status)
            return Outcome("failed")
        except Exception as error:  # a parser bug or markup we never saw: record it, keep crawling
            self._fail(claimed, "failed", f"parse error: {error!r}", status)
            return Outcome("failed")
        image: tuple[str | None, int | None, str | None] = (None, None, None)
        if claimed.kind == "item" and parsed.image_url:
            try:
                path, image_status = self.fetch_image(parsed.image_url)
                image = (path, image_status, None)
            except FetchFailure as error:
                image = (None, error.status, str(error))
            except ImageRejected as error:
                image = (None, 200, str(error))
        try:
            self._write(claimed, status, parsed, image)
        except SQLAlchemyError as error:
            self._fail(claimed, "failed", f"could not store the page: {error!r}"[:2000], status)
            return Outcome("failed")
        return Outcome("done")

    def run(self) -> None:
        failures_in_a_row = 0
        last_reason = ""
        while not self.stop.is_set():
            if os.getppid() != self.parent_pid:
                return  # the crawl command was killed: leave the claimed page for the next run
            claimed = frontier.claim(self.options.database_url, self.name)
            if claimed is None:
                if not frontier.has_work(self.options.database_url):
                    return
                self.stop.wait(IDLE_POLL_S)  # another worker may still push links
                continue
            outcome = self.process(claimed)
            if outcome.transient:
                failures_in_a_row += 1
                last_reason = claimed.url
                if failures_in_a_row >= self.options.max_failures:
                    raise CrawlAborted(
                        f"stopping: {failures_in_a_row} pages in a row failed after retries "
                        f"(last: {last_reason}); see crawl_page.last_error"
                    )
            else:
                failures_in_a_row = 0

    def close(self) -> None:
        self.client.close()
        self.browser.close()


def start_together(ready: multiprocessing.synchronize.Barrier | None) -> None:
    """Wait (bounded) until every worker's browser is up, so the first one ready does not take the
    whole frontier while the others are still starting Chromium."""
    if ready is None:
        return
    # broken: a worker could not start (its own report says why) or was too slow; go on without it
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=READY_TIMEOUT_S)


def run_worker(
    options: CrawlOptions,
    index: int,
    stop: multiprocessing.synchronize.Event | None,
    results: multiprocessing.Queue | None = None,
    ready: multiprocessing.synchronize.Barrier | None = None,
) -> str | None:
    """Run one worker to the end; returns (and reports) the abort reason, or None."""
    reason = None
    worker = None
    try:
        worker = Worker(options, index, stop)
        start_together(ready)
        worker.run()
    except CrawlAborted as error:
        reason = str(error)
    except Exception as error:  # the browser would not start, the database went away ...
        reason = f"worker {index} failed: {error!r}\n{traceback.format_exc(limit=3)}"
        if ready is not None:
            ready.abort()  # nobody waits for a worker that will never be ready
    finally:
        if worker is not None:
            worker.close()
        if reason and stop is not None:
            stop.set()
        if results is not None:
            results.put((index, reason))
        get_engine(options.database_url).dispose()
    return reason
