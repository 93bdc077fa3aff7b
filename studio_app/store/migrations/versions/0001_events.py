"""events table

Revision ID: 0001_events
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_events"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("show_id", sa.String(64), nullable=True),
        sa.Column("wall_time", sa.Float(), nullable=False),
        sa.Column("mono_time", sa.Float(), nullable=False),
        sa.Column("session", sa.String(32), nullable=False),
        sa.Column("room", sa.String(64), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.SmallInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
    )
    op.create_index("ix_events_wall_time", "events", ["wall_time"])
    op.create_index("ix_events_show_time", "events", ["show_id", "wall_time"])
    op.create_index("ix_events_source_time", "events", ["source", "wall_time"])


def downgrade() -> None:
    op.drop_table("events")
