"""Outfit page `/app/codimap/views/{id}`: member goods links in order, tags, the outfit image."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from crawler import urls
from crawler.pages.common import MissingField, soup_of, text_of

ITEM_LINK = "a.styling_img"
TAG = ".ui-tag-list__item"
IMAGE = ".codimap-detail__visual img, img.detail_img"


@dataclass(slots=True)
class OutfitPage:
    codimap_id: str
    item_urls: list[str]
    tags: list[str]
    image_url: str | None
    missing: list[str] = field(default_factory=list)


def parse(html: str, page_url: str) -> OutfitPage:
    soup = soup_of(html)
    item_urls: list[str] = []
    for link in soup.select(ITEM_LINK):
        href = link.get("href")
        try:
            url = urls.canonical(href, page_url) if href else None
        except urls.UnknownPage:
            url = None
        if url and urls.kind_of(url) == "item" and url not in item_urls:
            item_urls.append(url)
    if not item_urls:
        raise MissingField("item links", ITEM_LINK)
    tags = [t.lstrip("#") for t in (text_of(node) for node in soup.select(TAG)) if t and t.lstrip("#")]
    image = soup.select_one(IMAGE)
    image_url = urljoin(page_url, image["src"]) if image is not None and image.get("src") else None
    missing = [name for name, value in (("tags", tags), ("image", image_url)) if not value]
    return OutfitPage(urls.page_id(page_url), item_urls, tags, image_url, missing)
