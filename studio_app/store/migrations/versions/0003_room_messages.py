"""room_messages table: the live room's accepted messages per show (issue 15)

Revision ID: 0003_room_messages
Revises: 0002_show_metrics
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_room_messages"
down_revision = "0002_show_metrics"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("show_id", sa.String(64), nullable=False),
        sa.Column("room", sa.String(64), nullable=True),
        sa.Column("ts", sa.Float(), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("msg_id", sa.String(128), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_room_messages_show_ts", "room_messages", ["show_id", "ts"])


def downgrade() -> None:
    op.drop_table("room_messages")
