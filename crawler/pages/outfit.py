"""Outfit page `/app/codimap/views/{id}`: member goods links in order, tags, the outfit image."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler import urls
from crawler.pages.common import MissingField, hashtags, image_src, linked_pages, soup_of

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
    item_urls = linked_pages(soup, ITEM_LINK, page_url, "item")
    if not item_urls:
        raise MissingField("item links", ITEM_LINK)
    tags = hashtags(soup, TAG)
    image_url = image_src(soup, IMAGE, page_url)
    missing = [name for name, value in (("tags", tags), ("image", image_url)) if not value]
    return OutfitPage(urls.page_id(page_url), item_urls, tags, image_url, missing)
