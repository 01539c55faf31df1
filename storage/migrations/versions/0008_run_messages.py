"""the outbox of a case run

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["case_runs.id"],
            name=op.f("fk_run_messages_run_id_case_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_run_messages_key")),
    )
    op.create_index(op.f("ix_run_messages_run_id"), "run_messages", ["run_id"])
    op.create_index(op.f("ix_run_messages_sent_at"), "run_messages", ["sent_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_run_messages_sent_at"), table_name="run_messages")
    op.drop_index(op.f("ix_run_messages_run_id"), table_name="run_messages")
    op.drop_table("run_messages")
