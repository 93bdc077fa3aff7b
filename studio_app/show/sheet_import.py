"""Reading a team's own script spreadsheet (直播脚本模板) into a show, and saying how.

Teams write the script in Excel, WPS, 飞书 or 腾讯文档 templates: a merged title row, info
rows (直播时间, 主播, 场控, 目标) above the header, then columns such as 时间段 | 环节 | 时长 |
产品 | 直播话术 | 福利/互动 | 场控配合 | 备注, with section rows (第一部分 引流款) between the
segments. :func:`interpret` takes the sheet's rows (already decoded, merged cells filled
down; see :mod:`studio_app.show.spreadsheet`) and returns a :class:`SheetImport`: the show
plus every guess it made (which row is the header, what each column means, Excel times read
back, products matched or left as bare cards, coupon rules spotted), so a person can confirm
the mapping before the show is loaded (``studio-console rundown show``, File → Import).

Pure code: no Qt, no files. Rows are lists of cell values (str, int, float, datetime,
date, time, timedelta or None); ``rownos`` are the sheet's 1-based row numbers.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from studio_app.show.errors import RundownError
from studio_app.show.model import (
    DEFAULT_DANGER_S,
    DEFAULT_WARNING_S,
    Coupon,
    CouponDrop,
    FlashSale,
    Platform,
    Product,
    Segment,
    SegmentKind,
    Show,
    Timing,
    format_duration,
    parse_duration,
)

HEADER_SEARCH_ROWS = 20  # the header row is looked for among the first 20 non-blank rows
MAX_SEGMENT_S = 24 * 3600.0

# field -> (Chinese header, English header, other accepted spellings)
SEGMENT_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "id": ("序号", "id", ("编号", "no", "#", "cue")),
    "time_range": ("时间段", "time slot", ("时段", "时间节点", "时间安排", "起止时间", "开始时间", "time", "slot", "time_range")),
    "title": ("环节", "title", ("环节名称", "标题", "segment", "name", "直播环节", "阶段")),
    "kind": ("类型", "kind", ("环节类型", "type")),
    "duration": ("时长", "duration", ("时间", "length", "用时", "预计时长", "环节时长")),
    "content": ("流程", "segment content", ("环节内容", "内容", "流程内容", "content")),
    "script": ("话术", "script", ("脚本", "台词", "直播话术", "主播话术", "话术内容", "讲解话术")),
    "talking_points": ("要点", "talking points", ("卖点要点", "points", "talking_points")),
    "perks": ("福利/互动", "perks", ("福利", "互动", "福利机制", "优惠", "福利互动", "优惠机制", "互动玩法", "福利活动")),
    "selling_points": ("卖点", "selling points", ("产品卖点", "核心卖点", "商品卖点", "selling_points")),
    "products": ("商品", "product", ("产品", "商品名称", "产品名称", "商品sku", "sku", "products", "product sku", "商品链接", "链接", "品名")),
    "scene": ("场景", "scene", ("obs场景", "obs scene", "画面")),
    "desk": ("场控配合", "desk", ("中控", "场控", "场控备注", "中控配合", "场控动作", "desk notes")),
    "notes": ("备注", "notes", ("note",)),
    "warning": ("预警", "warning", ("预警时间",)),
    "danger": ("危险", "danger", ("危险时间", "紧急")),
}
PRODUCT_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sku": ("SKU", "sku", ("商品编码", "货号", "商品id", "产品编码", "编码")),
    "name": ("名称", "name", ("商品名称", "品名", "产品名称", "商品", "产品")),
    "list_price": ("原价", "list price", ("日常价", "list_price", "划线价", "吊牌价")),
    "live_price": ("直播价", "live price", ("到手价", "live_price", "活动价", "秒杀价")),
    "stock": ("库存", "stock", ("库存数量", "数量")),
    "safety_stock": ("安全库存", "safety stock", ("safety_stock",)),
    "selling_points": ("卖点", "selling points", ("selling_points", "产品卖点", "核心卖点")),
    "image": ("图片", "image", ("主图",)),
    "frozen": ("冻结", "frozen", ("锁定库存",)),
}
# The fields whose cells are joined into one text; header names prefix each part when a
# row has several (场控配合 and 备注 both go to the desk notes).
_NOTE_FIELDS = ("desk", "notes")
_POINT_FIELDS = ("content", "talking_points", "perks")
_TRUE = {"1", "true", "yes", "y", "是", "冻结", "✓", "x"}
_FALSE = {"", "0", "false", "no", "n", "否"}
_ID = re.compile(r"[A-Za-z0-9_\-.\u4e00-\u9fff]{1,64}")
_SLUG = re.compile(r"[^A-Za-z0-9_\-.\u4e00-\u9fff]+")
_SPLIT_LIST = re.compile(r"[\n；;|]+")
_SPLIT_PRODUCTS = re.compile(r"[\n,，、;；/|+＋]+")
_ORDINAL = re.compile(r"^\s*(?:\d+\s*号(?:链接)?|#\d+|\d+\s*[.、)）])\s*")
_SEP = r"\s*(?:-|~|～|—|–|－|至|到)+\s*"
_HM = r"(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*\d{2})?(?:\s*([AaPp])\.?[Mm]\.?)?"
_RANGE = re.compile(rf"^\s*{_HM}{_SEP}{_HM}\s*$")
_START = re.compile(rf"^\s*{_HM}\s*$")
_SECTION = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+(?:部分|阶段|节|环节|场|轮)|[一二三四五六七八九十]+\s*[、.．]|part\s*\d+|section\s*\d+)", re.I)
_COUPON = re.compile(r"满\s*(\d+(?:\.\d+)?)\s*元?\s*减\s*(\d+(?:\.\d+)?)\s*元?|(?:无门槛|立减)\s*(\d+(?:\.\d+)?)\s*元(?:券)?|(\d+(?:\.\d+)?)\s*元\s*无门槛(?:券)?")
_FLASH = re.compile(r"秒杀\s*(?:价)?\s*[:：]?\s*[¥￥]?\s*(\d+(?:\.\d+)?)\s*元?|[¥￥]?\s*(\d+(?:\.\d+)?)\s*元\s*秒杀")
_KIND_WORDS: tuple[tuple[SegmentKind, tuple[str, ...]], ...] = (
    (SegmentKind.OPENING, ("开场", "暖场", "开播")),
    (SegmentKind.FLASH_SALE, ("秒杀",)),
    (SegmentKind.LUCKY_DRAW, ("福袋", "抽奖")),
    (SegmentKind.COUPON, ("发券", "优惠券", "领券")),
    (SegmentKind.CLOSING, ("下播", "收尾", "结束", "预告", "结尾")),
    (SegmentKind.BREAK, ("休息", "中场")),
    (SegmentKind.INTERACTION, ("互动", "答疑", "问答", "连麦")),
    (SegmentKind.PRODUCT, ("讲解", "介绍", "过款", "款", "产品", "商品", "试穿", "试用", "展示")),
)

# Info rows above the header: label -> show field
_INFO_LABELS: dict[str, str] = {
    "直播时间": "start", "开播时间": "start", "直播日期": "start", "日期": "start", "时间": "start", "开播": "start",
    "主播": "anchors", "主播名": "anchors", "达人": "anchors", "主讲": "anchors",
    "场控": "desk", "中控": "desk", "运营": "desk", "场控/中控": "desk",
    "目标": "target", "直播目标": "target", "目标gmv": "target", "gmv目标": "target", "销售目标": "target", "本场目标": "target",
    "主题": "title", "直播主题": "title", "标题": "title", "直播标题": "title", "场次": "title", "活动名称": "title",
    "平台": "platform", "直播平台": "platform",
}
_INFO_RE = re.compile(
    r"(?:^|(?<=[\s|｜:：,，;；]))(" + "|".join(sorted(map(re.escape, _INFO_LABELS), key=len, reverse=True)) + r")\s*[:：]?",
    re.I,
)
_DATE = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?!\d)")
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?!\d)")
_TIME = re.compile(r"(\d{1,2})\s*[:：点]\s*(\d{2})?")
_NAMES = re.compile(r"[、,，/&＆;；\s]+")  # 主播: 小鹿、阿杰 / 小鹿, 阿杰
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万|w|k|千)?", re.I)


def _norm(h: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(h).strip().lower()).replace("（", "(").replace("）", ")").strip()


def label(columns: dict, key: str) -> str:
    zh, en, _ = columns[key]
    return f"{zh}/{en}"


def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def text(v: Any) -> str:
    """A cell as text: whole floats without ".0", Excel dates and times in ISO form."""
    if v is None:
        return ""
    if type(v) is str:  # noqa: E721 - the common case first: this runs for every cell
        return v.strip("\r").strip()
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.second, v.microsecond) == (0, 0) else v.isoformat(sep=" ")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M") if v.second == 0 else v.strftime("%H:%M:%S")
    if isinstance(v, (dt.date, dt.timedelta)):
        return str(v)
    return str(v).strip() if not isinstance(v, str) else v.strip("\r").strip()


def blank(row: Sequence[Any]) -> bool:
    return not any(c is not None and str(c).strip() for c in row)


def _lookup(columns: dict) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, (zh, en, others) in columns.items():
        for name in (zh, en, key, *others):
            out.setdefault(_norm(name), key)
    return out


_SEG_LOOKUP = _lookup(SEGMENT_COLUMNS)
_PROD_LOOKUP = _lookup(PRODUCT_COLUMNS)
_UNIT_HINT = re.compile(r"\((分钟|分|min|mins|minutes|秒|s|sec|秒钟|seconds|小时|h)\)$")


def match_header(h: Any, lookup: dict[str, str]) -> tuple[str | None, float | None]:
    """(field, unit of bare numbers) of one header cell: the whole name first ("福利/互动"),
    then its parts ("环节/title"), then without a unit hint ("时长(分钟)")."""
    name = _norm(h)
    if not name:
        return None, None
    unit = None
    m = _UNIT_HINT.search(name)
    if m:
        unit = {"秒": 1.0, "s": 1.0, "sec": 1.0, "秒钟": 1.0, "seconds": 1.0, "小时": 3600.0, "h": 3600.0}.get(m.group(1), 60.0)
        name = name[: m.start()].strip()
    if name in lookup:
        return lookup[name], unit
    for part in re.split(r"[/／]", name):
        if part.strip() in lookup:
            return lookup[part.strip()], unit
    # decorated headers as online templates have them: "【直播话术】", "⏰ 时间段", "话术（主播念）"
    bare = re.sub(r"[(\[【《].*?[)\]】》]", "", name)
    bare = re.sub(r"[^\w/／\u4e00-\u9fff]+", " ", bare).strip()
    inner = re.sub(r"[^\w\u4e00-\u9fff]+", "", name)
    for candidate in (bare, inner):
        if candidate and candidate != name and candidate in lookup:
            return lookup[candidate], unit
    return None, unit


@dataclass
class Column:
    index: int
    header: str
    field: str | None  # None: not used
    unit: float | None = None  # seconds per bare number when the header says (分钟)/(秒)

    def as_dict(self) -> dict:
        return {"column": col_letter(self.index), "header": self.header, "field": self.field or "(ignored)"}


@dataclass
class SuggestedDrop:
    """A coupon rule or flash-sale price spotted in a 福利/优惠 cell. The desk confirms it
    before it is scheduled (a spreadsheet cell is not a plan)."""

    segment: str
    row: int
    kind: str  # "coupon" | "flash_sale"
    rule: str  # 满200减30, 秒杀49元
    price: float | None = None  # flash sale price
    product: str | None = None  # flash sale SKU (the segment's first product)

    def as_dict(self) -> dict:
        return {"segment": self.segment, "row": self.row, "kind": self.kind, "rule": self.rule,
                "price": self.price, "product": self.product}


@dataclass
class SegmentRow:
    row: int
    planned_start: dt.datetime | dt.time | None = None
    section: str = ""
    kind_guessed: bool = False
    duration_from: str = ""  # "时长", "时间段", "next start", ...


@dataclass
class SheetImport:
    show: Show
    file: str
    sheet: str = ""
    header_row: int = 0
    columns: list[Column] = field(default_factory=list)
    rows: list[SegmentRow] = field(default_factory=list)
    desk_staff: list[str] = field(default_factory=list)  # 场控 named in the info rows
    target_gmv: float | None = None
    target_text: str = ""
    info: dict[str, str] = field(default_factory=dict)  # label -> value as read
    product_match: dict[str, str] = field(default_factory=dict)  # sku -> "sheet" | "bare"
    drops: list[SuggestedDrop] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warnings_zh: list[str] = field(default_factory=list)
    origins: dict[str, tuple[int, int]] = field(default_factory=dict)

    def warn(self, row: int, message: str, zh: str = "") -> None:
        """A guess for a person to check: English (the CLI's and JSON's text) and Chinese
        (what the desk shows in zh_CN)."""
        where = f"{self.file}:{row}" if row else self.file
        self.warnings.append(f"{where}: {message}")
        self.warnings_zh.append(f"{where}: {zh or message}")

    def report(self) -> dict:
        """What was read, for ``rundown show --json`` and the import dialog."""
        s = self.show
        segs = []
        for seg, info in zip(s.segments, self.rows):
            segs.append({
                "id": seg.id, "title": seg.title, "kind": seg.kind.value, "duration_s": seg.duration,
                "planned_start": _iso(info.planned_start), "products": list(seg.products), "script": seg.script,
                "talking_points": list(seg.talking_points), "notes": seg.notes, "row": info.row,
                "section": info.section, "kind_guessed": info.kind_guessed, "duration_from": info.duration_from,
                "scene": seg.scene,
            })
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": [c.as_dict() for c in self.columns],
            "show": {"id": s.id, "title": s.title, "platform": s.platform.value, "planned_start": _iso(s.planned_start),
                     "anchors": list(s.anchors), "desk": list(self.desk_staff), "target_gmv": self.target_gmv,
                     "target": self.target_text, "planned_duration_s": s.planned_duration, "info": dict(self.info)},
            "segments": segs,
            "products": [{"sku": p.sku, "name": p.name, "list_price": p.list_price, "live_price": p.live_price,
                          "stock": p.stock, "selling_points": list(p.selling_points),
                          "source": self.product_match.get(p.sku, "sheet")} for p in s.products],
            "suggested_drops": [d.as_dict() for d in self.drops],
            "warnings": list(self.warnings),
            "warnings_zh": list(self.warnings_zh),
        }


def _iso(v: dt.datetime | dt.time | None) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="minutes") if v.second == 0 else v.isoformat()
    return v.strftime("%H:%M") if v.second == 0 else v.strftime("%H:%M:%S")


# --------------------------------------------------------------------------- header
def find_header(rows: Sequence[Sequence[Any]], lookup: dict[str, str], need: Sequence[set[str]]) -> int | None:
    """Index (in ``rows``) of the header among the first non-blank rows: the row naming the
    most known columns, with at least two and one field of each set in ``need``."""
    best, best_score = None, 1
    seen = 0
    for i, r in enumerate(rows):
        if blank(r):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        fields = {match_header(c, lookup)[0] for c in r if c is not None}
        fields.discard(None)
        if len(fields) > best_score and all(fields & alternatives for alternatives in need):
            best, best_score = i, len(fields)
    return best


def map_columns(header: Sequence[Any], lookup: dict[str, str], columns: dict, file: str, rowno: int, out: SheetImport | None) -> list[Column]:
    cols: list[Column] = []
    taken: dict[str, Column] = {}
    for i, h in enumerate(header):
        name = text(h)
        if not name:
            continue
        key, unit = match_header(name, lookup)
        if key is not None and key in taken:
            if key in _NOTE_FIELDS + _POINT_FIELDS + ("script",):
                pass  # several columns may feed one text field: joined per row
            else:
                raise RundownError(file, rowno, f"column {col_letter(i)}", f"column {label(columns, key)} appears twice "
                                   f"({taken[key].header!r} in {col_letter(taken[key].index)} and {name!r})")
        if key is None and out is not None:
            out.warn(rowno, f"column {col_letter(i)} {name!r}: not a known column, ignored", f"{col_letter(i)} 列“{name}”：不认识的列，未使用")
        col = Column(i, name, key, unit)
        cols.append(col)
        if key is not None:
            taken.setdefault(key, col)
    return cols


# --------------------------------------------------------------------------- times
def clock_of(v: Any) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(start, end) clock times (h, m) from a 时间段 cell: "20:00-20:05", "20:00~20:05",
    "20:00—20:05", "20:00至20:05", a time cell, or a lone start; (None, None) otherwise."""
    if isinstance(v, dt.datetime):
        return (v.hour, v.minute), None
    if isinstance(v, dt.time):
        return (v.hour, v.minute), None
    s = text(v)
    if not s:
        return None, None
    m = _RANGE.match(s)
    if m:
        h1, m1, h2, m2 = _h12(m.group(1), m.group(3)), int(m.group(2)), _h12(m.group(4), m.group(6)), int(m.group(5))
        if h1 < 25 and h2 < 25 and m1 < 60 and m2 < 60:
            return (h1 % 24, m1), (h2 % 24, m2)
        return None, None
    m = _START.match(s)
    if m:
        h1, m1 = _h12(m.group(1), m.group(3)), int(m.group(2))
        if h1 < 25 and m1 < 60:
            return (h1 % 24, m1), None
    return None, None


