"""Small layout helpers shared by the desk's docks."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolling_column(panel: QWidget) -> QVBoxLayout:
    """Put a frameless, resizable scroll area over all of ``panel`` and return the column
    layout inside it. A dock built this way can be made small (scroll bars appear) instead
    of forcing its minimum size, and so the whole window's, on the desk."""
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setMinimumSize(1, 1)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    return QVBoxLayout(body)


def wanted_width(panel: QWidget) -> int:
    """The width ``panel`` needs to show its column without a horizontal scroll bar (a panel
    built with :func:`scrolling_column`; otherwise its own size hint)."""
    scroll = panel.findChild(QScrollArea)
    if scroll is None or scroll.widget() is None:
        return panel.sizeHint().width()
    return scroll.widget().sizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
