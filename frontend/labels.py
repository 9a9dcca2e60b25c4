"""Korean display names and swatch colours, built on the shared vocabulary in model.features."""

from __future__ import annotations

from model.features.colors import FAMILY_RGB, rgb_to_hex
from model.features.vocab import (
    BIG_CLASS_NAMES_KO,
    BIG_CLASSES,
    COLOR_FAMILIES,
    COLOR_NAMES_KO,
    SUBCATEGORIES,
    SUBCATEGORY_NAMES_KO,
)

__all__ = ["BIG_CLASSES", "COLOR_FAMILIES", "SUBCATEGORIES", "COLOR_SWATCHES", "big_class_label",
           "subcategory_label", "color_label", "format_price", "GENDER_NAMES_KO", "subject_particle"]

GENDER_NAMES_KO: dict[str, str] = {"male": "남성", "female": "여성", "unisex": "남녀 공용"}


def _text_on(rgb: tuple[int, int, int]) -> str:
    """Black or white text, whichever reads better on the swatch (relative luminance)."""
    r, g, b = rgb
    return "#111111" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


# family -> (Korean name, swatch background, readable text colour)
COLOR_SWATCHES: dict[str, tuple[str, str, str]] = {
    family: (COLOR_NAMES_KO[family], rgb_to_hex(FAMILY_RGB[family]), _text_on(FAMILY_RGB[family]))
    for family in COLOR_FAMILIES
}


def big_class_label(value: str | None) -> str:
    """Korean name of a big class; unknown values are shown as they are."""
    return BIG_CLASS_NAMES_KO.get(value or "", value or "기타")


def subcategory_label(value: str | None) -> str:
    return SUBCATEGORY_NAMES_KO.get(value or "", value or "기타")


def color_label(value: str | None) -> str:
    """Korean name of a colour family ('unknown' and None read as '색상 미상')."""
    return COLOR_NAMES_KO.get(value or "", "색상 미상")


def subject_particle(word: str) -> str:
    """이 after a final consonant (신발이), 가 after a vowel (모자가); other endings get 이(가)."""
    last = word[-1:] if word else ""
    if not "가" <= last <= "힣":
        return "이(가)"
    return "이" if (ord(last) - ord("가")) % 28 else "가"


def format_price(price: int | None) -> str:
    """Prices in won with thousands separators; a missing price says so."""
    return f"{price:,}원" if price is not None else "가격 정보 없음"
