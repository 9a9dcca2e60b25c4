"""Write the replica shop to a directory: pages, garment PNGs, outfit collages, robots.txt, ground truth;
or grow a built one by new outfits and items (what a refresh of a crawled catalogue should find)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from crawler.demo_shop import html
from crawler.demo_shop.catalog import FIT_VALUES, SEASON_VALUES
from crawler.demo_shop.generate import GoodsTruth, Growth, OutfitTruth, ShopTruth, generate, grow
from model.synthetic_garments import garment_rgb, render_collage, render_garment

GROUND_TRUTH = "ground_truth.json"
INPUT_KEYS = ("items_requested", "outfits_requested", "markup", "grown")  # ground_truth.json beside the shop
IMAGE_SIZE = 200


def page_file(root: Path, path: str, query: dict[str, str] | None = None) -> Path | None:
    """The file that answers a shop URL path, or None when the path is not a page of the shop."""
    parts = [p for p in path.split("/") if p]
    if parts[:3] == ["app", "codimap", "lists"] and len(parts) == 3:
        page = (query or {}).get("page", "1")
        return root / "app/codimap/lists" / f"page-{page}.html" if page.isdigit() else None
    if parts[:3] == ["app", "codimap", "views"] and len(parts) == 4 and parts[3].isdigit():
        return root / "app/codimap/views" / f"{parts[3]}.html"
    if parts[:2] == ["app", "goods"] and len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
        return root / "app/goods" / parts[2] / f"{parts[3]}.html"
    return None


def _replace(target: Path, write: Callable[[Path], None]) -> None:
    """Write `target` through a temporary file renamed over it, so a shop served while it grows never
    answers half a page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    write(temporary)
    temporary.replace(target)


def _write(root: Path, url_path: str, text: str) -> None:
    path_only, _, query = url_path.partition("?")
    target = page_file(root, path_only, dict(p.split("=", 1) for p in query.split("&") if "=" in p))
    assert target is not None, url_path
    _replace(target, lambda path: path.write_text(text, encoding="utf-8"))


def _save_png(root: Path, url_path: str, image: Image.Image) -> None:
    _replace(root / url_path.lstrip("/"), lambda path: image.save(path, "PNG", optimize=False))


def _picture(item: GoodsTruth) -> Image.Image:
    """The item's garment photo (the same pixels for the same goods number)."""
    return render_garment(garment_rgb(item.color_family, seed=item.goods_no), item.subcategory,
                          background=item.background, seed=item.goods_no, size=IMAGE_SIZE)


def _write_goods_page(root: Path, item: GoodsTruth, markup: html.Markup) -> None:
    page = html.render_goods_page(item, SEASON_VALUES, FIT_VALUES, markup)
    _write(root, html.goods_path(item.goods_no), page)


def _write_goods(root: Path, items: list[GoodsTruth], markup: html.Markup) -> dict[int, Image.Image]:
    """Photos and pages of `items`; returns the photos by goods number (the collages reuse them)."""
    pictures: dict[int, Image.Image] = {}
    for item in items:
        item.image = html.goods_image_path(item.goods_no)
        pictures[item.goods_no] = _picture(item)
        _save_png(root, item.image, pictures[item.goods_no])
        _write_goods_page(root, item, markup)
    return pictures


def _write_outfits(root: Path, outfits: list[OutfitTruth], by_no: dict[int, GoodsTruth],
                   pictures: dict[int, Image.Image]) -> None:
    """Collages and pages of `outfits`; a member missing from `pictures` has its photo drawn again."""
    for outfit in outfits:
        outfit.image = html.outfit_image_path(outfit.codimap_id)
        for number in outfit.items:
            if number not in pictures:
                pictures[number] = _picture(by_no[number])
        _save_png(root, outfit.image, render_collage([pictures[n] for n in outfit.items], cell=120))
        _write(root, html.outfit_path(outfit.codimap_id), html.render_outfit_page(outfit, by_no))


