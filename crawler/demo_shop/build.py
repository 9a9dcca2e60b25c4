"""Write the replica shop to a directory: pages, garment PNGs, outfit collages, robots.txt, ground truth."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from crawler.demo_shop import html
from crawler.demo_shop.catalog import FIT_VALUES, SEASON_VALUES
from crawler.demo_shop.generate import ShopTruth, generate
from model.synthetic_garments import garment_rgb, render_collage, render_garment

GROUND_TRUTH = "ground_truth.json"
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


def _write(root: Path, url_path: str, text: str) -> None:
    path_only, _, query = url_path.partition("?")
    target = page_file(root, path_only, dict(p.split("=", 1) for p in query.split("&") if "=" in p))
    assert target is not None, url_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _save_png(root: Path, url_path: str, image: Image.Image) -> None:
    target = root / url_path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, "PNG", optimize=False)


def build_shop(out: Path, items: int, outfits: int, seed: int, per_page: int = 30,
               markup: html.Markup = "2022") -> ShopTruth:
    """Generate the shop for `seed` into `out` (same inputs, same bytes) and return its ground truth.

    `markup` picks MUSINSA's 2022 or 2023 page markup; the ground truth is the same for both."""
    if markup not in html.MARKUPS:
        raise ValueError(f"markup must be one of {', '.join(html.MARKUPS)}, not {markup!r}")
    shop = generate(items, outfits, seed, per_page)
    out.mkdir(parents=True, exist_ok=True)
    by_no = {item.goods_no: item for item in shop.items}
    pictures: dict[int, Image.Image] = {}
    for item in shop.items:
        item.image = html.goods_image_path(item.goods_no)
        picture = render_garment(
            garment_rgb(item.color_family, seed=item.goods_no),
            item.subcategory,
            background=item.background,
            seed=item.goods_no,
            size=IMAGE_SIZE,
        )
        pictures[item.goods_no] = picture
        _save_png(out, item.image, picture)
        page = html.render_goods_page(item, SEASON_VALUES, FIT_VALUES, markup)
        _write(out, html.goods_path(item.goods_no), page)
    for outfit in shop.outfits:
        outfit.image = html.outfit_image_path(outfit.codimap_id)
        _save_png(out, outfit.image, render_collage([pictures[n] for n in outfit.items], cell=120))
        _write(out, html.outfit_path(outfit.codimap_id), html.render_outfit_page(outfit, by_no))
    for page in range(1, shop.list_pages + 1):
        _write(out, html.list_path(page), html.render_list_page(shop, page, markup))
    (out / "robots.txt").write_text(html.ROBOTS_TXT, encoding="utf-8")
    (out / GROUND_TRUTH).write_text(
        json.dumps(
            {"items_requested": items, "outfits_requested": outfits, "markup": markup, **shop.to_json()},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    return shop


def load_truth(root: Path) -> ShopTruth:
    """The ground truth of a built shop."""
    data = json.loads((root / GROUND_TRUTH).read_text(encoding="utf-8"))
    for key in ("items_requested", "outfits_requested", "markup"):
        data.pop(key, None)
    return ShopTruth.from_json(data)


def is_built(root: Path, items: int, outfits: int, seed: int, markup: str = "2022") -> bool:
    """True when `root` already holds the shop these inputs would build."""
    try:
        data = json.loads((root / GROUND_TRUTH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    built = (data.get("seed"), data.get("items_requested"), data.get("outfits_requested"),
             data.get("markup", "2022"))
    return built == (seed, items, outfits, markup)
