"""backend: bigram search index and sort indexes

Revision ID: 0004_backend
Revises: 0003_crawler
Create Date: 2026-11-23

Korean two-character queries ('셔츠' inside '오버핏셔츠') need substring search; FTS trigram
tokenizers miss them and LIKE '%..%' scans every row. item_search_gram is an inverted index of
bigrams the backend keeps in step with `item`; item_search_doc holds the text it was built from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = '0004_backend'
down_revision = '0003_crawler'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _exact(length: int) -> sa.types.TypeEngine:
    variant = mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=length)
    return sa.String(length=length).with_variant(variant, 'mariadb').with_variant(variant, 'mysql')


def upgrade() -> None:
    op.create_table('item_search_doc',
    sa.Column('item_id', BIG_ID, nullable=False, comment='The item.'),
    sa.Column('search_text', _exact(1100), nullable=False, comment='Lower-cased name, brand, raw category and colour, space separated.'),
    sa.Column('item_updated_at', sa.DateTime(), nullable=True, comment='item.updated_at the text was taken from (older means re-index).'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_search_doc_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_item_search_doc')),
    comment='Lower-cased searchable text of each item (name, brand, raw category, colour), kept by the backend.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    op.create_table('item_search_gram',
    sa.Column('gram', _exact(8), nullable=False, comment='Two characters.'),
    sa.Column('item_id', BIG_ID, nullable=False, comment='Item containing it.'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_search_gram_item_id_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gram', 'item_id', name=op.f('pk_item_search_gram')),
    comment='Bigrams (two-character substrings) of item_search_doc.search_text, for substring search.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('item_search_gram', schema=None) as batch_op:
        batch_op.create_index('ix_item_search_gram_item_id', ['item_id'], unique=False)
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_likes', ['likes'], unique=False)
        batch_op.create_index('ix_item_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_created_at')
        batch_op.drop_index('ix_item_likes')
    op.drop_table('item_search_gram')  # its index goes with it (MariaDB refuses to drop an FK's index)
    op.drop_table('item_search_doc')
