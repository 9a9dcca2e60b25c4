"""closet: a shopper's saved garments (내 옷장)

Revision ID: 0007_closet
Revises: 0004_backend
Create Date: 2026-12-02

A closet has no owner account: its 128-bit random id, kept in the page URL, is the only key. Its
entries are catalogue items or garments the shopper described (big class, subcategory, colour).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = '0007_closet'
down_revision = '0006_event_detail_json'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
CLOSET_ID = sa.String(length=32).with_variant(
    mysql.VARCHAR(length=32, charset='utf8mb4', collation='utf8mb4_bin'), 'mysql', 'mariadb')


def upgrade() -> None:
    op.create_table('closet',
    sa.Column('id', CLOSET_ID, nullable=False,
              comment='32 lowercase hex characters from secrets.token_hex(16): 128 random bits.'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False,
              comment='When the closet was created (UTC).'),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.now(), nullable=False,
              comment='When a garment was last added or removed (UTC).'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closet')),
    comment="A shopper's closet (내 옷장): no account, the random id in the page URL is the only key.",
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    op.create_table('closet_entry',
    sa.Column('id', BIG_ID, nullable=False, comment='Surrogate key (entry_id in the API).'),
    sa.Column('closet_id', CLOSET_ID, nullable=False, comment='The closet.'),
    sa.Column('item_id', BIG_ID, nullable=True, comment='The catalogue item; NULL for a described garment.'),
    sa.Column('big_class', sa.String(length=16), nullable=True,
              comment='Described garment: normalised big class; NULL for a catalogue item.'),
    sa.Column('subcategory', sa.String(length=32), nullable=True,
              comment='Described garment: normalised subcategory key.'),
    sa.Column('color_family', sa.String(length=16), nullable=True, comment='Described garment: colour family.'),
    sa.Column('gender', sa.String(length=16), nullable=True,
              comment='Described garment: male, female or unisex; NULL when not given.'),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False,
              comment='When the garment was added (UTC).'),
    sa.CheckConstraint('(item_id IS NULL) <> (big_class IS NULL)',
                       name=op.f('ck_closet_entry_item_or_garment')),
    sa.ForeignKeyConstraint(['closet_id'], ['closet.id'], name=op.f('fk_closet_entry_closet_id_closet'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_closet_entry_item_id_item'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closet_entry')),
    sa.UniqueConstraint('closet_id', 'item_id', name=op.f('uq_closet_entry_closet_id_item_id')),
    comment='Garments in a closet: either item_id (a catalogue item) or big_class/subcategory/colour '
            '(a described garment), never both.',
    mysql_charset='utf8mb4',
    mysql_collate='utf8mb4_unicode_ci'
    )
    with op.batch_alter_table('closet_entry', schema=None) as batch_op:
        batch_op.create_index('ix_closet_entry_item_id', ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_table('closet_entry')
    op.drop_table('closet')
