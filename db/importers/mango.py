"""Reader for the Mango outfit data set: `product_data.csv` plus `outfit_data.csv`."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from db.audience import normalise_gender
from db.importers.records import ItemRecord, OutfitRecord, ParsedSource, Problem

SOURCE = "mango"
PRODUCT_FILE = "product_data.csv"
OUTFIT_FILE = "outfit_data.csv"
COLLECTION_YEAR = re.compile(r"(?:^|/)((?:19|20)\d\d)_[^/]*$")


def _collection_tag(filename: str | None) -> list[str]:
    """The collection an item belongs to: the catalogue year of its photo (`datathon/images/2019_...jpg`)."""
    match = COLLECTION_YEAR.search((filename or "").strip())
    return [f"collection:{match.group(1)}"] if match else []


def _product(row: dict[str, str]) -> ItemRecord:
    item_id = (row.get("cod_modelo_color") or "").strip()
    product_type = (row.get("des_product_type") or "").strip()
    if not item_id:
        raise ValueError("missing cod_modelo_color")
    if not product_type:
        raise ValueError("missing des_product_type")
    fine_colour = (row.get("des_color_specification_esp") or "").strip()
    path = " > ".join(
        part for part in (
            (row.get("des_product_aggregated_family") or "").strip(),
            (row.get("des_product_family") or "").strip(),
            product_type,
        ) if part
    )
    return ItemRecord(
        source=SOURCE,
        source_id=item_id,
        name=f"{product_type} {fine_colour.title()}".strip(),
        brand="MANGO",
        big_class_raw=(row.get("des_product_category") or "").strip() or None,
        subcategory_raw=path,
        color_raw=(row.get("des_agrup_color_eng") or "").strip() or None,
        gender=normalise_gender(row.get("des_sex")),
        tags=[f"{field[4:]}:{row[field].strip()}" for field in ("des_line", "des_fabric", "des_age")
              if (row.get(field) or "").strip()] + _collection_tag(row.get("des_filename")),
    )


def _open_csv(path: Path, parsed: ParsedSource, required: tuple[str, ...]) -> list[dict] | None:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                parsed.problems.append(Problem(str(path), f"missing columns {missing}"))
                return None
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        parsed.problems.append(Problem(str(path), f"unreadable CSV: {error}"))
        return None


def read_mango(directory: Path) -> ParsedSource:
    """Parse the product catalogue and the outfits; bad rows become problems."""
    directory = Path(directory)
    parsed = ParsedSource()
    products = _open_csv(directory / PRODUCT_FILE, parsed, ("cod_modelo_color", "des_product_type"))
    outfit_rows = _open_csv(directory / OUTFIT_FILE, parsed, ("cod_outfit", "cod_modelo_color"))
    if products is None or outfit_rows is None:
        return parsed
    for line, row in enumerate(products, start=2):
        try:
            item = _product(row)
        except ValueError as error:
            parsed.problems.append(Problem(f"{PRODUCT_FILE} line {line}", str(error)))
            continue
        parsed.items[item.key] = item
    members: dict[str, list[tuple[tuple[str, str], int]]] = {}
    for line, row in enumerate(outfit_rows, start=2):
        outfit_id = (row.get("cod_outfit") or "").strip()
        item_key = (SOURCE, (row.get("cod_modelo_color") or "").strip())
        if not outfit_id or not item_key[1]:
            parsed.problems.append(Problem(f"{OUTFIT_FILE} line {line}", "empty id"))
        elif item_key not in parsed.items:
            parsed.problems.append(
                Problem(f"{OUTFIT_FILE} line {line}", f"unknown product {item_key[1]!r}")
            )
        else:
            outfit = members.setdefault(outfit_id, [])
            if all(key != item_key for key, _ in outfit):
                outfit.append((item_key, len(outfit) + 1))
    parsed.outfits = [
        OutfitRecord(source=SOURCE, source_id=outfit_id, members=outfit_members)
        for outfit_id, outfit_members in members.items()
    ]
    return parsed
