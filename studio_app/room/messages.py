"""Room messages: what a platform bridge, a recording or a CSV export says about the live room.

The format is documented in ``resources/room/FORMAT.md``. One message is a JSON object with
``ts`` (ISO 8601 with an offset, or Unix epoch milliseconds) and ``type``; the other fields
depend on the type (:data:`SCHEMA`). :func:`parse_message` turns a decoded object into a
:class:`RoomMessage` or raises :class:`RoomMessageError` with a one-line reason naming the
field; :func:`parse_text` splits a body (one object, an array, or NDJSON) and never stops at a
bad line: each problem comes back located (``line 12: stats.online: expected a whole number
>= 0, got "12"``) next to the messages that were fine.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

# field kinds
COUNT = "count"  # whole number >= 0
MONEY = "money"  # number >= 0 (yuan)
TEXT = "text"  # string

# ``stats``: ``online`` is the current number of viewers; the rest are cumulative since the room opened.
STATS_COUNTERS = ("viewers", "entries", "likes", "comments", "shares", "follows", "orders", "buyers", "gmv")
PRODUCT_COUNTERS = ("sold", "clicks")  # cumulative per product; ``stock`` is what is left

SCHEMA: dict[str, dict[str, str]] = {
    "stats": {"online": COUNT, **{k: COUNT for k in STATS_COUNTERS if k != "gmv"}, "gmv": MONEY},
    "comment": {"user": TEXT, "text": TEXT},
    "product": {"sku": TEXT, "name": TEXT, "sold": COUNT, "stock": COUNT, "clicks": COUNT, "gmv": MONEY,
                "price": MONEY},
    "gift": {"user": TEXT, "gift": TEXT, "count": COUNT, "value": MONEY},
    "follow": {"user": TEXT},
    "enter": {"user": TEXT},
}
REQUIRED: dict[str, tuple[str, ...]] = {"comment": ("text",)}
COMMON = ("ts", "type", "id")  # ``id``: the platform's message id, when it has one (duplicates)

MAX_TEXT = 2000  # a comment is at most a few hundred characters on every platform
# Epoch milliseconds between 2001-09-09 and 2286: a number outside is seconds or nonsense.
_MS_MIN, _MS_MAX = 1e12, 1e13


class RoomMessageError(ValueError):
    """One message was refused; ``str()`` is one line. ``reason`` is a short code for counting."""

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RoomMessage:
    ts: float  # UTC seconds since the epoch
    type: str
    data: dict[str, Any] = field(default_factory=dict)  # the type's fields that were present
    id: str | None = None
    ignored: tuple[str, ...] = ()  # fields the format does not know (kept out of ``data``)

    def key(self) -> tuple:
        """What makes two messages "the same message twice" (duplicates)."""
        if self.id is not None:
            return (self.type, self.id)
        return (self.ts, self.type, tuple(sorted(self.data.items())))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ts": round(self.ts * 1000), "type": self.type}
        if self.id is not None:
            out["id"] = self.id
        out.update(self.data)
        return out


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) or math.isfinite(value) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_ts(value: Any) -> float:
    """``ts`` -> UTC seconds. ISO 8601 needs an offset (a local time is ambiguous across a
    bridge on another machine); numbers are epoch milliseconds."""
    if isinstance(value, bool):
        raise RoomMessageError(f"ts: expected ISO 8601 with an offset or epoch milliseconds, got {_describe(value)}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not _MS_MIN <= value < _MS_MAX:
            hint = " (that looks like seconds: send milliseconds)" if 1e9 <= value < 1e10 else ""
            raise RoomMessageError(f"ts: {_describe(value)} is not epoch milliseconds{hint}")
        return float(value) / 1000.0
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise RoomMessageError(f"ts: {_describe(value)} is not an ISO 8601 time") from None
        if parsed.tzinfo is None:
            raise RoomMessageError(f"ts: {_describe(value)} has no offset (write +08:00 or Z)")
        return parsed.timestamp()
    raise RoomMessageError(f"ts: expected ISO 8601 with an offset or epoch milliseconds, got {_describe(value)}")


def _field(mtype: str, name: str, kind: str, value: Any) -> Any:
    where = f"{mtype}.{name}"
    if kind == TEXT:
        if not isinstance(value, str):
            raise RoomMessageError(f"{where}: expected text, got {_describe(value)}", "wrong_type")
        if len(value) > MAX_TEXT:
            raise RoomMessageError(f"{where}: {len(value)} characters, at most {MAX_TEXT}", "wrong_type")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        want = "a whole number >= 0" if kind == COUNT else "an amount >= 0"
        raise RoomMessageError(f"{where}: expected {want}, got {_describe(value)}", "wrong_type")
    if value < 0:
        raise RoomMessageError(f"{where}: {_describe(value)} is negative", "wrong_type")
    if kind == COUNT:
        if value != int(value):
            raise RoomMessageError(f"{where}: expected a whole number, got {_describe(value)}", "wrong_type")
        return int(value)
    return float(value)


def parse_message(obj: Any) -> RoomMessage:
    """A decoded JSON value -> :class:`RoomMessage`; raises :class:`RoomMessageError`."""
    if not isinstance(obj, dict):
        raise RoomMessageError(f"expected a JSON object, got {_describe(obj)}", "wrong_type")
    mtype = obj.get("type")
    if mtype is None:
        raise RoomMessageError("type: missing (stats, comment, product, gift, follow or enter)", "wrong_type")
    if not isinstance(mtype, str) or mtype not in SCHEMA:
        raise RoomMessageError(f"type: unknown type {_describe(mtype)} (stats, comment, product, gift, follow "
                               "or enter)", "unknown_type")
    if "ts" not in obj:
        raise RoomMessageError(f"{mtype}.ts: missing", "wrong_type")
    try:
        ts = parse_ts(obj["ts"])
    except RoomMessageError as exc:
        raise RoomMessageError(f"{mtype}.{exc}", "wrong_type") from None
    msg_id = obj.get("id")
    if msg_id is not None:
        if isinstance(msg_id, bool) or not isinstance(msg_id, (str, int)):
            raise RoomMessageError(f"{mtype}.id: expected text or a number, got {_describe(msg_id)}", "wrong_type")
        msg_id = str(msg_id)[:128]
    schema = SCHEMA[mtype]
    data: dict[str, Any] = {}
    ignored: list[str] = []
    for name, value in obj.items():
        if name in COMMON:
            continue
        kind = schema.get(name)
        if kind is None:
            ignored.append(str(name))
        elif value is not None:  # null = "not known", as if missing
            data[name] = _field(mtype, name, kind, value)
    for name in REQUIRED.get(mtype, ()):
        if name not in data:
            raise RoomMessageError(f"{mtype}.{name}: missing", "wrong_type")
    if mtype == "product" and "sku" not in data and "name" not in data:
        raise RoomMessageError("product: needs sku or name", "wrong_type")
    return RoomMessage(ts, mtype, data, msg_id, tuple(ignored))


@dataclass(frozen=True, slots=True)
class LineError:
    """A message refused while reading a body or a file: where, why (one line), and a short code."""

    where: str  # "line 12", "item 3", "message"
    message: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for no, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield no, line


def parse_text(text: str) -> tuple[list[RoomMessage], list[LineError]]:
    """A body or file: one JSON object, a JSON array of objects, or NDJSON (one per line).

    Returns the good messages in input order and the refused ones, located. A malformed line
    of NDJSON costs only that line."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        return [], [LineError("body", "empty: expected a JSON object, an array or NDJSON", "malformed")]
    good: list[RoomMessage] = []
    bad: list[LineError] = []
    whole: Any = None
    if stripped[0] in "[{":
        try:
            whole = json.loads(stripped)
        except (json.JSONDecodeError, RecursionError):
            whole = None  # perhaps NDJSON: read line by line below
    if isinstance(whole, list):
        for i, item in enumerate(whole, start=1):
            try:
                good.append(parse_message(item))
            except RoomMessageError as exc:
                bad.append(LineError(f"item {i}", str(exc), exc.reason))
        return good, bad
    if isinstance(whole, dict):
        try:
            good.append(parse_message(whole))
        except RoomMessageError as exc:
            bad.append(LineError("message", str(exc), exc.reason))
        return good, bad
    for no, line in _lines(stripped):
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            col = f" at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            bad.append(LineError(f"line {no}", f"malformed JSON{col}: {detail}", "malformed"))
            continue
        try:
            good.append(parse_message(obj))
        except RoomMessageError as exc:
            bad.append(LineError(f"line {no}", str(exc), exc.reason))
    return good, bad


@dataclass(slots=True)
class RoomColumns:
    """A stored show's messages in time order, comments as columns: the rules read a comment's
    time, user and text only, so 700,000 comments need no :class:`RoomMessage` each.

    ``ts``, ``users`` and ``texts`` run over every message; ``texts[i] is None`` marks a
    message kept whole in ``others`` (in order): every other type, and any comment the store
    could not take apart."""

    ts: Sequence[float] = ()
    users: Sequence[str | None] = ()
    texts: Sequence[str | None] = ()
    others: Sequence[RoomMessage] = ()

    def __len__(self) -> int:
        return len(self.ts)

    @classmethod
    def of(cls, messages: Iterable[RoomMessage]) -> "RoomColumns":
        ts: list[float] = []
        users: list[str | None] = []
        texts: list[str | None] = []
        others: list[RoomMessage] = []
        for m in messages:
            ts.append(m.ts)
            if m.type == "comment":
                users.append(str(m.data.get("user", "")))
                texts.append(m.data["text"])
            else:
                users.append(None)
                texts.append(None)
                others.append(m)
        return cls(ts, users, texts, others)
