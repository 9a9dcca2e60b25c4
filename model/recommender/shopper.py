"""What a shopper is never shown: the per-item arrays behind `Recommender.recommend`'s three rules.

1. **Audience.** A men-only garment never gets a women-only match, or the reverse; unisex and unknown
   fit everyone (`GENDER_CODES`, from `item.gender`, see db/audience.py).
2. **Floor.** No match whose calibrated probability is no better than a random item of its big class
   (`default_floor`).
3. **Look-alikes.** One list shows one card per product: items with the same brand and the same name
   once colour words are removed, or of one variant group (Mango `41085800-02` / `-05`), share a
   `lookalike` key (`lookalike_keys`).

The arrays are written into the artifact at training time (`shopper_arrays`) so serving needs no
database; they are torch-free like the rest of serving.
"""

from __future__ import annotations

import numpy as np

from db.audience import FEMALE, MALE, UNISEX, normalise_gender
from model.features.names import normalise_text, without_colour_words

GENDER_CODES: dict[str | None, int] = {None: 0, MALE: 1, FEMALE: 2, UNISEX: 3}
UNKNOWN_GENDER = 0
# The balanced Platt fit (each real partner weighs as much as its random same-class items together,
# model.ClosetModel._fit_blends) makes the prior odds 1, so the calibrated odds are the likelihood ratio
# "real partner vs random item of its big class"; a match no better than random has ratio 1: p = 0.5.
BALANCED_RANDOM_PROBABILITY = 0.5


def gender_codes(genders: list[str | None]) -> np.ndarray:
    """int8 codes per item: 0 unknown, 1 male, 2 female, 3 unisex."""
    return np.asarray([GENDER_CODES[normalise_gender(g)] for g in genders], dtype=np.int8)


def clashing_gender(query_code: int) -> int | None:
    """The gender code a query's matches must not have (men-only <-> women-only), None when any fits."""
    male, female = GENDER_CODES[MALE], GENDER_CODES[FEMALE]
    return {male: female, female: male}.get(query_code)


def product_stem(brand: str | None, name: str | None, color: str | None) -> str:
    """Brand plus the name without colour words; a name that is only colour words keeps name and colour."""
    stem = without_colour_words(name)
    if not stem:
        stem = f"{normalise_text(name)}|{color or ''}"
    return f"{normalise_text(brand)}|{stem}"


def lookalike_keys(brands: list[str | None], names: list[str], colors: list[str | None],
                   groups: np.ndarray) -> np.ndarray:
    """int64 key per item; two items share it when a shopper would see the same product twice.

    Items are joined when they share a product stem (`product_stem`) or a variant group, transitively
    (union-find), so every colour of a Mango product and every colour-named MUSINSA variant is one key.
    """
    n = len(names)
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    first: dict[tuple[str, object], int] = {}
    for i in range(n):
        for key in (("stem", product_stem(brands[i], names[i], colors[i])), ("group", int(groups[i]))):
            j = first.setdefault(key, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return np.asarray([root(i) for i in range(n)], dtype=np.int64)


def shopper_arrays(catalogue) -> dict[str, np.ndarray]:  # noqa: ANN001 (data.Catalogue; no import cycle)
    """The arrays `save_artifact` stores for the rules: `gender` and `lookalike`, by catalogue index."""
    return {"gender": gender_codes(catalogue.gender),
            "lookalike": lookalike_keys(catalogue.brand, catalogue.name, catalogue.color, catalogue.group)}


def default_floor(meta: dict) -> float:
    """The probability a random item of the candidate's big class gets: the artifact's measured value
    (`meta["random_probability"]`, written by training) when present, else the balanced prior 0.5."""
    value = meta.get("random_probability")
    return float(value) if value is not None else BALANCED_RANDOM_PROBABILITY


def first_of_each_product(order: np.ndarray, keys: np.ndarray, k: int,
                          seen: set[int] | None = None) -> np.ndarray:
    """The first `k` items of `order` (best first) whose look-alike key was not taken by a better one."""
    taken = set(seen or ())
    chosen = []
    for j, key in zip(order.tolist(), keys[order].tolist(), strict=True):
        if key not in taken:
            taken.add(key)
            chosen.append(j)
            if len(chosen) == k:
                break
    return np.asarray(chosen, dtype=np.int64)
