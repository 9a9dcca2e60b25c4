"""`seed-database`: give `make run` demo data: build the replica shop, serve it, crawl it with Chromium.

Without Chromium/chromedriver the ground truth is loaded directly through the same writer (and the
command says so). Both ways are idempotent: a second run finds the work done and returns quickly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx

from crawler import urls
from crawler.browser import local_browser_available
from crawler.demo_shop import html
from crawler.demo_shop.build import build_shop, is_built, load_truth
from crawler.demo_shop.generate import ShopTruth
from crawler.demo_shop.server import ShopServer
from crawler.images import store_image
from crawler.options import CrawlOptions
from crawler.run import crawl
from db import migrate
from db.engine import session_scope
from db.importers.records import ItemRecord, OutfitRecord
from db.importers.writer import upsert_items, upsert_outfits

DEFAULT_ITEMS, DEFAULT_OUTFITS, DEFAULT_SEED = 600, 240, 2022


def _shop_answers(base_url: str) -> bool:
    """True when a replica shop (e.g. the one `make run` keeps serving) already answers at `base_url`."""
    try:
        response = httpx.get(f"{base_url}/app/codimap/lists?page=1", timeout=5)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and "style-list-item" in response.text


def ensure_shop(
    directory: Path, items: int, outfits: int, seed: int, markup: html.Markup = "2022"
) -> ShopTruth:
    if is_built(directory, items, outfits, seed, markup):
        return load_truth(directory)
    print(f"building the replica shop in {directory} ({items} items, {outfits} outfits, seed {seed}, "
          f"{markup} markup) ...")
    if directory.exists():
        shutil.rmtree(directory)
    return build_shop(directory, items, outfits, seed, markup=markup)


def load_ground_truth(directory: Path, base_url: str, database_url: str, image_dir: Path) -> tuple[int, int]:
    """Store what a full crawl of the shop at `base_url` would store, straight from ground_truth.json."""
    shop = load_truth(directory)
    reachable = {number for outfit in shop.outfits for number in outfit.items}
    records = []
    for item in shop.items:
        if item.goods_no not in reachable:
            continue  # a crawl only reaches items that some outfit shows
        image_path = store_image(image_dir, (directory / item.image.lstrip("/")).read_bytes())
        records.append(
            ItemRecord(
                source=urls.item_source(base_url),
                source_id=str(item.goods_no),
                name=item.name,
                brand=item.brand,
                serial=item.serial,
                big_class_raw=item.big_category,
                subcategory_raw=item.mid_category,
                price=item.price,
                likes=item.likes,
                rating=item.rating,
                gender=item.gender,
                season=item.season,
                view_count=item.views_1m,
                sales_count=item.sales_1y,
                image_url=base_url + item.image,
                image_path=image_path,
                shop_url=base_url + html.goods_path(item.goods_no),
                tags=item.tags,
                attributes=[("season", v) for v in item.seasons_active]
                + [("fit", v) for v in item.fits_active],
                buyer_shares=[("age", b, float(p)) for b, p in item.age_shares.items()]
                + [("gender", b, float(p)) for b, p in item.gender_shares.items()],
            )
        )
    outfits = [
        OutfitRecord(
            source=urls.outfit_source(base_url),
            source_id=str(o.codimap_id),
            members=[
                ((urls.item_source(base_url), str(n)), position)
                for position, n in enumerate(o.items, start=1)
            ],
            style=o.style,
            popularity=o.views,
            image_url=base_url + o.image,
            page_url=base_url + html.outfit_path(o.codimap_id),
            tags=o.tags,
        )
        for o in shop.outfits
    ]
    migrate.upgrade(database_url)
    with session_scope(database_url) as session:
        ids = upsert_items(session, records)
        upsert_outfits(session, outfits, ids)
    return len(records), len(outfits)


def seed_database(
    directory: Path,
    port: int,
    database_url: str,
    image_dir: Path,
    *,
    items: int = DEFAULT_ITEMS,
    outfits: int = DEFAULT_OUTFITS,
    seed: int = DEFAULT_SEED,
    workers: int = 2,
    markup: html.Markup = "2022",
    use_browser: bool = True,
) -> int:
    ensure_shop(directory, items, outfits, seed, markup)
    base_url = f"http://127.0.0.1:{port}"
    if not (use_browser and local_browser_available()):
        why = "Chromium/chromedriver not found" if use_browser else "--no-browser given"
        print(f"{why}: loading the replica shop's ground truth directly, without crawling.")
        stored_items, stored_outfits = load_ground_truth(directory, base_url, database_url, image_dir)
        print(
            f"stored {stored_items} items and {stored_outfits} outfits from {directory / 'ground_truth.json'}"
        )
        return 0
    try:
        server: ShopServer | None = ShopServer(directory, port).start()
    except OSError as error:
        if not _shop_answers(base_url):
            print(f"port {port} is taken by something that is not the replica shop: {error}")
            return 1
        print(f"using the replica shop already served at {base_url}")
        server = None
    try:
        summary = crawl(
            CrawlOptions(
                start_url=urls.list_url(base_url + "/app/codimap/lists", 1),
                database_url=database_url,
                image_dir=image_dir,
                max_depth=50,
                workers=workers,
                delay=0.0,
                page_timeout=20.0,
                retries=2,
                backoff=0.5,
            )
        )
    finally:
        if server is not None:
            server.stop()
    print(summary.render())
    return 2 if summary.aborted else 0
