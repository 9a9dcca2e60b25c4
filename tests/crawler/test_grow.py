"""`grow`: a built shop gets new outfits (listed first, as MUSINSA lists its newest) and new items, and
everything it already served stays valid, so a refresh's crawl finds exactly the new listings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crawler import urls
from crawler.demo_shop import html
from crawler.demo_shop.__main__ import main
from crawler.demo_shop.build import GROUND_TRUTH, NotAShop, grow_shop, is_built, load_truth, page_file
from crawler.demo_shop.generate import ShopTruth
from crawler.pages import goods, outfit, outfit_list
from tests.crawler.conftest import SMALL_SHOP

BASE = "http://127.0.0.1:8600"


def files(root: Path) -> dict[str, bytes]:
    """Every file of a shop directory by its path there."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def page(root: Path, url_path: str) -> str:
    """The HTML the served shop answers for `url_path` (the same file lookup as the server's)."""
    path, _, query = url_path.partition("?")
    target = page_file(root, path, dict(part.split("=", 1) for part in query.split("&") if "=" in part))
    assert target is not None and target.is_file(), url_path
    return target.read_text(encoding="utf-8")


def listed(root: Path, shop: ShopTruth) -> list[int]:
    """Outfit ids over all list pages in order, read with the crawler's list parser."""
    ids: list[int] = []
    for number in range(1, shop.list_pages + 1):
        parsed = outfit_list.parse(page(root, html.list_path(number)), BASE + html.list_path(number))
        ids += [int(entry.codimap_id) for entry in parsed.entries]
    return ids


def test_new_outfits_are_listed_first_and_old_pages_stay_as_they_were(shop_dir: Path) -> None:
    before, old = files(shop_dir), load_truth(shop_dir)
    growth = grow_shop(shop_dir, 3)
    new_ids = [o.codimap_id for o in growth.outfits]
    assert len(new_ids) == 3 and new_ids == sorted(new_ids, reverse=True)
    assert min(new_ids) > max(o.codimap_id for o in old.outfits)
    # every outfit once, newest first: page 1 opens with the new ones and old ones move down the pages
    assert listed(shop_dir, growth.shop) == new_ids + [o.codimap_id for o in old.outfits]

    rewritten = {item.goods_no: item for item in growth.rewritten}
    assert rewritten, "some new outfit wears an item the shop already had"
    after = files(shop_dir)
    for name, data in before.items():
        if name == GROUND_TRUTH or name.startswith("app/codimap/lists/"):
            continue
        goods_no = int(name.split("/")[2]) if name.startswith("app/goods/") else None
        if goods_no not in rewritten:
            assert after[name] == data, f"{name} changed"
            continue
        # an old item a new outfit wears: its page lists that outfit first, then what it listed before
        parsed = goods.parse(after[name].decode(), BASE + html.goods_path(goods_no))
        related = [int(urls.page_id(u)) for u in parsed.related_outfit_urls]
        worn_by = [o.codimap_id for o in growth.outfits if goods_no in o.items]
        old_item = next(i for i in old.items if i.goods_no == goods_no)
        assert related == (worn_by + old_item.outfits)[:12]


def test_new_items_and_outfits_have_pages_and_pictures(shop_dir: Path) -> None:
    old = {item.goods_no: item for item in load_truth(shop_dir).items}
    growth = grow_shop(shop_dir, 3, items=5)
    assert len(growth.items) == 5
    new = {item.goods_no for item in growth.items}
    assert not new & set(old)
    for item in growth.items:
        path = html.goods_path(item.goods_no)
        parsed = goods.parse(page(shop_dir, path), BASE + path)
        assert (parsed.name, parsed.brand, parsed.price) == (item.name, item.brand, item.price)
        assert (shop_dir / item.image.lstrip("/")).is_file()
    for look in growth.outfits:
        path = html.outfit_path(look.codimap_id)
        parsed = outfit.parse(page(shop_dir, path), BASE + path)
        assert [int(urls.page_id(u)) for u in parsed.item_urls] == look.items
        assert (shop_dir / look.image.lstrip("/")).is_file()
        # a new item worn with one an older outfit wears (a crawl knows it): real matches for the new item
        assert set(look.items) & new and any(old[n].outfits for n in set(look.items) - new)


