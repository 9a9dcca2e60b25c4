"""Real headless Chromium crawls of the served replica shop."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from crawler.browser import CHROMEDRIVER
from crawler.demo_shop.server import ShopServer
from crawler.run import crawl
from db.engine import get_engine, session_scope
from db.models import CrawlPage, Item, Outfit
from tests.crawler.conftest import options_for
from tests.crawler.truth import assert_matches_truth, load

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("needs_browser")]
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _page_requests(server: ShopServer) -> Counter:
    return Counter(p for p in server.requests if p.startswith("/app/"))


@pytest.fixture(params=["2022", "2023"])
def any_markup_shop(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[ShopServer, Path]]:
    """The small shop in MUSINSA's 2022 and in its 2023 markup, each served on a free port."""
    built = request.getfixturevalue("built_shop" if request.param == "2022" else "built_shop_2023")
    target = tmp_path / "shop"
    shutil.copytree(built, target)
    server = ShopServer(target).start()
    yield server, target
    server.stop()


def test_crawl_matches_ground_truth_field_by_field(
    any_markup_shop: tuple[ShopServer, Path], sqlite_url: str, tmp_path: Path
) -> None:
    shop, shop_dir = any_markup_shop
    summary = crawl(options_for(shop, sqlite_url, tmp_path / "images"))

    assert summary.aborted is None
    assert set(summary.pages_by_state) == {"done"}
    assert_matches_truth(sqlite_url, shop_dir, shop.url, tmp_path / "images")
    # depth-first: the first outfit of the list is fetched, then its first item, before list page 2
    truth = load(shop_dir)
    order = [p for p in shop.requests if p.startswith("/app/")]
    first_outfit = truth["outfits"][0]
    assert order[1] == f"/app/codimap/views/{first_outfit['codimap_id']}"
    assert order[2] == f"/app/goods/{first_outfit['items'][0]}/0"
    assert order.index("/app/codimap/lists?page=2") > order.index(order[2])

    again = crawl(options_for(shop, sqlite_url, tmp_path / "images"))  # rerun: nothing left to do
    assert again.fetched_this_run == 0
    assert_matches_truth(sqlite_url, shop_dir, shop.url, tmp_path / "images")


def _dump(database_url: str) -> dict:
    """The whole crawl result, without timestamps and per-attempt bookkeeping."""
    with session_scope(database_url) as session:
        items = session.scalars(select(Item).order_by(Item.id)).all()
        keys = {i.id: i.source_id for i in items}
        outfits = session.scalars(select(Outfit).order_by(Outfit.id)).all()
        pages = session.scalars(select(CrawlPage).order_by(CrawlPage.id)).all()
        skip = {"created_at", "updated_at"}
        return {
            "items": [
                (
                    {c.key: getattr(i, c.key) for c in Item.__table__.columns if c.key not in skip},
                    sorted(t.tag for t in i.tags),
                    sorted((a.attribute, a.value) for a in i.attributes),
                    sorted((s.dimension, s.bucket, s.share_pct) for s in i.buyer_shares),
                )
                for i in items
            ],
            "outfits": [
                (
                    {c.key: getattr(o, c.key) for c in Outfit.__table__.columns if c.key not in skip},
                    sorted((m.position, keys[m.item_id]) for m in o.members),
                    sorted(t.tag for t in o.tags),
                )
                for o in outfits
            ],
            "pages": [
                (
                    p.id,
                    p.url,
                    p.kind,
                    p.depth,
                    p.parent_id,
                    p.stack_order,
                    p.state,
                    p.http_status,
                    p.last_error,
                    p.payload,
                )
                for p in pages
            ],
        }


def test_kill_9_then_rerun_gives_the_same_database(shop: ShopServer, tmp_path: Path) -> None:
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    crawl(options_for(shop, reference_url, tmp_path / "reference-images"))

    resumed_url = f"sqlite:///{tmp_path / 'resumed.db'}"
    command = [
        sys.executable,
        "-m",
        "crawler",
        "--start",
        f"{shop.url}/app/codimap/lists?page=1",
        "--database-url",
        resumed_url,
        "--image-dir",
        str(tmp_path / "images"),
        "--delay",
        "0",
        "--max-depth",
        "50",
        "--no-progress",
    ]
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with session_scope(resumed_url) as session:
                done = session.scalar(
                    select(func.count())
                    .select_from(CrawlPage)
                    .where(CrawlPage.state == "done", CrawlPage.kind == "item")
                )
        except Exception:  # the schema is not there yet
            done = 0
        if done >= 8:
            break
        time.sleep(0.05)  # polling the database for the moment to strike
    assert process.poll() is None, process.stderr.read().decode()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    process.stderr.close()
    get_engine(resumed_url).dispose()
    with session_scope(resumed_url) as session:
        total = session.scalar(select(func.count()).select_from(CrawlPage))
        unfinished = session.scalar(
            select(func.count()).select_from(CrawlPage).where(CrawlPage.state.in_(("pending", "in_progress")))
        )
    assert unfinished > 0 and total > 0, "the crawl was not interrupted mid-way"

    rerun = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert rerun.returncode == 0, rerun.stderr

    assert _dump(resumed_url) == _dump(reference_url)
    stored = sorted(p.relative_to(tmp_path / "images") for p in (tmp_path / "images").rglob("*.png"))
    assert stored == sorted(
        p.relative_to(tmp_path / "reference-images") for p in (tmp_path / "reference-images").rglob("*.png")
    )


