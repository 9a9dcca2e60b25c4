"""Politeness: robots.txt per origin (Protego) and a per-host delay with jitter."""

from __future__ import annotations

import random
import time
from urllib.parse import urlsplit

import httpx
from protego import Protego

from crawler.browser import USER_AGENT, USER_AGENT_TOKEN
from crawler.urls import origin


class Robots:
    """robots.txt rules per origin, fetched once. 4xx means no rules; 5xx or no answer means 'disallow all'
    (RFC 9309 section 2.3.1), so an unreachable robots.txt never becomes a licence to crawl."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self._rules: dict[str, Protego | None] = {}
        self.unreachable: dict[str, str] = {}

    def _load(self, origin: str) -> Protego | None:
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


class HostThrottle:
    """Waits so that requests to one host are at least `delay` seconds apart (times 0.5-1.5 jitter)."""

    def __init__(self, delay: float, rng: random.Random | None = None) -> None:
        self.delay = delay
        self._rng = rng or random.Random()
        self._next: dict[str, float] = {}

    def wait(self, url: str, minimum: float | None = None) -> None:
        delay = max(self.delay, minimum or 0.0)
        if delay <= 0:
            return
        host = urlsplit(url).netloc
        now = time.monotonic()
        ready = self._next.get(host, now)
        if ready > now:
            time.sleep(ready - now)  # rate limiting, not synchronisation
        self._next[host] = max(now, ready) + delay * self._rng.uniform(0.5, 1.5)


def http_client(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}, follow_redirects=True)
