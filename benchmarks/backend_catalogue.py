"""A synthetic 100,000-item catalogue with realistic Korean and English product names.

Used by bench_backend.py; deterministic (seeded) so runs are comparable.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

from sqlalchemy import Engine, insert

from db.audience import normalise_gender
from db.models import Item, ItemTag
from model.features.vocab import BIG_CLASSES

BRANDS = ["Musinsa Standard", "Covernat", "디스이즈네버댓", "LMC", "Nike", "Adidas", "마르디 메크르디",
          "Thisisneverthat", "Polo Ralph Lauren", "New Balance", "앤더슨벨", "Uniqlo", "Stussy", "커버낫",
          "Mahagrid", "Kirsh", "Dunst", "Lee", "Carhartt WIP", "Salomon"]
ADJECTIVES = ["오버핏", "와이드", "슬림", "릴렉스드", "크롭", "베이직", "빈티지", "루즈핏", "스탠다드",
              "세미와이드", "Oversized", "Relaxed", "Essential", "Heavy", "Washed", "Classic", "캐주얼",
              "피그먼트"]
COLOURS = ["블랙", "화이트", "네이비", "그레이", "베이지", "카키", "아이보리", "브라운", "Black", "Navy",
           "Ivory", "Charcoal", "Light Blue", "멜란지"]
PRODUCTS = [  # (noun, big_class, subcategory)
    ("셔츠", "top", "shirt"), ("티셔츠", "top", "tee_short"), ("롱슬리브", "top", "tee_long"),
    ("후드티", "top", "hoodie"), ("맨투맨", "top", "sweatshirt"), ("니트", "top", "knit"),
    ("Shirt", "top", "shirt"), ("Tee", "top", "tee_short"), ("Hoodie", "top", "hoodie"),
    ("블레이저", "outerwear", "blazer"), ("코트", "outerwear", "coat"), ("패딩", "outerwear", "padding"),
    ("가디건", "outerwear", "cardigan"), ("Jacket", "outerwear", "outer_other"),
    ("슬랙스", "bottom", "slacks"), ("데님 팬츠", "bottom", "denim_pants"),
    ("카고팬츠", "bottom", "cotton_pants"),
    ("쇼츠", "bottom", "shorts"), ("Denim Pants", "bottom", "denim_pants"),
    ("스니커즈", "shoes", "sneakers"), ("로퍼", "shoes", "dress_shoes"), ("부츠", "shoes", "boots"),
    ("백팩", "bag", "backpack"), ("크로스백", "bag", "crossbody"), ("볼캡", "headwear", "cap"),
    ("비니", "headwear", "beanie"),
]
FAMILIES = {"블랙": "black", "Black": "black", "화이트": "white", "네이비": "navy", "Navy": "navy",
            "그레이": "grey", "Charcoal": "grey", "멜란지": "grey", "베이지": "beige", "카키": "khaki",
            "아이보리": "ivory", "Ivory": "ivory", "브라운": "brown", "Light Blue": "sky_blue"}
TAGS = ["데일리", "캐주얼", "미니멀", "스트릿", "오피스룩", "여름", "겨울", "간절기", "basic", "unisex"]
QUERIES = ["셔츠", "티셔츠", "데님", "오버핏", "블랙 슬랙스", "nike", "hoodie", "코트", "와이드 팬츠",
           "스니커즈", "네이비", "Relaxed", "커버낫", "볼캡", "크롭 니트", "jacket"]

WORDS = [*QUERIES, *ADJECTIVES, *COLOURS, *(p[0] for p in PRODUCTS), *(b.split()[0] for b in BRANDS)]


def random_query(rng: random.Random) -> str:
    """A realistic mix: whole words, two-character pieces of Korean words, two-word queries."""
    word = rng.choice(WORDS)
    roll = rng.random()
    if roll < 0.25 and len(word) > 2:
        start = rng.randrange(len(word) - 1)
        return word[start:start + 2]
    if roll < 0.45:
        return f"{word} {rng.choice(WORDS)}"
    return word.lower() if rng.random() < 0.5 else word


def search_path(rng: random.Random) -> str:
    """One search request as the app sends it: words, sometimes a big class or a sort, pages 1-3."""
    params: dict[str, object] = {"q": random_query(rng), "page": rng.choice([1, 1, 1, 2, 3])}
    if rng.random() < 0.3:
        params["big_class"] = rng.choice(BIG_CLASSES)
    if rng.random() < 0.1:
        params["sort"] = rng.choice(["price", "-price", "newest"])
    return f"/api/v1/items/search?{urlencode(params)}"


def item_rows(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        noun, big_class, subcategory = rng.choice(PRODUCTS)
        adjective, colour, brand = rng.choice(ADJECTIVES), rng.choice(COLOURS), rng.choice(BRANDS)
        joiner = "" if rng.random() < 0.3 and not noun.isascii() and not adjective.isascii() else " "
        name = f"{adjective}{joiner}{noun} {colour}"
        if rng.random() < 0.4:
            name = f"[{brand}] {name} {rng.randint(1000, 9999)}"
        rows.append({
            "source": "musinsa", "source_id": str(number), "name": name, "brand": brand,
            "big_class": big_class, "subcategory": subcategory, "is_recommendable": True,
            "color_family": FAMILIES.get(colour), "price": rng.randrange(9000, 300000, 1000),
            "likes": rng.randint(0, 50000), "rating": round(rng.uniform(3, 5), 1),
            "gender": normalise_gender(rng.choice(["남성", "여성", "공용"])),  # stored as the CHECK allows
            "image_url": f"https://image.msscdn.net/images/goods_img/{number}.jpg",
            "shop_url": f"https://www.musinsa.com/products/{number}",
        })
    return rows


def fill(engine: Engine, count: int = 100_000, chunk: int = 5000) -> None:
    """Insert `count` items (ids 1..count) with two tags each."""
    rows = item_rows(count)
    rng = random.Random(11)
    with engine.begin() as connection:
        for start in range(0, count, chunk):
            part = rows[start:start + chunk]
            connection.execute(insert(Item), part)
            tags = [{"item_id": start + n + 1, "tag": t} for n in range(len(part))
                    for t in rng.sample(TAGS, 2)]
            connection.execute(insert(ItemTag), tags)
