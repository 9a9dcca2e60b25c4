"""Cluster keys 'subcategory:colour': the same garment type in the same colour family.

A key depends only on the item's own (subcategory, colour), never on which items came first, so it
is identical across runs and insertion orders. Cluster indices for matrices are the keys in sorted
order, again independent of insertion order.
"""

from __future__ import annotations

from collections.abc import Iterable

from model.features.vocab import ALL_SUBCATEGORIES, COLOR_FAMILIES, UNKNOWN_COLOR, big_class_of


def cluster_key(subcategory: str, color: str | None) -> str:
    """'slacks:navy', or 'slacks:unknown' when the colour is not known."""
    if subcategory not in ALL_SUBCATEGORIES:
        raise ValueError(f"unknown subcategory {subcategory!r}")
    if color is not None and color != UNKNOWN_COLOR and color not in COLOR_FAMILIES:
        raise ValueError(f"unknown colour family {color!r}")
    return f"{subcategory}:{color or UNKNOWN_COLOR}"


def parse_cluster_key(key: str) -> tuple[str, str, str]:
    """(big_class, subcategory, colour) of a key; ValueError for a malformed one."""
    subcategory, sep, color = key.partition(":")
    if not sep or cluster_key(subcategory, color) != key:
        raise ValueError(f"not a cluster key: {key!r}")
    big = big_class_of(subcategory)
    assert big is not None
    return big, subcategory, color


def cluster_index(keys: Iterable[str]) -> dict[str, int]:
    """Stable 0-based indices for a set of keys (sorted order, duplicates ignored)."""
    return {key: index for index, key in enumerate(sorted(set(keys)))}