def _h12(hour: str, half: str | None) -> int:
    """24-hour clock from "12:10:00 AM" (how LibreOffice in an English locale writes times)."""
    h = int(hour)
    if half and h <= 12:
        h = (h % 12) + (12 if half.lower() == "p" else 0)
    return h


def _minutes(hm: tuple[int, int]) -> int:
    return hm[0] * 60 + hm[1]


def _is_excel_serial_date(v: Any) -> bool:
    return isinstance(v, dt.datetime) and v.year <= 1900


def duration_of(v: Any, unit: float, hint_s: float | None) -> tuple[float, tuple[str, str] | None]:
    """Seconds of a 时长 cell and a note when Excel's reading was reinterpreted. "5:00" typed
    into Excel is stored as 5 hours (h:mm): a clock value of an hour or more with no
    seconds is read as minutes:seconds, unless the 时间段 says it really is hours."""
    note = None
    if _is_excel_serial_date(v):  # a number shown in a date/time format: Excel counts days
        v = v - dt.datetime(1899, 12, 30)
        if v >= dt.timedelta(days=1):  # "5" typed into a date-formatted cell: the number meant
            number = v.total_seconds() / 86400
            return number * unit, (f"时长 shown as a date ({number:g} days): read as the number {number:g}, {format_duration(number * unit)}",
                                   f"时长被显示成日期（{number:g} 天）：按数字 {number:g} 读作 {format_duration(number * unit)}")
    if isinstance(v, dt.timedelta):
        return v.total_seconds(), note
    clock: tuple[int, int, int] | None = None
    if isinstance(v, dt.time):
        clock = (v.hour, v.minute, v.second)
    elif isinstance(v, str):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2}):(\d{2})\s*(?:([AaPp])\.?[Mm]\.?)?\s*", v)
        if m:
            clock = (_h12(m.group(1), m.group(4)), int(m.group(2)), int(m.group(3)))
        else:
            v = re.sub(r"^\s*(约|大约|预计)|(左右|以内)\s*$", "", v)
    if clock is not None:
        h, mi, sec = clock
        as_hours = h * 3600.0 + mi * 60.0 + sec
        as_minutes = h * 60.0 + mi
        if h >= 1 and sec == 0 and as_hours != hint_s and mi < 60:
            shown = f"{h}:{mi:02d}"
            return as_minutes, (f"时长 {shown}: read as {format_duration(as_minutes)} (minutes:seconds); "
                                f"the spreadsheet keeps it as {h} h {mi} min",
                                f"时长 {shown}：按“分:秒”读作 {format_duration(as_minutes)}（表格里存的是 {h} 小时 {mi} 分）")
        return as_hours, note
    return parse_duration(v, bare_number_unit=unit), note


