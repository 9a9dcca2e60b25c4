"""A Selenium 4 browser for the crawl: local headless Chromium (offline) or a Selenium Grid.

The HTTP status of each page comes from Chromium's performance log (the Network events of the
document request), so a 404, 429 or 500 is known without fetching the page a second time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.command import Command

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
USER_AGENT_TOKEN = "ClosetCrawler"  # noqa: S105 (a robots.txt agent name)
USER_AGENT = f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) {USER_AGENT_TOKEN}/0.1"
ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--blink-settings=imagesEnabled=false",
)


class PageTimeout(Exception):
    """The page did not load within the page-load timeout."""


class BrowserError(Exception):
    """The browser could not load the page (connection refused, DNS, crashed tab ...)."""


@dataclass(slots=True)
class Loaded:
    status: int | None  # None when the driver gives no performance log (then the page is taken as 200)
    html: str


def local_browser_available() -> bool:
    """True when Chromium and chromedriver are installed where the crawler looks for them."""
    return bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)) and os.path.exists(CHROMEDRIVER)


class Browser:
    """One browser session; `load(url)` returns the status and the rendered page source."""

    def __init__(self, remote_url: str | None = None, page_timeout: float = 20.0) -> None:
        os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never try to download a driver
        options = webdriver.ChromeOptions()
        options.page_load_strategy = "eager"
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.images": 2})
        for argument in (*ARGUMENTS, f"--user-agent={USER_AGENT}"):
            options.add_argument(argument)
        self._profile: str | None = None
        self._logs = True
        if remote_url:
            self.driver = webdriver.Remote(command_executor=remote_url, options=options)
        else:
            self._profile = tempfile.mkdtemp(prefix="closet-chromium-")
            options.add_argument(f"--user-data-dir={self._profile}")
            options.binary_location = CHROMIUM
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(page_timeout)
        self._block_favicon()

    def _block_favicon(self) -> None:
        """Chromium asks for /favicon.ico by itself after a page loads: a request to the shop that
        no throttle spaces out. Block it through CDP where the driver offers CDP (local Chromium)."""
        with contextlib.suppress(WebDriverException, AttributeError):
            self.driver.execute_cdp_cmd("Network.enable", {})
            self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/favicon.ico*"]})

    def _drain_log(self) -> list[dict]:
        """Performance-log messages since the last call (also through a Grid, which lacks `get_log`)."""
        if not self._logs:
            return []
        try:
            entries = self.driver.execute(Command.GET_LOG, {"type": "performance"})["value"]
        except (WebDriverException, KeyError, TypeError):
            self._logs = False  # this driver keeps no performance log: statuses stay unknown
            return []
        return [json.loads(e["message"])["message"] for e in entries]

    def load(self, url: str) -> Loaded:
        """Navigate to `url`; the status is the document response's (the one for `url` if redirected)."""
        try:
            self.driver.get(url)
        except TimeoutException as error:
            with contextlib.suppress(WebDriverException):
                self.driver.execute_script("window.stop();")
            self._drain_log()  # forget the abandoned page's events
            raise PageTimeout(f"timed out loading {url}") from error
        except WebDriverException as error:
            self._drain_log()
            raise BrowserError(str(error.msg or error).splitlines()[0]) from error
        documents = [
            message["params"]["response"]
            for message in self._drain_log()
            if message.get("method") == "Network.responseReceived"
            and message.get("params", {}).get("type") == "Document"
        ]
        exact = [response for response in documents if response.get("url") == url]
        chosen = (exact or documents or [None])[-1]
        status = int(chosen["status"]) if chosen else None
        return Loaded(status, self.driver.page_source)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            if self._profile:
                shutil.rmtree(self._profile, ignore_errors=True)