def _write_lists_and_truth(root: Path, shop: ShopTruth, markup: html.Markup, inputs: dict) -> None:
    """Every list page, robots.txt, then ground_truth.json (`inputs` first): the truth is written last,
    so it names a shop whose pages are all there."""
    for page in range(1, shop.list_pages + 1):
        _write(root, html.list_path(page), html.render_list_page(shop, page, markup))
    (root / "robots.txt").write_text(html.ROBOTS_TXT, encoding="utf-8")
    text = json.dumps({**inputs, **shop.to_json()}, ensure_ascii=False, indent=1)
    _replace(root / GROUND_TRUTH, lambda path: path.write_text(text, encoding="utf-8"))


def build_shop(out: Path, items: int, outfits: int, seed: int, per_page: int = 30,
               markup: html.Markup = "2022") -> ShopTruth:
    """Generate the shop for `seed` into `out` (same inputs, same bytes) and return its ground truth.

    `markup` picks MUSINSA's 2022 or 2023 page markup; the ground truth is the same for both."""
    if markup not in html.MARKUPS:
        raise ValueError(f"markup must be one of {', '.join(html.MARKUPS)}, not {markup!r}")
    shop = generate(items, outfits, seed, per_page)
    out.mkdir(parents=True, exist_ok=True)
    pictures = _write_goods(out, shop.items, markup)
    _write_outfits(out, shop.outfits, {item.goods_no: item for item in shop.items}, pictures)
    _write_lists_and_truth(out, shop, markup,
                           {"items_requested": items, "outfits_requested": outfits, "markup": markup})
    return shop


class NotAShop(ValueError):
    """The directory holds no readable ground_truth.json: it is not a built shop."""


def _read_truth(root: Path) -> tuple[dict, ShopTruth]:
    """ground_truth.json's build inputs (everything but the shop) and the shop, or NotAShop."""
    try:
        data = json.loads((root / GROUND_TRUTH).read_text(encoding="utf-8"))
        inputs = {key: data.pop(key) for key in INPUT_KEYS if key in data}
        return inputs, ShopTruth.from_json(data)
    except FileNotFoundError as error:
        raise NotAShop(f"{root} is not a built shop (no {GROUND_TRUTH}); build one with "
                       f"`python -m crawler.demo_shop build --out {root}`") from error
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise NotAShop(f"{root / GROUND_TRUTH} cannot be read as a shop's ground truth "
                       f"({type(error).__name__}: {error})") from error


def grow_shop(root: Path, outfits: int, items: int | None = None, seed: int | None = None) -> Growth:
    """Add `outfits` outfits and `items` products (default: twice the outfits) to the shop built in `root`.

    Writes the new items' photos and pages, the new outfits' collages and pages, the pages of old items
    that a new outfit wears (their related outfits list it first), every list page (the new outfits come
    first on page 1), then the ground truth, with this growth appended to its "grown" list. Pages of old
    outfits stay as they were. `seed` defaults to the shop's own. The build inputs in the ground truth are
    kept, so `seed-database` keeps using the grown shop instead of building the original again. A grow
    stopped halfway is simply run again: the truth is written last, so the same growth is drawn again.
    NotAShop when `root` holds no built shop; ValueError when the items cannot form the outfits."""
    inputs, shop = _read_truth(root)
    markup = inputs.get("markup", "2022")
    new_items = items if items is not None else 2 * outfits
    seed = seed if seed is not None else shop.seed
    growth = grow(shop, outfits, new_items, seed)
    by_no = {item.goods_no: item for item in growth.shop.items}
    pictures = _write_goods(root, growth.items, markup)
    for item in growth.rewritten:
        _write_goods_page(root, item, markup)
    _write_outfits(root, growth.outfits, by_no, pictures)
    grown = [*inputs.get("grown", []), {"outfits": outfits, "items": new_items, "seed": seed}]
    _write_lists_and_truth(root, growth.shop, markup, {**inputs, "grown": grown})
    return growth


def load_truth(root: Path) -> ShopTruth:
    """The ground truth of a built (perhaps grown) shop."""
    return _read_truth(root)[1]


def is_built(root: Path, items: int, outfits: int, seed: int, markup: str = "2022") -> bool:
    """True when `root` already holds the shop these inputs would build (or that shop grown since)."""
    try:
        data = json.loads((root / GROUND_TRUTH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    built = (data.get("seed"), data.get("items_requested"), data.get("outfits_requested"),
             data.get("markup", "2022"))
    return built == (seed, items, outfits, markup)