# --------------------------------------------------------------------------- info rows
def read_info(rows: Sequence[Sequence[Any]], rownos: Sequence[int], out: SheetImport) -> dict[str, tuple[str, Any, int]]:
    """Show fields from the rows above the header: "直播时间：2026-12-12 20:00", a label
    cell followed by a value cell, or several pairs in one row. The first row holding a
    single text that is not a label is the title (a merged title row)."""
    found: dict[str, tuple[str, Any, int]] = {}
    for r, rowno in zip(rows, rownos):
        cells = [c for c in r if c is not None and text(c)]
        cells = [c for i, c in enumerate(cells) if i == 0 or text(c) != text(cells[i - 1])]
        if not cells:
            continue
        read_any = False
        i = 0
        while i < len(cells):
            t = text(cells[i])
            marks = list(_INFO_RE.finditer(t))
            if not marks:
                if not read_any and i == 0 and "title_row" not in found and all(not _INFO_RE.search(text(c)) for c in cells):
                    found["title_row"] = ("", t, rowno)
                    read_any = True
                elif not read_any:
                    out.warn(rowno, f"row above the header not read: {t[:60]!r}", f"表头上方的这一行没有读取：“{t[:60]}”")
                i += 1
                continue
            if marks[0].start() > 0 and "title_row" not in found and i == 0:
                found["title_row"] = ("", t[: marks[0].start()].strip(" |｜"), rowno)
            for j, m in enumerate(marks):
                end = marks[j + 1].start() if j + 1 < len(marks) else len(t)
                value: Any = t[m.end(): end].strip(" |｜:：,，;；\t")
                if not value and j + 1 == len(marks) and i + 1 < len(cells) and not _INFO_RE.match(text(cells[i + 1])):
                    i += 1
                    value = cells[i]  # the value in the next cell, typed (an Excel date stays a date)
                key = _INFO_LABELS[m.group(1).lower()]
                if text(value) and key not in found:
                    found[key] = (m.group(1), value, rowno)
                    out.info[m.group(1)] = text(value)
                    read_any = True
            i += 1
    return found


