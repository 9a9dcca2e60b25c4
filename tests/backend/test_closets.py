"""Closets (내 옷장) on SQLite and MariaDB: ids, adding and removing, limits, hostile ids, restarts."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backend.errors import ApiError
from backend.schemas import MAX_CLOSET_ENTRIES, ClosetAdd, GarmentIn
from backend.services.closets import Added, add_to_closet
from db.engine import get_sessionmaker, session_scope
from db.models import Closet, ClosetEntry
from tests.backend.factories import add_items, build_client

API = "/api/v1/closets"
SHIRT = {"big_class": "top", "subcategory": "shirt", "color_family": "white"}


def _new_closet(client: TestClient) -> str:
    response = client.post(API)
    assert response.status_code == 201
    return response.json()["closet_id"]


def _entries(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(ClosetEntry))


def test_closet_ids_are_128_random_bits(client: TestClient) -> None:
    ids = {_new_closet(client) for _ in range(5)}
    assert len(ids) == 5
    assert all(re.fullmatch(r"[0-9a-f]{32}", closet_id) for closet_id in ids)
    empty = client.get(f"{API}/{ids.pop()}")
    assert empty.status_code == 200
    assert empty.json() == {"closet_id": empty.json()["closet_id"], "items": [], "garments": [],
                            "max_size": MAX_CLOSET_ENTRIES}


def test_add_items_and_garments_then_remove(client: TestClient, db_url: str) -> None:
    shirt, slacks = add_items(db_url, {"name": "화이트 셔츠", "big_class": "top"},
                              {"name": "네이비 슬랙스", "big_class": "bottom"})
    closet = _new_closet(client)
    first = client.post(f"{API}/{closet}/items", json={"item_id": shirt})
    assert first.status_code == 201 and first.json()["created"] and first.json()["size"] == 1
    again = client.post(f"{API}/{closet}/items", json={"item_id": shirt})
    assert again.status_code == 200
    assert again.json() == {"entry_id": first.json()["entry_id"], "created": False, "size": 1}
    assert client.post(f"{API}/{closet}/items", json={"item_id": slacks}).status_code == 201
    garment = client.post(f"{API}/{closet}/items", json={"garment": {**SHIRT, "gender": "female"}})
    assert garment.status_code == 201 and garment.json()["size"] == 3

    body = client.get(f"{API}/{closet}").json()
    assert [i["id"] for i in body["items"]] == [shirt, slacks]
    assert body["items"][0]["entry_id"] == first.json()["entry_id"]
    assert body["items"][0]["shop_link"] == f"/api/v1/items/{shirt}/shop"
    assert body["garments"] == [{"entry_id": garment.json()["entry_id"], **SHIRT, "gender": "female"}]

    assert client.delete(f"{API}/{closet}/items/{first.json()['entry_id']}").status_code == 204
    missing = client.delete(f"{API}/{closet}/items/{first.json()['entry_id']}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "entry_not_found"
    body = client.get(f"{API}/{closet}").json()
    assert [i["id"] for i in body["items"]] == [slacks] and len(body["garments"]) == 1


def test_one_closet_cannot_touch_another(client: TestClient, db_url: str) -> None:
    [shirt] = add_items(db_url, {"name": "셔츠"})
    mine, theirs = _new_closet(client), _new_closet(client)
    entry = client.post(f"{API}/{mine}/items", json={"item_id": shirt}).json()["entry_id"]
    assert client.delete(f"{API}/{theirs}/items/{entry}").status_code == 404
    assert [i["id"] for i in client.get(f"{API}/{mine}").json()["items"]] == [shirt]
    assert client.get(f"{API}/{theirs}").json()["items"] == []


@pytest.mark.parametrize("hostile", [
    "0" * 32,  # well-formed, never created
    "' OR '1'='1", "%27%20OR%201%3D1--", "..%2F..%2Fetc%2Fpasswd", "a" * 31, "a" * 33, "x" * 5000,
    "%00", "%F0%9F%91%95", "ＡＢＣ",
])
def test_unknown_or_hostile_closet_ids_answer_404(client: TestClient, hostile: str) -> None:
    for method, path, body in (("GET", "", None), ("POST", "/items", {"garment": SHIRT}),
                               ("DELETE", "/items/1", None)):
        response = client.request(method, f"{API}/{hostile}{path}", json=body)
        assert response.status_code == 404, (method, hostile, response.text)
        assert response.json()["error"]["code"] in {"closet_not_found", "not_found"}
        assert hostile not in response.text or len(hostile) < 3


def test_ids_are_compared_exactly(client: TestClient) -> None:
    """MariaDB's default collation folds case; the closet id column must not."""
    closet = _new_closet(client)
    assert client.get(f"{API}/{closet.upper()}").status_code == 404
    assert client.get(f"{API}/{closet[:-1]}{'0' if closet[-1] != '0' else '1'}").status_code == 404


