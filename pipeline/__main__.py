"""`python -m pipeline refresh [--start-url URL] [--every 6h]`: crawl -> features -> train -> feedback ->
evaluation.

Exit status: 0 done, 2 a step failed, 3 another refresh holds the lock. See docs/pipeline.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from crawler.options import add_discovery_arguments, positive_int
from db.settings import get_settings
from pipeline.interval import parse_interval
from pipeline.steps import EVAL_FORMATS, RefreshConfig


def parser() -> argparse.ArgumentParser:
    settings = get_settings()
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    r = commands.add_parser("refresh", help="run every step once (or --every INTERVAL)")
    r.add_argument("--database-url", default=settings.database_url, help="default: DATABASE_URL")
    r.add_argument("--artifact-dir", type=Path, default=settings.artifact_dir,
                   help="default: ARTIFACT_DIR (the lock file refresh.lock lives here too)")
    when = r.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="one refresh, then exit (the default)")
    when.add_argument("--every", type=parse_interval, metavar="INTERVAL",
                      help="keep refreshing, INTERVAL after each run ends: 90s, 30m, 6h, 1d")
    crawl = r.add_argument_group("crawl (skipped without --start-url)")
    crawl.add_argument("--start-url",
                       help="outfit list URL, e.g. http://127.0.0.1:8600/app/codimap/lists?page=1")
    add_discovery_arguments(crawl)
    crawl.add_argument("--crawl-workers", type=positive_int, default=1, help="browsers in parallel processes")
    crawl.add_argument("--remote-url", help="Selenium Grid URL instead of local Chromium")
    crawl.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host")
    crawl.add_argument("--retry-failed", action="store_true", help="put failed pages back on the stack")
    features = r.add_argument_group("features")
    features.add_argument("--no-images", action="store_true", help="colour from text only, never images")
    features.add_argument("--feature-workers", type=positive_int, default=1, help="image colour processes")
    train = r.add_argument_group("train")
    train.add_argument("--seed", type=int, default=0)
    evaluation = r.add_argument_group("evaluation (skipped without --evaluate-split)")
    evaluation.add_argument("--evaluate-split", type=Path, metavar="DIR",
                            help="a model.split --out directory, e.g. data/splits/mango")
    evaluation.add_argument("--format", choices=EVAL_FORMATS, help="the split's format")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.evaluate_split is not None and args.format is None:
        p.error("--evaluate-split needs --format mango|musinsa-snap")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = RefreshConfig(
        database_url=args.database_url, artifact_dir=args.artifact_dir, start_url=args.start_url,
        max_depth=args.max_depth, max_outfits=args.max_outfits, max_items=args.max_items,
        crawl_workers=args.crawl_workers, remote_url=args.remote_url, delay=args.delay,
        retry_failed=args.retry_failed, images=not args.no_images, feature_workers=args.feature_workers,
        seed=args.seed, evaluate_split=args.evaluate_split, evaluate_format=args.format,
    )
    from pipeline.refresh import refresh

    def out(line: str) -> None:
        print(line, flush=True)

    if args.every is None:
        return refresh(config, out)
    from pipeline.schedule import run_every

    return run_every(args.every, lambda: refresh(config, out), out=out)


if __name__ == "__main__":
    sys.exit(main())
