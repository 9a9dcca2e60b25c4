"""item audience: item.gender normalised to male / female / unisex, with a CHECK

Revision ID: 0005_item_audience
Revises: 0004_backend
Create Date: 2026-12-02

The recommender never shows a women-only item for a men-only garment, so every writer stores one
vocabulary (db/audience.py). Existing rows are rewritten the same way: the shop's label normalised,
united with the genders of the outfits the item is worn in (an item seen with both is unisex).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from db.audience import combine_genders, normalise_gender

revision = '0005_item_audience'
down_revision = '0004_backend'
branch_labels = None
depends_on = None

NEW_COMMENT = "Who it is for: male, female or unisex (shop label or outfits worn in); NULL unknown."
OLD_COMMENT = "Target gender as shown."

# Byte-wise on MySQL/MariaDB, whose default collation folds case: 'Female' must fail the CHECK.
EXACT = sa.String(length=32).with_variant(
    mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=32), 'mariadb').with_variant(
    mysql.VARCHAR(charset='utf8mb4', collation='utf8mb4_bin', length=32), 'mysql')

item = sa.table('item', sa.column('id', sa.BigInteger), sa.column('gender', sa.String(32)))


def _normalise_existing_rows() -> None:
    connection = op.get_bind()
    evidence: dict[int, set[str | None]] = defaultdict(set)
    for item_id, gender in connection.execute(sa.text("SELECT id, gender FROM item WHERE gender IS NOT NULL")):
        evidence[item_id].add(normalise_gender(gender))
    worn = sa.text("SELECT oi.item_id, o.gender FROM outfit_item oi JOIN outfit o ON o.id = oi.outfit_id "
                   "WHERE o.gender IS NOT NULL")
    for item_id, gender in connection.execute(worn):
        evidence[item_id].add(normalise_gender(gender))
    for item_id, genders in evidence.items():
        connection.execute(item.update().where(item.c.id == item_id).values(gender=combine_genders(genders)))


def upgrade() -> None:
    _normalise_existing_rows()
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.alter_column('gender', existing_type=sa.String(length=32), type_=EXACT, existing_nullable=True,
                              comment=NEW_COMMENT, existing_comment=OLD_COMMENT)
        batch_op.create_check_constraint(op.f('ck_item_gender_kind'), "gender IN ('male', 'female', 'unisex')")


def downgrade() -> None:
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_item_gender_kind'), type_='check')
        batch_op.alter_column('gender', existing_type=EXACT, type_=sa.String(length=32), existing_nullable=True,
                              comment=OLD_COMMENT, existing_comment=NEW_COMMENT)
