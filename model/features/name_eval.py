"""Scores the name parser against the hand-labelled MUSINSA snap sample (ids + labels in tests/data).

Splits: `dev` (tuned on), `heldout` (never tuned on) and `fallback` (names where the parser once fell
back to a class default, e.g. seller abbreviations such as LS, LONG SLV, MTM, SK).

The names themselves stay in ../shared/datasets and are joined at run time, so no third-party text
is committed.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from model.features.names import parse_name
from model.features.vocab import OTHER_SUBCATEGORY

LABELS_CSV = Path(__file__).resolve().parents[2] / "tests" / "data" / "musinsa_name_labels.csv"


@dataclass(frozen=True)
class LabelledName:
    item_id: str
    big_category: str
    name: str
    color: str | None
    subcategory: str
    split: str


@dataclass(frozen=True)
class NameScores:
    n: int
    color_precision: float
    color_recall: float
    subcategory_accuracy: float
    subcategory_coverage: float  # share of names given a subcategory finer than the class default
    color_errors: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    subcategory_errors: list[tuple[str, str, str | None]] = field(default_factory=list)


def load_sample(datasets_dir: Path, labels_csv: Path = LABELS_CSV) -> list[LabelledName]:
    """Join the committed labels with the names from musinsa_snap/outfits.json."""
    path = Path(datasets_dir) / "musinsa_snap" / "outfits.json"
    outfits = json.loads(path.read_text(encoding="utf-8"))
    names = {str(item["item_id"]): (item.get("category") or "", item.get("name") or "")
             for outfit in outfits for item in outfit.get("items", [])}
    rows = []
    with labels_csv.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            category, name = names[row["item_id"]]
            rows.append(LabelledName(row["item_id"], category, name, row["color"] or None,
                                     row["subcategory"], row["split"]))
    return rows


def score(rows: list[LabelledName]) -> NameScores:
    """Colour precision (names given a colour), recall (names stating one), subcategory accuracy."""
    predicted = correct = stated = sub_correct = specific = 0
    defaults = set(OTHER_SUBCATEGORY.values())
    color_errors, sub_errors = [], []
    for row in rows:
        parsed = parse_name(row.big_category, row.name)
        predicted += parsed.color is not None
        stated += row.color is not None
        correct += parsed.color is not None and parsed.color == row.color
        if parsed.color != row.color:
            color_errors.append((row.name, row.color, parsed.color))
        specific += parsed.subcategory is not None and parsed.subcategory not in defaults
        if parsed.subcategory == row.subcategory:
            sub_correct += 1
        else:
            sub_errors.append((row.name, row.subcategory, parsed.subcategory))
    return NameScores(
        n=len(rows), color_precision=correct / predicted if predicted else 1.0,
        color_recall=correct / stated if stated else 1.0,
        subcategory_accuracy=sub_correct / len(rows) if rows else 1.0,
        subcategory_coverage=specific / len(rows) if rows else 1.0,
        color_errors=color_errors, subcategory_errors=sub_errors,
    )
