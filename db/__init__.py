"""Closet's database layer: settings, engine, typed models, Alembic migrations and importers."""
