"""backend: interaction_event.detail becomes a JSON column

Revision ID: 0006_event_detail_json
Revises: 0004_backend
Create Date: 2026-12-02

`detail` was free text, so `{"x": NaN}` (which Python's json writes but no JSON reader accepts)
could be stored. It is now a JSON column (on MariaDB/MySQL a checked JSON value). Existing rows
are converted first: NaN and Infinity become null, and text that is not JSON at all is kept as
`{"text": "<the old text>"}`, so the column check accepts every row and nothing is lost.
"""

from __future__ import annotations

import json
import math
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0006_event_detail_json'
down_revision = '0005_item_audience'
branch_labels = None
depends_on = None

COMMENT = 'Extra JSON (filters, page, ...).'
BATCH = 1000


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def as_json_text(text: str) -> str:
    """`text` as strict JSON (see the module docstring)."""
    try:
        value = _finite(json.loads(text))
    except ValueError:
        value = {"text": text}
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _convert_rows() -> None:
    bind = op.get_bind()
    table = sa.table('interaction_event', sa.column('id', sa.BigInteger), sa.column('detail', sa.Text))
    last_id = 0
    while True:
        rows = bind.execute(sa.select(table.c.id, table.c.detail)
                            .where(table.c.id > last_id, table.c.detail.is_not(None))
                            .order_by(table.c.id).limit(BATCH)).all()
        for row_id, text in rows:
            fixed = as_json_text(text)
            if fixed != text:
                bind.execute(table.update().where(table.c.id == row_id).values(detail=fixed))
        if len(rows) < BATCH:
            return
        last_id = rows[-1].id


def upgrade() -> None:
    _convert_rows()
    with op.batch_alter_table('interaction_event', schema=None) as batch_op:
        batch_op.alter_column('detail', existing_type=sa.Text(), type_=sa.JSON(), existing_nullable=True,
                              comment=COMMENT, existing_comment=COMMENT)


def downgrade() -> None:
    with op.batch_alter_table('interaction_event', schema=None) as batch_op:
        batch_op.alter_column('detail', existing_type=sa.JSON(), type_=sa.Text(), existing_nullable=True,
                              comment=COMMENT, existing_comment=COMMENT)
