"""What the replica shop sells: MUSINSA's 2022 category tree, brands, name parts and outfit styles.

Everything here is data; `generate.py` draws from it with a seeded random generator.
"""

from __future__ import annotations

from dataclasses import dataclass

# (big category, mid category) as MUSINSA showed them in 2022 -> (big_class, subcategory, weight)
CATEGORIES: dict[tuple[str, str], tuple[str, str, int]] = {
    ("상의", "반소매 티셔츠"): ("top", "tee_short", 10),
    ("상의", "긴소매 티셔츠"): ("top", "tee_long", 7),
    ("상의", "셔츠/블라우스"): ("top", "shirt", 8),
    ("상의", "피케/카라 티셔츠"): ("top", "polo", 3),
    ("상의", "맨투맨/스웨트셔츠"): ("top", "sweatshirt", 6),
    ("상의", "후드 티셔츠"): ("top", "hoodie", 5),
    ("상의", "니트/스웨터"): ("top", "knit", 6),
    ("상의", "민소매 티셔츠"): ("top", "sleeveless", 2),
    ("아우터", "후드 집업"): ("outerwear", "hood_zipup", 3),
    ("아우터", "블루종/MA-1"): ("outerwear", "blouson", 3),
    ("아우터", "레더/라이더스 재킷"): ("outerwear", "leather_jacket", 2),
    ("아우터", "트러커 재킷"): ("outerwear", "trucker_jacket", 2),
    ("아우터", "슈트/블레이저 재킷"): ("outerwear", "blazer", 3),
    ("아우터", "카디건"): ("outerwear", "cardigan", 3),
    ("아우터", "나일론/코치 재킷"): ("outerwear", "windbreaker", 2),
    ("아우터", "플리스/뽀글이"): ("outerwear", "fleece", 2),
    ("아우터", "트레이닝 재킷"): ("outerwear", "track_jacket", 2),
    ("아우터", "겨울 싱글 코트"): ("outerwear", "coat", 3),
    ("아우터", "숏패딩/숏헤비 아우터"): ("outerwear", "padding", 3),
    ("아우터", "베스트"): ("outerwear", "vest", 1),
    ("바지", "데님 팬츠"): ("bottom", "denim_pants", 8),
    ("바지", "코튼 팬츠"): ("bottom", "cotton_pants", 6),
    ("바지", "슈트 팬츠/슬랙스"): ("bottom", "slacks", 6),
    ("바지", "트레이닝/조거 팬츠"): ("bottom", "training_pants", 4),
    ("바지", "숏 팬츠"): ("bottom", "shorts", 4),
    ("바지", "레깅스"): ("bottom", "leggings", 1),
    ("스커트", "미니스커트"): ("bottom", "skirt", 2),
    ("스커트", "미디스커트"): ("bottom", "skirt", 2),
    ("스커트", "롱스커트"): ("bottom", "skirt", 1),
    ("원피스", "미니원피스"): ("bottom", "dress", 1),
    ("원피스", "미디원피스"): ("bottom", "dress", 2),
    ("원피스", "맥시원피스"): ("bottom", "dress", 1),
    ("신발", "스니커즈"): ("shoes", "sneakers", 8),
    ("신발", "구두"): ("shoes", "dress_shoes", 3),
    ("신발", "부츠"): ("shoes", "boots", 3),
    ("신발", "샌들"): ("shoes", "sandals", 2),
    ("가방", "백팩"): ("bag", "backpack", 2),
    ("가방", "크로스백"): ("bag", "crossbody", 3),
    ("가방", "숄더백"): ("bag", "shoulder_tote", 2),
    ("가방", "토트백"): ("bag", "shoulder_tote", 1),
    ("모자", "캡/야구 모자"): ("headwear", "cap", 4),
    ("모자", "비니"): ("headwear", "beanie", 2),
    ("모자", "버킷/사파리햇"): ("headwear", "bucket_hat", 2),
}

