"""The training set every method sees: a catalogue of items plus outfits as lists of item indices.

Both the app (items from the database) and the evaluation (items from the data set files) build one,
so every method is trained and scored on exactly the same representation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from db.audience import normalise_gender
from model.recommender.attributes import subcategory_codes
from model.recommender.features import AUDIENCE


@dataclass
class Catalogue:
    """Items by index 0..n-1. `item_ids` are the external ids (database item.id, or the source id)."""

    item_ids: np.ndarray  # int64 (database) or object (source ids in the evaluation)
    big_class: np.ndarray  # object: the class used for exclusion and negatives ('' when unknown)
    cluster: np.ndarray  # int64 index into cluster_keys
    cluster_keys: list[str]
    subcategory: list[str | None]
    color: list[str | None]
    name: list[str]
    brand: list[str | None]
    recommendable: np.ndarray = field(default=None)  # bool; None means all
    group: np.ndarray = field(default=None)  # int64 variant group (same product, other colour); None: own
    # int64 garment type without colour (Mango: product type + fabric); None: the item's cluster
    garment_type: np.ndarray = field(default=None)
    audience: np.ndarray = field(default=None)  # int64 [n, len(AUDIENCE)] codes, -1 unknown; None: unknown
    gender: list[str | None] = field(default=None)  # male / female / unisex / None (db.audience)

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        if self.recommendable is None:
            self.recommendable = np.ones(n, dtype=bool)
        if self.group is None:
            self.group = np.arange(n, dtype=np.int64)
        if self.garment_type is None:
            self.garment_type = np.asarray(self.cluster, dtype=np.int64).copy()
        if self.audience is None:
            self.audience = np.full((n, len(AUDIENCE)), -1, dtype=np.int64)
        if self.gender is None:
            self.gender = [None] * n
        lengths = {len(self.big_class), len(self.cluster), len(self.subcategory), len(self.color),
                   len(self.name), len(self.brand), len(self.recommendable), len(self.group),
                   len(self.garment_type), len(self.audience), len(self.gender)}
        if lengths != {n}:
            raise ValueError(f"catalogue columns differ in length: {sorted(lengths)} vs {n} ids")

    def __len__(self) -> int:
        return len(self.item_ids)

    @property
    def n_clusters(self) -> int:
        return len(self.cluster_keys)

    @cached_property
    def cluster_subcategory(self) -> np.ndarray:
        """Each cluster's subcategory code (`attributes.subcategory_codes`)."""
        return subcategory_codes(self.cluster_keys)[1]

    @property
    def n_subcategories(self) -> int:
        return int(self.cluster_subcategory.max()) + 1 if len(self.cluster_subcategory) else 0

    @property
    def item_subcategory(self) -> np.ndarray:
        return self.cluster_subcategory[np.asarray(self.cluster, dtype=np.int64)]

    @property
    def n_types(self) -> int:
        return int(self.garment_type.max()) + 1 if len(self.garment_type) else 0


@dataclass
class TrainingSet:
    """A catalogue and the outfits to learn from (each a list of distinct item indices)."""

    catalogue: Catalogue
    outfits: list[list[int]]

    def snapshot_id(self) -> str:
        """A short hash of items, classes, clusters, genders and outfits: the data an artifact learnt."""
        digest = hashlib.sha256()
        cat = self.catalogue
        for values in (cat.item_ids, cat.big_class, cat.cluster):
            digest.update("\x1f".join(map(str, values.tolist())).encode())
        digest.update("\x1f".join(cat.cluster_keys).encode())
        digest.update("\x1f".join(g or "" for g in cat.gender).encode())  # the audience rule reads it
        for outfit in self.outfits:
            digest.update((",".join(map(str, sorted(outfit))) + ";").encode())
        return digest.hexdigest()[:16]


def training_pairs(outfits: list[list[int]], big_class: np.ndarray) -> np.ndarray:
    """Ordered (query, partner) pairs of distinct items with different big classes, [P, 2].

    The one pair definition: training (LightGCN, the blend) and the evaluation's held-out pairs.
    """
    pairs = [(q, t) for outfit in outfits for q in outfit for t in outfit
             if q != t and big_class[q] != big_class[t]]
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2)


def build_catalogue(rows: list[dict], *, id_key: str = "id") -> Catalogue:
    """Catalogue from dicts: id, big_class, cluster_key, subcategory, color, name, brand, recommendable,
    and optionally group, garment_type and the audience fields (gender, line, age; missing = unknown)."""
    keys: dict[str, int] = {}
    groups: dict[str, int] = {}
    types: dict[str, int] = {}
    audience_codes: list[dict[str, int]] = [{} for _ in AUDIENCE]
    cluster = np.empty(len(rows), dtype=np.int64)
    group = np.empty(len(rows), dtype=np.int64)
    garment_type = np.empty(len(rows), dtype=np.int64)
    audience = np.full((len(rows), len(AUDIENCE)), -1, dtype=np.int64)
    for index, row in enumerate(rows):
        cluster[index] = keys.setdefault(row["cluster_key"], len(keys))
        group[index] = groups.setdefault(str(row.get("group") or f"item:{row[id_key]}"), len(groups))
        garment_type[index] = types.setdefault(row.get("garment_type") or f"cluster:{row['cluster_key']}",
                                               len(types))
        for f, name in enumerate(AUDIENCE):
            value = (row.get(name) or "").strip().lower()
            if value and value != "unisex":  # unisex goes with anyone: neutral, like unknown
                audience[index, f] = audience_codes[f].setdefault(value, len(audience_codes[f]))
    ids = [row[id_key] for row in rows]
    return Catalogue(
        item_ids=np.asarray(ids, dtype=np.int64 if all(isinstance(i, int) for i in ids) else object),
        big_class=np.asarray([row["big_class"] or "" for row in rows], dtype=object),
        cluster=cluster,
        cluster_keys=list(keys),
        subcategory=[row.get("subcategory") for row in rows],
        color=[row.get("color") for row in rows],
        name=[row.get("name") or "" for row in rows],
        brand=[row.get("brand") for row in rows],
        recommendable=np.asarray([bool(row.get("recommendable", True)) for row in rows], dtype=bool),
        group=group,
        garment_type=garment_type,
        audience=audience,
        gender=[normalise_gender(row.get("gender")) for row in rows],
    )
