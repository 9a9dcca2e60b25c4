"""Fixtures: an app bound to the `db_url` database (SQLite and MariaDB), and item factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from db import migrate
from db.engine import get_engine
from db.models import Base
from tests.backend.factories import add_items, build_client

_MIGRATED: dict[str, str] = {}


@pytest.fixture(params=["sqlite", "mariadb"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Like the project's `db_url` (both engines, migrated, empty), but migrated once per engine and
    emptied before each test: creating and migrating a MariaDB database per test costs ~2 s."""
    engine_name = request.param
    if engine_name not in _MIGRATED:
        if engine_name == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('backend') / 'closet.db'}"
        else:
            url = request.getfixturevalue("mariadb_server").create_database()
        migrate.upgrade(url)
        _MIGRATED[engine_name] = url
    url = _MIGRATED[engine_name]
    with get_engine(url).begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    yield url


@pytest.fixture()
def image_dir(tmp_path: Path) -> Path:
    path = tmp_path / "images"
    path.mkdir()
    return path


@pytest.fixture()
def client(db_url: str, image_dir: Path) -> Iterator[TestClient]:
    """The API on a fresh database of each engine; call `reindex(client)` after adding items."""
    with build_client(db_url, image_dir) as test_client:
        yield test_client


@pytest.fixture()
def items(db_url: str) -> Callable[..., list[int]]:
    return lambda *specs: add_items(db_url, *specs)


@pytest.fixture(scope="module", params=["sqlite", "mariadb"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per engine shared by a module's read-only tests (MariaDB set-up is slow)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'closet.db'}"
    else:
        url = request.getfixturevalue("mariadb_server").create_database()
    migrate.upgrade(url)
    yield url
    get_engine(url).dispose()
