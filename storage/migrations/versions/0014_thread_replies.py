"""replies in a case's thread are contributions (the reply's ts), and the case owner is
reminded once per phase that a round is for listening

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contributions") as batch:
        batch.add_column(sa.Column("message_ts", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_contributions_run_id"), ["run_id", "message_ts"])
    with op.batch_alter_table("case_runs") as batch:
        batch.add_column(sa.Column("owner_reminded_phase", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_case_runs_parent_ts"), ["parent_ts"])


def downgrade() -> None:
    with op.batch_alter_table("case_runs") as batch:
        batch.drop_index(op.f("ix_case_runs_parent_ts"))
        batch.drop_column("owner_reminded_phase")
    with op.batch_alter_table("contributions") as batch:
        batch.drop_constraint(op.f("uq_contributions_run_id"), type_="unique")
        batch.drop_column("message_ts")
