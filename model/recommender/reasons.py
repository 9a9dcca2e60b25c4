"""Short Korean reasons shown under a recommendation ('12개 코디에서 함께 착용')."""

from __future__ import annotations

from model.features.vocab import BIG_CLASS_NAMES_KO, COLOR_NAMES_KO

# Short nouns that read well inside a sentence ("화이트 셔츠는 ..."), unlike the UI labels
# ("셔츠/블라우스") in model.features.vocab.SUBCATEGORY_NAMES_KO.
SUBCATEGORY_KO = {
    "tee_short": "반팔 티셔츠", "tee_long": "긴팔 티셔츠", "shirt": "셔츠", "polo": "피케 셔츠",
    "sweatshirt": "맨투맨", "hoodie": "후드 티셔츠", "knit": "니트", "sleeveless": "민소매",
    "top_other": "상의", "hood_zipup": "후드 집업", "blouson": "블루종", "leather_jacket": "레더 재킷",
    "fur_mustang": "무스탕", "trucker_jacket": "트러커 재킷", "blazer": "블레이저", "cardigan": "카디건",
    "windbreaker": "바람막이", "fleece": "플리스", "track_jacket": "트랙 재킷", "coat": "코트",
    "padding": "패딩", "vest": "베스트", "outer_other": "아우터", "denim_pants": "데님 팬츠",
    "cotton_pants": "코튼 팬츠", "slacks": "슬랙스", "training_pants": "트레이닝 팬츠", "shorts": "반바지",
    "skirt": "스커트", "dress": "원피스", "leggings": "레깅스", "bottom_other": "하의",
    "sneakers": "스니커즈", "dress_shoes": "구두", "boots": "부츠", "sandals": "샌들", "shoes_other": "신발",
    "backpack": "백팩", "crossbody": "크로스백", "shoulder_tote": "숄더·토트백", "bag_other": "가방",
    "cap": "캡", "beanie": "비니", "bucket_hat": "버킷햇", "hat_other": "모자",
}


def cluster_label(cluster_key: str) -> str:
    """'slacks:navy' -> '네이비 슬랙스'; unknown parts are left out rather than shown raw."""
    subcategory, _, color = cluster_key.partition(":")
    if subcategory.endswith("_any"):
        subcategory = subcategory[: -len("_any")]
    noun = SUBCATEGORY_KO.get(subcategory) or BIG_CLASS_NAMES_KO.get(subcategory) or "아이템"
    colour = COLOR_NAMES_KO.get(color)
    return f"{colour} {noun}" if colour else noun


def _topic_particle(word: str) -> str:
    """은/는 by whether the last syllable has a final consonant."""
    last = word[-1] if word else ""
    if "가" <= last <= "힣":
        return "은" if (ord(last) - 0xAC00) % 28 else "는"
    return "는"


def _with_particle(word: str) -> str:
    last = word[-1] if word else ""
    if "가" <= last <= "힣":
        return "과" if (ord(last) - 0xAC00) % 28 else "와"
    return "와"


def explain(*, together: int, query_cluster: str | None, target_cluster: str, clusters_together: int,
            same_brand: str | None) -> str:
    """The strongest evidence first: shared outfits, then cluster pairing, then brand, then the model."""
    if together > 0:
        return f"{together}개 코디에서 함께 착용"
    if query_cluster and clusters_together > 0:
        query, target = cluster_label(query_cluster), cluster_label(target_cluster)
        return f"{query}{_topic_particle(query)} {target}{_with_particle(target)} 자주 매치"
    if same_brand:
        return f"같은 브랜드({same_brand})의 코디 아이템"
    return "비슷한 코디 취향에서 추천"
