"""Crawl throughput: pages/s with 1 and 2 workers (real headless Chromium) on a served replica shop.

    .venv/bin/python benchmarks/bench_crawler.py [--items 600] [--outfits 300] [--workers 1 2] [--mariadb]

Each run crawls the whole shop into a fresh database (SQLite, or a real MariaDB with --mariadb) with
no politeness delay, and prints pages, seconds, pages/s and the speed-up over one worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from sqlalchemy import distinct, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.browser import local_browser_available  # noqa: E402
from crawler.demo_shop.build import build_shop  # noqa: E402
from crawler.demo_shop.server import ShopServer  # noqa: E402
from crawler.options import CrawlOptions  # noqa: E402
from crawler.run import crawl  # noqa: E402
from db.engine import get_engine, session_scope  # noqa: E402
from db.models import CrawlPage  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=600)
    parser.add_argument("--outfits", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--mariadb", action="store_true", help="crawl into a real MariaDB instead of SQLite")
    args = parser.parse_args()
    if not local_browser_available():
        print("Chromium/chromedriver are not installed: nothing to measure", file=sys.stderr)
        return 1
    server_db = None
    if args.mariadb:
        from db.mariadb_server import MariaDBServer

        server_db = MariaDBServer()
        server_db.start()
    with tempfile.TemporaryDirectory(prefix="bench-crawler-") as scratch:
        root = Path(scratch)
        shop = build_shop(root / "shop", args.items, args.outfits, args.seed)
        server = ShopServer(root / "shop").start()
        print(f"replica: {len(shop.items)} items, {len(shop.outfits)} outfits, {shop.list_pages} list pages; "
              f"database: {'MariaDB' if server_db else 'SQLite'}")
        rates: dict[int, float] = {}
        steady_rates: dict[int, float] = {}
        try:
            for workers in args.workers:
                url = server_db.create_database() if server_db else f"sqlite:///{root / f'w{workers}.db'}"
                summary = crawl(CrawlOptions(
                    start_url=f"{server.url}/app/codimap/lists?page=1", database_url=url,
                    image_dir=root / f"images-{workers}", max_depth=50, workers=workers, delay=0.0,
                    page_timeout=20.0, retries=2, backoff=0.5, progress=False,
                ))
                with session_scope(url) as session:
                    pages = select(CrawlPage).where(CrawlPage.kind != "image").subquery()
                    browsers, first, last, count = session.execute(select(
                        func.count(distinct(pages.c.claimed_by)), func.min(pages.c.fetched_at),
                        func.max(pages.c.fetched_at), func.count())).one()
                steady = (count - 1) / max(1e-6, (last - first).total_seconds())
                steady_rates[workers] = steady
                get_engine(url).dispose()
                rates[workers] = summary.pages_per_second
                print(f"workers={workers}: {summary.fetched_this_run} pages in {summary.seconds:.1f} s = "
                      f"{summary.pages_per_second:.2f} pages/s (items {summary.items}, "
                      f"outfits {summary.outfits}, "
                      f"failed {summary.pages_by_state.get('failed', 0)}; {browsers} browsers took pages; "
                      f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; includes start-up)")
                print(f"  steady state (first to last page fetched, no start-up): {steady:.2f} pages/s")
        finally:
            server.stop()
            if server_db:
                server_db.stop()
    if 1 in rates:
        for workers, rate in rates.items():
            if workers != 1:
                print(f"speed-up {workers} workers / 1 worker: {rate / rates[1]:.2f}x overall, "
                      f"{steady_rates[workers] / steady_rates[1]:.2f}x steady state")
    return 0


if __name__ == "__main__":
    sys.exit(main())
