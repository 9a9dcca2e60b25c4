"""The crawler's parts without a browser: generator, parsers, URL forms, frontier claims, image store."""

from __future__ import annotations

import io
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from PIL import Image

from crawler import frontier, urls
from crawler.demo_shop import html
from crawler.demo_shop.build import build_shop, load_truth
from crawler.demo_shop.catalog import CATEGORIES, FIT_VALUES, SEASON_VALUES
from crawler.demo_shop.generate import generate
from crawler.demo_shop.server import ShopServer
from crawler.frontier import Child, Claimed, Limits
from crawler.images import ImageRejected, store_image
from crawler.pages import goods, outfit, outfit_list
from crawler.pages.common import MissingField, parse_count
from crawler.politeness import Robots
from db.audience import normalise_gender
from db.engine import session_scope
from model.features.colors import rgb_to_family


def test_the_shop_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first, second = build_shop(tmp_path / "a", 30, 8, seed=11), build_shop(tmp_path / "b", 30, 8, seed=11)
    assert first.to_json() == second.to_json()
    for page in (tmp_path / "a").rglob("*"):
        if page.is_file():
            assert page.read_bytes() == (tmp_path / "b" / page.relative_to(tmp_path / "a")).read_bytes(), page
    assert generate(30, 8, seed=12).to_json() != first.to_json()


def test_the_shop_follows_musinsa_categories_and_style_rules() -> None:
    shop = generate(300, 80, seed=3)
    assert {(i.big_category, i.mid_category) for i in shop.items} <= set(CATEGORIES)
    by_no = {i.goods_no: i for i in shop.items}
    for item in shop.items:
        assert sum(item.age_shares.values()) == 100 and sum(item.gender_shares.values()) == 100
        assert item.outfits == sorted(item.outfits, reverse=True)
    for look in shop.outfits:
        classes = Counter(by_no[n].big_class for n in look.items)
        assert classes["top"] <= 1 and classes["bottom"] == 1  # one top (or none with a dress), one bottom
        assert len(set(look.items)) == len(look.items)
    assert len({o.style_key for o in shop.outfits}) >= 6


