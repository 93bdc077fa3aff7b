"""Event messages in the reader's language, rendered at read time from kind and payload.

The log stores what happened (``source``, ``kind``, ``payload``) plus the English message
the engine wrote. Readers (the log panel, ``studio-console log``, the review report, the
status bar) turn an event into a line in their own language here:

- :mod:`studio_app.core.event_kinds` maps ``"source:kind"`` to an English template such as
  ``"push {product}"``; the templates are marked for Qt's lupdate, so the Chinese lives in
  ``resources/translations/studio_console_zh_CN.ts`` with the UI's strings.
- A *translate* function ``(context, english) -> text`` looks a template up: the UI passes
  ``QCoreApplication.translate``; the command line and the report (no Qt) read the ``.ts``
  catalogue with :class:`TsCatalogue`.
- Payload values (product names, segment titles) are filled in as they are; a few
  formats and the ``!t`` conversion make numbers, durations, times and enum words
  read naturally in each language (see :class:`_Formatter`).

An event whose kind has no template, or whose payload lacks a field the template needs
(events written before the template existed), shows its stored message.
"""
from __future__ import annotations

import math
import os
import string
import threading
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Mapping

from studio_app.core.event_kinds import LABELS, REASONS, template_for
from studio_app.core.paths import resource

MESSAGE_CONTEXT = "EventMessage"  # the .ts context of the templates
VALUE_CONTEXT = "EventValue"  # the .ts context of enum words (phase names, card states, ...)
REASON_CONTEXT = "EventReason"  # the .ts context of the engine's refusal reasons
KIND_CONTEXT = "EventKind"  # the .ts context of the kinds' short names
LANGUAGES = ("zh_CN", "en")

Translate = Callable[[str, str], str]


def english(context: str, text: str) -> str:
    """The source language: every template is already English."""
    return text


class TsCatalogue:
    """Finished translations of a Qt ``.ts`` file, read without Qt: ``(context, source) -> text``.

    Unfinished, vanished and obsolete entries are left out, as ``lrelease`` leaves them
    out of the ``.qm``; a source string with no translation comes back unchanged.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._table: dict[tuple[str, str], str] = {}
        root = ET.parse(self.path).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                src = msg.findtext("source")
                if src is None or tr is None or tr.get("type") in {"unfinished", "vanished", "obsolete"} or not tr.text:
                    continue
                self._table[(name, src)] = tr.text

    def __call__(self, context: str, text: str) -> str:
        return self._table.get((context, text), text)

    def has(self, context: str, text: str) -> bool:
        return (context, text) in self._table


_catalogues: dict[str, Translate] = {}
_catalogue_lock = threading.Lock()


def catalogue_path(lang: str) -> Path:
    return resource("translations", f"studio_console_{lang}.ts")


def translator_for(lang: str) -> Translate:
    """The Qt-free translate function for ``lang`` (``en``: identity). Read once, then cached."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of: {', '.join(LANGUAGES)})")
    if lang == "en":
        return english
    with _catalogue_lock:
        if lang not in _catalogues:
            _catalogues[lang] = TsCatalogue(catalogue_path(lang))
        return _catalogues[lang]


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the desk picks for ``system``: Chinese locales get zh_CN, others English
    (the same rule as ``studio_app.ui.i18n.resolve_language``, read from the environment as
    Qt does on Linux)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh_CN" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def resolve_language(setting: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``zh_CN``/``en`` as given; ``system`` or nothing follows the system locale."""
    return setting if setting in LANGUAGES else system_language(environ)


# --------------------------------------------------------------------------- formatting
def _duration(seconds: float, lang: str) -> str:
    s = int(round(abs(seconds)))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    if lang == "zh_CN":
        parts = [f"{h}小时" if h else "", f"{m}分" if m else "", f"{sec}秒" if sec or not (h or m) else ""]
        return ("-" if seconds < 0 else "") + "".join(parts)
    parts = [f"{h} h" if h else "", f"{m} min" if m else "", f"{sec} s" if sec or not (h or m) else ""]
    return ("-" if seconds < 0 else "") + " ".join(p for p in parts if p)


