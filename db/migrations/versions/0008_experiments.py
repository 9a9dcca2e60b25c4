"""experiments: the A/B variant on every event and survey row

Revision ID: 0008_experiments
Revises: 0004_backend
Create Date: 2026-12-02

The insights page compares the `control` and `feedback` rankings; each usage event and survey answer
records the experiment and the variant its session was in when it was written, so old rows keep their
variant when the experiment changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008_experiments'
down_revision = '0007_closet'
branch_labels = None
depends_on = None

TABLES = ('interaction_event', 'survey_response')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(
                'experiment', sa.String(length=64), nullable=True,
                comment='A/B experiment the session was in when this was written (settings.experiment).'))
            batch_op.add_column(sa.Column(
                'variant', sa.String(length=32), nullable=True,
                comment="The session's variant of that experiment (hash of salt and session id)."))
            batch_op.create_index(f'ix_{table}_experiment_variant', ['experiment', 'variant'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_experiment_variant')
            batch_op.drop_column('variant')
            batch_op.drop_column('experiment')
