"""crawler: per-host politeness shared by all workers; the seller's product code on item

Revision ID: 0009_crawl_host
Revises: 0004_backend
Create Date: 2026-12-02

W crawl workers each waited their own delay, so one host saw W times the intended rate. Now every
worker reserves its next request time in `crawl_host` (one row per host, updated in a short
transaction), so the delay holds across processes and machines. MUSINSA's 2023 goods pages print
`ASICS / 1202A164-110` in one field; the product code goes to `item.serial`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = '0009_crawl_host'
down_revision = '0008_experiments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'crawl_host',
        sa.Column('host', sa.String(length=255).with_variant(
            mysql.VARCHAR(length=255, charset='utf8mb4', collation='utf8mb4_bin'), 'mysql', 'mariadb'),
            nullable=False, comment='host[:port] of the crawled site.'),
        sa.Column('next_allowed_us', sa.BigInteger(), nullable=False,
                  comment='Earliest start of the next request, microseconds since the Unix epoch.'),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False,
                  comment='When the host was first crawled.'),
        sa.PrimaryKeyConstraint('host', name=op.f('pk_crawl_host')),
        comment='Per-host politeness shared by all crawl workers: the earliest time of the next request.',
        mysql_charset='utf8mb4', mysql_collate='utf8mb4_unicode_ci',
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('serial', sa.String(length=64), nullable=True,
                                      comment="The seller's product code (품번), e.g. 1202A164-110."))


def downgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('serial')
    op.drop_table('crawl_host')
