"""One place that turns raw item fields into (big class, subcategory, colour, cluster key).

It uses the shared feature definition (`model.features.describe.describe_item`) so the app and the
evaluation agree; what it leaves unknown (a subcategory outside the vocabulary) falls back to the raw fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.features.describe import describe_item


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


def cluster_subcategory(key: str) -> str:
    """A cluster key's subcategory part ('{big class}_any' for a garment that had none)."""
    return key.partition(":")[0]


def subcategory_codes(cluster_keys: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The clusters' subcategories (sorted names) and each cluster's index into them, so training and
    serving number them alike from the cluster keys alone."""
    parts = [cluster_subcategory(key) for key in cluster_keys]
    names = sorted(set(parts))
    where = {name: i for i, name in enumerate(names)}
    return names, np.asarray([where[part] for part in parts], dtype=np.int64)


def raw_attributes(source: str, big_class_raw: str | None, subcategory_raw: str | None,
                   color_raw: str | None, name: str) -> Attributes:
    """Normalised attributes of one item from its raw fields (as `python -m model.features build` would).

    Items outside the vocabulary (accessories, dresses without a subcategory) keep a cluster of their own
    raw type, so they still connect to outfits in the graph.
    """
    features = describe_item(source, big_class_raw, subcategory_raw, color_raw, name)
    big = features.big_class or big_class_raw
    sub, color, key = features.subcategory, features.color_family, features.cluster_key
    if color is None and color_raw:
        color = color_raw.strip().lower() or None
    if key is None:
        raw_sub = sub or ((subcategory_raw or "").split(" > ")[-1].strip().lower() or None)
        key = make_cluster_key(big, raw_sub, color)
    return Attributes(big, sub, color, key, bool(features.recommendable))


def variant_group(source: str, source_id: str) -> str:
    """Items that are one product in several colours share a group (Mango: '41085800' of '41085800-02')."""
    if source == "mango" and "-" in source_id:
        return f"mango:{source_id.rsplit('-', 1)[0]}"
    return f"{source}:{source_id}"


def garment_profile(subcategory_raw: str | None, gender: str | None, tags: list[str] | None) -> dict:
    """Garment type (raw product type plus fabric, no colour) and audience fields of one item.

    These are catalogue attributes a shop shows (Mango: des_product_type, des_fabric, des_sex, des_line,
    des_age and the collection year of the catalogue photo, imported as gender and `line:`/`fabric:`/
    `age:`/`collection:` tags); never ids. Missing fields stay None
    (neutral in the audience agreement; the type then falls back to the item's cluster).
    """
    tagged = {}
    for tag in tags or ():
        key, sep, value = tag.partition(":")
        if sep and key in ("line", "fabric", "age", "collection") and value.strip():
            tagged.setdefault(key, value.strip())
    kind = (subcategory_raw or "").strip().lower()
    garment_type = f"{kind}|{tagged.get('fabric', '').lower()}" if kind else None
    return {"garment_type": garment_type, "gender": gender, "line": tagged.get("line"),
            "age": tagged.get("age"), "collection": tagged.get("collection")}
