"""Outfit list `/app/codimap/lists?page=N`: outfit ids (from onclick), style, views, the next page.

The pager links to `?page=N` (2022) or, with no URL at all, calls
`listSwitchPage(document.f1, 'N')` (2023), which submits the list's form with page N. Either way the
next page's URL is this list page's own URL with `page` set to N.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from crawler import urls
from crawler.pages.common import MissingField, parse_count, soup_of, text_of

ENTRY = ".style-list-item"
THUMBNAIL_LINK = ".style-list-item__thumbnail > a"
STYLE = ".style-list-information__text"
POST_INFO = ".post-information__text"
PAGING = ".pagination a, a.paging-btn"
SWITCH_PAGE = re.compile(r"listSwitchPage\([^,)]*,\s*['\"]?(\d+)")
VIEWS_WORD = "조회"


@dataclass(slots=True)
class ListEntry:
    codimap_id: str
    url: str
    style: str | None
    views: int | None


@dataclass(slots=True)
class OutfitListPage:
    entries: list[ListEntry]
    next_url: str | None
    missing: list[str] = field(default_factory=list)


def parse(html: str, page_url: str) -> OutfitListPage:
    """Entries in page order; `next_url` is the following list page when the pager links to it."""
    soup = soup_of(html)
    entries: list[ListEntry] = []
    missing: list[str] = []
    seen: set[str] = set()
    for entry in soup.select(ENTRY):
        link = entry.select_one(THUMBNAIL_LINK)
        match = urls.ONCLICK_ID.search(link.get("onclick", "")) if link else None
        if match is None and link is not None and link.get("href"):
            try:
                match_id = urls.page_id(urls.canonical(link["href"], page_url))
            except urls.UnknownPage:
                match_id = None
        else:
            match_id = match.group(1) if match else None
        if match_id is None:
            missing.append("outfit id")
            continue
        if match_id in seen:
            continue
        seen.add(match_id)
        views = next(
            (
                parse_count(text_of(node))
                for node in entry.select(POST_INFO)
                if VIEWS_WORD in (text_of(node) or "")
            ),
            None,
        )
        style = text_of(entry.select_one(STYLE))
        if style is None:
            missing.append(f"style of {match_id}")
        if views is None:
            missing.append(f"views of {match_id}")
        entries.append(ListEntry(match_id, urls.outfit_url(page_url, match_id), style, views))
    if not entries:
        raise MissingField("outfit entries", THUMBNAIL_LINK)
    current = urls.list_page_number(page_url)
    wanted = current + 1
    next_url = urls.list_url(page_url, wanted) if wanted in _pager_numbers(soup) else None
    return OutfitListPage(entries, next_url, missing)


def _pager_numbers(soup: BeautifulSoup) -> set[int]:
    """Page numbers the pager offers, from `?page=N` links or `listSwitchPage(form, 'N')` calls."""
    numbers: set[int] = set()
    for link in soup.select(PAGING):
        switch = SWITCH_PAGE.search(link.get("onclick") or "")
        if switch:
            numbers.add(int(switch.group(1)))
        elif (href := link.get("href") or "") and "page=" in href:
            numbers.add(urls.list_page_number(href))
    return numbers
