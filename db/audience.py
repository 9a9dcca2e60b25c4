"""Who an item is for: one normalised gender per item (`male`, `female`, `unisex`, or None = unknown).

Shops state it in their own words (MUSINSA goods pages `남` / `여` / `남 여`, Mango `des_sex`
`Female` / `Male` / `Unisex`, MUSINSA snap outfits `MALE` / `FEMALE`); every writer stores it through
`normalise_gender`, so the recommender's rule "never a women-only item for a men-only garment" reads
one vocabulary. Evidence combines by union: an item seen with both genders is unisex.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable

MALE, FEMALE, UNISEX = "male", "female", "unisex"
GENDERS: tuple[str, ...] = (MALE, FEMALE, UNISEX)

_WORDS: dict[str, str] = {
    **dict.fromkeys(("male", "man", "men", "mens", "m", "he", "남", "남성", "남자", "맨즈"), MALE),
    **dict.fromkeys(("female", "woman", "women", "womens", "w", "f", "she", "여", "여성", "여자", "우먼즈"),
                    FEMALE),
    **dict.fromkeys(("unisex", "both", "공용", "남녀공용", "남여공용", "남녀", "남여"), UNISEX),
}
_SPLIT = re.compile(r"[\s,/|&+·]+")


def combine_genders(genders: Iterable[str | None]) -> str | None:
    """The union of several normalised genders: both sexes (or any unisex) make unisex; none is None."""
    known = {g for g in genders if g}
    if not known:
        return None
    if UNISEX in known or {MALE, FEMALE} <= known:
        return UNISEX
    return known.pop()


def normalise_gender(raw: str | None) -> str | None:
    """`male` / `female` / `unisex` from a shop's label, None when it states nothing we know.

    A label naming both (`남 여`, `Male/Female`) is unisex; unknown words are ignored, never guessed.
    """
    text = (raw or "").strip().lower().replace("'", "")
    if not text:
        return None
    if text in _WORDS:
        return _WORDS[text]
    return combine_genders(_WORDS.get(part) for part in _SPLIT.split(text))


def genders_worn(outfits: Iterable[tuple[str | None, Iterable[Hashable]]]) -> dict[Hashable, str]:
    """Each member's gender from the (gender, members) outfits it is worn in, by union: how a snap item,
    which states none itself, gets one (the importer and the evaluation's corpus both use it)."""
    seen: dict[Hashable, set[str | None]] = {}
    for gender, members in outfits:
        normalised = normalise_gender(gender)
        if normalised:
            for member in members:
                seen.setdefault(member, set()).add(normalised)
    return {member: combine_genders(genders) for member, genders in seen.items()}
