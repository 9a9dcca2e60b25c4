"""Normalised (big class, subcategory) for an item from any source.

- MUSINSA goods pages give a category path in the 2022 shop taxonomy (``상의 > 반소매 티셔츠``);
  the mid category maps straight to a subcategory.
- MUSINSA snap gives only 상의/하의/아우터; the subcategory comes from keywords in the name.
- Mango gives ``aggregated_family > family > type``; the type maps through ``mango.MANGO_TYPES``.
- The replica shop (and anything else) may give our own keys; those are taken as they are.
Anything outside the six big classes (accessories, underwear, home, beauty) is kept with
``recommendable=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.features.mango import mango_subcategory
from model.features.names import big_class_from_raw, guess_big_class, normalise_text, subcategory_in
from model.features.vocab import ALL_SUBCATEGORIES, BIG_CLASSES, OTHER_SUBCATEGORY, big_class_of


@dataclass(frozen=True)
class Category:
    """Normalised category of one item; big_class/subcategory are None when not recommendable."""

    big_class: str | None
    subcategory: str | None
    recommendable: bool


NOT_RECOMMENDABLE = Category(None, None, False)

#: MUSINSA 2022 goods taxonomy, mid category (spaces removed) -> subcategory.
MUSINSA_MID: dict[str, str] = {
    # 상의
    "반소매티셔츠": "tee_short",
    "긴소매티셔츠": "tee_long",
    "셔츠/블라우스": "shirt",
    "셔츠": "shirt",
    "피케/카라티셔츠": "polo",
    "맨투맨/스웨트셔츠": "sweatshirt",
    "맨투맨/스웨트": "sweatshirt",
    "후드티셔츠": "hoodie",
    "니트/스웨터": "knit",
    "민소매티셔츠": "sleeveless",
    "스포츠상의": "top_other",
    "기타상의": "top_other",
    "민소매": "sleeveless",
    # 아우터
    "후드집업": "hood_zipup",
    "블루종/ma-1": "blouson",
    "레더/라이더스재킷": "leather_jacket",
    "무스탕/퍼": "fur_mustang",
    "트러커재킷": "trucker_jacket",
    "슈트/블레이저재킷": "blazer",
    "카디건": "cardigan",
    "아노락재킷": "windbreaker",
    "플리스/뽀글이": "fleece",
    "트레이닝재킷": "track_jacket",
    "스타디움재킷": "blouson",
    "환절기코트": "coat",
    "겨울싱글코트": "coat",
    "겨울더블코트": "coat",
    "겨울기타코트": "coat",
    "코트": "coat",
    "롱패딩/롱헤비아우터": "padding",
    "숏패딩/숏헤비아우터": "padding",
    "패딩": "padding",
    "패딩베스트": "vest",
    "베스트": "vest",
    "사파리/헌팅재킷": "outer_other",
    "나일론/코치재킷": "windbreaker",
    "기타아우터": "outer_other",
    # 바지 / 원피스 / 스커트
    "데님팬츠": "denim_pants",
    "코튼팬츠": "cotton_pants",
    "슈트팬츠/슬랙스": "slacks",
    "트레이닝/조거팬츠": "training_pants",
    "숏팬츠": "shorts",
    "레깅스": "leggings",
    "점프슈트/오버올": "bottom_other",
    "기타바지": "bottom_other",
    "미니원피스": "dress",
    "미디원피스": "dress",
    "맥시원피스": "dress",
    "원피스": "dress",
    "미니스커트": "skirt",
    "미디스커트": "skirt",
    "롱스커트": "skirt",
    "스커트": "skirt",
    # 신발
    "스니커즈": "sneakers",
    "캔버스/단화": "sneakers",
    "러닝화/워킹화": "sneakers",
    "패션스니커즈화": "sneakers",
    "스포츠스니커즈": "sneakers",
    "농구화": "sneakers",
    "구두": "dress_shoes",
    "로퍼": "dress_shoes",
    "힐/펌프스": "dress_shoes",
    "플랫슈즈": "dress_shoes",
    "블로퍼": "dress_shoes",
    "더비슈즈": "dress_shoes",
    "부츠": "boots",
    "워커": "boots",
    "샌들": "sandals",
    "슬리퍼": "sandals",
    "샌들/슬리퍼": "sandals",
    "기타신발": "shoes_other",
    # 가방
    "백팩": "backpack",
    "메신저/크로스백": "crossbody",
    "크로스백": "crossbody",
    "웨이스트백": "crossbody",
    "숄더백": "shoulder_tote",
    "토트백": "shoulder_tote",
    "에코백": "shoulder_tote",
    "보스턴/드럼/더플백": "bag_other",
    "파우치백": "bag_other",
    "클러치백": "bag_other",
    "캐리어": "bag_other",
    "기타가방": "bag_other",
    # 모자
    "캡/야구모자": "cap",
    "캡/야구": "cap",
    "비니": "beanie",
    "버킷/사파리햇": "bucket_hat",
    "헌팅캡/베레모": "hat_other",
    "페도라": "hat_other",
    "트루퍼": "hat_other",
    "기타모자": "hat_other",
}

#: Big categories Closet keeps but does not recommend (Korean shop and data-set names).
NOT_RECOMMENDABLE_BIG = {
    "액세서리",
    "속옷",
    "속옷/홈웨어",
    "양말/레그웨어",
    "시계",
    "주얼리",
    "뷰티",
    "생활/취미/예술",
    "스포츠/용품",
    "디지털/테크",
    "아이웨어",
    "home",
    "beauty",
    "accesories, swim and intimate",
    "accessories",
    "swim and intimate",
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalise_text(text))


def _from_mid(segment: str) -> str | None:
    key = _key(segment)
    if key in ALL_SUBCATEGORIES:
        return key
    return MUSINSA_MID.get(key)


def normalise_category(
    source: str | None, big_class_raw: str | None, subcategory_raw: str | None, name: str | None
) -> Category:
    """The item's big class and subcategory, from whatever its source gives."""
    name_text = normalise_text(name or "")
    raw_text = normalise_text(subcategory_raw or "")
    if source == "mango":
        subcategory = mango_subcategory(subcategory_raw)
        if subcategory is None:
            return NOT_RECOMMENDABLE
        return Category(big_class_of(subcategory), subcategory, True)

    segments = [s.strip() for s in (subcategory_raw or "").split(">") if s.strip()]
    for segment in reversed(segments):  # the finest known segment of the path wins
        subcategory = _from_mid(segment)
        if subcategory:
            return Category(big_class_of(subcategory), subcategory, True)

    big_raw = big_class_raw or (segments[0] if segments else None)
    if big_raw and normalise_text(big_raw) in NOT_RECOMMENDABLE_BIG:
        return NOT_RECOMMENDABLE
    big_class = big_class_from_raw(big_raw)
    if big_class is None and big_raw and _key(big_raw) in ALL_SUBCATEGORIES:
        big_class = big_class_of(_key(big_raw))
    if big_class is None and big_raw:
        return NOT_RECOMMENDABLE  # a category that names none of ours
    text = f"{raw_text} {name_text}".strip()
    if big_class is None:
        big_class = guess_big_class(text)
        if big_class is None:
            return NOT_RECOMMENDABLE
    subcategory = subcategory_in(big_class, raw_text) if raw_text else None
    if subcategory is None or subcategory == OTHER_SUBCATEGORY[big_class]:  # a generic path: ask the name
        subcategory = subcategory_in(big_class, name_text) or subcategory
    return Category(big_class, subcategory or OTHER_SUBCATEGORY[big_class], big_class in BIG_CLASSES)
