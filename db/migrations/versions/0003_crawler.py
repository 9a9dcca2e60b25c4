"""crawler: keep parsed page data on crawl_page

Revision ID: 0003_crawler
Revises: 0001
Create Date: 2026-11-23

An outfit page names its member items before those items are crawled; the crawler keeps what it
read (and what the outfit list said about the outfit) in `payload` until the members are stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_crawler'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_page', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'payload', sa.Text(), nullable=True,
            comment='JSON the crawler read from the page and still needs (outfit fields, member item links).',
        ))


def downgrade() -> None:
    with op.batch_alter_table('crawl_page', schema=None) as batch_op:
        batch_op.drop_column('payload')
