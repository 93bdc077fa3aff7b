"""Tables of the event log. Schema changes go through Alembic migrations in ``migrations/``."""
from __future__ import annotations

from sqlalchemy import JSON, Float, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Globally unique id of the event: lets a room's spool be replayed into a central
    # database with none lost and none twice.
    uid: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    show_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    wall_time: Mapped[float] = mapped_column(Float, nullable=False)  # UTC, seconds since the epoch
    mono_time: Mapped[float] = mapped_column(Float, nullable=False)  # time.monotonic() of the writer's process
    session: Mapped[str] = mapped_column(String(32), nullable=False)  # one run of the console
    room: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    severity: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payload: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (
        Index("ix_events_wall_time", "wall_time"),
        Index("ix_events_show_time", "show_id", "wall_time"),
        Index("ix_events_source_time", "source", "wall_time"),
    )


class ShowMetricsRow(Base):
    """Sales figures the platform showed for one show (``segment_id`` None) or one segment.

    ``gmv`` in the shop's currency; ``conversion`` a fraction (0.035 = 3.5 %);
    ``source`` is ``manual`` or ``csv``; ``entered_at`` UTC seconds since the epoch.
    """

    __tablename__ = "show_metrics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    show_id: Mapped[str] = mapped_column(String(64), nullable=False)
    segment_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    room: Mapped[str | None] = mapped_column(String(64), nullable=True)
    gmv: Mapped[float | None] = mapped_column(Float, nullable=True)
    orders: Mapped[int | None] = mapped_column(Integer, nullable=True)
    viewers: Mapped[int | None] = mapped_column(Integer, nullable=True)
    conversion: Mapped[float | None] = mapped_column(Float, nullable=True)
    interactions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(8), nullable=False)
    entered_at: Mapped[float] = mapped_column(Float, nullable=False)

    __table_args__ = (
        Index("ix_show_metrics_show", "show_id", "segment_id"),
        Index("ix_show_metrics_room", "room", "show_id"),
    )


class RoomMessageRow(Base):
    """One accepted room message (``resources/room/FORMAT.md``) of a show.

    Its own narrow table, not the event log: a busy room sends 50 comments a second, 720,000
    rows in a four-hour show, which would swamp the log's indexes, its CSV export and every
    ``studio-console log``. ``data`` is the message's fields as compact JSON text (no ``ts``,
    ``type``, ``id``); ``ts`` UTC seconds since the epoch.
    """

    __tablename__ = "room_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    show_id: Mapped[str] = mapped_column(String(64), nullable=False)
    room: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ts: Mapped[float] = mapped_column(Float, nullable=False)
    type: Mapped[str] = mapped_column(String(8), nullable=False)
    msg_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    data: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    # A comment's user and text once more, as the rules read them: `room alerts` reads 700,000
    # of them without taking JSON apart. NULL for every other type, for a comment holding
    # U+0000 (PostgreSQL text cannot) and for rows an older console wrote: those are read whole.
    comment_user: Mapped[str | None] = mapped_column(Text, nullable=True)
    comment_text: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_room_messages_show_ts", "show_id", "ts"),)
