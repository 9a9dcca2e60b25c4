"""The backend client turns every failure into one BackendError with a plain Korean message."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from frontend.backend_client import BackendClient, BackendError


def test_down_backend_is_one_clear_error(down_url) -> None:
    client = BackendClient(down_url, timeout=2.0)
    with pytest.raises(BackendError) as caught:
        client.search({"q": "셔츠"})
    assert caught.value.kind == "down" and "연결할 수 없습니다" in caught.value.message


def test_slow_backend_times_out() -> None:
    with socket.socket() as listener:  # accepts connections (kernel backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        client = BackendClient(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.5)
        with pytest.raises(BackendError) as caught:
            client.health()
    assert caught.value.kind == "slow" and "늦습니다" in caught.value.message


def test_real_backend_answers_and_errors(frontend_stack) -> None:
    client = BackendClient(frontend_stack.backend_url)
    assert client.health()
    page = client.search({"q": "셔츠", "color_family": "white"}, page=1, page_size=5)
    assert page["total"] >= 1 and all(i["color_family"] == "white" for i in page["items"])
    assert client.item(10**9) is None  # 404 is "not there", not an error
    assert client.items_batch([]) == []
    with pytest.raises(BackendError) as caught:
        client.survey_summary("wrong-token")
    assert caught.value.kind == "unauthorized"
    with pytest.raises(BackendError) as caught:
        client.post_survey({"session_id": "s", "target_kind": "item", "rating": 9})
    assert caught.value.kind == "bad_request"
    with pytest.raises(ValueError, match="sort"):
        client.search({}, sort="id; DROP TABLE item")


def test_links_the_browser_follows(frontend_stack) -> None:
    client = BackendClient(frontend_stack.backend_url)
    item_id = frontend_stack.catalogue.shirt_white_id
    item = client.item(item_id)
    image = client.absolute(item["image"])
    assert image.startswith(frontend_stack.backend_url + "/media/")
    assert httpx.get(image).headers["content-type"] == "image/png"  # the browser can load it
    link = client.shop_link(item_id, "sess-1", query_item_id=3, rank=2)
    parts = urlsplit(link)
    assert parts.path == f"/api/v1/items/{item_id}/shop"
    assert parse_qs(parts.query) == {"session_id": ["sess-1"], "query_item_id": ["3"], "rank": ["2"]}
    redirect = httpx.get(link, follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"].endswith("/goods/shirt-white")
    assert client.absolute("https://image.msscdn.net/x.jpg") == "https://image.msscdn.net/x.jpg"
