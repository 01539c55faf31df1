"""confidential text encrypted at rest, retention, pauses, installation state, event dedup

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from storage.crypto import cipher_of
from storage.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Confidential columns, with the primary key that finds their rows.
CONFIDENTIAL = {
    "cases": (("id",), ("title", "situation", "question", "link")),
    "contributions": (("id",), ("text",)),
    "takeaways": (("id",), ("case_title", "learned", "attention", "goal", "reflection")),
    "evaluations": (("meeting_id", "user_id"), ("remark",)),
}


def _encrypt_existing_rows() -> None:
    """Text written before this migration was plain: encrypt it with the configured key."""
    bind = op.get_bind()
    for name, (key, columns) in CONFIDENTIAL.items():
        table = sa.table(name, *(sa.column(c) for c in key + columns))
        rows = bind.execute(sa.select(table)).mappings().all()
        if not rows:
            continue
        cipher = cipher_of(bind.dialect)
        for row in rows:
            values = {c: cipher.encrypt(row[c]) for c in columns if row[c] is not None}
            if values:
                where = [table.c[k] == row[k] for k in key]
                bind.execute(sa.update(table).where(*where).values(values))


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("title", type_=sa.Text(), existing_nullable=False)
        batch.alter_column("link", type_=sa.Text(), existing_nullable=True)
        batch.add_column(sa.Column("purged_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("takeaways") as batch:
        batch.alter_column("case_title", type_=sa.Text(), existing_nullable=False)
    with op.batch_alter_table("groups") as batch:
        batch.add_column(
            sa.Column("retention_days", sa.Integer(), server_default="90", nullable=False)
        )
        batch.add_column(sa.Column("paused_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("pause_reason", sa.String(length=32), nullable=True))
    op.create_table(
        "encryption_check",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_encryption_check")),
    )
    op.create_table(
        "installation",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_installation")),
    )
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    op.create_index(op.f("ix_processed_events_received_at"), "processed_events", ["received_at"])
    _encrypt_existing_rows()


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_events_received_at"), table_name="processed_events")
    op.drop_table("processed_events")
    op.drop_table("installation")
    op.drop_table("encryption_check")
    with op.batch_alter_table("groups") as batch:
        batch.drop_column("pause_reason")
        batch.drop_column("paused_at")
        batch.drop_column("retention_days")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("purged_at")
