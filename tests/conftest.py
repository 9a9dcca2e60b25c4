"""Shared fixtures: a real MariaDB for the session, and `db_url` that runs a test on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db import migrate
from db.engine import get_engine
from db.mariadb_server import MariaDBServer
from tests.mariadb import start_or_skip

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
ENGINES = ("sqlite", "mariadb")


@pytest.fixture(scope="session")
def mariadb_server() -> Iterator[MariaDBServer]:
    """One real MariaDB server for the whole run; absent MariaDB fails in CI, skips elsewhere."""
    server = start_or_skip(MariaDBServer())
    yield server
    server.stop()


def _fresh_database(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'closet.db'}"
    return request.getfixturevalue("mariadb_server").create_database()


@pytest.fixture(params=ENGINES)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each engine (no schema)."""
    url = _fresh_database(request.param, request, tmp_path)
    yield url
    get_engine(url).dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on each engine, migrated to head."""
    url = _fresh_database(request.param, request, tmp_path)
    migrate.upgrade(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A fresh migrated SQLite database, for tests that need only one engine."""
    url = f"sqlite:///{tmp_path / 'closet.db'}"
    migrate.upgrade(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """../shared/datasets, or a clean skip when this machine does not have it."""
    if not (DATASETS / "README.md").exists():
        pytest.skip("../shared/datasets is absent on this machine")
    return DATASETS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that runs on the MariaDB parameter, so `-m 'not mariadb'` works."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "mariadb" in callspec.params.values():
            item.add_marker(pytest.mark.mariadb)
