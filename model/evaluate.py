"""Evaluate every method on held-out outfits.

    python -m model.evaluate --format mango --train data/splits/mango/train --test data/splits/mango/test \
        [--k 10] [--seed 0] [--json OUT]

Each method is trained on the train file only. The table is printed, written to --json OUT when given,
and always saved to `settings.artifact_dir / "evaluation.json"` (per format) for the insights page.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from db.settings import get_settings
from model.evaluation.corpus import FORMATS, load_corpus_or_report
from model.evaluation.protocol import evaluate
from model.recommender.lightgcn import LightGCNConfig
from model.recommender.methods import all_methods
from model.recommender.model import ClosetConfig

EVALUATION_FILE = "evaluation.json"


def format_table(table: dict[str, dict], k: int) -> str:
    columns = [f"hit@{k}", f"ndcg@{k}", "mrr", "fitb4", "pairs"]
    width = max([14] + [len(m) + 1 for m in table])
    lines = [f"{'method':<{width}}" + "".join(f"{c:>10}" for c in columns) + f"{'ece':>8}"]
    for method, row in table.items():
        cells = "".join(f"{row[c]:>10.4f}" if c != "pairs" else f"{row[c]:>10d}" for c in columns)
        ece = f"{row['ece']:>8.4f}" if "ece" in row else f"{'':>8}"
        lines.append(f"{method:<{width}}{cells}{ece}{format_outfit_cells(row)}")
    lines[0] += "".join(f"{c:>14}" for c in OUTFIT_COLUMNS)
    return "\n".join(lines)


OUTFIT_COLUMNS = ("fitb4_outfit", "compat_auc")


def format_outfit_cells(row: dict) -> str:
    """Outfit-level metrics (model/evaluation/outfits.py), blank for a method that cannot score outfits."""
    return "".join(f"{row[c]:>14.4f}" if c in row else f"{'':>14}" for c in OUTFIT_COLUMNS)


def format_group_table(by_group: dict[str, dict], k: int) -> str:
    """HitRate@k per pair group (columns) and method (rows), headed by each group's share of the pairs."""
    shares = by_group["shares"]
    names = list(shares)
    width = max(len(n) for n in names) + 2
    lines = [f"HitRate@{k} by pair group (what the training outfits knew of the pair)",
             f"{'':<24}" + "".join(f"{n:>{width}}" for n in names),
             f"{'share':<24}" + "".join(f"{shares[n]:>{width}.4f}" for n in names)]
    for method, hits in by_group[f"hit@{k}"].items():
        cells = "".join(f"{hits[n]:>{width}.4f}" if hits[n] is not None else f"{'-':>{width}}" for n in names)
        lines.append(f"{method:<24}{cells}")
    return "\n".join(lines)


def save_for_insights(fmt: str, table: dict, details: dict, artifact_dir: Path) -> Path:
    """Merge this format's table into artifact_dir/evaluation.json (one entry per format)."""
    artifact_dir.mkdir(parents=True, exist_ok=True)
    path = artifact_dir / EVALUATION_FILE
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        current = {}
    current[fmt] = {"methods": table, **details}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the recommenders on held-out outfits.")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--train", required=True, type=Path)
    parser.add_argument("--test", required=True, type=Path)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", nargs="?", type=Path, default=None, const=None,
                        help="also write the table to OUT (artifact_dir/evaluation.json is always written)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.k < 1:
        parser.error("--k must be at least 1")
    started = time.perf_counter()
    if (corpus := load_corpus_or_report(args.format, args.train, args.test)) is None:
        return 2
    config = ClosetConfig(gcn=LightGCNConfig(seed=args.seed, progress=not args.no_progress), seed=args.seed)
    methods = all_methods(config)
    by_group: dict[str, dict] = {}
    table = evaluate(methods, corpus, k=args.k, seed=args.seed, by_group=by_group)
    report = next(m for m in methods if m.name == "closet").model.report
    print(format_table(table, args.k))
    print(format_group_table(by_group, args.k))
    if "calibration" in report:
        print(f"calibration (held-out training pairs): ECE {report['calibration']['ece']:.4f} "
              f"on {report['calibration']['pairs']} pairs")
    details = {"k": args.k, "seed": args.seed, "train": str(args.train), "test": str(args.test),
               "items": len(corpus.category), "train_outfits": len(corpus.training.outfits),
               "test_outfits": len(corpus.test_outfits), "pair_groups": by_group, "model": report,
               "seconds": round(time.perf_counter() - started, 1),
               "created_at": datetime.now(UTC).isoformat(timespec="seconds")}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(table, indent=2), encoding="utf-8")
    path = save_for_insights(args.format, table, details, get_settings().artifact_dir)
    print(f"saved to {path}" + (f" and {args.json}" if args.json else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
