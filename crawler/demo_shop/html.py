"""The replica shop's pages, in MUSINSA's 2022 or 2023 markup (the selectors the crawler's parsers use).

The two markups differ where saved real pages from 2023 differ from 2022: the list pager has no URL
(`href="javascript:void(0)" onClick="listSwitchPage(document.f1, '2')"`, the page number goes into a
form), and the goods page prints brand and product code as one text, `ASICS / 1202A164-110`.
Only the structure matters; styling is left out. Header links to pages the crawler must ignore
(ranking, cart) are kept so the parsers are tested against the surrounding noise too.
"""

from __future__ import annotations

from html import escape
from typing import Literal

from crawler.demo_shop.generate import GoodsTruth, OutfitTruth, ShopTruth, shown_related

Markup = Literal["2022", "2023"]
MARKUPS: tuple[Markup, ...] = ("2022", "2023")
SEASON_ROW = "계절"
FIT_ROW = "핏"


def goods_path(goods_no: int) -> str:
    return f"/app/goods/{goods_no}/0"


def outfit_path(codimap_id: int) -> str:
    return f"/app/codimap/views/{codimap_id}"


def list_path(page: int) -> str:
    return f"/app/codimap/lists?page={page}"


def goods_image_path(goods_no: int) -> str:
    return f"/images/goods_img/{goods_no}/{goods_no}_1_500.png"


def outfit_image_path(codimap_id: int) -> str:
    return f"/images/codimap/detail/{codimap_id}/detail_{codimap_id}_1_500.png"


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{escape(title)} - 무신사 스토어 (replica)</title></head>
<body><div id="wrap">
<header class="header"><a class="logo" href="/app/">MUSINSA</a>
<nav class="gnb"><a href="/app/codimap/lists?page=1">코디맵</a><a href="/app/contents/bestranking">랭킹</a>
<a href="/app/cart">장바구니</a></nav></header>
<div id="container" class="container">
{body}
</div>
<footer class="footer"><p>Replica of MUSINSA's page structure, generated for offline tests.</p></footer>
</div></body></html>
"""


def _number(value: int) -> str:
    return f"{value:,}"


def _pager_2022(page: int, last: int) -> str:
    links = []
    if page > 1:
        links.append(f'<a class="paging-btn btn prev" href="?page={page - 1}">이전</a>')
    for number in range(max(1, page - 4), min(last, page + 4) + 1):
        active = " active" if number == page else ""
        links.append(f'<a class="paging-btn btn{active}" href="?page={number}">{number}</a>')
    if page < last:
        links.append(f'<a class="paging-btn btn next" href="?page={page + 1}">다음</a>')
    return f'<div class="pagination"><div class="wrapper">{"".join(links)}</div></div>'


def _pager_2023(page: int, last: int) -> str:
    """No URLs: each button calls listSwitchPage(document.f1, 'N'), which submits form f1."""

    def button(number: int, label: str, extra: str = "") -> str:
        return (f'<a href="javascript:void(0)" onClick="listSwitchPage(document.f1, \'{number}\'); '
                f'return false;" class="paging-btn btn{extra}">{label}</a>')

    links = [button(page - 1, "이전", " prev")] if page > 1 else []
    links += [button(n, str(n), " active" if n == page else "")
              for n in range(max(1, page - 4), min(last, page + 4) + 1)]
    if page < last:
        links.append(button(page + 1, "다음", " next"))
    return (f'<form name="f1" method="get" action="/app/codimap/lists">'
            f'<input type="hidden" name="page" value="{page}"></form>'
            f'<div class="pagination"><div class="wrapper">{"".join(links)}</div></div>')


def render_list_page(shop: ShopTruth, page: int, markup: Markup = "2022") -> str:
    start = (page - 1) * shop.per_page
    entries = []
    for outfit in shop.outfits[start : start + shop.per_page]:
        oid = outfit.codimap_id
        entries.append(f"""<li class="style-list-item">
  <div class="style-list-item__thumbnail"><a href="javascript:void(0);" onclick="goView('{oid}');">
    <img class="style-list-thumbnail__img" src="{outfit_image_path(oid)}" alt="코디 {oid}"></a></div>
  <div class="style-list-information">
    <a class="style-list-information__title" href="javascript:void(0);"
       onclick="goView('{oid}');">코디 {oid}</a>
    <span class="style-list-information__text">{escape(outfit.style)}</span>
    <div class="post-information">
      <span class="post-information__text">2022.0{1 + oid % 9}.{10 + oid % 18}</span>
      <span class="post-information__text">조회 {_number(outfit.views)}</span></div>
  </div>
</li>""")
    pager = (_pager_2023 if markup == "2023" else _pager_2022)(page, shop.list_pages)
    body = f"""<div class="right_contents section_codimap">
<h2 class="title-page">코디맵</h2>
<ul class="style-list">
{chr(10).join(entries)}
</ul>
{pager}
</div>"""
    return _page(f"코디맵 {page}페이지", body)


def render_outfit_page(outfit: OutfitTruth, items: dict[int, GoodsTruth]) -> str:
    oid = outfit.codimap_id
    goods = []
    for number in outfit.items:
        item = items[number]
        goods.append(f"""<div class="swiper-slide styling_list">
  <a class="styling_img" href="{goods_path(number)}"><img src="{goods_image_path(number)}" alt=""></a>
  <div class="styling_txt"><a class="brand" href="/app/brands/x">{escape(item.brand)}</a>
    <a class="name" href="{goods_path(number)}">{escape(item.name)}</a>
    <span class="price">{_number(item.price)}원</span></div>
