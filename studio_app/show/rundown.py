"""The native rundown file: TOML (UTF-8, comments allowed), read with :mod:`tomllib`,
validated into a :class:`~studio_app.show.model.Show`, and written back with a careful
writer that keeps it human-editable (multi-line scripts stay multi-line).

Every problem raises :class:`RundownError` naming file, line and field, e.g.
``sample.toml:42: segments[3].duration: expected a duration like "5m" or "90s", got "abc"``.
Array tables are numbered from 1 in messages (``segments[3]`` is the third
``[[segments]]``). See ``resources/shows/FORMAT.md``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_app.core.files import loads_toml, read_regular_bytes, read_regular_text, write_atomically
from studio_app.show.errors import RundownError
from studio_app.show.model import (
    DEFAULT_COUPON_LEAD_S,
    DEFAULT_DANGER_S,
    DEFAULT_WARNING_S,
    MAX_COUPON_ISSUE_S,
    Coupon,
    CouponDrop,
    FlashSale,
    OverlayAction,
    Platform,
    Product,
    Segment,
    SegmentKind,
    Show,
    Timing,
    format_duration,
    parse_duration,
)

_ID = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff]{1,64}$")


# ---------------------------------------------------------------------------------------
# Where things are in the source text


class _ArrayTables:
    """The array tables seen so far, as a tree of name parts: each node knows the path of
    its table's latest element (``segments[3]``). Looking a header up walks its parts once,
    so the cost is linear in the header's length, whatever the depth or the number of arrays."""

    __slots__ = ("latest", "children")

    def __init__(self) -> None:
        self.latest: str | None = None  # set when this name is an array table
        self.children: dict[str, _ArrayTables] = {}


class SourceMap:
    """Line numbers of tables and keys in a TOML text, by dotted path with 1-based array
    indices (``segments[3].duration``). Keys inside multi-line strings are ignored.

    Building it is linear in the size of the text: keys are kept per table (the table's
    path is not copied into every key's), and array elements are resolved on a tree."""

    _HEADER_ARRAY = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
    _HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines: dict[str, int] = {}  # table path -> line of its header
        self._keys: dict[str, dict[str, int]] = {"": {}}  # table path -> key -> line
        counters: dict[str, int] = {}
        arrays = _ArrayTables()
        current = ""
        keys = self._keys[""]
        open_quote: str | None = None
        for no, line in enumerate(text.splitlines(), start=1):
            if open_quote:
                if line.count(open_quote) % 2 == 1:
                    open_quote = None
                continue
            m = self._HEADER_ARRAY.match(line)
            if m:
                current = self._element_path(m.group(1).split("."), counters, arrays)
            else:
                m = self._HEADER.match(line)
                if m and not line.lstrip().startswith("[["):
                    current = self._table_path(m.group(1).split("."), arrays)
                else:
                    m = None
            if m:
                self.lines.setdefault(current, no)
                keys = self._keys.setdefault(current, {})
                continue
            m = self._KEY.match(line)
            if m:
                keys.setdefault(m.group(1), no)
                rest = line[m.end():]
                for q in ('"""', "'''"):
                    if rest.count(q) % 2 == 1:
                        open_quote = q
                        break

    @staticmethod
    def _table_path(parts: list[str], arrays: _ArrayTables) -> str:
        """``segments.overlays.x`` -> ``segments[3].overlays[2].x``: the deepest enclosing
        array table's latest element, then the rest of the name."""
        node: _ArrayTables | None = arrays
        base, rest = "", 0
        for i, part in enumerate(parts):
            node = node.children.get(part) if node is not None else None
            if node is None:
                break
            if node.latest is not None:
                base, rest = node.latest, i + 1
        tail = ".".join(parts[rest:])
        return f"{base}.{tail}" if base and tail else base or tail

    def _element_path(self, parts: list[str], counters: dict[str, int], arrays: _ArrayTables) -> str:
        parent = self._table_path(parts[:-1], arrays) if len(parts) > 1 else ""
        base = f"{parent}.{parts[-1]}" if parent else parts[-1]
        counters[base] = counters.get(base, 0) + 1
        path = f"{base}[{counters[base]}]"
        node = arrays
        for part in parts:
            node = node.children.setdefault(part, _ArrayTables())
        node.latest = path
        # a new element of a parent array forgets the children of the previous element
        node.children = {}
        return path

    def _line_here(self, p: str) -> int | None:
        if p in self.lines:
            return self.lines[p]
        cut = p.rfind(".")
        table, key = (p[:cut], p[cut + 1:]) if cut > 0 else ("", p)
        keys = self._keys.get(table)
        return keys.get(key) if keys else None

    def line_of(self, path: str) -> int:
        """The line of ``path`` or of its nearest enclosing table/key; 1 when unknown."""
        p = path
        while p:
            line = self._line_here(p)
            if line is not None:
                return line
            cut = max(p.rfind("."), p.rfind("["))
            if cut <= 0:
                break
            p = p[:cut]
        return 1


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def toml_error(exc: tomllib.TOMLDecodeError, file: str, text: str = "") -> RundownError:
    msg = str(exc)
    line = getattr(exc, "lineno", 0) or 0
    col = getattr(exc, "colno", 0) or 0
    m = _TOML_POS.search(msg)
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        msg = msg[: m.start()].strip()
    elif "end of document" in msg:
        msg = msg.replace("(at end of document)", "").strip() + " (at the end of the file)"
        line = max(1, text.rstrip("\n").count("\n") + 1) if text else 0
    return RundownError(file, line, "", f"TOML syntax: {msg}", column=col)


