"""issued proofs: each proof of participation with its verification code and what it says

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_proofs",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),  # encrypted
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("replaced_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting_records.meeting_id"],
            name=op.f("fk_issued_proofs_meeting_id_meeting_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_issued_proofs")),
        sa.UniqueConstraint(
            "meeting_id", "user_id", "fingerprint", name=op.f("uq_issued_proofs_meeting_id")
        ),
    )
    op.create_index(op.f("ix_issued_proofs_meeting_id"), "issued_proofs", ["meeting_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_proofs_meeting_id"), table_name="issued_proofs")
    op.drop_table("issued_proofs")
