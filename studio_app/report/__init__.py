"""The show review (复盘): what happened in a show, from the event log, as a self-contained
HTML report. No Qt here; the database is reached only through :mod:`studio_app.store`.

- :mod:`studio_app.report.review`: pure assembly of a :class:`ShowReview` from events;
- :mod:`studio_app.report.charts`: matplotlib charts as inline SVG;
- :mod:`studio_app.report.html`: the page;
- :mod:`studio_app.report.source`: reading a show's events, figures and the show list.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from studio_app.report.review import ShowReview, build_review
from studio_app.report.source import ShowEntry, UnknownShow, latest_show, list_shows, load_review


def render_report(review: ShowReview, *, generated_at: float | None = None, text: Any = None) -> str:
    """The HTML page of ``review`` with its charts (CPU-bound; any thread). Without
    matplotlib the page is complete but for the charts, and says why. ``text``: an
    :class:`~studio_app.core.event_text.EventText` for event messages in the reader's language
    (None: the English the engine wrote)."""
    from studio_app.report.html import render_html

    try:
        from studio_app.report.charts import all_charts
    except ImportError as exc:
        return render_html(review, {}, generated_at=generated_at, text=text,
                           notice=f"图表不可用 charts unavailable: {exc} (pip install matplotlib)")
    return render_html(review, all_charts(review), generated_at=generated_at, text=text)


def write_report(html: str, path: str | Path) -> Path:
    """Write the page atomically (UTF-8); returns the path. Raises
    :class:`~studio_app.core.files.FileRefused` for a target that is not a regular file."""
    from studio_app.core.files import write_atomically

    return write_atomically(path, html)


__all__ = ["ShowEntry", "ShowReview", "UnknownShow", "build_review", "latest_show", "list_shows", "load_review",
           "render_report", "write_report"]
