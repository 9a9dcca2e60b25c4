"""Alembic environment: runs migrations online against the URL handed over by db.migrate."""

from __future__ import annotations

from alembic import context

from db.engine import get_engine
from db.models import Base

config = context.config
url = config.attributes.get("database_url")

with get_engine(url).connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