# Colour family -> (Korean label, English label) as product names spell them.
COLOR_LABELS: dict[str, tuple[str, str]] = {
    "black": ("블랙", "Black"),
    "white": ("화이트", "White"),
    "ivory": ("아이보리", "Ivory"),
    "grey": ("그레이", "Grey"),
    "beige": ("베이지", "Beige"),
    "brown": ("브라운", "Brown"),
    "khaki": ("카키", "Khaki"),
    "green": ("그린", "Green"),
    "navy": ("네이비", "Navy"),
    "blue": ("블루", "Blue"),
    "sky_blue": ("스카이 블루", "Light Blue"),
    "red": ("레드", "Red"),
    "burgundy": ("버건디", "Burgundy"),
    "pink": ("핑크", "Pink"),
    "purple": ("퍼플", "Purple"),
    "yellow": ("옐로우", "Yellow"),
    "orange": ("오렌지", "Orange"),
}

# subcategory -> (Korean nouns, English nouns)
NOUNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tee_short": (("반팔 티셔츠", "로고 티셔츠", "반소매 티"), ("T-Shirt", "Logo Tee", "Pocket Tee")),
    "tee_long": (("긴팔 티셔츠", "롱슬리브", "스트라이프 긴팔"), ("Long Sleeve Tee", "Striped Long Sleeve")),
    "shirt": (("코튼 셔츠", "옥스포드 셔츠", "린넨 셔츠", "블라우스"), ("Oxford Shirt", "Linen Shirt")),
    "polo": (("피케 셔츠", "카라 티셔츠"), ("Polo Shirt", "Pique Polo")),
    "sweatshirt": (("맨투맨", "스웨트셔츠"), ("Sweatshirt", "Crewneck")),
    "hoodie": (("후드 티셔츠", "후디"), ("Hoodie", "Pullover Hoodie")),
    "knit": (("라운드 니트", "브이넥 니트", "케이블 스웨터"), ("Cable Knit", "Crewneck Sweater")),
    "sleeveless": (("민소매 티셔츠", "나시"), ("Tank Top", "Sleeveless Tee")),
    "hood_zipup": (("후드 집업", "스웻 집업"), ("Zip-up Hoodie",)),
    "blouson": (("MA-1 블루종", "항공 점퍼"), ("MA-1 Jacket", "Bomber Jacket")),
    "leather_jacket": (("라이더 재킷", "레더 자켓"), ("Rider Jacket", "Leather Jacket")),
    "trucker_jacket": (("데님 트러커 재킷", "청자켓"), ("Trucker Jacket",)),
    "blazer": (("싱글 블레이저", "더블 블레이저"), ("Single Blazer", "Tailored Jacket")),
    "cardigan": (("니트 카디건", "브이넥 카디건"), ("Cardigan",)),
    "windbreaker": (("나일론 코치 재킷", "바람막이"), ("Coach Jacket", "Windbreaker")),
    "fleece": (("플리스 재킷", "뽀글이 집업"), ("Fleece Jacket", "Boa Fleece")),
    "track_jacket": (("트랙 재킷", "저지 재킷"), ("Track Jacket",)),
    "coat": (("싱글 코트", "울 코트", "발마칸 코트"), ("Wool Coat", "Balmacaan Coat")),
    "padding": (("숏패딩", "푸퍼 재킷"), ("Puffer Jacket", "Down Jacket")),
    "vest": (("니트 베스트", "패딩 베스트"), ("Knit Vest",)),
    "denim_pants": (("와이드 데님 팬츠", "스트레이트 진", "청바지"), ("Wide Denim Pants", "Straight Jeans")),
    "cotton_pants": (("치노 팬츠", "카고 팬츠", "코튼 팬츠"), ("Chino Pants", "Cargo Pants")),
    "slacks": (("와이드 슬랙스", "세미와이드 슬랙스", "밴딩 슬랙스"), ("Wide Slacks", "Tapered Slacks")),
    "training_pants": (("조거 팬츠", "트레이닝 팬츠", "스웻 팬츠"), ("Jogger Pants", "Track Pants")),
    "shorts": (("버뮤다 팬츠", "하프 팬츠", "숏 팬츠"), ("Bermuda Shorts", "Half Pants")),
    "leggings": (("레깅스",), ("Leggings",)),
    "skirt": (("플리츠 스커트", "A라인 스커트", "롱 스커트"), ("Pleated Skirt", "Midi Skirt")),
    "dress": (("셔츠 원피스", "니트 원피스", "플레어 원피스"), ("Shirt Dress", "Knit Dress")),
    "sneakers": (("캔버스 스니커즈", "로우탑 스니커즈", "러닝화"), ("Canvas Sneakers", "Low Top Sneakers")),
    "dress_shoes": (("더비 슈즈", "페니 로퍼", "옥스포드 구두"), ("Derby Shoes", "Penny Loafers")),
    "boots": (("첼시 부츠", "워커 부츠"), ("Chelsea Boots", "Work Boots")),
    "sandals": (("스트랩 샌들", "슬라이드"), ("Strap Sandals", "Slides")),
    "backpack": (("데일리 백팩", "캔버스 백팩"), ("Backpack", "Daypack")),
    "crossbody": (("미니 크로스백", "메신저백"), ("Crossbody Bag", "Sling Bag")),
    "shoulder_tote": (("캔버스 토트백", "숄더백", "호보백"), ("Tote Bag", "Shoulder Bag")),
    "cap": (("볼캡", "로고 캡"), ("Ball Cap", "Logo Cap")),
    "beanie": (("골지 비니", "숏 비니"), ("Beanie", "Watch Cap")),
    "bucket_hat": (("버킷햇", "사파리햇"), ("Bucket Hat",)),
}
ADJECTIVES: tuple[tuple[str, str], ...] = (
    ("오버핏", "Oversized"),
    ("세미오버", "Semi-Over"),
    ("릴렉스드", "Relaxed"),
    ("슬림", "Slim"),
    ("레귤러", "Regular"),
    ("베이직", "Basic"),
    ("헤비웨이트", "Heavyweight"),
    ("빈티지", "Vintage"),
    ("워시드", "Washed"),
    ("에센셜", "Essential"),
    ("클래식", "Classic"),
    ("크롭", "Cropped"),
)
BRANDS: tuple[str, ...] = (
    "무신사 스탠다드",
    "커버낫",
    "디스이즈네버댓",
    "마하그리드",
    "예일",
    "인사일런스",
    "쿠어",
    "드로우핏",
    "라퍼지스토어",
    "토피",
    "앤더슨벨",
    "엘무드",
    "파르티멘토",
    "스파오",
    "리",
    "지프",
    "널디",
    "아웃스탠딩",
    "던스트",
    "로맨틱크라운",
    "닥터마틴",
    "반스",
    "컨버스",
    "뉴발란스",
    "잔스포츠",
    "캉골",
)
TAGS: tuple[str, ...] = (
    "데일리",
    "오버핏",
    "캐주얼",
    "미니멀",
    "스트릿",
    "봄코디",
    "여름코디",
    "가을코디",
    "겨울코디",
    "커플룩",
    "출근룩",
    "데이트룩",
    "학생",
    "기본템",
    "무지",
    "레이어드",
    "꾸안꾸",
    "시티보이",
    "댄디",
    "빈티지",
)
SEASON_LABELS: tuple[str, ...] = ("2022 S/S", "2022 F/W", "ALL")
SEASON_VALUES: tuple[str, ...] = ("봄", "여름", "가을", "겨울")
FIT_VALUES: tuple[str, ...] = ("슬림", "레귤러", "루즈", "오버사이즈")
AGE_BUCKETS: tuple[str, ...] = ("18세 이하", "19~23세", "24~28세", "29~33세", "34~39세", "40세 이상")
GENDER_BUCKETS: tuple[str, ...] = ("남성", "여성")
GENDER_LABELS: tuple[str, ...] = ("남", "여", "남 여")


