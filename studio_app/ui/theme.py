"""A dark theme for a dim studio: Fusion style, a dark palette, and a small stylesheet."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from studio_app.core.paths import resource

# Status colours used across the desk (tallies, meters, device states).
COLORS = {
    "ok": "#3ddc84",
    "test": "#4fc3f7",
    "warning": "#ffb300",
    "error": "#ff4c4c",
    "idle": "#8a8f98",
    "program": "#e53935",
    "preview": "#43a047",
    "accent": "#4f8cff",
}


def palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor("#15171c"), QColor("#1d2027"), QColor("#e6e8eb")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#1a1d23"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#2a2e37"))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#80858f"))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor("#262a33"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Highlight, QColor(COLORS["accent"]))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#7fb0ff"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7079"))
    return p


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette())
    qss = resource("styles", "dark.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
