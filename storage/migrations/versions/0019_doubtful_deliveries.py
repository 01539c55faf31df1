"""doubtful deliveries: when a message was first claimed, and since when Slack may have it
without the bot knowing (an answer lost to a 5xx, a timeout, a dropped connection)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.add_column(sa.Column("claimed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("doubted_at", UTCDateTime(), nullable=True))
    # A claim made before keeps its moment: its created_at was never moved but by a takeover.
    op.execute("UPDATE deliveries SET claimed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.drop_column("doubted_at")
        batch_op.drop_column("claimed_at")
