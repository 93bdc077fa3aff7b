"""room_messages: a comment's user and text in their own columns (issue 15, offline speed)

Rows already stored are filled from their JSON with the same expressions the reader used
before, so a show reads back exactly as it did. A comment holding U+0000 stays NULL (read
whole), as do rows an older console writes later.

Revision ID: 0004_room_comment_columns
Revises: 0003_room_messages
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_room_comment_columns"
down_revision = "0003_room_messages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("room_messages", sa.Column("comment_user", sa.Text(), nullable=True))
    op.add_column("room_messages", sa.Column("comment_text", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        user, text = "json_extract(data, '$.user')", "json_extract(data, '$.text')"
        nul = "instr(data, '\\u0000') > 0"
    else:  # PostgreSQL: the column is text
        user, text = "(CAST(data AS json) ->> 'user')", "(CAST(data AS json) ->> 'text')"
        nul = "strpos(data, '\\u0000') > 0"
    op.execute(f"UPDATE room_messages SET comment_user = COALESCE({user}, ''), comment_text = {text} "
               f"WHERE type = 'comment' AND NOT ({nul})")


def downgrade() -> None:
    with op.batch_alter_table("room_messages") as batch:
        batch.drop_column("comment_text")
        batch.drop_column("comment_user")