def _clock(seconds: float, signed: bool) -> str:
    neg = seconds < 0
    s = int(round(abs(seconds)))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    body = f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"
    return ("-" if neg else "+" if signed else "") + body


class _MissingField(Exception):
    pass


class _Formatter(string.Formatter):
    """``str.format`` with a few extras, the same in every language's template:

    - ``{x:dur}`` / ``{x:+dur}`` seconds as a duration: "1 min 30 s" / "1分30秒" (signed: "+" too);
    - ``{x:clock}`` / ``{x:+clock}`` seconds as mm:ss (signed: always a sign);
    - ``{x:time}`` UTC seconds as the reader's local clock time, HH:MM:SS;
    - ``{x!t}`` the value as an enum word in the reader's language (context EventValue);
    - any other spec as ``format()`` does (``{x:.1f}``, ``{x:,}``).
    """

    def __init__(self, translate: Translate, lang: str) -> None:
        self.translate, self.lang = translate, lang
        self._parsed: dict[str, list[tuple[str, str | None, str, str | None]]] = {}

    def fill(self, text: str, fields: Mapping[str, Any]) -> str:
        """``vformat(text, (), fields)`` with the template parsed once (readers render
        thousands of events: the log panel's filter, a CSV export)."""
        parts = self._parsed.get(text)
        if parts is None:
            parts = self._parsed[text] = list(self.parse(text))
        out = []
        for literal, field_name, spec, conversion in parts:
            out.append(literal)
            if field_name is None:
                continue
            value, _key = self.get_field(field_name, (), fields)
            out.append(self.format_field(self.convert_field(value, conversion), spec or ""))
        return "".join(out)

    def get_value(self, key, args, kwargs):  # noqa: ANN001 - string.Formatter API
        if isinstance(key, int) or key not in kwargs:
            raise _MissingField(key)
        return kwargs[key]

    def get_field(self, field_name, args, kwargs):  # noqa: ANN001
        try:
            return super().get_field(field_name, args, kwargs)
        except (KeyError, IndexError, AttributeError, TypeError) as exc:
            raise _MissingField(field_name) from exc

    def convert_field(self, value, conversion):  # noqa: ANN001
        if conversion == "t":
            word = "on" if value is True else "off" if value is False else str(value)
            shown = self.translate(VALUE_CONTEXT, word)
            return shown.replace("_", " ") if shown == word else shown  # "on_shelf" reads "on shelf"
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):  # noqa: ANN001
        if value is None:
            if format_spec:  # a number that was not measured: the stored message says it better
                raise _MissingField("None")
            return "-"
        if format_spec in ("dur", "+dur", "clock", "+clock", "time"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise _MissingField(format_spec)
            if format_spec in ("dur", "+dur"):
                sign = "+" if format_spec == "+dur" and value >= 0 else ""
                return sign + _duration(value, self.lang)
            if format_spec == "time":
                return datetime.fromtimestamp(value).strftime("%H:%M:%S")
            return _clock(value, format_spec == "+clock")
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError) as exc:  # e.g. ".1f" on a string from an old payload
            raise _MissingField(format_spec) from exc


