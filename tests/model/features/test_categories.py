"""Category normalisation for every source, and Mango's colours."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from model.features.categories import normalise_category
from model.features.mango import mango_colour
from model.features.vocab import BIG_CLASSES, SUBCATEGORIES, big_class_of


@pytest.mark.parametrize(("big", "path", "expected"), [
    ("상의", "반소매 티셔츠", ("top", "tee_short")),
    (None, "상의 > 긴소매 티셔츠", ("top", "tee_long")),
    ("상의", "상의 > 피케/카라 티셔츠", ("top", "polo")),
    ("바지", "데님 팬츠", ("bottom", "denim_pants")),
    ("바지", "바지 > 슈트 팬츠/슬랙스", ("bottom", "slacks")),
    ("아우터", "겨울 싱글 코트", ("outerwear", "coat")),
    ("아우터", "아우터 > 숏패딩/숏헤비 아우터", ("outerwear", "padding")),
    ("아우터", "블루종/MA-1", ("outerwear", "blouson")),
    ("원피스", "미니 원피스", ("bottom", "dress")),
    ("신발", "스니커즈", ("shoes", "sneakers")),
    ("신발", "신발 > 로퍼", ("shoes", "dress_shoes")),
    ("가방", "백팩", ("bag", "backpack")),
    ("가방", "메신저/크로스 백", ("bag", "crossbody")),
    ("모자", "캡/야구 모자", ("headwear", "cap")),
    ("모자", "비니", ("headwear", "beanie")),
])
def test_musinsa_goods_taxonomy(big: str | None, path: str, expected: tuple[str, str]) -> None:
    category = normalise_category("musinsa", big, path, "아무 이름")
    assert (category.big_class, category.subcategory) == expected and category.recommendable


def test_musinsa_unknown_mid_category_falls_back_to_keywords() -> None:
    category = normalise_category("musinsa", "아우터", "아우터 > 새 분류", "오버핏 구스 다운 점퍼")
    assert (category.big_class, category.subcategory) == ("outerwear", "padding")


def test_snap_coarse_category_plus_name() -> None:
    assert normalise_category("musinsa", "상의", None, "오버핏 후드 티셔츠 블랙").subcategory == "hoodie"
    assert normalise_category("musinsa", "하의", None, "와이드 카고 팬츠").subcategory == "cotton_pants"
    unknown = normalise_category("musinsa", "아우터", None, "이름에 단서 없음")
    assert (unknown.big_class, unknown.subcategory) == ("outerwear", "outer_other")


@pytest.mark.parametrize(("big", "path"), [
    ("액세서리", "액세서리 > 목걸이"), ("속옷", None), ("뷰티", "스킨케어"),
    ("Home", "Home > Decor > Basket"),
])
def test_other_classes_are_kept_but_not_recommendable(big: str, path: str | None) -> None:
    category = normalise_category("musinsa", big, path, "실버 목걸이")
    assert category == normalise_category("musinsa", big, path, "실버 목걸이")
    assert not category.recommendable and category.big_class is None


@pytest.mark.parametrize(("path", "expected"), [
    ("Jeans > Jeans > Jeans", ("bottom", "denim_pants")),
    ("Trousers & leggings > Trousers > Trousers", ("bottom", "slacks")),
    ("Dresses and jumpsuits > Dresses > Dress", ("bottom", "dress")),
    ("Sweaters and Cardigans > Cardigans > Cardigan", ("outerwear", "cardigan")),
    ("Coats and Parkas > Puffer coats > Puffer coat", ("outerwear", "padding")),
    ("Accessories > Footwear > Ankle Boots", ("shoes", "boots")),
    ("Accessories > Bags > Crossbody bag", ("bag", "crossbody")),
    ("Accessories > Hats, scarves and gloves > Beanie", ("headwear", "beanie")),
])
def test_mango_types(path: str, expected: tuple[str, str]) -> None:
    category = normalise_category("mango", "Tops", path, "x")
    assert (category.big_class, category.subcategory) == expected


def test_mango_accessories_are_not_recommendable() -> None:
    assert not normalise_category("mango", "Accesories, Swim and Intimate",
                                  "Accessories > Jewellery > Earrings", "Earrings Oro").recommendable


@pytest.mark.parametrize(("name", "path", "group", "expected"), [
    ("Jeans Tejano Oscuro", "Jeans > Jeans > Jeans", "BLUE", "blue"),
    ("Trousers Offwhite", "Trousers & leggings > Trousers > Trousers", "WHITE", "ivory"),
    ("T-Shirt Negro", "T-shirts > T-shirt > T-Shirt", "GREY", "black"),  # black hides in GREY
    ("Sweater Marino", "Sweaters and Cardigans > Sweater > Sweater", "BLUE", "navy"),
    ("Coat Camel", "Coats and Parkas > Coats > Coat", "BROWN", "beige"),
    ("Jeans Dirty", "Jeans > Jeans > Jeans", "BLUE", "blue"),  # no fine colour: the group
])
def test_mango_fine_colour_first(name: str, path: str, group: str, expected: str) -> None:
    assert mango_colour(name, path, group)[0] == expected


def test_every_subcategory_has_its_big_class() -> None:
    for big, subs in SUBCATEGORIES.items():
        assert big in BIG_CLASSES and all(big_class_of(sub) == big for sub in subs)


def test_replica_shop_may_send_our_keys() -> None:
    category = normalise_category("replica", "bottom", "slacks", "Wide slacks")
    assert (category.big_class, category.subcategory) == ("bottom", "slacks")


@pytest.mark.datasets
def test_all_mango_products_get_a_category_and_most_a_fine_colour(datasets_dir: Path) -> None:
    with (datasets_dir / "mango" / "product_data.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fine = recommendable = 0
    for row in rows:
        product_type = row["des_product_type"]
        path = " > ".join([row["des_product_aggregated_family"], row["des_product_family"], product_type])
        category = normalise_category("mango", row["des_product_category"], path, product_type)
        recommendable += category.recommendable
        colour, how = mango_colour(f"{product_type} {row['des_color_specification_esp'].title()}", path,
                                   row["des_agrup_color_eng"])
        assert colour is not None
        fine += how == "fine colour"
    assert fine / len(rows) > 0.99
    assert 0.7 < recommendable / len(rows) < 0.9  # accessories, home and beauty are the rest