def test_the_ground_truth_grows_with_the_shop(shop_dir: Path) -> None:
    grow_shop(shop_dir, 3, items=4, seed=9)
    truth = load_truth(shop_dir)
    assert (len(truth.items), len(truth.outfits)) == (SMALL_SHOP["items"] + 4, SMALL_SHOP["outfits"] + 3)
    raw = json.loads((shop_dir / GROUND_TRUTH).read_text(encoding="utf-8"))
    assert raw["grown"] == [{"outfits": 3, "items": 4, "seed": 9}]
    assert (raw["items_requested"], raw["outfits_requested"]) == (SMALL_SHOP["items"], SMALL_SHOP["outfits"])
    # the build inputs still match: seed-database keeps the grown shop instead of building it again
    assert is_built(shop_dir, SMALL_SHOP["items"], SMALL_SHOP["outfits"], SMALL_SHOP["seed"])
    wearing: dict[int, list[int]] = {}
    for look in truth.outfits:  # newest first
        for number in look.items:
            wearing.setdefault(number, []).append(look.codimap_id)
    assert {i.goods_no: i.outfits for i in truth.items if i.outfits} == wearing


def test_growing_is_deterministic_and_a_second_growth_differs(built_shop: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(built_shop, first)
    shutil.copytree(built_shop, second)
    one, two = grow_shop(first, 2), grow_shop(second, 2)
    assert one.shop.to_json() == two.shop.to_json()
    assert files(first) == files(second)

    again = grow_shop(first, 2)  # same seed, but a shop with more outfits: other outfits, newer still
    assert min(o.codimap_id for o in again.outfits) > max(o.codimap_id for o in one.outfits)
    assert [o.items for o in again.outfits] != [o.items for o in one.outfits]
    truth = load_truth(first)
    assert listed(first, truth) == [o.codimap_id for o in truth.outfits]
    assert [g["outfits"] for g in json.loads((first / GROUND_TRUTH).read_text())["grown"]] == [2, 2]


def test_a_2023_shop_grows_in_its_own_markup(built_shop_2023: Path, tmp_path: Path) -> None:
    root = tmp_path / "shop2023"
    shutil.copytree(built_shop_2023, root)
    old = load_truth(root)
    growth = grow_shop(root, 2)
    assert listed(root, growth.shop) == [o.codimap_id for o in growth.outfits + old.outfits]
    assert "listSwitchPage(document.f1" in page(root, html.list_path(1))  # the 2023 pager, no URLs
    for item in growth.items:
        path = html.goods_path(item.goods_no)
        text = page(root, path)
        assert f"{item.brand}</a> / {item.serial}</strong>" in text  # brand and code in one text
        assert goods.parse(text, BASE + path).serial == item.serial


def test_growing_what_is_not_a_built_shop_fails_plainly(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    assert main(["grow", str(missing), "--outfits", "2"]) == 1
    err = capsys.readouterr().err
    assert f"{missing} is not a built shop (no ground_truth.json)" in err
    assert "python -m crawler.demo_shop build --out" in err
    assert not missing.exists()  # nothing written

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / GROUND_TRUTH).write_text('{"items": []}', encoding="utf-8")
    assert main(["grow", str(broken)]) == 1
    assert "cannot be read as a shop's ground truth (KeyError: 'seed')" in capsys.readouterr().err
    assert [p.name for p in broken.iterdir()] == [GROUND_TRUTH]
    with pytest.raises(NotAShop):
        grow_shop(broken, 1)
    assert main(["serve", str(missing)]) == 1  # serve says the same
    assert "is not a built shop" in capsys.readouterr().err


def test_the_command_line_reports_the_growth(shop_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grow", str(shop_dir), "--outfits", "2", "--items", "3"]) == 0
    truth = load_truth(shop_dir)
    assert capsys.readouterr().out == (
        f"grew {shop_dir} by 2 outfits and 3 items (now {SMALL_SHOP['items'] + 3} items, "
        f"{SMALL_SHOP['outfits'] + 2} outfits, {truth.list_pages} list pages; "
        f"newest outfit {truth.outfits[0].codimap_id})\n")
