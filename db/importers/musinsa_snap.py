"""Reader for MUSINSA snap outfits exported as JSON (see ../shared/datasets/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from db.importers.records import ItemRecord, OutfitRecord, ParsedSource, Problem

ITEM_SOURCE = "musinsa"
OUTFIT_SOURCE = "musinsa_snap"
HASHTAG = re.compile(r"#([^\s#]+)")


class RecordError(ValueError):
    """A record that breaks the format; the message says what is wrong."""


def _text(value: Any, field: str, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"missing {field}")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"{field} must be text, got {type(value).__name__}")
    return value.strip()


def _int(value: Any, field: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"{field} must be a number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RecordError(f"{field} must be a number, got {value!r}") from None


def _item(raw: Any) -> tuple[ItemRecord, int]:
    if not isinstance(raw, dict):
        raise RecordError("item is not an object")
    item_id = _text(raw.get("item_id"), "item_id", required=True)
    record = ItemRecord(
        source=ITEM_SOURCE,
        source_id=item_id,
        name=_text(raw.get("name"), "name", required=True),
        brand=_text(raw.get("brand"), "brand"),
        big_class_raw=_text(raw.get("category"), "category"),
        price=_int(raw.get("price"), "price"),
        image_url=_text(raw.get("image_url"), "image_url"),
        shop_url=_text(raw.get("purchase_url"), "purchase_url")
        or f"https://www.musinsa.com/app/goods/{item_id}",
    )
    return record, _int(raw.get("position"), "position") or 0


def _outfit(raw: Any) -> tuple[OutfitRecord, list[ItemRecord]]:
    if not isinstance(raw, dict):
        raise RecordError("outfit is not an object")
    outfit_id = _text(raw.get("outfit_id"), "outfit_id", required=True)
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise RecordError("items must be a non-empty list")
    items: list[ItemRecord] = []
    members: list[tuple[tuple[str, str], int]] = []
    for index, raw_item in enumerate(raw_items, start=1):
        try:
            item, position = _item(raw_item)
        except RecordError as error:
            raise RecordError(f"item {index}: {error}") from None
        items.append(item)
        members.append((item.key, position or index))
    description = _text(raw.get("description"), "description")
    outfit = OutfitRecord(
        source=OUTFIT_SOURCE,
        source_id=outfit_id,
        members=members,
        style=_text(raw.get("style"), "style"),
        season=_text(raw.get("season"), "season"),
        gender=_text(raw.get("gender"), "gender"),
        image_url=_text(raw.get("image_url"), "image_url"),
        page_url=_text(raw.get("detail_url"), "detail_url"),
        description=description,
        tags=HASHTAG.findall(description or ""),
    )
    return outfit, items


def read_musinsa_snap(path: Path) -> ParsedSource:
    """Parse the whole file; malformed outfits become problems, the rest loads."""
    parsed = ParsedSource()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        parsed.problems.append(Problem(str(path), f"unreadable JSON: {error}"))
        return parsed
    if not isinstance(data, list):
        parsed.problems.append(Problem(str(path), "expected a JSON list of outfits"))
        return parsed
    for index, raw in enumerate(data):
        try:
            outfit, items = _outfit(raw)
        except RecordError as error:
            parsed.problems.append(Problem(f"outfit #{index}", str(error)))
            continue
        parsed.outfits.append(outfit)
        for item in items:
            parsed.items[item.key] = item
    return parsed
