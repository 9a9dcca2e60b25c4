"""backend: index item.updated_at

Revision ID: 0004_backend
Revises: 0003_crawler
Create Date: 2026-11-23

The backend keeps an in-memory bigram search index and rebuilds it when the catalogue changes;
it asks `SELECT count(*), max(id), max(updated_at) FROM item` every few seconds, which this index
keeps cheap on 100,000 items.
"""

from __future__ import annotations

from alembic import op

revision = '0004_backend'
down_revision = '0003_crawler'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_updated_at', ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_updated_at')
