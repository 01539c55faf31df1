"""shared remarks: an evaluation's remark reaches the group only when its writer agreed

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Remarks written before there was a choice stay with their writer.
    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.add_column(
            sa.Column("remark_shared", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch_op:
        batch_op.drop_column("remark_shared")
