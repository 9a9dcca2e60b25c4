"""The crawl step against the crawler tests' replica shop (real Chromium on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo_shop.server import ShopServer
from pipeline.__main__ import main
from tests.crawler.conftest import SMALL_SHOP, fresh_shop


@pytest.fixture()
def shop(tmp_path: Path) -> Iterator[ShopServer]:
    yield from fresh_shop(tmp_path / "shop")


def test_refresh_crawls_then_rereads_only_the_start_page(shop: ShopServer, sqlite_url: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["refresh", "--database-url", sqlite_url, "--artifact-dir", str(tmp_path / "artifacts"),
            "--start-url", f"{shop.url}/app/codimap/lists?page=1", "--delay", "0", "--no-images"]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"crawl: {SMALL_SHOP['outfits']} new outfits, "), lines
    assert " 0 failed or skipped pages in all" in lines[0]
    assert lines[2].startswith("train: trained ")

    assert main(argv) == 0  # nothing new in the shop: one list page read again, nothing else fetched
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("crawl: 0 new outfits, 0 new items, 1 pages handled, "), lines
    assert lines[1].split(", ")[1] == "0 changed"
    assert lines[2].startswith("train: up to date (")


def test_new_outfits_on_the_start_page_are_found(shop: ShopServer, sqlite_url: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Outfits the last crawl left out (here: --max-outfits) stand in for outfits listed since then."""
    argv = ["refresh", "--database-url", sqlite_url, "--artifact-dir", str(tmp_path / "artifacts"),
            "--start-url", f"{shop.url}/app/codimap/lists?page=1", "--delay", "0", "--no-images"]
    assert main([*argv, "--max-outfits", "2"]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first[0].startswith("crawl: 2 new outfits, "), first
    assert main(argv) == 0
    second = capsys.readouterr().out.splitlines()
    # the start page lists new outfits, so its next page is read again, and so on: all are found
    assert second[0].startswith(f"crawl: {SMALL_SHOP['outfits'] - 2} new outfits, "), second
    assert second[2].startswith("train: trained "), second
    assert main(argv) == 0  # the start page's outfits are all known: the walk ends there
    third = capsys.readouterr().out.splitlines()
    assert third[0].startswith("crawl: 0 new outfits, 0 new items, 1 pages handled, "), third