def parse_planned_start(v: Any, default_year: int) -> tuple[dt.date | None, tuple[int, int] | None, tuple[str, str] | None]:
    """(date, clock time, note) of a 直播时间 value: a datetime cell, "2026-12-12 20:00",
    "2026年12月12日 20:00-23:00", "12月12日 晚8点", LibreOffice's US form "12/12/26 20:00"."""
    if isinstance(v, dt.datetime):
        return v.date(), (v.hour, v.minute), None
    if isinstance(v, dt.date):
        return v, None, None
    s = text(v)
    note = None
    day = None
    rest = s
    m = _US_DATE.match(s)
    if m:
        mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y += 2000 if y < 100 else 0
        try:
            day = dt.date(y, mo, d)
            note = (f"read {m.group(0).strip()!r} as month/day/year", f"“{m.group(0).strip()}”按 月/日/年 读取")
        except ValueError:
            day = None
        rest = s[m.end():]
    if day is None:
        m = _DATE.search(s)
        if m:
            y = int(m.group(1)) if m.group(1) else default_year
            try:
                day = dt.date(y, int(m.group(2)), int(m.group(3)))
            except ValueError:
                day = None
            if day is not None and not m.group(1):
                note = (f"no year in {s!r}: took {y}", f"“{s}”没有年份：按 {y} 年")
            rest = s[m.end():]
    clock = None
    t = _TIME.search(rest)
    if t:
        h, mi = int(t.group(1)), int(t.group(2) or 0)
        after = rest[t.end(): t.end() + 8]
        if ("晚" in rest[: t.start()] or re.match(r"(?::\d{2})?\s*[Pp]\.?[Mm]", after)) and h < 12:
            h += 12
        elif re.match(r"(?::\d{2})?\s*[Aa]\.?[Mm]", after) and h == 12:
            h = 0
        if h < 24 and mi < 60:
            clock = (h, mi)
    return day, clock, note


def target_gmv_of(s: str) -> float | None:
    """The GMV in a 目标 text ("GMV 50万", "成交 80w", "500000"), not a viewer count ("在线2000")."""
    m = re.search(r"(?:gmv|销售额?|成交额?|营业额|¥|￥)\s*[:：]?\s*([\d.,]+\s*(?:亿|万|w|k|千)?)", s, re.I)
    if m:
        return parse_money(m.group(1))
    if re.search(r"在线|人数|观看|粉丝|uv|场观|涨粉", s, re.I):
        return None
    return parse_money(s)


def parse_money(s: str) -> float | None:
    """Yuan from "GMV 50万", "目标：成交50w", "¥500,000"; None when there is no number."""
    m = _MONEY.search(s.replace(",", "").replace("，", ""))
    if not m:
        return None
    scale = {"亿": 1e8, "万": 1e4, "w": 1e4, "k": 1e3, "千": 1e3}.get((m.group(2) or "").lower(), 1.0)
    return float(m.group(1)) * scale


# --------------------------------------------------------------------------- products
class ProductIndex:
    """Matches a 产品 cell against the products sheet: SKU, exact name, then a name that
    contains (or is contained in) the text when that is unique. Unmatched names become bare
    cards (SKU from the name), reported."""

    def __init__(self, products: list[Product]) -> None:
        self.products = products
        self.by_sku = {p.sku.lower(): p for p in products}
        self.by_name = {p.name.strip().lower(): p for p in products}
        self.bare: set[str] = set()

    def _one(self, part: str) -> Product | None:
        key = part.strip().lower()
        if not key:
            return None
        if key in self.by_sku:
            return self.by_sku[key]
        if key in self.by_name:
            return self.by_name[key]
        hits = [p for p in self.products if p.sku not in self.bare and len(key) >= 2
                and (key in p.name.lower() or p.name.lower() in key)]
        return hits[0] if len(hits) == 1 else None

    def resolve(self, cell: str) -> tuple[list[Product], list[str]]:
        """(products named in the cell, texts that matched nothing)."""
        whole = self._one(_ORDINAL.sub("", cell))
        if whole is not None:
            return [whole], []
        found: list[Product] = []
        missing: list[str] = []
        for raw in _SPLIT_PRODUCTS.split(cell):
            part = _ORDINAL.sub("", raw).strip()
            if not part:
                continue
            p = self._one(part)
            if p is None and " " in part:  # "SK-1 SK-2": SKUs separated by spaces
                subs = [self._one(x) for x in part.split()]
                if all(subs):
                    found += [x for x in subs if x is not None]
                    continue
            if p is None:
                missing.append(part)
            else:
                found.append(p)
        unique = {p.sku: p for p in found}
        return list(unique.values()), missing

    def bare_card(self, name: str) -> Product:
        sku = name if _ID.fullmatch(name) else (_SLUG.sub("-", name).strip("-")[:64] or "P")
        base, n = sku, 2
        while sku.lower() in self.by_sku and self.by_sku[sku.lower()].name != name:
            sku = f"{base[:60]}-{n}"
            n += 1
        p = self.by_sku.get(sku.lower())
        if p is None:
            p = Product(sku=sku, name=name)
            self.products.append(p)
            self.by_sku[sku.lower()] = p
            self.by_name.setdefault(name.lower(), p)
            self.bare.add(p.sku)
        return p


