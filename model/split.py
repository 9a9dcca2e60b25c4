"""Split a data set by outfit id into train and test files for `python -m model.evaluate`.

    python -m model.split --format mango ../shared/datasets/mango --out data/splits/mango
    python -m model.split --format musinsa-snap ../shared/datasets/musinsa_snap/outfits.json \
        --out data/splits/musinsa [--test-share 0.2] [--distractor-share 0.15] [--seed 0]

An outfit goes to test when a seeded hash of its id falls under the test share, so the split is stable
whatever the file order. A further `--distractor-share` of the outfits (the next slice of the same hash)
goes to neither file: their items are written to the test file as *single-item outfits*. They join the
catalogue but form no pairs, so the catalogue holds never-worn items that are not held-out partners, as a
real shop does; without them "seen in no training outfit" would mean "a held-out partner", and a model could
gain from an item being unseen. Mango keeps the whole product file on both sides (the catalogue).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path

from db.importers.mango import OUTFIT_FILE, PRODUCT_FILE

TEST_SHARE = 0.2
DISTRACTOR_SHARE = 0.15  # about 340 MUSINSA outfits (~700 never-worn items), 940 Mango outfits
DISTRACTOR_PREFIX = "distractor-"  # outfit id of a single-item distractor outfit: prefix + item id


def hash_share(outfit_id: str, seed: int) -> float:
    """A seeded hash of the outfit id, uniform in [0, 1)."""
    digest = hashlib.sha256(f"{seed}:{outfit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_test(outfit_id: str, share: float, seed: int) -> bool:
    return hash_share(outfit_id, seed) < share


def part_of(outfit_id: str, share: float, distractor_share: float, seed: int) -> str:
    """'test' below the test share, 'distractor' in the next slice, else 'train'."""
    u = hash_share(outfit_id, seed)
    if u < share:
        return "test"
    return "distractor" if u < share + distractor_share else "train"


def split_musinsa(source: Path, out: Path, share: float, seed: int,
                  distractor_share: float = 0.0) -> dict[str, int]:
    outfits = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(outfits, list):
        raise ValueError(f"{source}: expected a JSON list of outfits")
    parts: dict[str, list] = {"train": [], "test": [], "distractor": []}
    for outfit in outfits:
        parts[part_of(str(outfit.get("outfit_id")), share, distractor_share, seed)].append(outfit)
    singles: dict[str, dict] = {}
    for outfit in parts["distractor"]:
        for item in outfit.get("items") or []:
            key = str(item.get("item_id"))
            if key not in singles:
                single = {k: v for k, v in outfit.items() if k not in ("items", "outfit_id")}
                singles[key] = {**single, "outfit_id": f"{DISTRACTOR_PREFIX}{key}",
                                "items": [{**item, "position": 1}]}
    out.mkdir(parents=True, exist_ok=True)
    for name, part in (("train.json", parts["train"]), ("test.json", parts["test"] + list(singles.values()))):
        (out / name).write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    return {"train": len(parts["train"]), "test": len(parts["test"]),
            "distractor_outfits": len(parts["distractor"]), "distractor_items": len(singles)}


def split_mango(source: Path, out: Path, share: float, seed: int,
                distractor_share: float = 0.0) -> dict[str, int]:
    with (source / OUTFIT_FILE).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = list(reader)
    if "cod_outfit" not in fields or "cod_modelo_color" not in fields:
        raise ValueError(f"{source / OUTFIT_FILE}: needs cod_outfit and cod_modelo_color columns")
    chosen: dict[str, list[dict]] = {"train": [], "test": [], "distractor": []}
    for row in rows:
        chosen[part_of(row["cod_outfit"], share, distractor_share, seed)].append(row)
    singles = {}
    for row in chosen["distractor"]:
        item = row["cod_modelo_color"]
        singles.setdefault(item, {**row, "cod_outfit": f"{DISTRACTOR_PREFIX}{item}"})
    counts = {part: len({r["cod_outfit"] for r in chosen[part]}) for part in chosen}
    chosen["test"] = chosen["test"] + list(singles.values())
    for part in ("train", "test"):
        (out / part).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / PRODUCT_FILE, out / part / PRODUCT_FILE)
        with (out / part / OUTFIT_FILE).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(chosen[part])
    return {"train": counts["train"], "test": counts["test"], "distractor_outfits": counts["distractor"],
            "distractor_items": len(singles)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", required=True, choices=("musinsa-snap", "mango"))
    parser.add_argument("source", type=Path, help="outfits.json (musinsa-snap) or the mango directory")
    parser.add_argument("--out", type=Path, required=True, help="output directory (outside the repository)")
    parser.add_argument("--test-share", type=float, default=TEST_SHARE)
    parser.add_argument("--distractor-share", type=float, default=DISTRACTOR_SHARE,
                        help="share of outfits in neither file whose items join the test file as "
                             "single-item outfits (0 for none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 0 < args.test_share < 1:
        parser.error("--test-share must lie between 0 and 1")
    if not 0 <= args.distractor_share < 1 - args.test_share:
        parser.error("--distractor-share must be at least 0 and leave outfits for training")
    try:
        split = split_musinsa if args.format == "musinsa-snap" else split_mango
        counts = split(args.source, args.out, args.test_share, args.seed, args.distractor_share)
    except (OSError, ValueError, json.JSONDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "musinsa-snap":
        where = f"{args.out / 'train.json'} and {args.out / 'test.json'}"
    else:
        where = f"{args.out / 'train'} and {args.out / 'test'}"
    print(f"{counts['train']} train and {counts['test']} test outfits written to {where}, plus "
          f"{counts['distractor_items']} distractor items (single-item test outfits) from "
          f"{counts['distractor_outfits']} outfits kept out of both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
