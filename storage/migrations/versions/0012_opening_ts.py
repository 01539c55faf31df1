"""the meeting's opening message (the thread a case chosen at the start goes to), and the ts
of a case run's thread messages (a phase's buttons go when it ends)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("opening_ts", sa.String(length=32), nullable=True))
    with op.batch_alter_table("run_messages") as batch:
        batch.add_column(sa.Column("ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_messages") as batch:
        batch.drop_column("ts")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("opening_ts")
