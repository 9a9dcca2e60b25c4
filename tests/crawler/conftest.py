"""Fixtures for the crawler tests: a small replica shop built once, copied per test, served for real."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.browser import local_browser_available
from crawler.demo_shop.build import build_shop
from crawler.demo_shop.server import ShopServer
from crawler.options import CrawlOptions

SMALL_SHOP = {"items": 40, "outfits": 12, "seed": 5, "per_page": 5}


@pytest.fixture(scope="session")
def built_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small shop, generated once per test run."""
    root = tmp_path_factory.mktemp("shop")
    build_shop(root, **SMALL_SHOP)
    return root


@pytest.fixture(scope="session")
def built_shop_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same small shop in MUSINSA's 2023 markup (URL-less pager, 'BRAND / CODE' in one text)."""
    root = tmp_path_factory.mktemp("shop2023")
    build_shop(root, **SMALL_SHOP, markup="2023")
    return root


@pytest.fixture()
def shop_dir(built_shop: Path, tmp_path: Path) -> Path:
    """A private copy a test may break (pages, images, robots.txt, faults.json)."""
    target = tmp_path / "shop"
    shutil.copytree(built_shop, target)
    return target


@pytest.fixture()
def shop(shop_dir: Path) -> Iterator[ShopServer]:
    """The copy, served on a free 127.0.0.1 port (start() returns once it listens)."""
    server = ShopServer(shop_dir).start()
    yield server
    server.stop()


def fresh_shop(root: Path) -> Iterator[ShopServer]:
    """For a fixture to `yield from`, outside tests/crawler too: the small shop built into `root` and
    served, for tests that crawl it with Chromium (skipped without it) and may change it as they go."""
    if not local_browser_available():
        pytest.skip("Chromium/chromedriver are not installed (make system-packages)")
    build_shop(root, **SMALL_SHOP)
    server = ShopServer(root).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def needs_browser() -> None:
    if not local_browser_available():
        pytest.skip("Chromium/chromedriver are not installed (make system-packages)")


def options_for(server: ShopServer, database_url: str, image_dir: Path, **overrides: object) -> CrawlOptions:
    """Fast, test-friendly options: no politeness delay, short timeouts and backoff, no progress bar."""
    values: dict = {
        "start_url": f"{server.url}/app/codimap/lists?page=1",
        "database_url": database_url,
        "image_dir": image_dir,
        "max_depth": 50,
        "delay": 0.0,
        "page_timeout": 10.0,
        "retries": 2,
        "backoff": 0.05,
        "progress": False,
    }
    values.update(overrides)
    return CrawlOptions(**values)
