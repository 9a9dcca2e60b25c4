"""Which shop URLs the redirect may send a browser to: no open redirect, ever."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_FORBIDDEN = set("\\\t\r\n ") | {chr(c) for c in range(32)} | {"\x7f"}


def allowed_shop_url(url: str, allowed_hosts: Iterable[str]) -> str | None:
    """`url` if it is http(s) to an allow-listed host without credentials or odd characters, else None."""
    if not url or any(char in _FORBIDDEN for char in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a malformed port
    except ValueError:
        return None
    del port
    if parts.scheme not in {"http", "https"} or parts.username is not None or parts.password is not None:
        return None
    host = (parts.hostname or "").lower()
    if not host or host not in {h.lower() for h in allowed_hosts}:
        return None
    return url
