"""Sales figures in the database (table ``show_metrics``): enter, import, read back.

The figures themselves, CSV reading and scoring live in :mod:`studio_app.show.sales`
(no SQLAlchemy there). Entering figures for a (show, segment, room) that already has some
replaces them: the platform's numbers are corrected, not accumulated.
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from studio_app.show.sales import SalesFigures, parse_sales_csv
from studio_app.store.models import ShowMetricsRow

_FIELDS = ("show_id", "segment_id", "room", "gmv", "orders", "viewers", "conversion", "interactions", "source", "entered_at")


def _null_eq(column, value):  # noqa: ANN001, ANN202 - SQL "IS NULL" when value is None
    return column.is_(None) if value is None else column == value


def save_figures(engine: Engine, figures: Sequence[SalesFigures]) -> int:
    """Store figures in one transaction, replacing earlier ones of the same show/segment/room."""
    now = time.time()
    rows = []
    for f in figures:
        if len(f.show_id) > 64 or not f.show_id.strip():
            raise ValueError(f"show id must be 1 to 64 characters, not {f.show_id!r}")
        if f.source not in {"manual", "csv"}:
            raise ValueError(f"source must be manual or csv, not {f.source!r}")
        if not f.entered_at:
            f = replace(f, entered_at=now)
        rows.append({k: getattr(f, k) for k in _FIELDS})
    with engine.begin() as conn:
        for r in rows:
            conn.execute(
                delete(ShowMetricsRow).where(
                    and_(
                        ShowMetricsRow.show_id == r["show_id"],
                        _null_eq(ShowMetricsRow.segment_id, r["segment_id"]),
                        _null_eq(ShowMetricsRow.room, r["room"]),
                    )
                )
            )
        if rows:
            conn.execute(insert(ShowMetricsRow), rows)
    return len(rows)


def enter_figures(engine: Engine, show_id: str, *, segment_id: str | None = None, room: str | None = None,
                  gmv: float | None = None, orders: int | None = None, viewers: int | None = None,
                  conversion: float | None = None, interactions: int | None = None) -> SalesFigures:
    """Figures typed in by hand (source ``manual``). Raises ValueError on a bad figure."""
    f = SalesFigures(show_id, segment_id, room, gmv, orders, viewers, conversion, interactions, "manual", time.time())
    save_figures(engine, [f])
    return f


def import_sales_csv(engine: Engine, show_id: str, path: str | Path, *, room: str | None = None) -> list[SalesFigures]:
    """Read a per-segment CSV (see :mod:`studio_app.show.sales`) and store it, all or nothing.

    Raises :class:`studio_app.show.sales.SalesFileError` (file, line, column) before writing anything.
    """
    figures = [replace(f, entered_at=time.time()) for f in parse_sales_csv(path, show_id, room=room)]
    save_figures(engine, figures)
    return figures


def fetch_figures(engine: Engine, *, show_ids: Iterable[str] | None = None,
                  rooms: Iterable[str] | None = None) -> list[SalesFigures]:
    """Stored figures, oldest entry first; filter by shows and/or rooms."""
    stmt = select(ShowMetricsRow)
    if show_ids is not None:
        stmt = stmt.where(ShowMetricsRow.show_id.in_(list(show_ids)))
    if rooms is not None:
        stmt = stmt.where(ShowMetricsRow.room.in_(list(rooms)))
    stmt = stmt.order_by(ShowMetricsRow.entered_at, ShowMetricsRow.id)
    with Session(engine) as session:
        return [SalesFigures(**{k: getattr(r, k) for k in _FIELDS}) for r in session.scalars(stmt)]
