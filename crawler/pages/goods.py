"""Goods page `/app/goods/{id}/0`: every product field MUSINSA showed in 2022 and 2023, and related outfits.

2022 prints brand and product code in two `<strong>`s; 2023 in one text, `ASICS / 1202A164-110`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from crawler import urls
from crawler.pages.common import (
    Missing,
    MissingField,
    hashtags,
    image_src,
    linked_pages,
    parse_count,
    parse_float,
    required_text,
    soup_of,
    text_of,
)
from db.audience import normalise_gender

NAME = "span.product_title > em"
CATEGORIES = "p.item_categories > a"
ARTICLE = "p.product_article_contents"
GENDER = "span.txt_gender"
VIEWS = "strong#pageview_1m"
SALES = "strong#sales_1y_qty"
LIKES = "span.prd_like_cnt"
RATING = "span.prd-score__rating"
PRICE = "span.product_article_price"
IMAGE = "div.product-img > img"
TAGS = "li.article-tag-list a.listItem"
TABLE_ROWS = "table.table-simple tr"
AGE_ROWS = "ul.bar_wrap li"
AGE_SHARE = "span.bar_num"
AGE_LABEL = "span.bar_txt"
GENDER_SHARES = "dl.label_info"
RELATED = "div.tab.coordi ul.style_list li.list_item a.img-block"
SEASON_ROW, FIT_ROW = "계절", "핏"
#: 'BRAND / CODE': the code is one token with a digit ('1202A164-110'); a brand may contain '/' itself.
BRAND_SERIAL = re.compile(r"^(?P<brand>.+?)\s+/\s+(?P<serial>(?=[^\s/]*\d)[^\s/]+)$")
DEFAULT_AGE_BUCKETS = ("18세 이하", "19~23세", "24~28세", "29~33세", "34~39세", "40세 이상")


@dataclass(slots=True)
class GoodsPage:
    goods_no: str
    name: str
    big_category: str
    mid_category: str | None
    brand: str | None
    serial: str | None
    season: str | None
    gender: str | None  # male / female / unisex (db.audience), None when the page states none
    price: int | None
    likes: int | None
    rating: float | None
    views_1m: int | None
    sales_1y: int | None
    image_url: str | None
    tags: list[str]
    seasons_active: list[str]
    fits_active: list[str]
    age_shares: list[tuple[str, float]]
    gender_shares: list[tuple[str, float]]
    related_outfit_urls: list[str]
    missing: list[str] = field(default_factory=list)


def _article(soup: BeautifulSoup) -> tuple[str | None, str | None, str | None]:
    """Brand and serial (first 'brand / serial' line) and the season label (the line with gender)."""
    brand = serial = season = None
    for paragraph in soup.select(ARTICLE):
        strongs = [text_of(s) for s in paragraph.find_all("strong", recursive=False)]
        if paragraph.select_one(GENDER) is not None:
            season = strongs[0] if strongs else None
        elif brand is None and len(strongs) >= 1 and not paragraph.select_one("strong[id]"):
            brand = strongs[0]
            serial = strongs[1] if len(strongs) > 1 else None
    if brand and serial is None:
        brand, serial = split_brand_serial(brand)
    return brand, serial, season


def split_brand_serial(text: str) -> tuple[str, str | None]:
    """'ASICS / 1202A164-110' -> ('ASICS', '1202A164-110'); a plain brand comes back alone."""
    match = BRAND_SERIAL.match(text)
    return (match.group("brand"), match.group("serial")) if match else (text, None)


def _active(soup: BeautifulSoup, row_label: str) -> list[str]:
    for row in soup.select(TABLE_ROWS):
        if text_of(row.find("th")) == row_label:
            return [t for t in (text_of(td) for td in row.select("td.active")) if t]
    return []


def _ages(soup: BeautifulSoup) -> list[tuple[str, float]]:
    shares = []
    for index, row in enumerate(soup.select(AGE_ROWS)):
        pct = parse_float(text_of(row.select_one(AGE_SHARE)))
        label = text_of(row.select_one(AGE_LABEL))
        if label is None and index < len(DEFAULT_AGE_BUCKETS):
            label = DEFAULT_AGE_BUCKETS[index]
        if pct is not None and label:
            shares.append((label, pct))
    return shares


def _genders(soup: BeautifulSoup) -> list[tuple[str, float]]:
    block = soup.select_one(GENDER_SHARES)
    if block is None:
        return []
    labels = [text_of(dt) for dt in block.find_all("dt")]
    values = [parse_float(text_of(dd)) for dd in block.select("dd")]
    return [(label, pct) for label, pct in zip(labels, values, strict=False) if label and pct is not None]


def parse(html: str, page_url: str) -> GoodsPage:
    """The goods page; name and category are required, every other field is optional and reported."""
    soup = soup_of(html)
    name = required_text(soup, NAME, "name")
    categories = [t for t in (text_of(a) for a in soup.select(CATEGORIES)) if t]
    if not categories:
        raise MissingField("category", CATEGORIES)
    brand, serial, season = _article(soup)
    gender_node = soup.select_one(GENDER)
    # '남' / '여' / '남 여' (one span each): male / female / unisex
    label = " ".join(text_of(s) or "" for s in gender_node.find_all("span")).strip() if gender_node else None
    gender = normalise_gender(label or text_of(gender_node))
    related = linked_pages(soup, RELATED, page_url, "outfit")
    missing = Missing()
    check = missing.check
    page = GoodsPage(
        goods_no=urls.page_id(page_url),
        name=name,
        big_category=categories[0],
        mid_category=check(categories[1] if len(categories) > 1 else None, "mid category"),
        brand=check(brand, "brand"),
        serial=serial,
        season=check(season, "season"),
        gender=check(gender, "gender"),
        price=check(parse_count(text_of(soup.select_one(PRICE))), "price"),
        likes=check(parse_count(text_of(soup.select_one(LIKES))), "likes"),
        rating=check(parse_float(text_of(soup.select_one(RATING))), "rating"),
        views_1m=check(parse_count(text_of(soup.select_one(VIEWS))), "views"),
        sales_1y=check(parse_count(text_of(soup.select_one(SALES))), "sales"),
        image_url=check(image_src(soup, IMAGE, page_url), "image"),
        tags=hashtags(soup, TAGS),
        seasons_active=_active(soup, SEASON_ROW),
        fits_active=_active(soup, FIT_ROW),
        age_shares=check(_ages(soup), "age shares"),
        gender_shares=check(_genders(soup), "gender shares"),
        related_outfit_urls=related,
    )
    page.missing = missing.fields
    return page
