"""Command line for the database: `python -m db upgrade|downgrade|current|import`."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from db import migrate
from db.importers.runner import READERS, import_source
from db.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m db", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upgrade", help="create or upgrade the schema")
    up.add_argument("revision", nargs="?", default="head")
    down = commands.add_parser("downgrade", help="undo migrations down to a revision")
    down.add_argument("revision", help="target revision, e.g. base or -1")
    commands.add_parser("current", help="print the schema revision")
    imp = commands.add_parser("import", help="load outfit data (upsert, idempotent)")
    imp.add_argument("--format", required=True, choices=sorted(READERS))
    imp.add_argument("path", type=Path, help="musinsa-snap: JSON file; mango: directory")
    imp.add_argument("--batch-size", type=int, default=500)
    imp.add_argument("--no-progress", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    url = args.database_url or get_settings().database_url
    if args.command == "upgrade":
        migrate.upgrade(url, args.revision)
        print(f"schema at {migrate.current_revision(url)}")
    elif args.command == "downgrade":
        migrate.downgrade(url, args.revision)
        print(f"schema at {migrate.current_revision(url)}")
    elif args.command == "current":
        print(migrate.current_revision(url) or "empty (run: python -m db upgrade)")
    elif args.command == "import":
        if not args.path.exists():
            print(f"error: {args.path} does not exist", file=sys.stderr)
            return 2
        migrate.upgrade(url)
        report = import_source(
            args.format, args.path, url, batch_size=args.batch_size, progress=not args.no_progress
        )
        print(f"imported {report.items} items and {report.outfits} outfits "
              f"in {report.seconds:.1f} s; skipped {len(report.problems)} records")
        for problem in report.problems[:50]:
            print(f"  skipped {problem}", file=sys.stderr)
        return 0 if report.ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
