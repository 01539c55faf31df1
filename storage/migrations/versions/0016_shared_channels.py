"""shared channels: one group per channel whichever workspaces installed the app, the pinned
panel of buttons, and each person's own workspace

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("panel_ts", sa.String(length=32), nullable=True))
        batch.drop_constraint(op.f("uq_groups_team_id"), type_="unique")
        batch.create_unique_constraint(op.f("uq_groups_channel_id"), ["channel_id"])
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("user_team", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("user_team")
    with op.batch_alter_table("groups") as batch:
        batch.drop_constraint(op.f("uq_groups_channel_id"), type_="unique")
        batch.create_unique_constraint(op.f("uq_groups_team_id"), ["team_id", "channel_id"])
        batch.drop_column("panel_ts")