def read_products(rows: Sequence[Sequence[Any]], rownos: Sequence[int], file: str, out: SheetImport | None) -> list[Product]:
    """The products sheet: header among its first rows; SKU or name required (a missing
    SKU is made from the name)."""
    hi = find_header(rows, _PROD_LOOKUP, [{"sku", "name"}])
    if hi is None:
        if out is not None and any(not blank(r) for r in rows):
            out.warn(0, "products sheet: no header row with 名称/name or SKU found, sheet not read", "商品表：没有找到含“名称”或“SKU”的表头，未读取")
        return []
    cols = map_columns(rows[hi], _PROD_LOOKUP, PRODUCT_COLUMNS, file, rownos[hi], out)
    idx = {c.field: c.index for c in cols if c.field}
    found: list[Product] = []
    skus: set[str] = set()
    for r, rowno in zip(rows[hi + 1:], rownos[hi + 1:]):
        if blank(r):
            continue

        def cell(key: str) -> Any:
            i = idx.get(key)
            return r[i] if i is not None and i < len(r) else None

        def where(key: str) -> str:
            return f"商品/products {label(PRODUCT_COLUMNS, key)} ({col_letter(idx[key])})"

        def number(key: str, whole: bool) -> float | int | None:
            v = cell(key)
            if v is None or (isinstance(v, str) and not v.strip()):
                return None
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                x = float(v)
            else:
                m = re.fullmatch(r"\s*[¥￥]?\s*([\d,]+(?:\.\d+)?)\s*(元|件|个)?\s*", text(v))
                x = float(m.group(1).replace(",", "")) if m else float("nan")
            if not math.isfinite(x) or x < 0 or (whole and not x.is_integer()):
                raise RundownError(file, rowno, where(key), f"expected {'a whole number' if whole else 'a price'} of 0 or more, got {text(v)!r}")
            return int(x) if whole else x

        def flag(key: str) -> bool:
            v = text(cell(key)).lower()
            if v in _TRUE:
                return True
            if v in _FALSE:
                return False
            raise RundownError(file, rowno, where(key), f"expected 是/否 (yes/no), got {v!r}")

        name = text(cell("name"))
        sku = text(cell("sku"))
        if not name and not sku:
            continue
        if not sku:
            sku = _SLUG.sub("-", name).strip("-")[:64]
        if not _ID.fullmatch(sku):
            raise RundownError(file, rowno, where("sku") if "sku" in idx else where("name"),
                               f"expected a SKU of letters, digits, '-', '_' or '.', got {sku!r}")
        if sku in skus:
            raise RundownError(file, rowno, where("sku") if "sku" in idx else where("name"), f"duplicate SKU {sku!r}")
        skus.add(sku)
        found.append(Product(
            sku=sku, name=name or sku, list_price=number("list_price", False), live_price=number("live_price", False),
            stock=number("stock", True) or 0, safety_stock=number("safety_stock", True) or 0,
            selling_points=[p.strip() for p in _SPLIT_LIST.split(text(cell("selling_points"))) if p.strip()],
            image=text(cell("image")), frozen=flag("frozen"),
        ))
    return found


# --------------------------------------------------------------------------- the script sheet
def guess_kind(title: str, has_products: bool) -> SegmentKind:
    for kind, words in _KIND_WORDS:
        if any(w in title for w in words):
            return kind
    return SegmentKind.PRODUCT if has_products else SegmentKind.CUSTOM


def spot_drops(cell: str) -> list[tuple[str, str, float | None]]:
    """(kind, rule, price) of the coupon rules and flash-sale prices in a 福利/优惠 text."""
    out: list[tuple[str, str, float | None]] = []
    for m in _COUPON.finditer(cell):
        if m.group(1):
            out.append(("coupon", f"满{_n(m.group(1))}减{_n(m.group(2))}", None))
        else:
            out.append(("coupon", f"无门槛{_n(m.group(3) or m.group(4))}元", None))
    for m in _FLASH.finditer(cell):
        price = float(m.group(1) or m.group(2))
        out.append(("flash_sale", f"秒杀{_n(m.group(1) or m.group(2))}元", price))
    return out


def _n(s: str) -> str:
    x = float(s)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _time_or_length(cols: list[Column], rows: Sequence[Sequence[Any]], out: SheetImport, rowno: int) -> None:
    """A column headed just 时间/time is a length in our own layout but the time slot in many
    templates: it is read as 时间段 when its cells hold ranges like 20:00-20:05 (and no other
    column is the time slot)."""
    if any(c.field == "time_range" for c in cols):
        return
    for c in cols:
        if c.field != "duration" or _norm(c.header) not in ("时间", "time"):
            continue
        values = [r[c.index] for r in rows[:200] if c.index < len(r) and text(r[c.index])]
        ranges = sum(1 for v in values if isinstance(v, str) and clock_of(v)[1] is not None)
        if values and ranges * 2 >= len(values):
            c.field = "time_range"
            out.warn(rowno, f"column {col_letter(c.index)} {c.header!r} holds time ranges: read as 时间段 (time slot)",
                     f"{col_letter(c.index)} 列“{c.header}”里是时间段：按时间段读取")


def _section_text(r: Sequence[Any], cols: list[Column]) -> str | None:
    """A row holding one text only, that is not a time, reads as a section heading
    (第一部分 引流款, 二、福利款, or any lone text in the first columns)."""
    filled = [c for c in r if c is not None and c != ""]
    if not filled or (len(filled) > 1 and any(c != filled[0] for c in filled)):
        return None
    values = [text(c) for c in filled if text(c)]
    distinct = list(dict.fromkeys(values))
    if len(distinct) != 1:
        return None
    t = distinct[0]
    if clock_of(t)[0] is not None:
        return None
    if _SECTION.match(t):
        return t
    return None


def _apply_info(info: dict[str, tuple[str, Any, int]], out: SheetImport, today: dt.date) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The info rows into the show (title, anchors, 场控, platform, target); returns the
    show's date and clock time as far as 直播时间 gives them."""
    show = out.show
    if "title" in info:
        show.title = text(info["title"][1])
    elif "title_row" in info:
        show.title = info["title_row"][1]
    if "anchors" in info:
        show.anchors = [a for a in _NAMES.split(text(info["anchors"][1])) if a]
    if "desk" in info:
        out.desk_staff = [a for a in _NAMES.split(text(info["desk"][1])) if a]
    if "platform" in info:
        try:
            show.platform = Platform.parse(text(info["platform"][1]))
        except ValueError:
            out.warn(info["platform"][2], f"platform {text(info['platform'][1])!r} not one of 抖音, 淘宝, 快手: other",
                     f"平台“{text(info['platform'][1])}”不是抖音、淘宝、快手之一：记为其他")
    if "target" in info:
        out.target_text = text(info["target"][1])
        out.target_gmv = show.target_gmv = target_gmv_of(out.target_text)
        if out.target_gmv is None:
            out.warn(info["target"][2], f"target {out.target_text!r}: no GMV amount found", f"目标“{out.target_text}”：没有找到 GMV 金额")
    show_day: dt.date | None = None
    show_clock: tuple[int, int] | None = None
    if "start" in info:
        show_day, show_clock, note = parse_planned_start(info["start"][1], today.year)
        if note:
            out.warn(info["start"][2], *note)
        if show_day is not None and not 1970 <= show_day.year <= 2200:
            out.warn(info["start"][2], f"直播时间 {text(info['start'][1])!r}: the year {show_day.year} cannot be right: date left open",
                     f"直播时间“{text(info['start'][1])}”：{show_day.year} 年不可能：日期留空")
            show_day = None
        if show_day is None and show_clock is None:
            out.warn(info["start"][2], f"直播时间 {text(info['start'][1])!r}: no date or time found", f"直播时间“{text(info['start'][1])}”：没有找到日期或时间")
    return show_day, show_clock