@dataclass(frozen=True, slots=True)
class Style:
    """An outfit style rule: which subcategories go together and which colours it allows."""

    key: str
    label: str
    tops: tuple[str, ...]
    bottoms: tuple[str, ...]
    outers: tuple[str, ...]
    shoes: tuple[str, ...]
    extras: tuple[str, ...]
    palette: tuple[str, ...]
    accents: tuple[str, ...] = ()
    outer_chance: float = 0.5


NEUTRALS = ("black", "white", "ivory", "grey", "beige", "navy")
STYLES: tuple[Style, ...] = (
    Style(
        "casual",
        "캐주얼",
        ("tee_short", "tee_long", "shirt", "sweatshirt", "polo"),
        ("denim_pants", "cotton_pants", "shorts"),
        ("trucker_jacket", "cardigan", "blouson", "windbreaker"),
        ("sneakers",),
        ("cap", "crossbody", "backpack"),
        NEUTRALS + ("sky_blue", "khaki", "brown"),
        ("green", "yellow", "red"),
    ),
    Style(
        "street",
        "스트릿",
        ("hoodie", "sweatshirt", "tee_short", "tee_long"),
        ("denim_pants", "training_pants", "cotton_pants", "shorts"),
        ("blouson", "windbreaker", "padding", "hood_zipup", "leather_jacket"),
        ("sneakers", "boots"),
        ("cap", "beanie", "crossbody", "backpack"),
        ("black", "white", "grey", "khaki", "navy"),
        ("red", "orange", "purple", "green"),
    ),
    Style(
        "minimal",
        "미니멀",
        ("shirt", "knit", "tee_short", "tee_long"),
        ("slacks", "cotton_pants", "skirt"),
        ("coat", "blazer", "cardigan"),
        ("dress_shoes", "sneakers"),
        ("shoulder_tote",),
        ("black", "white", "ivory", "grey", "beige"),
    ),
    Style(
        "dandy",
        "댄디",
        ("shirt", "knit", "polo"),
        ("slacks", "cotton_pants"),
        ("blazer", "coat", "cardigan", "vest"),
        ("dress_shoes", "boots"),
        ("shoulder_tote",),
        ("navy", "white", "ivory", "beige", "grey", "brown", "black"),
        ("burgundy",),
        0.7,
    ),
    Style(
        "sporty",
        "스포츠",
        ("tee_short", "sleeveless", "hoodie", "sweatshirt"),
        ("training_pants", "shorts", "leggings"),
        ("track_jacket", "windbreaker", "hood_zipup", "fleece"),
        ("sneakers", "sandals"),
        ("cap", "backpack"),
        ("black", "white", "grey", "navy"),
        ("blue", "red", "green", "yellow"),
    ),
    Style(
        "amekaji",
        "아메카지",
        ("shirt", "tee_long", "sweatshirt", "knit"),
        ("denim_pants", "cotton_pants"),
        ("trucker_jacket", "fleece", "vest", "leather_jacket"),
        ("boots", "dress_shoes"),
        ("bucket_hat", "beanie", "backpack"),
        ("khaki", "brown", "beige", "navy", "ivory", "blue"),
        ("burgundy", "green"),
    ),
    Style(
        "girlish",
        "걸리시",
        ("shirt", "knit", "tee_short"),
        ("skirt", "dress", "denim_pants"),
        ("cardigan", "blazer", "coat"),
        ("dress_shoes", "sandals", "sneakers"),
        ("shoulder_tote", "crossbody"),
        ("white", "ivory", "beige", "pink", "sky_blue"),
        ("purple", "burgundy", "yellow"),
    ),
    Style(
        "formal",
        "포멀",
        ("shirt", "knit"),
        ("slacks",),
        ("blazer", "coat"),
        ("dress_shoes",),
        ("shoulder_tote",),
        ("black", "navy", "grey", "white", "ivory"),
        (),
        0.8,
    ),
)
OUTFIT_TAGS: dict[str, tuple[str, ...]] = {
    "casual": ("데일리룩", "캐주얼룩", "주말코디", "꾸안꾸"),
    "street": ("스트릿룩", "힙합", "오버핏코디", "스트릿패션"),
    "minimal": ("미니멀룩", "모노톤", "심플코디", "깔끔한"),
    "dandy": ("댄디룩", "출근룩", "하객룩", "남친룩"),
    "sporty": ("스포티룩", "애슬레저", "운동복", "트레이닝룩"),
    "amekaji": ("아메카지", "빈티지룩", "워크웨어", "시티보이"),
    "girlish": ("걸리시룩", "데이트룩", "러블리", "여친룩"),
    "formal": ("포멀룩", "오피스룩", "수트핏", "면접룩"),
}
