"""Event messages in the desk's language, through Qt's translator.

The templates and enum words live in the ``.ts`` catalogue (contexts ``EventMessage`` and
``EventValue``, see :mod:`studio_app.core.event_kinds`); here they are looked up with
``QCoreApplication.translate``, so the desk shows exactly what its installed translator has.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from studio_app.core.event_text import EventText


def ui_language() -> str:
    """The language the translators were installed for (``studio_app.ui.i18n.install`` sets
    the default locale to it)."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def _qt_translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def event_text() -> EventText:
    """A renderer for the desk's current language (cheap: build one where needed)."""
    return EventText(ui_language(), _qt_translate)


def event_message(event: Any) -> str:
    """One event's message in the desk's language (the stored message when it has no template)."""
    return event_text().message(event)


def detail_text(detail: Any) -> str:
    """A device's status sentence (``DeviceStatus.detail``, the OBS link's) in the desk's language."""
    return event_text().detail(detail)


def refusal_text(outcome: Any) -> str:
    """Why a listener's new settings were refused (``relisten.SwitchOutcome``), in the desk's
    language when the cause is coded, else the server's own line."""
    code = getattr(outcome, "reason_code", "")
    return (event_text().reason(code, outcome.reason_fields) if code else None) or outcome.error


def result_message(result: Any) -> str:
    """The status-bar line of a desk action's result: its last event in the desk's language
    when that is what the engine reported, else the engine's own line."""
    events = getattr(result, "events", None) or []
    if result.ok and events and result.message == events[-1].message:
        return event_message(events[-1])
    return result.message


def refusal_reason(result: Any) -> str:
    """Why a desk action was refused, in the desk's language (the engine's line when the
    refusal has no coded reason, e.g. a malformed action)."""
    events = getattr(result, "events", None) or []
    payload = events[-1].payload if events else None
    data = getattr(result, "data", None)
    if not (payload and "reason_code" in payload) and isinstance(data, dict) and data.get("reason_code"):
        payload = data  # refused by the studio itself, with a coded reason
    if payload and "reason_code" in payload:
        reason = event_text().reason(payload["reason_code"], payload.get("reason_fields"))
        if reason is not None:
            return reason
    return result.message