def interpret(rows: Sequence[Sequence[Any]], rownos: Sequence[int], file: str, stem: str,
              products: list[Product] | None, *, sheet: str = "", today: dt.date | None = None) -> SheetImport:
    """The show in a script sheet, with every guess reported; raises :class:`RundownError`
    (located) when the sheet cannot give a show."""
    today = today or dt.date.today()
    slug = _SLUG.sub("-", stem).strip("-")[:64] or "show"
    show = Show(id=slug, title=stem, platform=Platform.OTHER, source=file, products=list(products or []))
    out = SheetImport(show=show, file=file, sheet=sheet)
    hi = find_header(rows, _SEG_LOOKUP, [{"title", "content"}, {"duration", "time_range"}])
    if hi is None:
        if all(blank(r) for r in rows):
            raise RundownError(file, 0, "", "empty spreadsheet: expected a header row (环节/title, 时长/duration, ...)")
        # name the first row and what is missing, as before templates were read
        first = next(i for i, r in enumerate(rows) if not blank(r))
        fields = {match_header(c, _SEG_LOOKUP)[0] for c in rows[first]}
        missing = "title" if not fields & {"title", "content"} else "duration"
        if len(fields - {None}) == 0:
            raise RundownError(file, rownos[first], "header row", f"none among the first {HEADER_SEARCH_ROWS} rows "
                               "(expected columns such as 时间段, 环节, 时长, 产品, 直播话术)")
        raise RundownError(file, rownos[first], label(SEGMENT_COLUMNS, missing), "required column is missing"
                           + (" (or 时间段/time slot)" if missing == "duration" else ""))
    out.header_row = rownos[hi]
    cols = map_columns(rows[hi], _SEG_LOOKUP, SEGMENT_COLUMNS, file, rownos[hi], out)
    _time_or_length(cols, rows[hi + 1:], out, rownos[hi])
    out.columns = cols
    first_of: dict[str, Column] = {}
    for c in cols:
        if c.field:
            first_of.setdefault(c.field, c)

    # -- info rows above the header
    show_day, show_clock = _apply_info(read_info(rows[:hi], rownos[:hi], out), out, today)

    # -- segment rows
    def idx(key: str) -> int | None:
        c = first_of.get(key)
        return c.index if c else None

    def where(key: str) -> str:
        return f"{label(SEGMENT_COLUMNS, key)} ({col_letter(first_of[key].index)})"

    pindex = ProductIndex(show.products)
    for p in show.products:
        out.product_match[p.sku] = "sheet"
    section = ""
    ids: set[str] = set()
    pending: list[tuple[Segment, SegmentRow, tuple[int, int] | None, tuple[int, int] | None, bool]] = []
    previous_title = previous_products = ""
    seen_drops: set[tuple[str, str]] = set()
    for r, rowno in zip(rows[hi + 1:], rownos[hi + 1:]):
        r = list(r)
        if blank(r):
            continue
        sec = _section_text(r, cols)
        if sec is not None:
            section = sec
            continue

        def cell(key: str) -> Any:
            i = idx(key)
            return r[i] if i is not None and i < len(r) else None

        def joined(keys: Sequence[str]) -> list[tuple[str, str]]:
            parts = []
            for c in cols:
                if c.field in keys and c.index < len(r):
                    t = text(r[c.index])
                    if t:
                        parts.append((c.header, t))
            return parts

        n = len(show.segments) + 1
        title = text(cell("title"))
        start, end = clock_of(cell("time_range")) if "time_range" in first_of else (None, None)
        if "time_range" in first_of and start is None and text(cell("time_range")):
            out.warn(rowno, f"时间段 {text(cell('time_range'))!r} is not a time or a range like 20:00-20:05: ignored",
                     f"时间段“{text(cell('time_range'))}”不是时间或 20:00-20:05 这样的时间段：未使用")
        if not title and "title" in first_of:
            content = text(cell("content"))
            if content:
                title = content.split("\n")[0][:40]
            elif previous_title and (start is not None or text(cell("duration"))):
                # CSV exports of merged cells keep the value in the first row only
                title = previous_title
                took_products = not text(cell("products")) and bool(previous_products) and "products" in first_of
                if took_products:
                    i = first_of["products"].index
                    r.extend([None] * (i + 1 - len(r)))
                    r[i] = previous_products
                out.warn(rowno, f"{'环节 and 产品' if took_products else '环节'} empty: took them from the row above (a merged cell?): "
                         f"{title!r}" + (f", {previous_products!r}" if took_products else ""),
                         f"{'环节和产品' if took_products else '环节'}为空：沿用上一行（合并单元格？）：“{title}”"
                         + (f"、“{previous_products}”" if took_products else ""))
        elif not title:
            title = text(cell("content")).split("\n")[0][:40]
        if not title:
            raise RundownError(file, rowno, where("title") if "title" in first_of else where("content"), "empty: every segment needs a title")
        previous_title = title
        previous_products = text(cell("products"))
        seg_id = text(cell("id")) or f"seg-{n}"
        if not _ID.fullmatch(seg_id):
            raise RundownError(file, rowno, where("id"), f"expected an id of letters, digits, Chinese characters, '-', '_' or '.', got {seg_id!r}")
        if seg_id in ids:
            raise RundownError(file, rowno, where("id"), f"duplicate id {seg_id!r}")
        ids.add(seg_id)

        # products
        seg_skus: list[str] = []
        pcell = text(cell("products"))
        if pcell:
            found, missing = pindex.resolve(pcell)
            for name in missing:
                p = pindex.bare_card(name)
                if p.sku not in out.product_match:
                    out.product_match[p.sku] = "bare"
                    if products is not None:
                        out.warn(rowno, f"product {name!r} is not on the products sheet: a bare card {p.sku!r}",
                                 f"商品“{name}”不在商品表里：作为仅名称的商品卡 {p.sku}")
                found.append(p)
            seg_skus = list(dict.fromkeys(p.sku for p in found))

        kind_text = text(cell("kind"))
        info_row = SegmentRow(row=rowno, section=section)
        if kind_text:
            try:
                kind = SegmentKind.parse(kind_text)
            except ValueError as exc:
                raise RundownError(file, rowno, where("kind"), str(exc)) from None
        else:
            kind = guess_kind(title, bool(seg_skus))
            info_row.kind_guessed = "kind" not in first_of

        # duration: 时长, else the 时间段 range, else the next row's start
        hint = None
        if start is not None and end is not None:
            hint = ((_minutes(end) - _minutes(start)) % 1440) * 60.0 or None
        duration: float | None = None
        dcell = cell("duration")
        if dcell is not None and text(dcell):
            ds, de = clock_of(dcell) if isinstance(dcell, str) and re.search(_SEP, dcell) else (None, None)
            if ds is not None and de is not None and "time_range" not in first_of:
                start, end = ds, de  # a "时间" column holding ranges
                hint = ((_minutes(end) - _minutes(start)) % 1440) * 60.0 or None
                duration, info_row.duration_from = hint, "时间段"
            else:
                unit = first_of["duration"].unit or 60.0
                try:
                    duration, note = duration_of(dcell, unit, hint)
                except ValueError as exc:
                    if hint is None:
                        raise RundownError(file, rowno, where("duration"), str(exc)) from None
                    out.warn(rowno, f"时长 {text(dcell)!r} not understood: took {format_duration(hint)} from 时间段",
                             f"时长“{text(dcell)}”看不懂：按时间段取 {format_duration(hint)}")
                    duration, note = hint, None
                else:
                    info_row.duration_from = first_of["duration"].header
                if note:
                    out.warn(rowno, *note)
                if hint is not None and duration != hint and info_row.duration_from != "时间段":
                    out.warn(rowno, f"时长 {format_duration(duration)} and 时间段 ({format_duration(hint)}) disagree: kept 时长",
                             f"时长 {format_duration(duration)} 与时间段（{format_duration(hint)}）不一致：以时长为准")
        elif hint is not None:
            duration, info_row.duration_from = hint, "时间段"
        if duration is not None:
            if duration <= 0:
                raise RundownError(file, rowno, where("duration") if "duration" in first_of else where("time_range"), "must be longer than zero")
            if duration > MAX_SEGMENT_S:
                raise RundownError(file, rowno, where("duration"), f"{format_duration(duration)} is longer than 24 hours")

        def threshold(key: str, default: float) -> float:
            v = cell(key)
            if key not in first_of or v is None or not text(v):
                return default
            try:
                return parse_duration(v, bare_number_unit=60.0)
            except ValueError as exc:
                raise RundownError(file, rowno, where(key), str(exc)) from None

        warning = threshold("warning", DEFAULT_WARNING_S)
        danger = threshold("danger", DEFAULT_DANGER_S)
        if danger > warning:
            raise RundownError(file, rowno, where("danger") if "danger" in first_of else where("warning"),
                               f"danger ({format_duration(danger)} left) must come after warning ({format_duration(warning)} left)")

        # texts
        script = "\n".join(t for _h, t in joined(("script",)))
        points: list[str] = []
        for _h, t in joined(_POINT_FIELDS):
            points += [p.strip() for p in _SPLIT_LIST.split(t) if p.strip()]
        notes_parts = joined(_NOTE_FIELDS)
        notes = notes_parts[0][1] if len(notes_parts) == 1 else "\n".join(f"{h}：{t}" for h, t in notes_parts)
        sp_text = text(cell("selling_points"))
        if sp_text:
            sps = [p.strip() for p in _SPLIT_LIST.split(sp_text) if p.strip()]
            if len(seg_skus) == 1 and not show.product(seg_skus[0]).selling_points:
                show.product(seg_skus[0]).selling_points = sps
            else:
                points += sps
        seg = Segment(id=seg_id, title=title, kind=kind, duration=duration or 0.0, script=script, talking_points=points,
                      notes=notes, products=seg_skus, scene=text(cell("scene")), warning=warning, danger=danger)
        for h, t in joined(("perks",)) + ([("环节", title)] if kind == SegmentKind.FLASH_SALE else []):
            for dkind, rule, price in spot_drops(t):
                if (seg_id, rule) in seen_drops:
                    continue
                seen_drops.add((seg_id, rule))
                out.drops.append(SuggestedDrop(seg_id, rowno, dkind, rule, price, seg_skus[0] if dkind == "flash_sale" and seg_skus else None))
        show.segments.append(seg)
        pending.append((seg, info_row, start, end, duration is None))
        out.rows.append(info_row)
        base = f"segments[{n}]"
        out.origins[f"{base}.title"] = (rowno, 0)
        out.origins[f"{base}.script"] = (rowno, 0)
        for j in range(1, len(points) + 1):
            out.origins[f"{base}.talking_points[{j}]"] = (rowno, 0)
    if not show.segments:
        raise RundownError(file, out.header_row, "rows", "no segment rows under the header")

    _place_in_time(out, pending, show_day, show_clock, where)
    if products is None and any(v == "bare" for v in out.product_match.values()):
        out.warn(0, "no products sheet: products named in the script are bare cards (name only)", "没有商品表：脚本里的商品作为仅名称的商品卡")
    return out


