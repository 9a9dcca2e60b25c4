"""All text features of one item in one call: what the pipeline stores, for code that needs them live.

The recommender and the evaluation can call :func:`describe_item` on raw fields and get exactly the
big class, subcategory, colour and cluster key that ``python -m model.features build`` would write
(except a colour read from the image, which needs the picture).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.features.categories import normalise_category
from model.features.clusters import cluster_key
from model.features.mango import mango_colour
from model.features.names import parse_color, parse_name


@dataclass(frozen=True)
class ItemFeatures:
    """Normalised features of one item; colour_source is 'source', 'name' or None."""

    big_class: str | None
    subcategory: str | None
    recommendable: bool
    color_family: str | None
    color_source: str | None
    cluster_key: str | None
    notes: tuple[str, ...] = field(default=())


def describe_item(source: str | None, big_class_raw: str | None, subcategory_raw: str | None,
                  color_raw: str | None, name: str | None) -> ItemFeatures:
    """Category and colour from the source's fields and the name (source colour > name colour)."""
    category = normalise_category(source, big_class_raw, subcategory_raw, name)
    notes: list[str] = []
    color: str | None = None
    color_source: str | None = None
    if source == "mango":
        color, _how = mango_colour(name, subcategory_raw, color_raw)
    elif color_raw:
        color, _reason = parse_color(color_raw)
    if color is not None:
        color_source = "source"
    else:
        parsed = parse_name(big_class_raw, name)
        color, color_source = parsed.color, ("name" if parsed.color else None)
        if parsed.color is None and parsed.reason:
            notes.append(parsed.reason)
    if not category.recommendable:
        notes.insert(0, "not a recommendable category")
    key = cluster_key(category.subcategory, color) if category.subcategory else None
    return ItemFeatures(category.big_class, category.subcategory, category.recommendable, color,
                        color_source, key, tuple(notes))
