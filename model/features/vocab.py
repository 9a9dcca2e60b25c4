"""The fixed vocabularies every part of Closet shares (big classes, subcategories, colour families)."""

from __future__ import annotations

BIG_CLASSES: tuple[str, ...] = ("top", "outerwear", "bottom", "shoes", "bag", "headwear")

SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "top": ("tee_short", "tee_long", "shirt", "polo", "sweatshirt", "hoodie", "knit", "sleeveless",
            "top_other"),
    "outerwear": ("hood_zipup", "blouson", "leather_jacket", "fur_mustang", "trucker_jacket", "blazer",
                  "cardigan", "windbreaker", "fleece", "track_jacket", "coat", "padding", "vest",
                  "outer_other"),
    "bottom": ("denim_pants", "cotton_pants", "slacks", "training_pants", "shorts", "skirt", "dress",
               "leggings", "bottom_other"),
    "shoes": ("sneakers", "dress_shoes", "boots", "sandals", "shoes_other"),
    "bag": ("backpack", "crossbody", "shoulder_tote", "bag_other"),
    "headwear": ("cap", "beanie", "bucket_hat", "hat_other"),
}

#: The catch-all subcategory of each big class, used when nothing finer is known.
OTHER_SUBCATEGORY: dict[str, str] = {
    "top": "top_other", "outerwear": "outer_other", "bottom": "bottom_other",
    "shoes": "shoes_other", "bag": "bag_other", "headwear": "hat_other",
}

COLOR_FAMILIES: tuple[str, ...] = (
    "black", "white", "ivory", "grey", "beige", "brown", "khaki", "green", "navy", "blue", "sky_blue",
    "red", "burgundy", "pink", "purple", "yellow", "orange",
)

UNKNOWN_COLOR = "unknown"

ALL_SUBCATEGORIES: frozenset[str] = frozenset(s for subs in SUBCATEGORIES.values() for s in subs)
_BIG_CLASS_OF: dict[str, str] = {sub: big for big, subs in SUBCATEGORIES.items() for sub in subs}

#: Korean display names, for reasons and labels in the UI.
BIG_CLASS_NAMES_KO: dict[str, str] = {
    "top": "상의", "outerwear": "아우터", "bottom": "하의", "shoes": "신발", "bag": "가방",
    "headwear": "모자",
}
COLOR_NAMES_KO: dict[str, str] = {
    "black": "블랙", "white": "화이트", "ivory": "아이보리", "grey": "그레이", "beige": "베이지",
    "brown": "브라운", "khaki": "카키", "green": "그린", "navy": "네이비", "blue": "블루",
    "sky_blue": "스카이블루", "red": "레드", "burgundy": "버건디", "pink": "핑크", "purple": "퍼플",
    "yellow": "옐로우", "orange": "오렌지",
}
SUBCATEGORY_NAMES_KO: dict[str, str] = {
    "tee_short": "반소매 티셔츠", "tee_long": "긴소매 티셔츠", "shirt": "셔츠/블라우스",
    "polo": "피케/카라 티셔츠", "sweatshirt": "맨투맨", "hoodie": "후드 티셔츠", "knit": "니트",
    "sleeveless": "민소매",
    "top_other": "기타 상의", "hood_zipup": "후드 집업", "blouson": "블루종/MA-1",
    "leather_jacket": "레더 재킷", "fur_mustang": "무스탕/퍼", "trucker_jacket": "트러커 재킷",
    "blazer": "블레이저", "cardigan": "카디건", "windbreaker": "바람막이", "fleece": "플리스",
    "track_jacket": "트랙 재킷", "coat": "코트", "padding": "패딩", "vest": "베스트",
    "outer_other": "기타 아우터", "denim_pants": "데님 팬츠", "cotton_pants": "코튼 팬츠", "slacks": "슬랙스",
    "training_pants": "트레이닝 팬츠", "shorts": "숏 팬츠", "skirt": "스커트", "dress": "원피스",
    "leggings": "레깅스", "bottom_other": "기타 하의", "sneakers": "스니커즈", "dress_shoes": "구두/로퍼",
    "boots": "부츠", "sandals": "샌들/슬리퍼", "shoes_other": "기타 신발", "backpack": "백팩",
    "crossbody": "크로스백", "shoulder_tote": "숄더/토트백", "bag_other": "기타 가방", "cap": "캡",
    "beanie": "비니", "bucket_hat": "버킷햇", "hat_other": "기타 모자",
}


def big_class_of(subcategory: str | None) -> str | None:
    """The big class a subcategory belongs to, or None for an unknown key."""
    if subcategory is None:
        return None
    return _BIG_CLASS_OF.get(subcategory)
