"""Command line: ``python -m model.features build | parse-names | eval-names``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from db.settings import PROJECT_ROOT


def _build(args: argparse.Namespace) -> int:
    from model.features.pipeline import build_features

    report = build_features(args.database_url, images=not args.no_images, workers=args.workers,
                            use_u2netp=False if args.no_u2netp else None,
                            artifact_dir=Path(args.artifact_dir) if args.artifact_dir else None)
    print(json.dumps(asdict(report), ensure_ascii=False))
    return 0


def _parse_names(_args: argparse.Namespace) -> int:
    """stdin: 'big_category<TAB>name' per line (no tab: the whole line is the name)."""
    from model.features.names import parse_name

    out = sys.stdout
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        category, sep, name = line.partition("\t")
        if not sep:
            category, name = "", line
        parsed = parse_name(category.strip() or None, name)
        out.write(json.dumps({"color": parsed.color, "subcategory": parsed.subcategory}, ensure_ascii=False))
        out.write("\n")
    return 0


def _eval_names(args: argparse.Namespace) -> int:
    from model.features.name_eval import load_sample, score

    datasets = Path(args.datasets)
    if not (datasets / "musinsa_snap" / "outfits.json").is_file():
        print(f"no MUSINSA snap data under {datasets}", file=sys.stderr)
        return 2
    rows = load_sample(datasets)
    for split in ("dev", "heldout", "fallback", "all"):
        chosen = [row for row in rows if split == "all" or row.split == split]
        result = score(chosen)
        print(f"{split:8s} n={result.n:4d} colour precision={result.color_precision:.3f} "
              f"recall={result.color_recall:.3f} subcategory accuracy={result.subcategory_accuracy:.3f} "
              f"coverage={result.subcategory_coverage:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.features", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="fill item features incrementally, recount clusters")
    build.add_argument("--database-url", default=None, help="default: settings DATABASE_URL")
    build.add_argument("--no-images", action="store_true", help="colour from names and sources only")
    build.add_argument("--no-u2netp", action="store_true", help="use the simpler background removal")
    build.add_argument("--workers", type=int, default=1, help="image worker processes (default 1)")
    build.add_argument("--artifact-dir", default=None, help="where cooccurrence.npz goes")
    build.set_defaults(run=_build)
    names = commands.add_parser("parse-names", help="stdin 'big_category<TAB>name' -> JSON lines")
    names.set_defaults(run=_parse_names)
    evaluate = commands.add_parser("eval-names", help="score the parser on the labelled sample")
    evaluate.add_argument("--datasets", default=str(PROJECT_ROOT.parent / "shared" / "datasets"))
    evaluate.set_defaults(run=_eval_names)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
