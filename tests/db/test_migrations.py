"""Alembic is the only way the schema is made: it must go up and down cleanly on both engines."""

from __future__ import annotations

from sqlalchemy import inspect

from db import migrate
from db.engine import get_engine
from db.models import Base


def test_upgrade_creates_every_model_table_and_downgrade_removes_them(empty_db_url: str) -> None:
    migrate.upgrade(empty_db_url)
    assert migrate.current_revision(empty_db_url) is not None
    tables = set(inspect(get_engine(empty_db_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables

    migrate.downgrade(empty_db_url, "base")
    get_engine(empty_db_url).dispose()
    remaining = set(inspect(get_engine(empty_db_url)).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    assert migrate.current_revision(empty_db_url) is None

    migrate.upgrade(empty_db_url)  # and back up again, as after a rollback of a release
    assert set(Base.metadata.tables) <= set(inspect(get_engine(empty_db_url)).get_table_names())


def test_schema_matches_models_after_upgrade(db_url: str) -> None:
    """No drift: autogenerate finds nothing to add between migrations and models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with get_engine(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = [d for d in compare_metadata(context, Base.metadata)
                if not (isinstance(d, tuple) and d[0] in {"remove_table"})]
    assert diff == []


def test_every_table_and_column_has_a_comment(db_url: str) -> None:
    """DBeaver shows these comments; on MariaDB they must reach the real catalogue."""
    inspector = inspect(get_engine(db_url))
    if get_engine(db_url).dialect.name == "sqlite":
        tables = Base.metadata.tables.values()
        assert all(t.comment for t in tables)
        assert all(c.comment for t in tables for c in t.columns)
        return
    for table in Base.metadata.tables:
        assert inspector.get_table_comment(table)["text"], table
        for column in inspector.get_columns(table):
            assert column.get("comment"), f"{table}.{column['name']}"


def test_mariadb_tables_are_utf8mb4(db_url: str) -> None:
    engine = get_engine(db_url)
    if engine.dialect.name == "sqlite":
        return
    with engine.connect() as connection:
        collations = connection.exec_driver_sql(
            "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'alembic_version'"
        ).all()
    assert collations and all(c.startswith("utf8mb4") for _, c in collations)
