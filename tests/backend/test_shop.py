"""Shop links: an event is recorded and only allow-listed http(s) hosts are ever redirected to."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backend.services.shop import allowed_shop_url
from db.engine import session_scope
from db.models import InteractionEvent
from db.settings import Settings
from tests.backend.factories import add_items, build_client

HOSTS = ["www.musinsa.com", "127.0.0.1"]


def _events(url: str) -> list[InteractionEvent]:
    with session_scope(url) as session:
        return list(session.scalars(select(InteractionEvent)))


def test_redirects_to_allowed_shop_and_records_the_click(client: TestClient, db_url: str) -> None:
    item, query = add_items(db_url, {"name": "셔츠", "shop_url": "https://www.musinsa.com/products/1"},
                            {"name": "슬랙스"})
    response = client.get(f"/api/v1/items/{item}/shop",
                          params={"session_id": "s-1", "query_item_id": query, "rank": 3},
                          follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "https://www.musinsa.com/products/1"
    [event] = _events(db_url)
    assert (event.event_type, event.session_id, event.item_id, event.query_item_id, event.rank) == \
        ("shop_link_open", "s-1", item, query, 3)


OFF_LIST = [
    "https://evil.example/phish", "javascript:alert(1)", "//evil.example/x",
    "https://www.musinsa.com@evil.example/", "https://www.musinsa.com.evil.example/",
    "ftp://www.musinsa.com/x", "https://www.musinsa.com\\@evil.example/",
]


def test_never_redirects_elsewhere(client: TestClient, db_url: str) -> None:
    ids = add_items(db_url, *({"name": "셔츠", "shop_url": url} for url in OFF_LIST))
    for item, shop_url in zip(ids, OFF_LIST, strict=True):
        response = client.get(f"/api/v1/items/{item}/shop", follow_redirects=False)
        assert response.status_code == 400, shop_url
        assert response.json()["error"]["code"] == "shop_not_allowed"
        assert "location" not in response.headers
    assert _events(db_url) == []


def test_item_without_shop_page_is_404(client: TestClient, db_url: str) -> None:
    [item] = add_items(db_url, {"name": "셔츠"})
    assert client.get(f"/api/v1/items/{item}/shop", follow_redirects=False).status_code == 404
    assert client.get("/api/v1/items/777777/shop", follow_redirects=False).status_code == 404


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://www.musinsa.com/products/1", True),
    ("http://127.0.0.1:8501/shop/items/7", True),
    ("HTTPS://WWW.MUSINSA.COM/x", True),
    ("https://musinsa.com/x", False),
    ("https://www.musinsa.com:99999/x", False),
    ("https://user:pw@www.musinsa.com/x", False),
    ("https://www.musinsa.com/x\r\nLocation: https://evil.example", False),
    ("data:text/html,hi", False),
    ("", False),
])
def test_allow_list_rules(url: str, allowed: bool) -> None:
    assert (allowed_shop_url(url, HOSTS) is not None) is allowed


DEFAULTS = {name: Settings.model_fields[name].default for name in ("shop_hosts", "shop_origins")}


@pytest.mark.parametrize(("url", "allowed"), [
    ("http://127.0.0.1:8600/app/goods/1/0", True),   # the replica shop's configured origin
    ("http://127.0.0.1:6379/", False),               # any other local port is not a shop
    ("http://localhost:6379/", False),
    ("http://localhost:8600/app/goods/1/0", False),  # same port, other host name
    ("https://127.0.0.1:8600/app/goods/1/0", False),  # same host and port, other scheme
    ("http://127.0.0.1/app/goods/1/0", False),
    ("https://www.musinsa.com/products/1", True),
    ("https://shop.mango.com/kr/x", True),
])
def test_default_shop_allow_list_is_the_real_shops_and_the_replica_origin(url: str, allowed: bool) -> None:
    assert (allowed_shop_url(url, DEFAULTS["shop_hosts"], DEFAULTS["shop_origins"]) is not None) is allowed


def test_poisoned_row_cannot_redirect_to_a_local_port(sqlite_url: str, tmp_path: Path) -> None:
    [item] = add_items(sqlite_url, {"name": "셔츠", "shop_url": "http://localhost:6379/"})
    with build_client(sqlite_url, tmp_path, **DEFAULTS) as client:
        response = client.get(f"/api/v1/items/{item}/shop", follow_redirects=False)
    assert response.status_code == 400 and "location" not in response.headers
