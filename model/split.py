"""Split a data set by outfit id into train and test files for `python -m model.evaluate`.

    python -m model.split --format mango ../shared/datasets/mango --out data/splits/mango
    python -m model.split --format musinsa-snap ../shared/datasets/musinsa_snap/outfits.json \
        --out data/splits/musinsa

An outfit goes to test when a seeded hash of its id falls under the test share, so the split is stable
whatever the file order. Mango keeps the whole product file on both sides (the catalogue).
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


def is_test(outfit_id: str, share: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}:{outfit_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def split_musinsa(source: Path, out: Path, share: float, seed: int) -> tuple[int, int]:
    outfits = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(outfits, list):
        raise ValueError(f"{source}: expected a JSON list of outfits")
    test = [o for o in outfits if is_test(str(o.get("outfit_id")), share, seed)]
    train = [o for o in outfits if not is_test(str(o.get("outfit_id")), share, seed)]
    out.mkdir(parents=True, exist_ok=True)
    for name, part in (("train.json", train), ("test.json", test)):
        (out / name).write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    return len(train), len(test)


def split_mango(source: Path, out: Path, share: float, seed: int) -> tuple[int, int]:
    with (source / OUTFIT_FILE).open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = list(reader)
    if "cod_outfit" not in fields:
        raise ValueError(f"{source / OUTFIT_FILE}: no cod_outfit column")
    counts = {}
    for part in ("train", "test"):
        (out / part).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / PRODUCT_FILE, out / part / PRODUCT_FILE)
        chosen = [r for r in rows if is_test(r["cod_outfit"], share, seed) == (part == "test")]
        with (out / part / OUTFIT_FILE).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(chosen)
        counts[part] = len({r["cod_outfit"] for r in chosen})
    return counts["train"], counts["test"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", required=True, choices=("musinsa-snap", "mango"))
    parser.add_argument("source", type=Path, help="outfits.json (musinsa-snap) or the mango directory")
    parser.add_argument("--out", type=Path, required=True, help="output directory (outside the repository)")
    parser.add_argument("--test-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 0 < args.test_share < 1:
        parser.error("--test-share must lie between 0 and 1")
    try:
        split = split_musinsa if args.format == "musinsa-snap" else split_mango
        n_train, n_test = split(args.source, args.out, args.test_share, args.seed)
    except (OSError, ValueError, json.JSONDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.format == "musinsa-snap":
        where = f"{args.out / 'train.json'} and {args.out / 'test.json'}"
    else:
        where = f"{args.out / 'train'} and {args.out / 'test'}"
    print(f"{n_train} train and {n_test} test outfits written to {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