def test_garment_images_have_the_true_colour_family(built_shop: Path) -> None:
    truth = load_truth(built_shop)
    hits = 0
    for item in truth.items[:20]:
        with Image.open(built_shop / item.image.lstrip("/")) as picture:
            centre = picture.convert("RGB").getpixel((picture.width // 2, int(picture.height * 0.6)))
        hits += rgb_to_family(centre) == item.color_family
    assert hits >= 14  # the centre pixel is garment (shaded) for nearly every silhouette


@pytest.mark.parametrize(("label", "gender"), [("남", "male"), ("여", "female"), ("남 여", "unisex")])
def test_goods_parser_normalises_the_gender_field(built_shop: Path, label: str, gender: str) -> None:
    """The goods page's 성별 field (one span per sex) is stored as male / female / unisex."""
    item = replace(load_truth(built_shop).items[0], gender=label)
    page = goods.parse(html.render_goods_page(item, SEASON_VALUES, FIT_VALUES),
                       f"http://127.0.0.1:1/app/goods/{item.goods_no}/0")
    assert page.gender == gender and "gender" not in page.missing


@pytest.mark.parametrize("markup", ["2022", "2023"])
def test_goods_parser_reads_every_field(markup: str, request: pytest.FixtureRequest) -> None:
    built_shop = request.getfixturevalue("built_shop" if markup == "2022" else "built_shop_2023")
    item = load_truth(built_shop).items[0]
    url = f"http://127.0.0.1:1/app/goods/{item.goods_no}/0"
    page = goods.parse((built_shop / f"app/goods/{item.goods_no}/0.html").read_text(encoding="utf-8"), url)
    assert (page.name, page.brand, page.serial, page.big_category, page.mid_category) == (
        item.name, item.brand, item.serial, item.big_category, item.mid_category)
    assert (page.price, page.likes, page.rating, page.views_1m, page.sales_1y) == (
        item.price, item.likes, item.rating, item.views_1m, item.sales_1y)
    assert (page.gender, page.season, page.tags) == (normalise_gender(item.gender), item.season, item.tags)
    assert (page.seasons_active, page.fits_active) == (item.seasons_active, item.fits_active)
    assert dict(page.age_shares) == item.age_shares and dict(page.gender_shares) == item.gender_shares
    assert page.related_outfit_urls == [urls.outfit_url(url, o) for o in item.outfits[:12]]
    assert page.image_url == "http://127.0.0.1:1" + item.image and page.missing == []


def test_goods_parser_reports_missing_parts() -> None:
    url = "https://www.musinsa.com/app/goods/123/0"
    with pytest.raises(MissingField, match="name"):
        goods.parse("<html><p class='item_categories'><a>상의</a></p></html>", url)
    page = goods.parse(
        "<span class='product_title'><em> 셔츠 </em></span><p class='item_categories'><a>상의</a></p>", url)
    assert page.name == "셔츠" and page.big_category == "상의"
    assert {"price", "brand", "image", "mid category"} <= set(page.missing)


def test_list_and_outfit_parsers_handle_the_real_shops_variants() -> None:
    html = """<ul><li class="style-list-item"><div class="style-list-item__thumbnail">
      <a href="javascript:void(0)" onclick="goView(&quot;30511&quot;)"></a></div>
      <span class="style-list-information__text">댄디</span>
      <span class="post-information__text">조회 1.2만</span></li>
      <li class="style-list-item"><div class="style-list-item__thumbnail">
      <a href="/app/codimap/views/30400?x=1"></a></div></li></ul>
      <div class="pagination"><a href="?page=3">3</a><a href="?page=2">2</a></div>"""
    page = outfit_list.parse(html, "https://www.musinsa.com/app/codimap/lists?page=1")
    assert [(e.codimap_id, e.style, e.views) for e in page.entries] == [("30511", "댄디", 12000),
                                                                       ("30400", None, None)]
    assert page.next_url == "https://www.musinsa.com/app/codimap/lists?page=2"
    look = outfit.parse('<a class="styling_img" href="//www.musinsa.com/app/goods/99/0?loc=x"></a>'
                        '<a class="styling_img" href="/app/goods/99"></a>'
                        '<li class="ui-tag-list__item">#데일리</li>',
                        "https://www.musinsa.com/app/codimap/views/30511")
    assert look.item_urls == ["https://www.musinsa.com/app/goods/99/0"] and look.tags == ["데일리"]
    with pytest.raises(MissingField):
        outfit.parse("<html></html>", "https://www.musinsa.com/app/codimap/views/1")


def test_the_2023_markup_pager_and_brand_field() -> None:
    """Saved real 2023 pages: a pager without URLs, and the product code inside the brand field."""
    entry = ('<li class="style-list-item"><div class="style-list-item__thumbnail">'
             '<a href="javascript:void(0)" onclick="goView(\'30511\')"></a></div></li>')
    pager = ('<a href="javascript:void(0)" onClick="listSwitchPage(document.f1, \'{n}\'); return false;" '
             'class="paging-btn btn">{n}</a>')
    html = f"<ul>{entry}</ul><div class='pagination'>{pager.format(n=1)}{pager.format(n=2)}</div>"
    page = outfit_list.parse(html, "https://www.musinsa.com/app/codimap/lists?page=1&style_type=street")
    assert page.next_url == "https://www.musinsa.com/app/codimap/lists?page=2&style_type=street"
    last = outfit_list.parse(html, "https://www.musinsa.com/app/codimap/lists?page=2")
    assert last.next_url is None

    field = ('<span class="product_title"><em>젤 카야노 14</em></span>'
             '<p class="item_categories"><a>신발</a></p>'
             '<p class="product_article_contents"><strong><a href="/app/brands/asics">ASICS</a> / '
             '1202A164-110</strong></p>')
    shoe = goods.parse(field, "https://www.musinsa.com/app/goods/3021045/0")
    assert (shoe.brand, shoe.serial) == ("ASICS", "1202A164-110")
    assert goods.split_brand_serial("A / B Studio") == ("A / B Studio", None)  # no code: a brand with '/'
    assert goods.split_brand_serial("ASICS") == ("ASICS", None)


@pytest.mark.parametrize(("text", "value"), [("1,234", 1234), ("조회 987", 987), ("1.2만 회 이상", 12000),
                                             ("39,000원", 39000), ("", None), ("없음", None)])
def test_counts_are_read_as_the_shop_prints_them(text: str, value: int | None) -> None:
    assert parse_count(text) == value


def test_sources_follow_the_host() -> None:
    assert urls.item_source("https://www.musinsa.com/app/goods/1/0") == "musinsa"
    assert urls.outfit_source("https://www.musinsa.com/app/codimap/views/1") == "musinsa_codimap"
    assert urls.item_source("http://127.0.0.1:8600/app/goods/1/0") == "replica"
    assert urls.item_source("https://musinsa.com.evil.example/app/goods/1/0") == "replica"
    with pytest.raises(urls.UnknownPage):
        urls.kind_of("https://www.musinsa.com/app/cart")


def test_claims_never_hand_one_page_to_two_workers(db_url: str) -> None:
    frontier.seed(db_url, "http://shop/app/codimap/lists?page=1", "list")
    root = frontier.claim(db_url, "seed")
    limits = Limits(max_depth=5, max_outfits=None, max_items=None)
    with session_scope(db_url) as session:
        children = [Child(f"http://shop/app/goods/{n}/0", "item") for n in range(60)]
        pushed = frontier.push(session, root, children, limits)
    assert pushed[0].endswith("/goods/0/0")
    taken: list[tuple[str, str]] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (page := frontier.claim(db_url, name)) is not None:
            with lock:
                taken.append((page.url, name))

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(u for u, _ in taken) == sorted(pushed)  # each page exactly once


def test_push_is_depth_first_deduplicated_and_capped(sqlite_url: str) -> None:
    frontier.seed(sqlite_url, "http://shop/app/codimap/lists?page=1", "list")
    root = frontier.claim(sqlite_url, "w")
    limits = Limits(max_depth=1, max_outfits=2, max_items=None)
    children = [Child(f"http://shop/app/codimap/views/{n}", "outfit") for n in (5, 6, 7)]
    with session_scope(sqlite_url) as session:
        assert len(frontier.push(session, root, children, limits)) == 2  # capped
        assert frontier.push(session, root, children[:1], limits) == []  # already known
    first = frontier.claim(sqlite_url, "w")
    assert first.url.endswith("/views/5") and first.depth == 1
    deeper = Claimed(first.id, first.url, "outfit", 1, 1)
    with session_scope(sqlite_url) as session:
        assert frontier.push(session, deeper, [Child("http://shop/app/goods/1/0", "item")], limits) == []


def test_images_are_content_addressed(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(buffer, "PNG")
    path = store_image(tmp_path, buffer.getvalue())
    assert path == store_image(tmp_path, buffer.getvalue())
    assert path.endswith(".png") and path[:2] == path[3:5] and len(list(tmp_path.rglob("*.png"))) == 1
    with pytest.raises(ImageRejected):
        store_image(tmp_path, b"<html>error</html>")


def test_robots_rules_and_unreachable_robots(shop_dir: Path) -> None:
    (shop_dir / "robots.txt").write_text("User-agent: *\nDisallow: /app/goods/\n", encoding="utf-8")
    server = ShopServer(shop_dir).start()
    try:
        with httpx.Client() as client:
            robots = Robots(client)
            assert not robots.allowed(f"{server.url}/app/goods/1/0")
            assert robots.allowed(f"{server.url}/app/codimap/views/1")
    finally:
        server.stop()
    with httpx.Client() as client:
        robots = Robots(client)
        assert not robots.allowed(f"{server.url}/app/codimap/views/1")  # server gone: disallow all
        assert "unreachable" in next(iter(robots.unreachable.values()))


def test_seed_database_without_a_browser_loads_the_ground_truth(
    shop_dir: Path, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from crawler.demo_shop.seed import seed_database
    from tests.crawler.conftest import SMALL_SHOP
    from tests.crawler.truth import assert_matches_truth

    arguments = {"items": SMALL_SHOP["items"], "outfits": SMALL_SHOP["outfits"], "seed": SMALL_SHOP["seed"]}
    for _ in range(2):  # idempotent: the second run changes nothing
        status = seed_database(shop_dir, 8600, sqlite_url, tmp_path / "images", use_browser=False,
                               **arguments)
        assert status == 0
        assert_matches_truth(sqlite_url, shop_dir, "http://127.0.0.1:8600", tmp_path / "images")
    assert "loading the replica shop's ground truth directly" in capsys.readouterr().out


def test_request_bookings_keep_the_delay_across_workers(db_url: str) -> None:
    """Concurrent workers each get their own slot, at least the interval after the one before."""
    interval = 0.2
    with ThreadPoolExecutor(max_workers=6) as pool:
        slots = sorted(pool.map(lambda _: frontier.book_request(db_url, "shop.test:80", interval), range(24)))
    gaps = [later - earlier for earlier, later in zip(slots, slots[1:], strict=False)]
    assert min(gaps) >= interval - 1e-6, gaps
    assert frontier.book_request(db_url, "other.test", interval) < slots[-1]  # hosts are independent
