"""The shop's URL shapes (MUSINSA 2022 and the replica alike): page kind, ids, canonical forms, sources."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

GOODS = re.compile(r"^/app/goods/(\d+)(?:/\d+)?/?$")
OUTFIT = re.compile(r"^/app/codimap/views/(\d+)/?$")
OUTFIT_LIST = re.compile(r"^/app/codimap/lists/?$")
ONCLICK_ID = re.compile(r"goView\(\s*['\"]?(\d+)")

KINDS = ("list", "outfit", "item", "image")


class UnknownPage(ValueError):
    """A URL that is none of the crawled page kinds."""


def kind_of(url: str) -> str:
    """'list', 'outfit' or 'item' for a shop page URL; UnknownPage otherwise."""
    path = urlsplit(url).path
    if OUTFIT_LIST.match(path):
        return "list"
    if OUTFIT.match(path):
        return "outfit"
    if GOODS.match(path):
        return "item"
    raise UnknownPage(f"not an outfit list, outfit or goods page: {url}")


def page_id(url: str) -> str:
    """The shop's own id of an outfit or goods page."""
    path = urlsplit(url).path
    match = OUTFIT.match(path) or GOODS.match(path)
    if not match:
        raise UnknownPage(f"no outfit or goods id in {url}")
    return match.group(1)


def origin(url: str) -> str:
    """'scheme://host[:port]' of `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def goods_url(base: str, goods_no: str | int) -> str:
    return f"{origin(base)}/app/goods/{goods_no}/0"


def outfit_url(base: str, codimap_id: str | int) -> str:
    return f"{origin(base)}/app/codimap/views/{codimap_id}"


def list_url(base: str, page: int) -> str:
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query))
    query["page"] = str(page)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def list_page_number(url: str) -> int:
    value = dict(parse_qsl(urlsplit(url).query)).get("page", "1")
    return int(value) if value.isdigit() else 1


def canonical(url: str, base: str | None = None) -> str:
    """One spelling per page, so the visited set deduplicates by the shop's id."""
    absolute = urljoin(base, url) if base else url
    kind = kind_of(absolute)
    if kind == "item":
        return goods_url(absolute, page_id(absolute))
    if kind == "outfit":
        return outfit_url(absolute, page_id(absolute))
    return list_url(absolute, list_page_number(absolute))


def is_musinsa(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "musinsa.com" or host.endswith(".musinsa.com")


def item_source(url: str) -> str:
    return "musinsa" if is_musinsa(url) else "replica"


def outfit_source(url: str) -> str:
    return "musinsa_codimap" if is_musinsa(url) else "replica"
