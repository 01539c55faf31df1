"""case runs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_phase_minutes",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("method_id", sa.String(length=32), nullable=False),
        sa.Column("phase_id", sa.String(length=32), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_group_phase_minutes_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "method_id", "phase_id", name=op.f("pk_group_phase_minutes")
        ),
    )
    op.create_table(
        "case_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("method_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("phase_started_at", UTCDateTime(), nullable=True),
        sa.Column("ran_before", sa.Float(), nullable=False),
        sa.Column("extra_minutes", sa.Integer(), nullable=False),
        sa.Column("paused_at", UTCDateTime(), nullable=True),
        sa.Column("heads_up_sent", sa.Boolean(), nullable=False),
        sa.Column("over_announced", sa.Boolean(), nullable=False),
        sa.Column("chair_id", sa.String(length=32), nullable=True),
        sa.Column("timekeeper_id", sa.String(length=32), nullable=True),
        sa.Column("parent_ts", sa.String(length=32), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_runs_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_case_runs_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_runs")),
    )
    with op.batch_alter_table("case_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_runs_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_runs_status"), ["status"], unique=False)

    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["case_runs.id"],
            name=op.f("fk_contributions_run_id_case_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contributions")),
    )
    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contributions_run_id"), ["run_id"], unique=False)

    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("auto_advance", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("auto_advance")

    with op.batch_alter_table("contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contributions_run_id"))

    op.drop_table("contributions")
    with op.batch_alter_table("case_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_runs_status"))
        batch_op.drop_index(batch_op.f("ix_case_runs_meeting_id"))

    op.drop_table("case_runs")
    op.drop_table("group_phase_minutes")
