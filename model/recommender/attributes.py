"""One place that turns raw item fields into (big class, subcategory, colour, cluster key).

It uses the shared feature definitions (`model.features`) so the app and the evaluation agree. Each
piece is optional at import time (the features package grows in parallel); a missing piece falls back
to the raw fields, which keeps the recommender usable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

try:
    from model.features.names import parse_name
except ImportError:  # pragma: no cover - depends on the checkout
    parse_name = None
try:
    from model.features.categories import normalise_category
except ImportError:  # pragma: no cover
    normalise_category = None
try:
    from model.features.vocab import COLOR_FAMILIES
except ImportError:  # pragma: no cover
    COLOR_FAMILIES = ()


@dataclass(frozen=True, slots=True)
class Attributes:
    big_class: str | None
    subcategory: str | None
    color: str | None
    cluster_key: str
    recommendable: bool


def make_cluster_key(big_class: str | None, subcategory: str | None, color: str | None) -> str:
    """'subcategory:colour' (the project's key); without a subcategory the big class stands in."""
    if subcategory:
        return f"{subcategory}:{color or 'unknown'}"
    return f"{big_class or 'none'}_any:{color or 'unknown'}"


def raw_attributes(source: str, big_class_raw: str | None, subcategory_raw: str | None,
                   color_raw: str | None, name: str) -> Attributes:
    """Normalised attributes of one item from its raw fields (as `python -m model.features build` would)."""
    big, sub, recommendable = big_class_raw, None, True
    if normalise_category is not None:
        category = normalise_category(source, big_class_raw, subcategory_raw, name)
        big = category.big_class or big_class_raw
        sub, recommendable = category.subcategory, category.recommendable
    color = None
    if parse_name is not None:
        parsed = parse_name(big_class_raw, name)
        color = parsed.color
        sub = sub or parsed.subcategory
    raw_color = (color_raw or "").strip().lower()
    if color is None and raw_color in COLOR_FAMILIES:
        color = raw_color
    if sub is None and subcategory_raw:  # e.g. Mango's 'Trousers & leggings > Trousers > Trousers'
        sub = subcategory_raw.split(" > ")[-1].strip().lower()
    if color is None and raw_color:
        color = raw_color
    return Attributes(big, sub, color, make_cluster_key(big, sub, color), bool(recommendable))
