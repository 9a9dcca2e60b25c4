"""Errors keep one JSON shape; a database outage is a 503 that heals itself; the real server starts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.main import create_app
from db import migrate
from db.mariadb_server import MariaDBServer, free_port
from tests.backend.factories import add_items, build_client, make_settings
from tests.backend.server import running_backend, wait_until
from tests.mariadb import start_or_skip


def test_unknown_route_and_method_use_the_error_body(client: TestClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.delete("/api/v1/health")
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    broken = client.post("/api/v1/events", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "validation_error"


def test_unexpected_error_is_500_without_internals(sqlite_url: str, tmp_path: Path) -> None:
    app = create_app(sqlite_url, settings=make_settings(tmp_path))

    def explode() -> None:
        raise RuntimeError("secret internals at /srv/closet/db.py line 7")

    app.add_api_route("/boom", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error",
                                         "message": "Something went wrong on the server.", "detail": None}}
    assert "secret" not in response.text and "Traceback" not in response.text


def test_unreachable_database_gives_503_and_health_stays_up(tmp_path: Path) -> None:
    url = f"mysql+pymysql://closet:pw@127.0.0.1:{free_port()}/closet?charset=utf8mb4"
    with build_client(url, tmp_path, startup_timeout_s=0.3) as client:
        assert client.get("/api/v1/health").json() == {"status": "ok"}
        for path in ("/api/v1/ready", "/api/v1/items/1", "/api/v1/items/search?q=셔츠"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.json()["error"]["code"] == "database_unavailable"
            assert "pymysql" not in response.text and "127.0.0.1" not in response.text


@pytest.mark.mariadb
@pytest.mark.slow
def test_recovers_by_itself_when_mariadb_comes_back(tmp_path: Path) -> None:
    """Stop the real server under a running app, then start a new one on the same port."""
    first = start_or_skip(MariaDBServer())
    second = MariaDBServer()
    try:
        url = first.create_database("closet_recovery")
        migrate.upgrade(url)
        [item] = add_items(url, {"name": "오버핏셔츠"})
        with build_client(url, tmp_path) as client:
            assert client.get(f"/api/v1/items/{item}").status_code == 200
            first.stop()
            outage = client.get(f"/api/v1/items/{item}")
            assert outage.status_code == 503
            assert outage.headers["retry-after"] == "2"
            assert client.get("/api/v1/ready").status_code == 503

            second.port = first.port
            second.start()
            second.create_database("closet_recovery")
            migrate.upgrade(url)
            [item] = add_items(url, {"name": "오버핏셔츠"})
            wait_until(lambda: client.get("/api/v1/ready").status_code == 200, 30, "readiness after restart")
            assert client.get(f"/api/v1/items/{item}").json()["name"] == "오버핏셔츠"
    finally:
        first.stop()
        second.stop()


def test_python_m_backend_serves_on_the_given_port(sqlite_url: str, tmp_path: Path) -> None:
    """`python -m backend` (what `make run` starts) answers on 127.0.0.1 with a real uvicorn, also
    to many concurrent requests with few threads (a session held past its route once exhausted
    the connection pool under load)."""
    ids = add_items(sqlite_url, *({"name": f"오버핏셔츠 {n}", "big_class": "top"} for n in range(20)))
    with running_backend(sqlite_url, tmp_path, BACKEND_THREADS="2") as base:
        wait_until(lambda: httpx.get(f"{base}/ready").json()["search_index"] == "ready", 30, "the index")
        found = httpx.get(f"{base}/items/search", params={"q": "셔츠 19"}).json()
        assert [i["name"] for i in found["items"]] == ["오버핏셔츠 19"]
        assert httpx.get(base.removesuffix("/api/v1") + "/docs").status_code == 200
        paths = [f"{base}/items/{item_id}" for item_id in ids] * 6 + [f"{base}/items/search?q=셔츠"] * 40
        with httpx.Client(timeout=20, limits=httpx.Limits(max_connections=60)) as http, \
                ThreadPoolExecutor(max_workers=60) as pool:
            statuses = list(pool.map(lambda url: http.get(url).status_code, paths))
        assert statuses == [200] * len(paths)


def test_unmigrated_database_is_not_ready(tmp_path: Path) -> None:
    with build_client(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path) as client:
        response = client.get("/api/v1/ready")
        assert response.status_code == 503
        assert "python -m db upgrade" in response.json()["error"]["message"]
        assert client.get("/api/v1/health").status_code == 200


def test_ready_503_says_when_to_retry(tmp_path: Path) -> None:
    with build_client(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, startup_timeout_s=0.1) as client:
        response = client.get("/api/v1/ready")
    assert response.status_code == 503 and response.headers["retry-after"] == "2"