def _place_in_time(out: SheetImport, pending: list, show_day: dt.date | None, show_clock: tuple[int, int] | None, where) -> None:
    """Planned starts from the 时间段 (across midnight: the next day), durations still
    missing from the next start, the show's planned start, and gaps or overlaps reported."""
    show = out.show
    day_offset = 0
    last_min: int | None = None
    abs_starts: list[int | None] = []
    for seg, info_row, start, end, _missing in pending:
        if start is None:
            abs_starts.append(None)
            continue
        m = _minutes(start) + day_offset * 1440
        if last_min is not None and m < last_min - 12 * 60:
            day_offset += 1
            m += 1440
        last_min = m
        abs_starts.append(m)
    for i, (seg, info_row, start, end, missing) in enumerate(pending):
        if not missing:
            continue
        nxt = next((abs_starts[j] for j in range(i + 1, len(pending)) if abs_starts[j] is not None), None)
        if abs_starts[i] is not None and nxt is not None and nxt > abs_starts[i]:
            seg.duration = (nxt - abs_starts[i]) * 60.0
            info_row.duration_from = "next start"
            continue
        field_name = where("duration") if "duration" in {c.field for c in out.columns} else where("time_range") if any(c.field == "time_range" for c in out.columns) else "时长/duration"
        raise RundownError(out.file, info_row.row, field_name,
                           "no duration: give 时长 or a 时间段 range like 20:00-20:05")
    first = next((m for m in abs_starts if m is not None), None)
    if show_clock is None and first is not None:
        show_clock = (first // 60 % 24, first % 60)
    if show_day is not None and show_clock is not None:
        show.planned_start = dt.datetime.combine(show_day, dt.time(*show_clock)).astimezone()
    elif show_clock is not None:
        out.warn(0, "no date for the show (直播时间): planned start left open, segment times are clock times",
                 "没有直播日期（直播时间）：计划开播时间留空，环节时间只是钟点")
    midnight = dt.datetime.combine(show_day, dt.time()).astimezone() if show_day is not None else None
    running: float | None = None  # seconds since the show day's midnight (or since 00:00 without a date)
    for i, (seg, info_row, _start, _end, _m) in enumerate(pending):
        at = abs_starts[i] * 60.0 if abs_starts[i] is not None else running
        if at is not None:
            if running is not None and abs_starts[i] is not None and abs(at - running) >= 60:
                gap = round((at - running) / 60)
                out.warn(info_row.row, f"starts {abs(gap)} min {'after' if gap > 0 else 'before'} the previous segment ends: "
                         "the rundown runs segments back to back",
                         f"比上一环节结束{'晚' if gap > 0 else '早'} {abs(gap)} 分钟开始：脚本按环节首尾相接排时间")
            if midnight is not None:
                info_row.planned_start = midnight + dt.timedelta(seconds=at)
            else:
                t = int(at) % 86400
                info_row.planned_start = dt.time(t // 3600, t // 60 % 60, t % 60)
            running = at + seg.duration
        elif show.planned_start is not None:
            info_row.planned_start = show.planned_start + dt.timedelta(seconds=show.planned_offset(i))


# --------------------------------------------------------------------------- confirmed drops
_QUANTITY = re.compile(r"限量?\s*(\d+)\s*(?:单|件|份|个)")


def plan_drops(result: SheetImport, chosen: Sequence[int] | None = None) -> tuple[list[Coupon], list[CouponDrop], list[FlashSale]]:
    """Coupons, coupon drops and flash sales for the suggested drops a person confirmed
    (indices into ``result.drops``; all when None). Each fires a minute into its segment
    (half of a shorter one) and is pre-announced from the segment's start. A flash sale
    needs a product: one in a segment without products is left out."""
    coupons: list[Coupon] = []
    drops: list[CouponDrop] = []
    sales: list[FlashSale] = []
    rules: dict[str, str] = {}
    show = result.show
    by_id = {s.id: s for s in show.segments}
    picked = None if chosen is None else set(chosen)
    for i, d in enumerate(result.drops):
        if picked is not None and i not in picked:
            continue
        seg = by_id[d.segment]
        offset = min(60.0, seg.duration / 2)
        if d.kind == "coupon":
            cid = rules.get(d.rule)
            if cid is None:
                cid = rules[d.rule] = f"coupon-{len(rules) + 1}"
                coupons.append(Coupon(id=cid, name=d.rule, rule=d.rule))
            drops.append(CouponDrop(id=f"drop-{len(drops) + 1}", coupon=cid, at=Timing(seg.id, offset), lead=offset))
        elif d.product:
            row_text = " ".join(seg.talking_points)
            m = _QUANTITY.search(row_text)
            stock = show.product(d.product).stock
            quantity = int(m.group(1)) if m else stock
            sales.append(FlashSale(id=f"flash-{len(sales) + 1}", product=d.product, price=d.price or 0.0, quantity=quantity,
                                   at=Timing(seg.id, offset), duration=max(1.0, min(300.0, seg.duration - offset)),
                                   lead=offset, title=d.rule))
    return coupons, drops, sales


def dumps_import(result: SheetImport, accept_drops: Sequence[int] | None = ()) -> str:
    """The imported show as rundown TOML the team can keep: the mapping's guesses and
    sections as comments, confirmed drops (``accept_drops``: indices, None = all) as
    tables and the others as a commented block to uncomment once the desk confirms."""
    from studio_app.show.rundown import dumps_rundown

    show = result.show
    chosen = list(range(len(result.drops))) if accept_drops is None else list(accept_drops)
    coupons, drops, sales = plan_drops(result, chosen)
    saved = (show.coupons, show.coupon_drops, show.flash_sales)
    show.coupons, show.coupon_drops, show.flash_sales = saved[0] + coupons, saved[1] + drops, saved[2] + sales
    try:
        body = dumps_rundown(show)
    finally:
        show.coupons, show.coupon_drops, show.flash_sales = saved
    head = [f"# Imported from {result.file}" + (f" (sheet {result.sheet})" if result.sheet else "") +
            f", header row {result.header_row}. Check the guesses below, then keep this file."]
    if result.desk_staff:
        head.append(f"# 场控: {'、'.join(result.desk_staff)}")
    if result.target_text:
        head.append(f"# 目标: {result.target_text}")
    for w in result.warnings:
        head.append(f"# warning: {w}")
    lines = body.split("\n")
    out: list[str] = head[:]
    seg_i = -1
    last_section = ""
    for line in lines:
        if line == "[[segments]]":
            seg_i += 1
            info = result.rows[seg_i] if seg_i < len(result.rows) else None
            if info is not None and info.section and info.section != last_section:
                out.append(f"# ── {info.section} ──")
                last_section = info.section
            if info is not None:
                start = _iso(info.planned_start)
                out.append(f"# row {info.row}" + (f", planned {start}" if start else "") +
                           (", kind guessed from the title" if info.kind_guessed else ""))
        out.append(line)
    picked = set(chosen)
    rest = [i for i in range(len(result.drops)) if i not in picked]
    if rest:
        out += ["", "# Suggested by the 福利/优惠 column: confirm with the desk, then remove the \"# \" to schedule them."]
        for d in (result.drops[i] for i in rest):
            out.append(f"#   {d.segment} (row {d.row}): {d.rule}" + ("" if d.kind == "coupon" or d.product else " - no product in the segment, left out"))
        c2, d2, f2 = plan_drops(result, rest)
        out += ["# " + ln if ln else "#" for ln in _drop_tables(c2, d2, f2, suffix="s")]
    return "\n".join(out).rstrip("\n") + "\n"


def _drop_tables(coupons: list[Coupon], drops: list[CouponDrop], sales: list[FlashSale], suffix: str) -> list[str]:
    """TOML lines of suggested drops; ids get ``suffix`` so uncommenting them never clashes
    with the confirmed ones."""
    from studio_app.show.rundown import toml_string as q

    lines: list[str] = []
    for c in coupons:
        lines += ["", "[[coupons]]", f"id = {q(c.id + suffix)}", f"name = {q(c.name)}", f"rule = {q(c.rule)}",
                  f"quantity = {c.quantity}", f"duration = {q(format_duration(c.duration))}"]
    for d in drops:
        lines += ["", "[[coupon_drops]]", f"id = {q(d.id + suffix)}", f"coupon = {q(d.coupon + suffix)}",
                  f"segment = {q(d.at.segment)}", f"offset = {q(format_duration(d.at.offset))}", f"lead = {q(format_duration(d.lead))}"]
    for f in sales:
        lines += ["", "[[flash_sales]]", f"id = {q(f.id + suffix)}", f"product = {q(f.product)}", f"title = {q(f.title)}",
                  f"price = {f.price:g}", f"quantity = {f.quantity}", f"segment = {q(f.at.segment)}",
                  f"offset = {q(format_duration(f.at.offset))}", f"duration = {q(format_duration(f.duration))}",
                  f"lead = {q(format_duration(f.lead))}"]
    return lines