# ---------------------------------------------------------------------------------------
# Reading


@dataclass
class _Ctx:
    file: str
    smap: SourceMap

    def fail(self, path: str, message: str) -> RundownError:
        return RundownError(self.file, self.smap.line_of(path), path, message)


def _show_value(v: Any) -> str:
    text = repr(v) if not isinstance(v, str) else f'"{v}"'
    return text if len(text) <= 60 else text[:57] + "..."


class _Table:
    """Typed access to one TOML table, raising located errors."""

    def __init__(self, ctx: _Ctx, data: Any, path: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise ctx.fail(path, f"expected a table, got {_show_value(data)}")
        self.ctx, self.data, self.path = ctx, data, path
        for key in data:
            if key not in allowed:
                raise ctx.fail(self.at(key), f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def fail(self, key: str, message: str) -> RundownError:
        return self.ctx.fail(self.at(key), message)

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        if key not in self.data:
            if required or default is None:
                raise self.fail(key, "missing (required)")
            return default
        v = self.data[key]
        if not isinstance(v, str):
            raise self.fail(key, f"expected text in quotes, got {_show_value(v)}")
        if required and not v.strip():
            raise self.fail(key, "must not be empty")
        return v

    def ident(self, key: str) -> str:
        v = self.text(key, required=True).strip()
        if not _ID.match(v):
            raise self.fail(key, f"expected an id of letters, digits, Chinese characters, '-', '_' or '.', got {_show_value(v)}")
        return v

    def texts(self, key: str) -> list[str]:
        if key not in self.data:
            return []
        v = self.data[key]
        if isinstance(v, str):
            return [v] if v.strip() else []
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(key, f"expected a list of texts like [\"a\", \"b\"], got {_show_value(v)}")
        return list(v)

    def duration(self, key: str, default: float | None = None, *, positive: bool = False) -> float:
        if key not in self.data:
            if default is None:
                raise self.fail(key, 'missing (required): a duration like "5m" or "90s"')
            return default
        v = self.data[key]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise self.fail(key, f'expected a duration in quotes like "5m" or "90s", got {_show_value(v)}')
        try:
            seconds = parse_duration(v)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None
        if seconds > 24 * 3600:
            raise self.fail(key, f"{_show_value(v)} is longer than 24 hours")
        if positive and seconds <= 0:
            raise self.fail(key, f"must be longer than zero, got {_show_value(v)}")
        return seconds

    def number(self, key: str, default: float | None = None, *, required: bool = False) -> float | None:
        if key not in self.data:
            if required:
                raise self.fail(key, "missing (required): a number")
            return default
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise self.fail(key, f"expected a number of 0 or more (no quotes), got {_show_value(v)}")
        return float(v)

    def count(self, key: str, default: int | None = None) -> int:
        if key not in self.data:
            if default is None:
                raise self.fail(key, "missing (required): a whole number")
            return default
        v = self.data[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise self.fail(key, f"expected a whole number of 0 or more, got {_show_value(v)}")
        return v

    def boolean(self, key: str, default: bool = False) -> bool:
        if key not in self.data:
            return default
        v = self.data[key]
        if not isinstance(v, bool):
            raise self.fail(key, f"expected true or false, got {_show_value(v)}")
        return v

    def tables(self, key: str) -> list[Any]:
        v = self.data.get(key, [])
        if not isinstance(v, list):
            raise self.fail(key, f"expected [[{key}]] tables, got {_show_value(v)}")
        return v


_SHOW_KEYS = {"id", "title", "platform", "planned_start", "anchors", "target_gmv"}
_SEGMENT_KEYS = {"id", "title", "kind", "duration", "script", "talking_points", "notes", "products", "product", "scene", "overlays", "warning", "danger"}
_PRODUCT_KEYS = {"sku", "name", "list_price", "live_price", "stock", "safety_stock", "selling_points", "image", "frozen"}
_COUPON_KEYS = {"id", "name", "rule", "quantity", "duration"}
_TIMING_KEYS = {"segment", "offset", "at"}
_DROP_KEYS = {"id", "coupon", "lead"} | _TIMING_KEYS
_FLASH_KEYS = {"id", "product", "price", "quantity", "duration", "end", "lead", "title"} | _TIMING_KEYS
_TOP_KEYS = {"show", "segments", "products", "coupons", "coupon_drops", "flash_sales", "compliance", "format"}


def _timing(t: _Table) -> Timing:
    if t.has("at") and (t.has("segment") or t.has("offset")):
        raise t.fail("at", 'use either at = "1h05m" (show clock) or segment + offset, not both')
    if t.has("at"):
        return Timing("", t.duration("at"))
    if not t.has("segment"):
        raise t.fail("segment", 'missing: say when, with segment = "<segment id>" and offset = "30s", or at = "1h05m"')
    return Timing(t.ident("segment"), t.duration("offset", 0.0))


def loads_rundown(text: str, file: str = "<rundown>") -> Show:
    """Parse and validate rundown TOML text; raises :class:`RundownError`."""
    try:
        data = loads_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, file, text) from None
    ctx = _Ctx(file, SourceMap(text))
    top = _Table(ctx, data, "", _TOP_KEYS)
    if "format" in data and data["format"] != 1:
        raise ctx.fail("format", f"this console reads rundown format 1, the file says {_show_value(data['format'])}")
    if "show" not in data:
        raise RundownError(file, 1, "show", "missing the [show] table (id, title, platform, planned_start, anchors)")
    st = _Table(ctx, data["show"], "show", _SHOW_KEYS)
    platform_text = st.text("platform", "other")
    try:
        platform = Platform.parse(platform_text)
    except ValueError as exc:
        raise st.fail("platform", str(exc)) from None
    planned = st.raw("planned_start")
    if planned is not None:
        if isinstance(planned, str):
            try:
                planned = dt.datetime.fromisoformat(planned)
            except ValueError:
                raise st.fail("planned_start", f"expected a date and time like 2026-11-25T20:00:00+08:00, got {_show_value(planned)}") from None
        elif not isinstance(planned, dt.datetime):
            raise st.fail("planned_start", f"expected a date and time like 2026-11-25T20:00:00+08:00, got {_show_value(planned)}")
        if planned.tzinfo is None:
            planned = planned.astimezone()  # local studio time
    show = Show(
        id=st.ident("id"),
        title=st.text("title", required=True),
        platform=platform,
        planned_start=planned,
        anchors=st.texts("anchors"),
        target_gmv=st.number("target_gmv"),
        source=file,
    )

    if "compliance" in data:
        ct = _Table(ctx, data["compliance"], "compliance", {"allow"})
        show.compliance_allow = ct.texts("allow")

    seen_skus: set[str] = set()
    seen_coupons: set[str] = set()
    seen_segments: set[str] = set()
    seen_timed: set[str] = set()  # coupon drops and flash sales share one id space
    for i, raw in enumerate(top.tables("products"), start=1):
        t = _Table(ctx, raw, f"products[{i}]", _PRODUCT_KEYS)
        p = Product(
            sku=t.ident("sku"),
            name=t.text("name", required=True),
            list_price=t.number("list_price"),
            live_price=t.number("live_price"),
            stock=t.count("stock", 0),
            safety_stock=t.count("safety_stock", 0),
            selling_points=t.texts("selling_points"),
            image=t.text("image", ""),
            frozen=t.boolean("frozen"),
        )
        if p.sku in seen_skus:  # sets, not any(): a converted 100k-row sheet must load in linear time
            raise t.fail("sku", f"duplicate SKU {p.sku!r}")
        if p.list_price is not None and p.live_price is not None and p.live_price > p.list_price:
            raise t.fail("live_price", f"live price {p.live_price:g} is above the list price {p.list_price:g}")
        seen_skus.add(p.sku)
        show.products.append(p)
    skus = {p.sku for p in show.products}

    for i, raw in enumerate(top.tables("coupons"), start=1):
        t = _Table(ctx, raw, f"coupons[{i}]", _COUPON_KEYS)
        c = Coupon(
            id=t.ident("id"),
            name=t.text("name", required=True),
            rule=t.text("rule", ""),
            quantity=t.count("quantity", 0),
            duration=t.duration("duration", 600.0, positive=True),
        )
        if c.duration > MAX_COUPON_ISSUE_S:
            raise t.fail("duration", f"platforms issue a batch for at most {format_duration(MAX_COUPON_ISSUE_S)}, got {format_duration(c.duration)}")
        if c.id in seen_coupons:
            raise t.fail("id", f"duplicate coupon id {c.id!r}")
        seen_coupons.add(c.id)
        show.coupons.append(c)

    for i, raw in enumerate(top.tables("segments"), start=1):
        path = f"segments[{i}]"
        t = _Table(ctx, raw, path, _SEGMENT_KEYS)
        try:
            kind = SegmentKind.parse(t.text("kind", "custom"))
        except ValueError as exc:
            raise t.fail("kind", str(exc)) from None
        if t.has("product") and t.has("products"):
            raise t.fail("product", "use either product or products, not both")
        products = t.texts("products") if t.has("products") else t.texts("product")
        for sku in products:
            if sku not in skus:
                raise t.fail("products" if t.has("products") else "product", f"unknown product SKU {sku!r} (not in [[products]])")
        overlays = []
        for j, oraw in enumerate(t.tables("overlays"), start=1):
            ot = _Table(ctx, oraw, f"{path}.overlays[{j}]", {"source", "template"})
            overlays.append(OverlayAction(ot.text("source", required=True), ot.text("template", "")))
        seg = Segment(
            id=t.ident("id"),
            title=t.text("title", required=True),
            kind=kind,
            duration=t.duration("duration", positive=True),
            script=t.text("script", ""),
            talking_points=t.texts("talking_points"),
            notes=t.text("notes", ""),
            products=products,
            scene=t.text("scene", ""),
            overlays=overlays,
            warning=t.duration("warning", DEFAULT_WARNING_S),
            danger=t.duration("danger", DEFAULT_DANGER_S),
        )
        if seg.danger > seg.warning:
            raise t.fail("danger", f"danger ({format_duration(seg.danger)} left) must come after warning ({format_duration(seg.warning)} left)")
        if seg.id in seen_segments:
            raise t.fail("id", f"duplicate segment id {seg.id!r}")
        seen_segments.add(seg.id)
        show.segments.append(seg)
    if not show.segments:
        raise RundownError(file, ctx.smap.line_of("show"), "segments", "no [[segments]]: a show needs at least one segment")
    seg_by_id = {s.id: s for s in show.segments}

    def check_timing(t: _Table, timing: Timing) -> None:
        if timing.segment and timing.segment not in seg_by_id:
            raise t.fail("segment", f"unknown segment {timing.segment!r}")
        if timing.segment:
            seg = seg_by_id[timing.segment]
            if timing.offset > seg.duration:
                raise t.fail("offset", f"offset {format_duration(timing.offset)} is past the end of segment {seg.id!r} ({format_duration(seg.duration)})")

    coupon_ids = {c.id for c in show.coupons}
    for i, raw in enumerate(top.tables("coupon_drops"), start=1):
        t = _Table(ctx, raw, f"coupon_drops[{i}]", _DROP_KEYS)
        d = CouponDrop(id=t.ident("id"), coupon=t.ident("coupon"), at=_timing(t), lead=t.duration("lead", DEFAULT_COUPON_LEAD_S))
        if d.coupon not in coupon_ids:
            raise t.fail("coupon", f"unknown coupon {d.coupon!r} (not in [[coupons]])")
        check_timing(t, d.at)
        if d.id in seen_timed:
            raise t.fail("id", f"duplicate id {d.id!r}")
        seen_timed.add(d.id)
        show.coupon_drops.append(d)

    for i, raw in enumerate(top.tables("flash_sales"), start=1):
        t = _Table(ctx, raw, f"flash_sales[{i}]", _FLASH_KEYS)
        at = _timing(t)
        if t.has("end") and t.has("duration"):
            raise t.fail("end", "use either end or duration, not both")
        if t.has("end"):  # same clock as the start: into the segment, or on the show clock
            end = t.duration("end")
            if end <= at.offset:
                raise t.fail("end", f"ends at {format_duration(end)}, not after its start {format_duration(at.offset)}")
            length = end - at.offset
        else:
            length = t.duration("duration", 300.0, positive=True)
        f = FlashSale(
            id=t.ident("id"),
            product=t.ident("product"),
            price=t.number("price", required=True) or 0.0,
            quantity=t.count("quantity"),
            at=at,
            duration=length,
            lead=t.duration("lead", DEFAULT_COUPON_LEAD_S),
            title=t.text("title", ""),
        )
        if f.product not in skus:
            raise t.fail("product", f"unknown product SKU {f.product!r} (not in [[products]])")
        check_timing(t, f.at)
        if f.id in seen_timed:
            raise t.fail("id", f"duplicate id {f.id!r}")
        seen_timed.add(f.id)
        show.flash_sales.append(f)
    return show


def load_rundown(path: str | Path) -> Show:
    """Read a rundown file (.toml, .csv or .xlsx); raises :class:`RundownError`."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        from studio_app.show.spreadsheet import load_spreadsheet

        return load_spreadsheet(p)
    if suffix != ".toml":
        raise RundownError(p.name, 0, "", f"unsupported rundown file type {suffix or '(none)'!r} (use .toml, .csv or .xlsx)")
    try:
        raw = read_regular_bytes(p)
    except OSError as exc:
        raise RundownError(p.name, 0, "", f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RundownError(p.name, line, "", "not UTF-8 text (save the file as UTF-8)") from None
    return loads_rundown(text, p.name)


# ---------------------------------------------------------------------------------------
# Plan-time warnings (the file is valid, but the plan has a problem)


@dataclass(frozen=True)
class PlanWarning:
    item: str
    message: str


def plan_warnings(show: Show) -> list[PlanWarning]:
    """Problems of the plan as a whole: coupon batches that overlap (platforms issue one
    batch at a time), drops whose pre-announce starts before the show."""
    out: list[PlanWarning] = []
    windows = []
    for d in show.coupon_drops:
        start = show.timing_offset(d.at)
        coupon = show.coupon(d.coupon)
        windows.append((start, start + coupon.duration, d))
        if start - d.lead < 0:
            out.append(PlanWarning(d.id, f"pre-announce {format_duration(d.lead)} before the drop starts before the show"))
        if start > show.planned_duration:
            out.append(PlanWarning(d.id, "planned after the end of the show"))
    windows.sort(key=lambda w: w[0])
    for (s1, e1, d1), (s2, _e2, d2) in zip(windows, windows[1:]):
        if s2 < e1:
            out.append(
                PlanWarning(
                    d2.id,
                    f"coupon batch {d2.id} is planned at show +{format_duration(s2)} while {d1.id} is still issuing "
                    f"(until show +{format_duration(e1)}): platforms issue one batch at a time",
                )
            )
    for f in show.flash_sales:
        if show.timing_offset(f.at) > show.planned_duration:
            out.append(PlanWarning(f.id, "flash sale planned after the end of the show"))
    return out


# ---------------------------------------------------------------------------------------
# Writing


def toml_string(s: str) -> str:
    """A TOML basic string (one line)."""
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    out = "".join(ch if (ord(ch) >= 0x20 and ord(ch) != 0x7F) else f"\\u{ord(ch):04x}" for ch in out)
    return f'"{out}"'


_q = toml_string


def _ml(s: str) -> str:
    """A multi-line TOML string when the text has line breaks and can be kept literal."""
    if "\n" not in s:
        return _q(s)
    literal_ok = "''" not in s and not s.endswith("'") and all((0x20 <= ord(ch) != 0x7F) or ch in "\n\t" for ch in s)
    if literal_ok:
        return "'''\n" + s + "'''"
    return _q(s)


def _list(items: list[str]) -> str:
    if not items:
        return "[]"
    if sum(len(x) for x in items) < 60:
        return "[" + ", ".join(_q(x) for x in items) + "]"
    return "[\n" + "".join(f"    {_q(x)},\n" for x in items) + "]"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _timing_lines(t: Timing) -> list[str]:
    if t.segment:
        return [f"segment = {_q(t.segment)}", f"offset = {_q(format_duration(t.offset))}"]
    return [f"at = {_q(format_duration(t.offset))}"]


def dumps_rundown(show: Show) -> str:
    """The show as rundown TOML; ``loads_rundown(dumps_rundown(s))`` gives back ``s``."""
    L: list[str] = ["# Studio Console rundown (直播脚本). Format: resources/shows/FORMAT.md", "format = 1", "", "[show]"]
    L.append(f"id = {_q(show.id)}")
    L.append(f"title = {_q(show.title)}")
    L.append(f"platform = {_q(show.platform.value)}")
    if show.planned_start is not None:
        L.append(f"planned_start = {show.planned_start.isoformat()}")
    L.append(f"anchors = {_list(show.anchors)}")
    if show.target_gmv is not None:
        L.append(f"target_gmv = {_num(show.target_gmv)}")
    if show.compliance_allow:
        L += ["", "[compliance]", f"allow = {_list(show.compliance_allow)}"]
    for p in show.products:
        L += ["", "[[products]]", f"sku = {_q(p.sku)}", f"name = {_q(p.name)}"]
        if p.list_price is not None:
            L.append(f"list_price = {_num(p.list_price)}")
        if p.live_price is not None:
            L.append(f"live_price = {_num(p.live_price)}")
        L += [f"stock = {p.stock}", f"safety_stock = {p.safety_stock}", f"selling_points = {_list(p.selling_points)}"]
        if p.image:
            L.append(f"image = {_q(p.image)}")
        if p.frozen:
            L.append("frozen = true")
    for c in show.coupons:
        L += ["", "[[coupons]]", f"id = {_q(c.id)}", f"name = {_q(c.name)}", f"rule = {_q(c.rule)}",
              f"quantity = {c.quantity}", f"duration = {_q(format_duration(c.duration))}"]
    for s in show.segments:
        L += ["", "[[segments]]", f"id = {_q(s.id)}", f"title = {_q(s.title)}", f"kind = {_q(s.kind.value)}",
              f"duration = {_q(format_duration(s.duration))}"]
        if s.warning != DEFAULT_WARNING_S:
            L.append(f"warning = {_q(format_duration(s.warning))}")
        if s.danger != DEFAULT_DANGER_S:
            L.append(f"danger = {_q(format_duration(s.danger))}")
        if s.products:
            L.append(f"products = {_list(s.products)}")
        if s.scene:
            L.append(f"scene = {_q(s.scene)}")
        if s.script:
            L.append(f"script = {_ml(s.script)}")
        if s.talking_points:
            L.append(f"talking_points = {_list(s.talking_points)}")
        if s.notes:
            L.append(f"notes = {_ml(s.notes)}")
        for o in s.overlays:
            L += ["[[segments.overlays]]", f"source = {_q(o.source)}", f"template = {_q(o.template)}"]
    for d in show.coupon_drops:
        L += ["", "[[coupon_drops]]", f"id = {_q(d.id)}", f"coupon = {_q(d.coupon)}", *_timing_lines(d.at),
              f"lead = {_q(format_duration(d.lead))}"]
    for f in show.flash_sales:
        L += ["", "[[flash_sales]]", f"id = {_q(f.id)}", f"product = {_q(f.product)}"]
        if f.title:
            L.append(f"title = {_q(f.title)}")
        L += [f"price = {_num(f.price)}", f"quantity = {f.quantity}", *_timing_lines(f.at),
              f"duration = {_q(format_duration(f.duration))}", f"lead = {_q(format_duration(f.lead))}"]
    return "\n".join(L) + "\n"


def save_rundown(show: Show, path: str | Path) -> None:
    """Write the show as TOML, .csv or .xlsx (by suffix). Writes to a temporary file and
    renames it, so a crash never leaves half a rundown."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        from studio_app.show.spreadsheet import save_spreadsheet

        save_spreadsheet(show, p)
        return
    write_atomically(p, dumps_rundown(show))


# What the rundown editor changes in a segment: written back into the file in place.
EDITOR_FIELDS = ("title", "duration", "script", "talking_points", "notes")


def save_segment_edits(show: Show, path: str | Path) -> str:
    """Write the rundown editor's changes (each segment's title, duration, script, talking
    points and notes) into the TOML file they came from, keeping everything else as the
    person wrote it: comments, order, spacing, other sections, unknown formatting. A field
    is rewritten only when its value changed ("5 min" stays "5 min" if the length did not).

    Falls back to :func:`save_rundown` (whole file; comments are lost) when the file is not
    TOML, no longer parses, or its segments are not the show's (changed on disk since it
    was loaded); the previous file is then kept beside it as ``NAME.bak``. Returns
    ``"kept"`` or ``"rewritten"``. Atomic either way.
    """
    p = Path(path)
    if p.suffix.lower() != ".toml" or not p.exists():
        save_rundown(show, p)
        return "rewritten"
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = read_regular_text(p)
    try:
        doc = tomlkit.parse(text)
        tables = doc.get("segments")
        ids = [str(t.get("id", "")).strip() for t in tables] if tables is not None else None
    except (TOMLKitError, AttributeError, TypeError):
        ids = None
    if ids != [s.id for s in show.segments]:
        write_atomically(p.with_name(p.name + ".bak"), text)
        save_rundown(show, p)
        return "rewritten"
    for table, seg in zip(tables, show.segments):
        _merge_segment(table, seg, tomlkit)
    write_atomically(p, tomlkit.dumps(doc))
    return "kept"


def _merge_segment(table: Any, seg: Any, tomlkit: Any) -> None:
    if table.get("title") != seg.title:
        table["title"] = seg.title
    try:
        same_length = parse_duration(table.get("duration")) == seg.duration
    except (ValueError, TypeError):
        same_length = False
    if not same_length:
        table["duration"] = format_duration(seg.duration)
    for key in ("script", "notes"):
        new = getattr(seg, key)
        if (table.get(key) or "") == new:
            continue
        if not new:
            del table[key]
        else:
            table[key] = tomlkit.string(new, multiline=True) if "\n" in new else new
    old_points = table.get("talking_points")
    old_points = [old_points] if isinstance(old_points, str) else list(old_points or [])
    if [str(x) for x in old_points] != seg.talking_points:
        if seg.talking_points:
            table["talking_points"] = seg.talking_points
        elif "talking_points" in table:
            del table["talking_points"]
