"""meeting records and attendance

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("target_meetings", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("target_minutes", sa.Integer(), nullable=True))
    with op.batch_alter_table("groups") as batch:
        batch.add_column(
            sa.Column("share_attendee_names", sa.Boolean(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))
    op.create_table(
        "meeting_records",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("method_ids", sa.String(length=200), nullable=False),
        sa.Column("cases_discussed", sa.Integer(), nullable=False),
        sa.Column("corrected_by", sa.String(length=32), nullable=True),
        sa.Column("corrected_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_records_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_meeting_records_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_records")),
    )
    op.create_index(op.f("ix_meeting_records_group_id"), "meeting_records", ["group_id"])
    op.create_table(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("marked_by", sa.String(length=32), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_attendance_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "user_id", name=op.f("pk_attendance")),
    )
    op.create_index(op.f("ix_attendance_user_id"), "attendance", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_attendance_user_id"), table_name="attendance")
    op.drop_table("attendance")
    op.drop_index(op.f("ix_meeting_records_group_id"), table_name="meeting_records")
    op.drop_table("meeting_records")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("started_at")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("share_attendee_names")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("target_minutes")
        batch.drop_column("target_meetings")
        batch.drop_column("name")
