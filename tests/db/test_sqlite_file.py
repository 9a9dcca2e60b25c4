"""The configured SQLite file is created only by `db upgrade`, and the pool follows the file at the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from db import migrate
from db.engine import get_engine


def test_opening_a_missing_sqlite_file_never_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "closet.db"
    url = f"sqlite:///{path}"
    with pytest.raises(OperationalError):
        get_engine(url).connect()
    assert migrate.current_revision(url) is None
    assert not path.parent.exists()
    migrate.upgrade(url)  # the one place that creates it
    assert path.exists() and migrate.current_revision(url) is not None
    get_engine(url).dispose()


def test_pool_drops_connections_to_a_replaced_file(tmp_path: Path) -> None:
    url, other_url = f"sqlite:///{tmp_path / 'closet.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
    for target, name in ((url, "old"), (other_url, "restored")):
        migrate.upgrade(target)
        with get_engine(target).begin() as connection:
            connection.execute(text("INSERT INTO item (source, source_id, name, is_recommendable) "
                                    "VALUES ('t', '1', :name, 1)"), {"name": name})
        get_engine(target).dispose()
    engine = get_engine(url)
    with engine.connect() as connection:  # a pooled connection to the old file
        assert connection.execute(text("SELECT name FROM item")).scalar_one() == "old"
    os.replace(tmp_path / "restored.db", tmp_path / "closet.db")  # e.g. a restore from a backup
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM item")).scalar_one() == "restored"
    engine.dispose()
