"""`python -m crawler --start URL ...`: crawl outfit lists, outfits and goods pages into the database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.options import CrawlOptions, add_discovery_arguments, positive_int
from crawler.run import crawl
from db.settings import get_settings


def parser() -> argparse.ArgumentParser:
    settings = get_settings()
    p = argparse.ArgumentParser(prog="python -m crawler", description=__doc__)
    p.add_argument(
        "--start",
        required=True,
        help="outfit list URL, e.g. https://www.musinsa.com/app/codimap/lists?page=1",
    )
    add_discovery_arguments(p)
    p.add_argument("--workers", type=positive_int, default=1, help="browsers in parallel processes")
    p.add_argument("--remote-url", help="Selenium Grid URL (webdriver.Remote) instead of local Chromium")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (+-50%%)")
    p.add_argument("--page-timeout", type=float, default=20.0, help="page load timeout in seconds")
    p.add_argument("--retries", type=int, default=3, help="retries on timeouts, 5xx and 429")
    p.add_argument("--backoff", type=float, default=1.0, help="first retry wait in seconds (then doubling)")
    p.add_argument(
        "--max-failures",
        type=positive_int,
        default=10,
        help="stop after this many pages in a row fail after retries",
    )
    p.add_argument("--retry-failed", action="store_true", help="put failed pages back on the stack first")
    p.add_argument("--database-url", default=settings.database_url, help="default: DATABASE_URL")
    p.add_argument("--image-dir", type=Path, default=settings.image_dir, help="default: IMAGE_DIR")
    p.add_argument("--no-progress", action="store_true", help="no live progress bar")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = CrawlOptions(
        start_url=args.start,
        database_url=args.database_url,
        image_dir=args.image_dir,
        max_depth=args.max_depth,
        max_outfits=args.max_outfits,
        max_items=args.max_items,
        workers=args.workers,
        remote_url=args.remote_url,
        delay=args.delay,
        page_timeout=args.page_timeout,
        retries=args.retries,
        backoff=args.backoff,
        max_failures=args.max_failures,
        retry_failed=args.retry_failed,
        progress=not args.no_progress,
    )
    summary = crawl(options)
    print(summary.render())
    return 2 if summary.aborted else 0


if __name__ == "__main__":
    sys.exit(main())
