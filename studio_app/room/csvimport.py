"""A platform's minute-level CSV export (数据大屏 → 导出) as ``stats`` room messages.

Headers are matched by name, Chinese or English (:data:`COLUMNS`); what is not known is
returned as ``ignored`` so the import can say so. Each data row becomes one ``stats`` message.
Counter columns are cumulative in the room format: a column whose values go down somewhere
(the export gave per-minute figures) or whose header says 每分钟/本分钟 is summed into
running totals, and the import says which. Problems raise :class:`RoomCsvError` naming the
line and column.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from studio_app.room.messages import RoomMessage
from studio_app.show.sales import parse_number

COLUMNS: dict[str, tuple[str, ...]] = {
    "ts": ("时间", "时间点", "日期时间", "分钟", "time", "timestamp", "minute"),
    "online": ("在线人数", "实时在线人数", "在线", "当前在线", "online"),
    "viewers": ("累计观看人次", "观看人次", "观看人数", "累计观看人数", "viewers"),
    "entries": ("进场人数", "进入直播间人数", "进房人数", "entries"),
    "likes": ("点赞数", "点赞次数", "likes"),
    "comments": ("评论数", "评论次数", "comments"),
    "shares": ("分享数", "分享次数", "shares"),
    "follows": ("新增粉丝数", "关注数", "新增关注", "follows"),
    "orders": ("成交订单数", "订单数", "成交订单", "orders"),
    "buyers": ("成交人数", "buyers"),
    "gmv": ("成交金额", "成交额", "gmv"),
}
_PER_MINUTE = re.compile(r"每分钟|本分钟|per minute", re.IGNORECASE)
_UNIT = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


class RoomCsvError(ValueError):
    """``file:line: column: what`` in one line."""


@dataclass
class CsvImport:
    messages: list[RoomMessage]
    mapped: dict[str, str]  # header -> field
    ignored: list[str]  # headers not used
    summed: list[str] = field(default_factory=list)  # headers read as per-minute values


def _header_key(text: str) -> str:
    return _UNIT.sub("", text.strip().lstrip("\ufeff").strip()).lower()


def _field_of(header: str) -> str | None:
    key = _header_key(header)
    for name, headers in COLUMNS.items():
        if key in headers:
            return name
    stripped = _PER_MINUTE.sub("", key).strip()  # "每分钟评论数" -> "评论数"
    if stripped != key:
        for name, headers in COLUMNS.items():
            if stripped in headers and name not in ("ts", "online"):
                return name
    return None


def decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RoomCsvError(f"{name}: not UTF-8, GB18030 or UTF-16 text")


def parse_time(text: str, day: dt.date | None, tz: dt.tzinfo | None) -> float:
    """``2026-12-12 20:05[:00]``, ``2026/12/12 20:05``, ISO with an offset, or ``20:05`` on ``day``."""
    t = text.strip().replace("/", "-").replace("T", " ")
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", t):
        if day is None:
            raise ValueError(f"{text.strip()!r} has no date: give the show's date (--date 2026-12-12)")
        t = f"{day.isoformat()} {t}"
    try:
        when = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"cannot read {text.strip()!r} as a time (2026-12-12 20:05)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz) if tz is not None else when.astimezone()
    return when.timestamp()


def parse_room_csv(path: str | Path, *, day: dt.date | None = None, tz: dt.tzinfo | None = None) -> CsvImport:
    """Read the export; ``day``/``tz`` complete times written without a date or an offset
    (default: the console's local zone)."""
    path = Path(path)
    name = str(path)
    try:
        text = decode(path.read_bytes(), name)
    except OSError as exc:
        raise RoomCsvError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RoomCsvError(f"{name}: broken CSV: {exc}") from None
    rows = [(no, r) for no, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not rows:
        raise RoomCsvError(f"{name}:1: the file is empty; expected a header row such as 时间,在线人数,成交金额")
    header_no, header = rows[0]
    fields: list[str | None] = []
    mapped: dict[str, str] = {}
    ignored: list[str] = []
    for col, h in enumerate(header, start=1):
        key = _field_of(h)
        if key is not None and key in mapped.values():
            first = next(k for k, v in mapped.items() if v == key)
            raise RoomCsvError(f"{name}:{header_no}: {h.strip()}: column {col} means the same as {first!r}")
        fields.append(key)
        if key is None:
            if h.strip():
                ignored.append(h.strip())
        else:
            mapped[h.strip()] = key
    if "ts" not in mapped.values():
        raise RoomCsvError(f"{name}:{header_no}: no time column: name one 时间 or time")
    if len(mapped) == 1:
        raise RoomCsvError(f"{name}:{header_no}: no figures: use some of 在线人数, 成交金额, 成交订单数, 点赞数, "
                           "评论数, 进场人数")
    table: list[tuple[int, float, dict[str, float]]] = []
    for no, row in rows[1:]:
        values: dict[str, float] = {}
        ts = None
        for col, (key, cell) in enumerate(zip(fields, row), start=1):
            if key is None:
                continue
            label = header[col - 1].strip()
            try:
                if key == "ts":
                    ts = parse_time(cell, day, tz)
                    if re.match(r"\s*\d{4}", cell):  # a full date: later rows with a time only are on it
                        day = dt.datetime.fromtimestamp(ts, tz).date() if tz else dt.datetime.fromtimestamp(ts).date()
                else:
                    v = parse_number(cell, integer=key != "gmv")
                    if v is not None:
                        values[key] = v
            except ValueError as exc:
                raise RoomCsvError(f"{name}:{no}: {label}: {exc}") from None
        if ts is None:
            raise RoomCsvError(f"{name}:{no}: the time is missing")
        if table and ts <= table[-1][1]:
            raise RoomCsvError(f"{name}:{no}: time goes backwards or repeats (line {table[-1][0]} is later)")
        table.append((no, ts, values))
    if not table:
        raise RoomCsvError(f"{name}:{header_no + 1}: no data rows under the header")
    # Per-minute columns: said by the header, or seen going down (a total never does).
    summed = []
    for header_text, key in mapped.items():
        if key in ("ts", "online"):
            continue
        series = [v[key] for _, _, v in table if key in v]
        if _PER_MINUTE.search(header_text) or any(b < a for a, b in zip(series, series[1:])):
            summed.append(header_text)
            total = 0.0
            for _, _, v in table:
                if key in v:
                    total += v[key]
                    v[key] = total if key == "gmv" else int(total)
    messages = [RoomMessage(ts, "stats", {k: (float(v) if k == "gmv" else int(v)) for k, v in values.items()})
                for _, ts, values in table]
    return CsvImport(messages, mapped, ignored, summed)
