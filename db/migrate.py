"""Run Alembic migrations programmatically: the only way Closet's schema is created or changed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from db.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at `db/migrations` and the given (or configured) database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = url or get_settings().database_url
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (the only place that creates a SQLite file)."""
    from db.engine import create_sqlite_file

    create_sqlite_file(url or get_settings().database_url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    """Undo migrations down to `revision` ('base' drops every Closet table)."""
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    from db.engine import get_engine, sqlite_path

    url = url or get_settings().database_url
    if (path := sqlite_path(url)) is not None and not Path(path).exists():
        return None
    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
