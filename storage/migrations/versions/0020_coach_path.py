"""the coach's path: the coach's stance and steps, a former coach called back, the readiness
thresholds; clicks on a case's controls by role; coach's notes; a group's tips

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as batch_op:
        batch_op.add_column(
            sa.Column("coach_stance", sa.String(12), nullable=False, server_default="coaching")
        )
        batch_op.add_column(sa.Column("coach_step_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("coach_step_from", sa.String(12), nullable=True))
        batch_op.add_column(sa.Column("former_coach_id", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("runs_itself_since", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("guest_coach_id", sa.String(32), nullable=True))
        batch_op.add_column(sa.Column("guest_meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("guest_accepted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("ready_meetings", sa.Integer(), nullable=False, server_default="2")
        )
        batch_op.add_column(
            sa.Column("ready_share", sa.Integer(), nullable=False, server_default="80")
        )
        batch_op.add_column(
            sa.Column("ready_methods", sa.Integer(), nullable=False, server_default="2")
        )
    op.create_table(
        "control_clicks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("case_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("by_role", sa.String(8), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_control_clicks_run_id", "control_clicks", ["run_id"])
    op.create_table(
        "coach_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id",
            sa.Integer(),
            sa.ForeignKey("case_runs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("phase_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_coach_notes_run_id", "coach_notes", ["run_id"])
    op.create_table(
        "group_tips",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("method_id", sa.String(32), primary_key=True),
        sa.Column("phase_id", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("group_tips")
    op.drop_index("ix_coach_notes_run_id", "coach_notes")
    op.drop_table("coach_notes")
    op.drop_index("ix_control_clicks_run_id", "control_clicks")
    op.drop_table("control_clicks")
    with op.batch_alter_table("groups") as batch_op:
        for column in (
            "ready_methods",
            "ready_share",
            "ready_meetings",
            "guest_accepted",
            "guest_meeting_id",
            "guest_coach_id",
            "runs_itself_since",
            "former_coach_id",
            "coach_step_from",
            "coach_step_at",
            "coach_stance",
        ):
            batch_op.drop_column(column)
