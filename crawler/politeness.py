"""Politeness: robots.txt per origin (Protego) and a per-host delay with jitter, shared by all workers."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from protego import Protego

from crawler.browser import USER_AGENT, USER_AGENT_TOKEN
from crawler.urls import origin


class Robots:
    """robots.txt rules per origin, fetched once. 4xx means no rules; 5xx or no answer means 'disallow all'
    (RFC 9309 section 2.3.1), so an unreachable robots.txt never becomes a licence to crawl."""

    def __init__(self, client: httpx.Client, throttle: HostThrottle | None = None) -> None:
        self._client = client
        self._throttle = throttle
        self._rules: dict[str, Protego | None] = {}
        self.unreachable: dict[str, str] = {}

    def _load(self, origin: str) -> Protego | None:
        if self._throttle is not None:
            self._throttle.wait(f"{origin}/robots.txt")  # robots.txt is a request to the host too
        try:
            response = self._client.get(f"{origin}/robots.txt")
        except httpx.HTTPError as error:
            self.unreachable[origin] = f"robots.txt unreachable: {error!r}"
            return Protego.parse("User-agent: *\nDisallow: /")
        if response.status_code >= 500:
            self.unreachable[origin] = f"robots.txt answered HTTP {response.status_code}"
            return Protego.parse("User-agent: *\nDisallow: /")
        if response.status_code >= 400:
            return None
        return Protego.parse(response.text)

    def rules(self, url: str) -> Protego | None:
        key = origin(url)
        if key not in self._rules:
            self._rules[key] = self._load(key)
        return self._rules[key]

    def allowed(self, url: str) -> bool:
        rules = self.rules(url)
        return rules is None or rules.can_fetch(url, USER_AGENT_TOKEN)

    def crawl_delay(self, url: str) -> float | None:
        rules = self.rules(url)
        delay = rules.crawl_delay(USER_AGENT_TOKEN) if rules is not None else None
        return float(delay) if delay is not None else None


#: Books the next request to a host for an interval; returns its start time (Unix seconds).
Booker = Callable[[str, float], float]
#: Added to every interval: a request leaves the browser tens of ms after its slot on a busy machine,
#: and the host must still see the full delay between two requests.
SEND_MARGIN_S = 0.1


class HostThrottle:
    """Waits so that requests to one host are at least `delay` seconds apart (times 1.0-1.5 jitter,
    plus SEND_MARGIN_S).

    `book(host, interval)` reserves each request's start time. The crawl passes the frontier's
    `book_request`, which keeps one next-allowed time per host in the database, so the delay holds
    across every worker process; without it, the reservations are kept in this process only.
    """

    def __init__(self, delay: float, rng: random.Random | None = None, book: Booker | None = None,
                 stop: threading.Event | None = None) -> None:
        self.delay = delay
        self._rng = rng or random.Random()
        self._book = book or self._book_locally
        self._stop = stop or threading.Event()
        self._next: dict[str, float] = {}

    def _book_locally(self, host: str, interval: float) -> float:
        start = max(time.time(), self._next.get(host, 0.0))
        self._next[host] = start + interval
        return start

    def wait(self, url: str, minimum: float | None = None) -> None:
        delay = max(self.delay, minimum or 0.0)
        if delay <= 0:
            return
        start = self._book(urlsplit(url).netloc, delay * self._rng.uniform(1.0, 1.5) + SEND_MARGIN_S)
        self._stop.wait(max(0.0, start - time.time()))  # rate limiting, not synchronisation


def http_client(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
