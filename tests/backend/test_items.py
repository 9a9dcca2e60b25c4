"""Item detail, batch look-up, random pick, images under /media."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.backend.factories import add_items, build_client


def test_detail_has_tags_attributes_and_buyer_shares(client: TestClient, db_url: str) -> None:
    [item_id] = add_items(db_url, {
        "name": "와이드 슬랙스", "big_class": "bottom", "dominant_rgb": "#1f2a44", "image_path": "ab/cd.png",
        "tags": ["데일리", "오피스룩"],
        "attributes": [("season", "봄"), ("season", "가을"), ("fit", "와이드")],
        "shares": [("age", "19~23세", 40.5), ("gender", "남성", 70.0)],
    })
    body = client.get(f"/api/v1/items/{item_id}").json()
    assert body["tags"] == ["데일리", "오피스룩"]
    assert body["attributes"] == {"season": ["가을", "봄"], "fit": ["와이드"]}
    assert body["buyer_shares"] == {"age": {"19~23세": 40.5}, "gender": {"남성": 70.0}}
    assert body["dominant_rgb"] == "#1f2a44"
    assert body["image"] == "/media/ab/cd.png"


def test_unknown_item_is_404_with_the_error_body(client: TestClient) -> None:
    response = client.get("/api/v1/items/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_batch_keeps_order_and_skips_unknown_ids(client: TestClient, db_url: str) -> None:
    a, b = add_items(db_url, {"name": "A", "image_url": "https://img.example/a.jpg"}, {"name": "B"})
    response = client.post("/api/v1/items/batch", json={"ids": [b, 424242, a]})
    assert [i["name"] for i in response.json()["items"]] == ["B", "A"]
    assert response.json()["items"][1]["image"] == "https://img.example/a.jpg"
    assert response.json()["items"][0]["image"] is None
    assert client.post("/api/v1/items/batch", json={"ids": []}).json() == {"items": []}
    too_many = client.post("/api/v1/items/batch", json={"ids": list(range(1, 202))})
    assert too_many.status_code == 422 and too_many.json()["error"]["code"] == "validation_error"


def test_random_item_is_recommendable_and_404_when_none(client: TestClient, db_url: str) -> None:
    assert client.get("/api/v1/items/random").status_code == 404
    add_items(db_url, {"name": "ring", "is_recommendable": False},
              *({"name": f"tee {n}", "big_class": "top"} for n in range(5)),
              {"name": "cap", "big_class": "headwear"})
    seen = {client.get("/api/v1/items/random").json()["name"] for _ in range(30)}
    assert "ring" not in seen and len(seen) > 1
    assert client.get("/api/v1/items/random", params={"big_class": "headwear"}).json()["name"] == "cap"
    assert client.get("/api/v1/items/random", params={"big_class": "bag"}).status_code == 404


def test_media_serves_local_images_read_only(client: TestClient, image_dir: Path) -> None:
    (image_dir / "ab").mkdir()
    (image_dir / "ab" / "cd.png").write_bytes(b"\x89PNG fake")
    assert client.get("/media/ab/cd.png").content == b"\x89PNG fake"
    assert client.get("/media/ab/missing.png").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/%2e%2e/%2e%2e/etc/passwd").status_code == 404
    assert client.put("/media/ab/cd.png", content=b"x").status_code == 405


def test_media_range_errors_use_the_error_body(client: TestClient, image_dir: Path) -> None:
    (image_dir / "a.png").write_bytes(b"\x89PNG fake")
    part = client.get("/media/a.png", headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.content == b"\x89PNG"
    for header, status, code in (("bytes=abc", 400, "invalid_range"), ("lines=0-3", 400, "invalid_range"),
                                 ("bytes=100-", 416, "range_not_satisfiable")):
        response = client.get("/media/a.png", headers={"Range": header})
        assert response.status_code == status, header
        assert response.json()["error"]["code"] == code, header
    assert client.get("/media/a.png", headers={"Range": "bytes=100-"}).headers["content-range"] == "bytes */9"


def test_missing_image_dir_is_404_and_a_startup_warning(sqlite_url: str, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "no-images-here"
    with caplog.at_level(logging.WARNING, logger="backend.main"), build_client(sqlite_url, missing) as client:
        response = client.get("/media/ab/cd.png")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert client.get("/api/v1/health").status_code == 200
    assert any(str(missing) in record.getMessage() for record in caplog.records)