def test_two_workers_never_fetch_a_page_twice(
    shop: ShopServer, shop_dir: Path, db_url: str, tmp_path: Path
) -> None:
    summary = crawl(options_for(shop, db_url, tmp_path / "images", workers=2))

    assert summary.aborted is None
    requests = _page_requests(shop)
    assert requests and max(requests.values()) == 1, requests.most_common(3)
    with session_scope(db_url) as session:
        workers = Counter(session.scalars(select(CrawlPage.claimed_by).where(CrawlPage.kind != "image")))
    assert len(workers) == 2, workers  # both browsers did part of the work
    assert_matches_truth(db_url, shop_dir, shop.url, tmp_path / "images")


def test_robots_disallow_is_respected(
    shop: ShopServer, shop_dir: Path, sqlite_url: str, tmp_path: Path
) -> None:
    truth = load(shop_dir)
    banned_outfit = truth["outfits"][1]["codimap_id"]
    banned_item = truth["outfits"][0]["items"][-1]
    (shop_dir / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /app/codimap/views/{banned_outfit}\n\n"
        f"User-agent: ClosetCrawler\nDisallow: /app/goods/{banned_item}/\n"
        f"Disallow: /app/codimap/views/{banned_outfit}\n",
        encoding="utf-8",
    )

    summary = crawl(options_for(shop, sqlite_url, tmp_path / "images"))

    requested = set(_page_requests(shop))
    assert f"/app/codimap/views/{banned_outfit}" not in requested
    assert f"/app/goods/{banned_item}/0" not in requested
    assert summary.pages_by_state["skipped"] == 2
    with session_scope(sqlite_url) as session:
        skipped = dict(
            session.execute(
                select(CrawlPage.url, CrawlPage.last_error).where(CrawlPage.state == "skipped")
            ).all()
        )
        assert (
            session.scalar(select(func.count()).select_from(Item).where(Item.source_id == str(banned_item)))
            == 0
        )
    assert set(skipped) == {
        f"{shop.url}/app/codimap/views/{banned_outfit}",
        f"{shop.url}/app/goods/{banned_item}/0",
    }
    assert all(reason == "robots.txt disallows this URL" for reason in skipped.values())
    assert len(requested) > 20  # everything else was crawled