@pytest.mark.parametrize("body", [
    {}, {"item_id": "5"}, {"item_id": True}, {"item_id": 0}, {"item_id": 2**60}, {"item_id": 1.0},
    {"item_id": 1, "garment": SHIRT}, {"garment": {**SHIRT, "subcategory": "slacks"}},
    {"garment": {**SHIRT, "color_family": "plaid"}}, {"garment": {**SHIRT, "gender": "m"}},
    {"garment": {**SHIRT, "size": "L"}}, {"garment": {"big_class": "top"}}, {"item_id": 1, "note": "x"},
    {"garment": "top"}, [], None,
])
def test_invalid_additions_answer_422_and_store_nothing(client: TestClient, db_url: str,
                                                       body: object) -> None:
    add_items(db_url, {"name": "셔츠"})
    closet = _new_closet(client)
    response = client.post(f"{API}/{closet}/items", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert _entries(db_url) == 0


def test_unknown_item_answers_422_unknown_reference(client: TestClient, db_url: str) -> None:
    closet = _new_closet(client)
    response = client.post(f"{API}/{closet}/items", json={"item_id": 987654})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_reference"
    assert _entries(db_url) == 0


def test_a_closet_holds_at_most_200_garments(client: TestClient, db_url: str) -> None:
    [shirt, extra] = add_items(db_url, {"name": "셔츠"}, {"name": "니트"})
    closet = _new_closet(client)
    assert client.post(f"{API}/{closet}/items", json={"item_id": shirt}).status_code == 201
    with session_scope(db_url) as session:
        session.add_all(ClosetEntry(closet_id=closet, **SHIRT) for _ in range(MAX_CLOSET_ENTRIES - 2))
    last = client.post(f"{API}/{closet}/items", json={"garment": SHIRT})
    assert last.status_code == 201 and last.json()["size"] == MAX_CLOSET_ENTRIES

    for body in ({"garment": SHIRT}, {"item_id": extra}):
        full = client.post(f"{API}/{closet}/items", json=body)
        assert full.status_code == 409
        assert full.json()["error"]["code"] == "closet_full"
        assert "at most 200" in full.json()["error"]["message"]
    assert client.post(f"{API}/{closet}/items", json={"item_id": shirt}).status_code == 200  # still a no-op
    assert _entries(db_url) == MAX_CLOSET_ENTRIES

    assert client.delete(f"{API}/{closet}/items/{last.json()['entry_id']}").status_code == 204
    assert client.post(f"{API}/{closet}/items", json={"item_id": extra}).status_code == 201


def test_closet_survives_a_backend_restart(db_url: str, image_dir: Path) -> None:
    [shirt] = add_items(db_url, {"name": "셔츠"})
    with build_client(db_url, image_dir) as first:
        closet = _new_closet(first)
        first.post(f"{API}/{closet}/items", json={"item_id": shirt})
        first.post(f"{API}/{closet}/items", json={"garment": SHIRT})
        before = first.get(f"{API}/{closet}").json()
    with build_client(db_url, image_dir) as second:  # a new app, engine and pool on the same database
        after = second.get(f"{API}/{closet}")
    assert after.status_code == 200 and after.json() == before
    assert [i["id"] for i in after.json()["items"]] == [shirt] and len(after.json()["garments"]) == 1


def test_removing_a_closet_row_removes_its_entries(db_url: str, client: TestClient) -> None:
    """The foreign key cascades on both engines (nothing is left pointing at a missing closet)."""
    closet = _new_closet(client)
    client.post(f"{API}/{closet}/items", json={"garment": SHIRT})
    with session_scope(db_url) as session:
        session.delete(session.get(Closet, closet))
    assert _entries(db_url) == 0


def _concurrently(url: str, closet_id: str, bodies: list[ClosetAdd]) -> list[object]:
    """Each body added by its own thread and session, all released at once; results or ApiErrors."""
    start = threading.Barrier(len(bodies))
    make_session = get_sessionmaker(url)

    def add(body: ClosetAdd) -> object:
        with make_session() as session:
            start.wait(timeout=30)
            try:
                return add_to_closet(session, closet_id, body)
            except ApiError as error:
                return error

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(add, bodies))


def test_concurrent_adds_never_pass_the_limit(client: TestClient, db_url: str) -> None:
    closet = _new_closet(client)
    with session_scope(db_url) as session:
        session.add_all(ClosetEntry(closet_id=closet, **SHIRT) for _ in range(MAX_CLOSET_ENTRIES - 2))
    results = _concurrently(db_url, closet, [ClosetAdd(garment=GarmentIn(**SHIRT)) for _ in range(6)])
    assert sum(isinstance(r, Added) and r.created for r in results) == 2
    assert sorted(r.code for r in results if isinstance(r, ApiError)) == ["closet_full"] * 4
    assert _entries(db_url) == MAX_CLOSET_ENTRIES


def test_concurrent_adds_of_one_item_store_it_once(client: TestClient, db_url: str) -> None:
    [shirt] = add_items(db_url, {"name": "셔츠"})
    closet = _new_closet(client)
    results = _concurrently(db_url, closet, [ClosetAdd(item_id=shirt) for _ in range(5)])
    assert all(isinstance(r, Added) for r in results), results
    assert sum(r.created for r in results) == 1 and len({r.entry_id for r in results}) == 1
    assert _entries(db_url) == 1
