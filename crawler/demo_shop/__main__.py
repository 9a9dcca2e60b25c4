"""`python -m crawler.demo_shop {build,grow,serve,seed-database}`: the replica shop's command line.

`grow DIR --outfits N` adds N outfits (and new items, each outfit wearing new items with old ones) to a
built shop, listed first on page 1 as MUSINSA lists its newest: what the next `python -m pipeline
refresh` should find. It may run while the shop is served; every page is replaced whole.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from crawler.demo_shop.html import MARKUPS
from crawler.demo_shop.seed import DEFAULT_ITEMS, DEFAULT_OUTFITS, DEFAULT_SEED
from crawler.options import positive_int


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m crawler.demo_shop", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = p.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate the shop into a directory")
    build.add_argument("--out", type=Path, required=True)
    build.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    build.add_argument("--outfits", type=int, default=DEFAULT_OUTFITS)
    build.add_argument("--seed", type=int, default=DEFAULT_SEED)
    build.add_argument("--per-page", type=int, default=30, help="outfits per list page")
    build.add_argument("--markup", choices=MARKUPS, default="2022", help="MUSINSA's 2022 or 2023 page markup")
    grow = commands.add_parser(
        "grow", help="add new outfits and items to a built shop (newest first on list page 1)",
        description="Add new outfits and items to a built shop, in its markup: the new outfits lead list "
        "page 1, each wears a new item with one a crawl already knows, and ground_truth.json grows too.",
    )
    grow.add_argument("directory", type=Path, help="a shop made by `build`")
    grow.add_argument("--outfits", type=positive_int, default=10, help="new outfits (default 10)")
    grow.add_argument("--items", type=positive_int, default=None, help="new items (default: twice --outfits)")
    grow.add_argument("--seed", type=int, default=None, help="default: the shop's own seed; the same seed "
                      "grows copies of one shop alike")
    serve = commands.add_parser("serve", help="serve a built shop on 127.0.0.1 until interrupted")
    serve.add_argument("directory", type=Path, nargs="?", default=None,
                       help="default: DATA_DIR/demo_shop, where seed-database builds it")
    serve.add_argument("--port", type=int, default=8600)
    seed = commands.add_parser(
        "seed-database", help="build (if needed), serve and crawl the shop into the DB"
    )
    seed.add_argument("--dir", type=Path, default=None, help="default: DATA_DIR/demo_shop")
    seed.add_argument("--port", type=int, default=8600)
    seed.add_argument("--items", type=int, default=DEFAULT_ITEMS)
    seed.add_argument("--outfits", type=int, default=DEFAULT_OUTFITS)
    seed.add_argument("--seed", type=int, default=DEFAULT_SEED)
    seed.add_argument("--workers", type=int, default=2)
    seed.add_argument("--markup", choices=MARKUPS, default="2022", help="MUSINSA's 2022 or 2023 page markup")
    seed.add_argument("--no-browser", action="store_true", help="load the ground truth instead of crawling")
    return p


def _default_dir() -> Path:
    """DATA_DIR/demo_shop: `make run` builds the shop there and then serves it from there."""
    from db.settings import get_settings

    return get_settings().data_dir / "demo_shop"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "build":
        from crawler.demo_shop.build import build_shop

        shop = build_shop(args.out, args.items, args.outfits, args.seed, args.per_page, args.markup)
        print(
            f"built {len(shop.items)} items, {len(shop.outfits)} outfits, {shop.list_pages} list pages "
            f"in {args.out} ({args.markup} markup)"
        )
        return 0
    if args.command == "grow":
        from crawler.demo_shop.build import grow_shop

        try:  # NotAShop, or items that cannot form the outfits: both ValueErrors with a plain message
            growth = grow_shop(args.directory, args.outfits, args.items, args.seed)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 1
        shop = growth.shop
        print(f"grew {args.directory} by {len(growth.outfits)} outfits and {len(growth.items)} items "
              f"(now {len(shop.items)} items, {len(shop.outfits)} outfits, {shop.list_pages} list pages; "
              f"newest outfit {growth.outfits[0].codimap_id})")
        return 0
    if args.command == "serve":
        from crawler.demo_shop.build import NotAShop, load_truth
        from crawler.demo_shop.server import ShopServer

        args.directory = args.directory or _default_dir()
        try:
            load_truth(args.directory)
        except NotAShop as error:
            print(error, file=sys.stderr)
            return 1
        server = ShopServer(args.directory, args.port)
        print(f"serving {args.directory} at {server.url}/app/codimap/lists?page=1 (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        return 0
    from crawler.demo_shop.seed import seed_database
    from db.settings import get_settings

    settings = get_settings()
    return seed_database(
        args.dir or _default_dir(),
        args.port,
        settings.database_url,
        settings.image_dir,
        items=args.items,
        outfits=args.outfits,
        seed=args.seed,
        workers=args.workers,
        markup=args.markup,
        use_browser=not args.no_browser,
    )


if __name__ == "__main__":
    sys.exit(main())