class EventText:
    """Renders events for one reader: ``EventText("zh_CN").message(event)``.

    ``translate`` defaults to the Qt-free catalogue of ``lang``; the UI passes one built on
    ``QCoreApplication.translate`` so the desk and its translator agree.
    """

    def __init__(self, lang: str = "en", translate: Translate | None = None) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (one of: {', '.join(LANGUAGES)})")
        self.lang = lang
        self.translate = translate or translator_for(lang)
        self._fmt = _Formatter(self.translate, lang)

    def template(self, source: str, kind: str, payload: Mapping[str, Any] | None) -> str | None:
        """The English template for this event (None: the kind has none)."""
        return template_for(str(source), str(kind), payload or {})

    def render(self, source: str, kind: str, payload: Mapping[str, Any] | None, fallback: str = "") -> str:
        """The message in this reader's language; ``fallback`` (the stored message) when the
        kind has no template or the payload cannot fill it."""
        if not isinstance(payload, dict):  # dict first: the common case, and cheap to test
            payload = payload if isinstance(payload, Mapping) else {}
        if "reason_code" in payload:  # a refusal: its reason in this language too
            reason = self.reason(payload.get("reason_code"), payload.get("reason_fields"))
            if reason is not None:
                payload = {**payload, "reason": reason}
        tpl = self.template(source, kind, payload)
        if tpl is None:
            return fallback
        text = self.translate(MESSAGE_CONTEXT, tpl)
        try:
            return self._fmt.fill(text, payload)
        except (_MissingField, ValueError, TypeError, IndexError, KeyError):
            # a translation with a broken field still shows something true
            if text != tpl:
                try:
                    return self._fmt.fill(tpl, payload)
                except (_MissingField, ValueError, TypeError, IndexError, KeyError):
                    pass
            return fallback

    def reason(self, code: Any, fields: Any) -> str | None:
        """A refusal reason (``studio_app.core.event_kinds.REASONS``) in this language; None
        when the code is unknown or the fields cannot fill it."""
        tpl = REASONS.get(str(code))
        if tpl is None or not isinstance(fields, Mapping):
            return None
        for text in dict.fromkeys((self.translate(REASON_CONTEXT, tpl), tpl)):
            try:
                return self._fmt.fill(text, fields)
            except (_MissingField, ValueError, TypeError, IndexError, KeyError):
                continue
        return None

    def detail(self, text: Any) -> str:
        """A device's status sentence in this language: a :class:`hardware.said.Said` from its
        code and fields (the ``DeviceDetail`` context), any other text as it is."""
        from hardware.said import DETAIL_CONTEXT, TEMPLATES

        code = getattr(text, "code", None)
        tpl = TEMPLATES.get(code) if isinstance(code, str) else None
        if tpl is None:
            return str(text or "")
        try:
            return self._fmt.fill(self.translate(DETAIL_CONTEXT, tpl), text.fields)
        except (_MissingField, ValueError, TypeError, IndexError, KeyError):
            return str(text)

    def message(self, event: Any) -> str:
        """:meth:`render` for a stored :class:`~studio_app.core.events.Event`, a
        :class:`~studio_app.show.events.ShowEvent` or a ``{source, kind, payload, message}`` dict."""
        if isinstance(event, dict) or (not hasattr(event, "kind") and isinstance(event, Mapping)):
            return self.render(event.get("source", ""), event.get("kind", ""), event.get("payload"),
                               str(event.get("message") or ""))
        return self.render(getattr(event, "source", ""), getattr(event, "kind", ""),
                           getattr(event, "payload", None), str(getattr(event, "message", "") or ""))

    def label(self, source: str, kind: str) -> str:
        """The kind's short name in this language ("商品讲解" for ``card.push``); the kind itself
        when it has none."""
        name = LABELS.get(f"{source}:{kind}")
        return kind if name is None else self.translate(KIND_CONTEXT, name)

    def value(self, word: Any) -> str:
        """An enum word (phase, card state, severity, source) in this reader's language."""
        return self._fmt.convert_field(word, "t")


class EventLine(str):
    """An event's stored (English) message that remembers the event's source, kind and
    payload, so a report built once can be shown in any language later. It *is* the stored
    message wherever a plain string is expected."""

    source: str
    kind: str
    payload: Mapping[str, Any] | None

    def __new__(cls, event: Any, stored: str | None = None) -> "EventLine":
        """``stored``: the English to keep instead of the event's message (e.g. just its reason)."""
        line = super().__new__(cls, str(getattr(event, "message", "") or "") if stored is None else stored)
        line.source = str(getattr(event, "source", ""))
        line.kind = str(getattr(event, "kind", ""))
        payload = getattr(event, "payload", None)
        line.payload = payload if isinstance(payload, Mapping) else None
        return line

    @property
    def message(self) -> str:
        return str.__str__(self)

    def in_language(self, text: "EventText | None") -> str:
        return self.message if text is None else text.message(self)