def test_broken_pages_are_recorded_and_the_rest_is_intact(
    shop: ShopServer, shop_dir: Path, sqlite_url: str, tmp_path: Path
) -> None:
    truth = load(shop_dir)
    outfits = truth["outfits"]
    flaky_outfit, dead_outfit = outfits[2]["codimap_id"], outfits[3]["codimap_id"]
    shown = Counter(n for o in outfits for n in o["items"])
    singles = [n for o in outfits if o["codimap_id"] != dead_outfit for n in o["items"] if shown[n] == 1]
    (no_name, no_price, broken_html, gone, slow, bad_image) = singles[:6]  # items only one outfit shows
    dead_outfit_items = {n for n in outfits[3]["items"]} - {
        n for o in outfits if o["codimap_id"] != dead_outfit for n in o["items"]
    }

    def edit(number: int, old: str, new: str) -> None:
        page = shop_dir / f"app/goods/{number}/0.html"
        text = page.read_text(encoding="utf-8")
        assert old in text
        page.write_text(text.replace(old, new), encoding="utf-8")

    edit(no_name, '<span class="product_title">', '<span class="product_name">')
    edit(no_price, 'class="product_article_price"', 'class="price_gone"')
    (shop_dir / f"app/goods/{broken_html}/0.html").write_text(
        "<html><body><div class='product-img'><img src='/x.png'><span class='product_title'><em>",
        encoding="utf-8",
    )
    (shop_dir / f"app/goods/{gone}/0.html").unlink()
    image = next(i for i in truth["items"] if i["goods_no"] == bad_image)["image"]
    (shop_dir / image.lstrip("/")).write_bytes(b"<html>not a picture</html>")
    (shop_dir / "faults.json").write_text(
        json.dumps(
            {
                f"/app/goods/{slow}/0": {"delay": 3},
                f"/app/codimap/views/{flaky_outfit}": {"status": 503, "times": 1},
                f"/app/codimap/views/{dead_outfit}": {"status": 500},
            }
        ),
        encoding="utf-8",
    )

    summary = crawl(options_for(shop, sqlite_url, tmp_path / "images", page_timeout=1.0, retries=1))

    assert summary.aborted is None
    with session_scope(sqlite_url) as session:
        pages = {p.url.removeprefix(shop.url): p for p in session.scalars(select(CrawlPage))}
    failed = {url: (p.http_status, p.last_error) for url, p in pages.items() if p.state == "failed"}
    assert failed.keys() == {f"/app/goods/{n}/0" for n in (no_name, broken_html, gone, slow)} | {
        f"/app/codimap/views/{dead_outfit}",
        image,
    }
    assert "missing name" in failed[f"/app/goods/{no_name}/0"][1]
    assert "missing" in failed[f"/app/goods/{broken_html}/0"][1]
    assert failed[f"/app/goods/{gone}/0"] == (404, "HTTP 404 for page")
    assert "timeout" in failed[f"/app/goods/{slow}/0"][1]
    assert failed[f"/app/codimap/views/{dead_outfit}"] == (500, "HTTP 500 for page (after 2 attempts)")
    assert "not an image" in failed[image][1]
    assert pages[f"/app/codimap/views/{flaky_outfit}"].state == "done"  # the 503 was retried
    assert pages[f"/app/goods/{no_price}/0"].last_error == "incomplete: missing price"
    assert pages[f"/app/goods/{bad_image}/0"].last_error == "incomplete: missing image file"
    requests = _page_requests(shop)
    assert requests[f"/app/goods/{gone}/0"] == 1  # a 404 is never retried
    assert requests[f"/app/codimap/views/{dead_outfit}"] == 2  # a 500 is, up to the limit
    assert summary.incomplete == 2 and summary.images_failed == 1
    assert len(summary.failures) == 6  # five pages and the image

    lost = {no_name, broken_html, gone, slow} | dead_outfit_items
    assert_matches_truth(
        sqlite_url,
        shop_dir,
        shop.url,
        tmp_path / "images",
        lost_items=frozenset(lost),
        lost_outfits=frozenset({dead_outfit}),
        imageless=frozenset({bad_image}),
        incomplete={no_price: {"price"}},
    )


def test_repeated_failures_stop_the_crawl_clearly(
    shop: ShopServer, shop_dir: Path, sqlite_url: str, tmp_path: Path
) -> None:
    (shop_dir / "faults.json").write_text(
        json.dumps({f"/app/goods/{i['goods_no']}/0": {"status": 502} for i in load(shop_dir)["items"]}),
        encoding="utf-8",
    )

    summary = crawl(options_for(shop, sqlite_url, tmp_path / "images", retries=0, max_failures=3))

    assert summary.aborted is not None and "3 pages in a row failed" in summary.aborted
    assert summary.pages_by_state["failed"] >= 3
    assert summary.pages_by_state["pending"] > 0  # it stopped instead of failing page after page
    assert "STOPPED" in summary.render()


@pytest.fixture()
def webdriver_endpoint() -> Iterator[str]:
    """A standalone chromedriver: it speaks the same W3C WebDriver protocol as a Selenium Grid."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/status", timeout=1).json()["value"]["ready"]:
                break
        except (httpx.HTTPError, ValueError, KeyError):
            time.sleep(0.05)  # polling until chromedriver listens
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_remote_webdriver_drives_the_crawl(shop: ShopServer, shop_dir: Path, sqlite_url: str, tmp_path: Path,
                                           webdriver_endpoint: str) -> None:
    gone = load(shop_dir)["outfits"][0]["items"][0]
    (shop_dir / f"app/goods/{gone}/0.html").unlink()

    summary = crawl(options_for(shop, sqlite_url, tmp_path / "images", remote_url=webdriver_endpoint))

    assert summary.aborted is None and summary.pages_by_state["done"] > 20
    assert summary.failures == [(f"{shop.url}/app/goods/{gone}/0", "HTTP 404 for page")]  # statuses too


def test_three_workers_keep_the_delay_between_requests_to_one_host(
    shop: ShopServer, db_url: str, tmp_path: Path
) -> None:
    """The delay is per host, not per worker: the shop never sees two requests closer than it."""
    delay = 0.4
    summary = crawl(options_for(shop, db_url, tmp_path / "images", workers=3, delay=delay,
                                max_outfits=3, max_items=5))

    assert summary.aborted is None
    stats = httpx.get(f"{shop.url}/__stats", timeout=10).json()
    assert stats["requests"] >= 12  # robots.txt x3, lists, outfits, goods pages and their images
    with session_scope(db_url) as session:
        workers = Counter(session.scalars(select(CrawlPage.claimed_by).where(CrawlPage.kind != "image")))
    assert len(workers) >= 2, workers  # several workers really took part
    assert stats["min_interval_s"] >= delay, sorted(stats["intervals_s"])[:5]
