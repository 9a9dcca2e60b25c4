"""Which shop URLs the redirect may send a browser to: no open redirect, ever."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

_FORBIDDEN = set("\\\t\r\n ") | {chr(c) for c in range(32)} | {"\x7f"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, lower-case host, port with the scheme's default filled in), or None if malformed."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def allowed_shop_url(url: str, allowed_hosts: Iterable[str],
                     allowed_origins: Iterable[str] = ()) -> str | None:
    """`url` if it is http(s) without credentials or odd characters to an allow-listed host (any
    port) or exactly an allow-listed origin (scheme, host and port: the local replica shop), else None."""
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
    if host and host in {h.lower() for h in allowed_hosts}:
        return url
    if origin_of(url) in {origin_of(o) for o in allowed_origins} - {None}:
        return url
    return None