</div>""")
    tags = "".join(
        f'<li class="ui-tag-list__item"><a href="/app/codimap/lists?tag={escape(t)}">#{escape(t)}</a></li>'
        for t in outfit.tags
    )
    body = f"""<div class="right_contents codimap-detail">
<div class="codimap-detail__visual">
  <img class="detail_img" src="{outfit_image_path(oid)}" alt="코디 {oid}"></div>
<div class="styling_goods"><h3>코디 상품</h3>
{chr(10).join(goods)}
</div>
<ul class="ui-tag-list">{tags}</ul>
</div>"""
    return _page(f"코디 {oid}", body)


def _table_row(label: str, values: tuple[str, ...], active: list[str]) -> str:
    cells = "".join(f'<td class="active">{v}</td>' if v in active else f"<td>{v}</td>" for v in values)
    return f"<tr><th>{label}</th>{cells}</tr>"


def _brand_and_serial(item: GoodsTruth, markup: Markup) -> str:
    brand = f'<a href="/app/brands/x">{escape(item.brand)}</a>'
    if markup == "2023":  # one text: 'ASICS / 1202A164-110'
        return f"<strong>{brand} / {escape(item.serial)}</strong>"
    return f"<strong>{brand}</strong> /\n    <strong>{escape(item.serial)}</strong>"


def render_goods_page(item: GoodsTruth, season_values: tuple[str, ...], fit_values: tuple[str, ...],
                      markup: Markup = "2022") -> str:
    gender = "".join(f"<span>{escape(g)}</span>" for g in item.gender.split())
    tags = "".join(
        f'<a class="listItem" href="/app/search?q={escape(t)}">#{escape(t)}</a>' for t in item.tags
    )
    ages = "".join(
        f"""<li><span class="bar_num">{pct}%</span><span class="bar_item"><span class="bar_gage" \
style="height:{pct}%"></span></span><span class="bar_txt">{escape(bucket)}</span></li>"""
        for bucket, pct in item.age_shares.items()
    )
    genders = "".join(
        f"<dt>{escape(bucket)}</dt><dd>{pct}%</dd>" for bucket, pct in item.gender_shares.items()
    )
    related = "".join(
        f"""<li class="list_item"><a class="img-block" href="{outfit_path(oid)}">\
<img src="{outfit_image_path(oid)}" alt=""></a></li>"""
        for oid in shown_related(item)
    )
    body = f"""<div class="right_contents section_product_summary">
<div class="product_info_section">
  <p class="item_categories"><a href="/app/items/lists/001">{escape(item.big_category)}</a> &gt;
    <a href="/app/items/lists/001001">{escape(item.mid_category)}</a></p>
  <span class="product_title"><em>{escape(item.name)}</em></span>
</div>
<div class="product-img"><img src="{goods_image_path(item.goods_no)}" alt="{escape(item.name)}"></div>
<div class="explan_product product_info_section">
<ul class="product_article">
  <li><p class="product_article_tit">브랜드 / 품번</p><p class="product_article_contents">
    {_brand_and_serial(item, markup)}</p></li>
  <li><p class="product_article_tit">시즌 / 성별</p><p class="product_article_contents">
    <strong>{escape(item.season)}</strong> <span class="txt_gender">{gender}</span></p></li>
  <li><p class="product_article_tit">조회수(1개월)</p><p class="product_article_contents">
    <strong id="pageview_1m">{_number(item.views_1m)}</strong></p></li>
  <li><p class="product_article_tit">누적판매(1년)</p><p class="product_article_contents">
    <strong id="sales_1y_qty">{_number(item.sales_1y)}</strong></p></li>
  <li><p class="product_article_tit">좋아요</p><p class="product_article_contents">
    <span class="prd_like_cnt">{_number(item.likes)}</span></p></li>
  <li><p class="product_article_tit">구매 후기</p><p class="product_article_contents">
    <span class="prd-score__rating">{item.rating:.1f}</span></p></li>
</ul>
<div class="product_article_price_wrap">
  <span class="product_article_price">{_number(item.price)}원</span></div>
<ul class="product_article">
  <li class="article-tag-list"><p class="product_article_tit">태그</p>{tags}</li></ul>
</div>
<table class="table-simple">
{_table_row(SEASON_ROW, season_values, item.seasons_active)}
{_table_row(FIT_ROW, fit_values, item.fits_active)}
</table>
<div class="graph_age"><ul class="bar_wrap">{ages}</ul></div>
<div class="graph_gender"><dl class="label_info">{genders}</dl></div>
<div class="tab coordi"><h3>이 상품의 코디</h3><ul class="style_list">{related}</ul></div>
</div>"""
    return _page(item.name, body)


ROBOTS_TXT = """User-agent: *
Disallow: /app/cart
Disallow: /app/order
Allow: /
"""
