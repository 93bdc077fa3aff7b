"""show_metrics table: sales figures per show and segment (entered by hand or from CSV)

Revision ID: 0002_show_metrics
Revises: 0001_events
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_show_metrics"
down_revision = "0001_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "show_metrics",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("show_id", sa.String(64), nullable=False),
        sa.Column("segment_id", sa.String(64), nullable=True),
        sa.Column("room", sa.String(64), nullable=True),
        sa.Column("gmv", sa.Float(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column("viewers", sa.Integer(), nullable=True),
        sa.Column("conversion", sa.Float(), nullable=True),
        sa.Column("interactions", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("entered_at", sa.Float(), nullable=False),
    )
    op.create_index("ix_show_metrics_show", "show_metrics", ["show_id", "segment_id"])
    op.create_index("ix_show_metrics_room", "show_metrics", ["room", "show_id"])


def downgrade() -> None:
    op.drop_table("show_metrics")
