"""Import and export of the spreadsheet scripts teams already write (CSV and XLSX).

One row per segment. Headers may be Chinese, English or both ("环节/title"); see
``resources/shows/FORMAT.md`` for the full list. A bare number in 时长/预警/危险 means
minutes. An XLSX workbook may add a 商品/products sheet. Errors name row and column:
``script.xlsx:7: 时长/duration (D): expected a duration like "5m" or "90s", got "abc"``.
CSV is read as UTF-8 (with or without BOM) or, failing that, GB18030 (what Excel saves
on Chinese Windows); it is written as UTF-8 with BOM so Excel opens it correctly.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from typing import Any, Iterable

from studio_app.core.files import atomic_output, open_regular, read_regular_bytes
from studio_app.show.errors import RundownError
from studio_app.show.model import (
    DEFAULT_DANGER_S,
    DEFAULT_WARNING_S,
    Platform,
    Product,
    Segment,
    SegmentKind,
    Show,
    format_duration,
    parse_duration,
)

# field -> (Chinese header, English header, other accepted spellings)
SEGMENT_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "id": ("序号", "id", ("编号", "no", "#", "cue")),
    "title": ("环节", "title", ("环节名称", "标题", "segment", "name")),
    "kind": ("类型", "kind", ("环节类型", "type")),
    "duration": ("时长", "duration", ("时间", "length")),
    "script": ("话术", "script", ("脚本", "台词")),
    "talking_points": ("要点", "talking points", ("卖点要点", "points", "talking_points")),
    "products": ("商品", "product", ("商品sku", "sku", "products", "product sku")),
    "scene": ("场景", "scene", ("obs场景", "obs scene", "画面")),
    "notes": ("备注", "notes", ("场控备注", "note", "desk notes")),
    "warning": ("预警", "warning", ("预警时间",)),
    "danger": ("危险", "danger", ("危险时间", "紧急")),
}
PRODUCT_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sku": ("SKU", "sku", ("商品编码", "货号")),
    "name": ("名称", "name", ("商品名称", "品名")),
    "list_price": ("原价", "list price", ("日常价", "list_price")),
    "live_price": ("直播价", "live price", ("到手价", "live_price")),
    "stock": ("库存", "stock", ()),
    "safety_stock": ("安全库存", "safety stock", ("safety_stock",)),
    "selling_points": ("卖点", "selling points", ("selling_points",)),
    "image": ("图片", "image", ("主图",)),
    "frozen": ("冻结", "frozen", ("锁定库存",)),
}
_TRUE = {"1", "true", "yes", "y", "是", "冻结", "✓", "x"}
_FALSE = {"", "0", "false", "no", "n", "否"}
REQUIRED = ("title", "duration")
_SPLIT_LIST = re.compile(r"[\n；;|]+")
_SPLIT_SKU = re.compile(r"[\s,，、;；]+")
_SLUG = re.compile(r"[^A-Za-z0-9_\-.\u4e00-\u9fff]+")


def _norm(h: str) -> str:
    return re.sub(r"[\s_]+", " ", str(h).strip().lower()).replace("（", "(").strip()


def _label(columns: dict, key: str) -> str:
    zh, en, _ = columns[key]
    return f"{zh}/{en}"


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _header_map(header: list[Any], columns: dict, file: str, row: int) -> dict[str, int]:
    lookup: dict[str, str] = {}
    for key, (zh, en, others) in columns.items():
        for name in (zh, en, key, *others):
            lookup[_norm(name)] = key
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        if h is None or str(h).strip() == "":
            continue
        parts = [_norm(p) for p in re.split(r"[/／]", str(h))]
        key = next((lookup[p] for p in parts if p in lookup), None)
        if key is None:
            known = ", ".join(_label(columns, k) for k in columns)
            raise RundownError(file, row, f"column {_col_letter(i)}", f"unknown column header {str(h).strip()!r} (known: {known})")
        if key in found:
            raise RundownError(file, row, f"column {_col_letter(i)}", f"column {_label(columns, key)} appears twice")
        found[key] = i
    return found


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v).strip() if not isinstance(v, str) else v.strip("\r")


def _rows_to_show(rows: Iterable[list[Any]], file: str, stem: str, products: list[Product] | None) -> tuple[Show, dict[str, tuple[int, int]]]:
    it = iter(rows)
    header_row = 0
    header: list[Any] | None = None
    for header_row, r in enumerate(it, start=1):
        if any(c is not None and str(c).strip() for c in r):
            header = list(r)
            break
    if header is None:
        raise RundownError(file, 0, "", "empty spreadsheet: expected a header row (环节/title, 时长/duration, ...)")
    cols = _header_map(header, SEGMENT_COLUMNS, file, header_row)
    for key in REQUIRED:
        if key not in cols:
            raise RundownError(file, header_row, _label(SEGMENT_COLUMNS, key), "required column is missing")
    slug = _SLUG.sub("-", stem).strip("-")[:64] or "show"
    show = Show(id=slug, title=stem, platform=Platform.OTHER, source=file, products=list(products or []))
    skus = {p.sku for p in show.products}
    origins: dict[str, tuple[int, int]] = {}
    for rowno, r in enumerate(it, start=header_row + 1):
        r = list(r)
        if not any(c is not None and str(c).strip() for c in r):
            continue

        def cell(key: str) -> Any:
            i = cols.get(key)
            return r[i] if i is not None and i < len(r) else None

        def where(key: str) -> str:
            return f"{_label(SEGMENT_COLUMNS, key)} ({_col_letter(cols[key])})"

        def dur(key: str, default: float | None) -> float:
            v = cell(key)
            if v is None or (isinstance(v, str) and not v.strip()):
                if default is None:
                    raise RundownError(file, rowno, where(key), "empty: expected a duration like 5 (minutes), \"5m\" or \"90s\"")
                return default
            try:
                s = parse_duration(v, bare_number_unit=60.0)
            except ValueError as exc:
                raise RundownError(file, rowno, where(key), str(exc)) from None
            if s > 24 * 3600:
                raise RundownError(file, rowno, where(key), f"{format_duration(s)} is longer than 24 hours")
            return s

        n = len(show.segments) + 1
        title = _text(cell("title")).strip()
        if not title:
            raise RundownError(file, rowno, where("title"), "empty: every segment needs a title")
        seg_id = _text(cell("id")).strip() or f"seg-{n}"
        if not re.fullmatch(r"[A-Za-z0-9_\-.\u4e00-\u9fff]{1,64}", seg_id):
            raise RundownError(file, rowno, where("id"), f"expected an id of letters, digits, Chinese characters, '-', '_' or '.', got {seg_id!r}")
        if any(s.id == seg_id for s in show.segments):
            raise RundownError(file, rowno, where("id"), f"duplicate id {seg_id!r}")
        kind_text = _text(cell("kind")).strip()
        try:
            kind = SegmentKind.parse(kind_text) if kind_text else SegmentKind.CUSTOM
        except ValueError as exc:
            raise RundownError(file, rowno, where("kind"), str(exc)) from None
        duration = dur("duration", None)
        if duration <= 0:
            raise RundownError(file, rowno, where("duration"), "must be longer than zero")
        warning = dur("warning", DEFAULT_WARNING_S) if "warning" in cols else DEFAULT_WARNING_S
        danger = dur("danger", DEFAULT_DANGER_S) if "danger" in cols else DEFAULT_DANGER_S
        if danger > warning:
            raise RundownError(file, rowno, where("danger") if "danger" in cols else where("warning"),
                               f"danger ({format_duration(danger)} left) must come after warning ({format_duration(warning)} left)")
        seg_skus = [s for s in _SPLIT_SKU.split(_text(cell("products"))) if s]
        for sku in seg_skus:
            if sku not in skus:
                if products is not None:
                    raise RundownError(file, rowno, where("products"), f"unknown product SKU {sku!r} (not on the 商品/products sheet)")
                show.products.append(Product(sku=sku, name=sku))  # no product sheet: a bare card
                skus.add(sku)
        points = [p.strip() for p in _SPLIT_LIST.split(_text(cell("talking_points"))) if p.strip()]
        seg = Segment(
            id=seg_id, title=title, kind=kind, duration=duration, script=_text(cell("script")),
            talking_points=points, notes=_text(cell("notes")), products=seg_skus, scene=_text(cell("scene")).strip(),
            warning=warning, danger=danger,
        )
        show.segments.append(seg)
        base = f"segments[{n}]"
        origins[f"{base}.title"] = (rowno, 0)
        origins[f"{base}.script"] = (rowno, 0)
        for j in range(1, len(points) + 1):
            origins[f"{base}.talking_points[{j}]"] = (rowno, 0)
    if not show.segments:
        raise RundownError(file, header_row, "rows", "no segment rows under the header")
    return show, origins


def _products_from_rows(rows: Iterable[list[Any]], file: str) -> list[Product]:
    it = iter(rows)
    header = None
    header_row = 0
    for header_row, r in enumerate(it, start=1):
        if any(c is not None and str(c).strip() for c in r):
            header = list(r)
            break
    if header is None:
        return []
    cols = _header_map(header, PRODUCT_COLUMNS, file, header_row)
    for key in ("sku", "name"):
        if key not in cols:
            raise RundownError(file, header_row, _label(PRODUCT_COLUMNS, key), "required column is missing on the 商品/products sheet")
    out: list[Product] = []
    for rowno, r in enumerate(it, start=header_row + 1):
        r = list(r)
        if not any(c is not None and str(c).strip() for c in r):
            continue

        def cell(key: str) -> Any:
            i = cols.get(key)
            return r[i] if i is not None and i < len(r) else None

        def where(key: str) -> str:
            return f"商品/products {_label(PRODUCT_COLUMNS, key)} ({_col_letter(cols[key])})"

        def number(key: str, whole: bool) -> float | int | None:
            v = cell(key)
            if v is None or (isinstance(v, str) and not v.strip()):
                return None
            try:
                x = float(str(v).replace("¥", "").replace("￥", "").replace(",", "").strip()) if not isinstance(v, (int, float)) or isinstance(v, bool) else float(v)
            except ValueError:
                x = float("nan")
            if not math.isfinite(x) or x < 0 or (whole and not x.is_integer()):
                raise RundownError(file, rowno, where(key), f"expected {'a whole number' if whole else 'a price'} of 0 or more, got {_text(v)!r}")
            return int(x) if whole else x

        def flag(key: str) -> bool:
            v = _text(cell(key)).strip().lower()
            if v in _TRUE:
                return True
            if v in _FALSE:
                return False
            raise RundownError(file, rowno, where(key), f"expected 是/否 (yes/no), got {v!r}")

        sku = _text(cell("sku")).strip()
        if not re.fullmatch(r"[A-Za-z0-9_\-.\u4e00-\u9fff]{1,64}", sku):
            raise RundownError(file, rowno, where("sku"), f"expected a SKU of letters, digits, '-', '_' or '.', got {sku!r}")
        if any(p.sku == sku for p in out):
            raise RundownError(file, rowno, where("sku"), f"duplicate SKU {sku!r}")
        name = _text(cell("name")).strip()
        if not name:
            raise RundownError(file, rowno, where("name"), "empty: every product needs a name")
        out.append(Product(
            sku=sku, name=name, list_price=number("list_price", False), live_price=number("live_price", False),
            stock=number("stock", True) or 0, safety_stock=number("safety_stock", True) or 0,
            selling_points=[p.strip() for p in _SPLIT_LIST.split(_text(cell("selling_points"))) if p.strip()],
            image=_text(cell("image")).strip(),
            frozen=flag("frozen"),
        ))
    return out


def load_spreadsheet(path: str | Path) -> Show:
    """A show from a .csv or .xlsx script; raises :class:`RundownError`."""
    show, _ = load_spreadsheet_with_origins(path)
    return show


def load_spreadsheet_with_origins(path: str | Path) -> tuple[Show, dict[str, tuple[int, int]]]:
    """Like :func:`load_spreadsheet`, plus the row of each text field (for findings)."""
    p = Path(path)
    file = p.name
    suffix = p.suffix.lower()
    if suffix == ".csv":
        try:
            raw = read_regular_bytes(p)
        except OSError as exc:
            raise RundownError(file, 0, "", f"cannot read: {exc.strerror or exc}") from None
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text": UTF-16, tab-separated
            try:
                text16 = raw.decode("utf-16")
            except UnicodeDecodeError:
                raise RundownError(file, 0, "", "broken UTF-16 text") from None
            rows = list(csv.reader(io.StringIO(text16.replace("\x00", ""), newline=""), delimiter="\t"))
            return _rows_to_show(rows, file, p.stem, None)
        if b"\x00" in raw:
            raise RundownError(file, raw[: raw.index(b"\x00")].count(b"\n") + 1, "", "binary data in a CSV file (is it really CSV?)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as exc:
                line = raw[: exc.start].count(b"\n") + 1
                raise RundownError(file, line, "", "neither UTF-8 nor GB18030 text") from None
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise RundownError(file, 0, "", f"CSV: {exc}") from None
        return _rows_to_show(rows, file, p.stem, None)
    if suffix == ".xlsx":
        import openpyxl

        try:
            open_regular(p).close()  # openpyxl would hang on a FIFO and read a device forever
        except OSError as exc:
            raise RundownError(file, 0, "", f"cannot read: {exc.strerror or exc}") from None
        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
            raise RundownError(file, 0, "", f"not a readable .xlsx workbook ({type(exc).__name__})") from None
        try:
            names = {n.strip().lower(): n for n in wb.sheetnames}
            prod_name = names.get("商品") or names.get("products")
            seg_name = names.get("脚本") or names.get("segments") or next(n for n in wb.sheetnames if n != prod_name)
            try:
                products = _products_from_rows(wb[prod_name].iter_rows(values_only=True), file) if prod_name else None
                return _rows_to_show(wb[seg_name].iter_rows(values_only=True), file, p.stem, products)
            except RundownError:
                raise
            except Exception as exc:  # noqa: BLE001 - a corrupt sheet inside a valid zip
                raise RundownError(file, 0, "", f"cannot read the workbook's sheets ({type(exc).__name__})") from None
        except StopIteration:
            raise RundownError(file, 0, "", "the workbook has no segment sheet") from None
        finally:
            wb.close()
    raise RundownError(file, 0, "", f"unsupported spreadsheet type {suffix!r} (use .csv or .xlsx)")


def _segment_rows(show: Show) -> list[list[Any]]:
    keys = list(SEGMENT_COLUMNS)
    rows: list[list[Any]] = [[_label(SEGMENT_COLUMNS, k) for k in keys]]
    for s in show.segments:
        rows.append([
            s.id, s.title, s.kind.value, format_duration(s.duration), s.script, "\n".join(s.talking_points),
            ", ".join(s.products), s.scene, s.notes, format_duration(s.warning), format_duration(s.danger),
        ])
    return rows


def _product_rows(show: Show) -> list[list[Any]]:
    rows: list[list[Any]] = [[_label(PRODUCT_COLUMNS, k) for k in PRODUCT_COLUMNS]]
    for p in show.products:
        rows.append([p.sku, p.name, p.list_price, p.live_price, p.stock, p.safety_stock, "\n".join(p.selling_points), p.image, "是" if p.frozen else ""])
    return rows


def save_spreadsheet(show: Show, path: str | Path) -> None:
    """Export segments (and, in XLSX, products) with bilingual headers. Coupons and
    flash sales only exist in the TOML rundown."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        with atomic_output(p, encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(_segment_rows(show))
    elif p.suffix.lower() == ".xlsx":
        import openpyxl
        from openpyxl.styles import Alignment, Font

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "脚本"
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        def clean(rows: list[list[Any]]) -> list[list[Any]]:
            return [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r] for r in rows]

        for r in clean(_segment_rows(show)):
            ws.append(r)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFGHIJK", (10, 18, 12, 8, 60, 30, 16, 12, 30, 8, 8)):
            ws.column_dimensions[letter].width = width
        wp = wb.create_sheet("商品")
        for r in clean(_product_rows(show)):
            wp.append(r)
        with atomic_output(p, text=False) as fh:
            wb.save(fh)
    else:
        raise RundownError(p.name, 0, "", f"unsupported spreadsheet type {p.suffix!r} (use .csv or .xlsx)")
