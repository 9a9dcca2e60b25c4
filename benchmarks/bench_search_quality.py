"""Search quality: NDCG@10 of `sort=relevance` over a judged set of Korean and English shopper queries.

    .venv/bin/python -m benchmarks.bench_search_quality [--per-query]

The catalogue is the replica shop (600 items, seed 2022, its ground-truth subcategory and colour)
plus, when ../shared/datasets is present, the 410 real MUSINSA snap names of the hand-labelled
sample (tests/data/musinsa_name_labels.csv; indexed with the subcategory the name parser gives, as
the feature pipeline would, but judged by the hand label). Judgements (benchmarks/data/
search_judgements.csv) are rules on those true labels, written per query without looking at any
ranking: grade 2 = what the query asks for (garment type, and colour when it names one), grade 1 =
close (right type in another colour, or a near type). Gain 2^grade - 1; the ideal ranking is every
judged item of the catalogue in grade order.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from backend.services.search_index import CatalogueIndex, ItemFilters
from crawler.demo_shop.generate import generate

ROOT = Path(__file__).resolve().parent.parent
JUDGEMENTS = ROOT / "benchmarks" / "data" / "search_judgements.csv"
LABELS = ROOT / "tests" / "data" / "musinsa_name_labels.csv"
DATASETS = ROOT.parent / "shared" / "datasets"
K = 10


def _row(item_id: int, name: str, brand: str | None, raw: str | None, big: str | None, sub: str | None,
         likes: int | None) -> SimpleNamespace:
    return SimpleNamespace(id=item_id, name=name, brand=brand, subcategory_raw=raw, color_raw=None,
                           big_class=big, subcategory=sub, color_family=None, gender=None, price=None,
                           likes=likes, is_recommendable=True, created_at=datetime(2026, 1, 1))


def catalogue() -> tuple[list[SimpleNamespace], dict[int, tuple[str | None, str | None]]]:
    """Index rows and the true (subcategory, colour) of every item."""
    rows, truth = [], {}
    for item in generate(600, 240, 2022).items:
        rows.append(_row(item.goods_no, item.name, item.brand, item.mid_category, item.big_class,
                         item.subcategory, item.likes))
        truth[item.goods_no] = (item.subcategory, item.color_family)
    if (DATASETS / "musinsa_snap" / "outfits.json").is_file():
        from model.features.name_eval import load_sample
        from model.features.names import parse_name

        for row in load_sample(DATASETS, LABELS):
            item_id = 10_000_000 + int(row.item_id)
            rows.append(_row(item_id, row.name, None, row.big_category, None,
                             parse_name(row.big_category, row.name).subcategory, None))
            truth[item_id] = (row.subcategory, row.color)
    return rows, truth


def _rule(text: str) -> dict[str, set[str]]:
    """'sub=a|b color=x' -> {'sub': {a, b}, 'color': {x}}; empty text -> no rule."""
    return {key: set(values.split("|")) for key, _, values in (part.partition("=") for part in text.split())}


def _grade(rules: list[tuple[int, dict[str, set[str]]]], truth: tuple[str | None, str | None]) -> int:
    subcategory, colour = truth
    return max((grade for grade, rule in rules if rule
                and subcategory in rule.get("sub", {subcategory})
                and colour in rule.get("color", {colour})), default=0)


def ndcg(ranked: list[int], grades: dict[int, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(item, 0) - 1) / math.log2(rank + 2) for rank, item in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / best if best else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-query", action="store_true", help="print NDCG@10 of every query")
    args = parser.parse_args(argv)
    rows, truth = catalogue()
    index = CatalogueIndex(rows)
    with JUDGEMENTS.open(newline="", encoding="utf-8") as handle:
        judged = list(csv.DictReader(handle))
    scores, empty = [], []
    for row in judged:
        rules = [(2, _rule(row["grade2"])), (1, _rule(row["grade1"] or ""))]
        grades = {item: g for item, t in truth.items() if (g := _grade(rules, t))}
        ranked, total = index.search(ItemFilters(q=row["query"]), sort="relevance", page=1, page_size=K)
        score = ndcg(ranked, grades)
        scores.append(score)
        if total == 0:
            empty.append(row["query"])
        if args.per_query:
            print(f"  {row['query']:<16} NDCG@10 {score:.3f}  found {total:4d}  relevant {len(grades)}")
    print(f"catalogue {len(rows)} items, {len(judged)} judged queries")
    print(f"mean NDCG@{K} = {sum(scores) / len(scores):.3f}; queries finding nothing: {len(empty)} "
          f"({', '.join(empty)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
