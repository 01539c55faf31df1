"""asynchronous cases and working hours

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("work_start", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("work_end", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("work_days", sa.String(length=7), nullable=True))
    with op.batch_alter_table("case_runs") as batch:
        batch.add_column(
            sa.Column("mode", sa.String(length=8), nullable=False, server_default="live")
        )
        batch.add_column(sa.Column("nudged_phase", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_runs") as batch:
        batch.drop_column("nudged_phase")
        batch.drop_column("mode")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("work_days")
        batch.drop_column("work_end")
        batch.drop_column("work_start")
