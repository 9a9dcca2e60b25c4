"""Helpers every page parser shares: finding required parts, reading numbers as the shop prints them."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from crawler import urls

_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(만|천)?")


class MissingField(ValueError):
    """A required part of the page is absent: the page cannot be stored."""

    def __init__(self, field: str, selector: str) -> None:
        super().__init__(f"missing {field} ({selector})")
        self.field = field


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def text_of(node: Tag | None) -> str | None:
    """The visible text of a node, whitespace collapsed; None when absent or empty."""
    if node is None:
        return None
    text = " ".join(node.get_text(" ", strip=True).split())
    return text or None


def required_text(soup: BeautifulSoup, selector: str, field: str) -> str:
    text = text_of(soup.select_one(selector))
    if text is None:
        raise MissingField(field, selector)
    return text


def linked_pages(soup: BeautifulSoup, selector: str, page_url: str, kind: str) -> list[str]:
    """Canonical URLs of the `kind` pages linked by `selector`, in page order, each once."""
    found: dict[str, None] = {}
    for link in soup.select(selector):
        href = link.get("href")
        if not href:
            continue
        try:
            url = urls.canonical(href, page_url)
        except urls.UnknownPage:
            continue
        if urls.kind_of(url) == kind:
            found.setdefault(url, None)
    return list(found)


def hashtags(soup: BeautifulSoup, selector: str) -> list[str]:
    """The texts of `selector` without their leading '#', empty ones dropped."""
    return [t.lstrip("#") for t in (text_of(node) for node in soup.select(selector)) if t and t.lstrip("#")]


def image_src(soup: BeautifulSoup, selector: str, page_url: str) -> str | None:
    """The absolute `src` of the first image matching `selector`; None when there is none."""
    image = soup.select_one(selector)
    return urljoin(page_url, image["src"]) if image is not None and image.get("src") else None


def parse_count(text: str | None) -> int | None:
    """'1,234' -> 1234, '조회 1,234' -> 1234, '1.2만 회 이상' -> 12000; None when no number."""
    if not text:
        return None
    match = _NUMBER.search(text)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    value *= {"만": 10_000, "천": 1_000}.get(match.group(2) or "", 1)
    return int(round(value))


def parse_float(text: str | None) -> float | None:
    if not text:
        return None
    match = re.search(r"\d+(?:\.\d+)?", text.replace(",", ""))
    return float(match.group(0)) if match else None


class Missing:
    """Collects optional fields a page lacks, so a half-complete page is stored and reported."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def check(self, value: object, field: str) -> object:
        if value is None or value == [] or value == {}:
            self.fields.append(field)
        return value
