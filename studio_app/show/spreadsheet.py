"""Import and export of the spreadsheet scripts teams already write (CSV and XLSX).

Reading finds the table in the team's own template (title and info rows above the header,
section rows, merged cells; see :mod:`studio_app.show.sheet_import`) and reports every guess.
This module does the file side: decoding CSV (UTF-8 with or without BOM, GB18030, UTF-16
as Excel, WPS and 飞书 export it), reading XLSX within limits (a zip bomb or a sheet of
millions of cells is refused with one line, before it can take the desk's memory or time),
filling merged cells down, and writing CSV/XLSX back with bilingual headers.

Errors name row and column: ``script.xlsx:7: 时长/duration (D): expected a duration like "5m"
or "90s", got "abc"``. CSV is written as UTF-8 with BOM so Excel opens it correctly.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from studio_app.core.files import FileRefused, atomic_output, open_regular, read_regular_bytes
from studio_app.show.errors import RundownError
from studio_app.show.model import Product, Show, format_duration
from studio_app.show.sheet_import import (
    PRODUCT_COLUMNS,
    SEGMENT_COLUMNS,
    SheetImport,
    interpret,
    label,
    read_products,
)

# Limits on what a spreadsheet may cost to read (issue 21): a real script is a few hundred
# rows; these leave room for 100k-row exports and refuse bombs before they are unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts of an .xlsx together, as the zip declares them
MAX_FILE_BYTES = 200 * 1024 * 1024  # a CSV file
MAX_ROWS = 200_000  # rows read from one sheet (blank rows included)
MAX_CELLS = 2_000_000  # non-empty cells in one sheet, and shared strings in one workbook
MAX_COLUMNS = 64  # columns read; anything to the right is ignored
EXPORT_FIELDS = ("id", "title", "kind", "duration", "script", "talking_points", "products", "scene", "notes", "warning", "danger")
_PRODUCT_SHEETS = ("商品", "products", "产品", "商品清单", "产品清单", "选品", "货盘", "排品", "商品信息")
_SCRIPT_SHEETS = ("脚本", "segments", "直播脚本", "流程", "脚本流程", "直播流程")


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MiB"


# --------------------------------------------------------------------------- CSV
def decode_csv(raw: bytes, file: str) -> str:
    """CSV text from the bytes Excel, WPS, 飞书 and LibreOffice write: UTF-16 with a BOM
    ("Unicode text"), UTF-16 without one, UTF-8 with or without BOM, else GB18030.
    Text that is none of these is refused: a script read as garbage would pass every check."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise RundownError(file, 0, "", "broken UTF-16 text") from None
    if b"\x00" not in raw:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        return utf16
    if b"\x00" in raw:
        raise RundownError(file, raw[: raw.index(b"\x00")].count(b"\n") + 1, "", "binary data in a CSV file (is it really CSV?)")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RundownError(file, line, "", "neither UTF-8, UTF-16 nor GB18030 text") from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a BOM, when it reads as text: line breaks where a CSV has them,
    and printable characters only (GB18030 or UTF-8 bytes read this way give neither)."""
    if len(raw) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            t = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\n" not in t and len(t) > 200:
            continue
        odd = sum(1 for ch in t if (ord(ch) < 32 and ch not in "\t\r\n") or 0xE000 <= ord(ch) <= 0xF8FF or ord(ch) in (0xFFFD, 0xFFFE, 0xFFFF))
        if odd == 0 and ("\n" in t or "," in t or "\t" in t):
            return t
    return None


def _csv_rows(text: str, file: str) -> tuple[list[list[Any]], list[int]]:
    lines = text.split("\n", 25)
    sample = "\n".join(lines[:25])
    delimiter = max(("\t", ",", ";"), key=lambda d: (sample.count(d), d == ","))
    rows: list[list[Any]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for r in reader:
            if len(rows) >= MAX_ROWS:
                raise RundownError(file, reader.line_num, "", f"more than {MAX_ROWS:,} rows: not a script this console reads")
            r = r[:MAX_COLUMNS]
            cells += sum(1 for c in r if c)
            if cells > MAX_CELLS:
                raise RundownError(file, reader.line_num, "", f"more than {MAX_CELLS:,} filled cells: not a script this console reads")
            rows.append(r)
    except csv.Error as exc:
        raise RundownError(file, reader.line_num, "", f"CSV: {exc}") from None
    # records, numbered as a spreadsheet program shows them (a cell may hold line breaks)
    return rows, list(range(1, len(rows) + 1))


# --------------------------------------------------------------------------- XLSX
def check_xlsx_limits(p: Path, file: str) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`MAX_UNPACKED_BYTES` or whose
    shared-string table holds more than :data:`MAX_CELLS` strings, before openpyxl reads
    it. Python's zip reader never returns more than a member's declared size (it stops and
    fails the CRC check), so the declared sizes bound the work."""
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RundownError(file, 0, "", f"not a readable .xlsx workbook ({type(exc).__name__})") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            biggest = max(infos, key=lambda i: i.file_size)
            raise RundownError(file, 0, "", f"the workbook unpacks to {_mib(total)} ({biggest.filename}: {_mib(biggest.file_size)}); "
                               f"the limit is {_mib(MAX_UNPACKED_BYTES)}: not a script this console reads")
        for info in infos:
            if info.filename.lower().endswith("sharedstrings.xml"):
                count = 0
                tail = b""
                pattern = re.compile(rb"<(?:\w+:)?si[\s>/]")
                try:
                    with zf.open(info) as fh:
                        while chunk := fh.read(1 << 20):
                            buf = tail + chunk
                            count += len(pattern.findall(buf))
                            tail = buf[-8:] if not pattern.search(buf[-8:]) else b""
                            if count > MAX_CELLS:
                                raise RundownError(file, 0, "", f"the workbook's shared-string table holds more than {MAX_CELLS:,} "
                                                   "strings: not a script this console reads")
                except RundownError:
                    raise
                except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                    raise RundownError(file, 0, "", f"not a readable .xlsx workbook ({type(exc).__name__} in {info.filename})") from None


def _sheet_rows(wb: Any, ws: Any, file: str) -> tuple[list[list[Any]], list[int]]:
    """Rows (values, at most :data:`MAX_COLUMNS` wide) and their row numbers from a
    read-only sheet, with merged cells' values filled into every row they span.

    openpyxl's read-only sheets drop merged ranges; its sheet parser keeps them once the
    rows are read, so the parser is driven here (openpyxl 3.1, pinned)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[list[Any]] = []
    rownos: list[int] = []
    cells = 0
    with wb._archive.open(ws._worksheet_path) as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for rowno, parsed in parser.parse():
            if len(rows) >= MAX_ROWS:
                raise RundownError(file, rowno, "", f"sheet {ws.title!r} has more than {MAX_ROWS:,} rows: not a script this console reads")
            if rownos and rowno <= rownos[-1]:
                raise RundownError(file, rowno, "", f"sheet {ws.title!r}: rows out of order (a damaged file?)")
            values: list[Any] = []
            for c in parsed:
                col = c["column"]
                if col > MAX_COLUMNS or c["value"] is None:
                    continue
                cells += 1
                if len(values) < col:
                    values.extend([None] * (col - len(values)))
                values[col - 1] = c["value"]
            if cells > MAX_CELLS:
                raise RundownError(file, rowno, "", f"sheet {ws.title!r} has more than {MAX_CELLS:,} filled cells: not a script this console reads")
            rows.append(values)
            rownos.append(rowno)
        merged = parser.merged_cells.mergeCell if parser.merged_cells else []
    if merged:
        at = {n: i for i, n in enumerate(rownos)}
        from openpyxl.utils.cell import range_boundaries

        for m in merged:
            try:
                min_col, min_row, max_col, max_row = range_boundaries(m.ref)
            except (ValueError, TypeError):
                continue
            if min_col > MAX_COLUMNS or min_row not in at:
                continue
            top = rows[at[min_row]]
            value = top[min_col - 1] if min_col - 1 < len(top) else None
            if value is None:
                continue
            # the value belongs to every row the merge spans (in its first column only:
            # a title merged across the page stays one cell)
            for rn in range(min_row + 1, min(max_row, min_row + MAX_ROWS) + 1):
                if rn not in at:
                    rows.append([])
                    rownos.append(rn)
                    at[rn] = len(rows) - 1
                row = rows[at[rn]]
                if len(row) < min_col:
                    row.extend([None] * (min_col - len(row)))
                if row[min_col - 1] is None:
                    row[min_col - 1] = value
        if any(a > b for a, b in zip(rownos, rownos[1:])):
            order = sorted(range(len(rownos)), key=rownos.__getitem__)
            rows = [rows[i] for i in order]
            rownos = [rownos[i] for i in order]
    return rows, rownos


def _pick_sheets(names: list[str]) -> tuple[str | None, str | None]:
    low = {n.strip().lower(): n for n in names}
    prod = next((low[n] for n in _PRODUCT_SHEETS if n in low), None)
    script = next((low[n] for n in _SCRIPT_SHEETS if n in low), None)
    if script is None:
        script = next((n for n in names if n != prod), None)
    return script, prod


# --------------------------------------------------------------------------- reading
def read_spreadsheet(path: str | Path, *, products_file: str | Path | None = None) -> SheetImport:
    """The show in a .csv or .xlsx script, with the mapping report (columns, info rows,
    guesses, warnings); raises :class:`RundownError` (one located line). ``products_file``
    is a products sheet for a CSV script (CSV holds one sheet)."""
    p = Path(path)
    file = p.name
    suffix = p.suffix.lower()
    _regular_file(p, file)
    products: list[Product] | None = None
    if products_file is not None:
        products = _products_file(Path(products_file))
    if suffix == ".csv":
        raw = _read_bytes(p, file)
        rows, rownos = _csv_rows(decode_csv(raw, file), file)
        return interpret(rows, rownos, file, p.stem, products)
    if suffix == ".xlsx":
        check_xlsx_limits(p, file)
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
            raise RundownError(file, 0, "", f"not a readable .xlsx workbook ({type(exc).__name__})") from None
        try:
            script_name, prod_name = _pick_sheets(list(wb.sheetnames))
            if script_name is None:
                raise RundownError(file, 0, "", "the workbook has no script sheet")
            try:
                if prod_name and products is None:
                    prows, pnos = _sheet_rows(wb, wb[prod_name], file)
                    products = read_products(prows, pnos, file, None) or None
                rows, rownos = _sheet_rows(wb, wb[script_name], file)
            except RundownError:
                raise
            except Exception as exc:  # noqa: BLE001 - a corrupt sheet inside a valid zip
                raise RundownError(file, 0, "", f"cannot read the workbook's sheets ({type(exc).__name__})") from None
            result = interpret(rows, rownos, file, p.stem, products, sheet=script_name)
            if prod_name and products is None:
                result.warn(0, f"sheet {prod_name!r}: no products read (expected 名称/name or SKU columns)",
                            f"工作表“{prod_name}”：没有读到商品（需要“名称”或“SKU”列）")
            return result
        finally:
            wb.close()
    raise RundownError(file, 0, "", f"unsupported spreadsheet type {suffix!r} (use .csv or .xlsx)")


def _regular_file(p: Path, file: str) -> None:
    """Only a regular file is read: a FIFO or a device would block or never end."""
    try:
        open_regular(p).close()
    except FileRefused as exc:
        raise RundownError(file, 0, "", exc.strerror or str(exc)) from None


def _read_bytes(p: Path, file: str) -> bytes:
    try:
        return read_regular_bytes(p, limit=MAX_FILE_BYTES)
    except FileRefused as exc:
        raise RundownError(file, 0, "", exc.strerror or str(exc)) from None
    except OSError as exc:
        raise RundownError(file, 0, "", f"cannot read: {exc.strerror or exc}") from None


def _products_file(p: Path) -> list[Product]:
    _regular_file(p, p.name)
    if p.suffix.lower() == ".csv":
        rows, rownos = _csv_rows(decode_csv(_read_bytes(p, p.name), p.name), p.name)
        return read_products(rows, rownos, p.name, None)
    if p.suffix.lower() == ".xlsx":
        check_xlsx_limits(p, p.name)
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001
            raise RundownError(p.name, 0, "", f"not a readable .xlsx workbook ({type(exc).__name__})") from None
        try:
            _s, prod = _pick_sheets(list(wb.sheetnames))
            rows, rownos = _sheet_rows(wb, wb[prod or wb.sheetnames[0]], p.name)
            return read_products(rows, rownos, p.name, None)
        finally:
            wb.close()
    raise RundownError(p.name, 0, "", "a products sheet is a .csv or .xlsx file")


def load_spreadsheet(path: str | Path) -> Show:
    """A show from a .csv or .xlsx script; raises :class:`RundownError`."""
    return read_spreadsheet(path).show


def load_spreadsheet_with_origins(path: str | Path) -> tuple[Show, dict[str, tuple[int, int]]]:
    """Like :func:`load_spreadsheet`, plus the row of each text field (for findings)."""
    result = read_spreadsheet(path)
    return result.show, result.origins


def _segment_rows(show: Show) -> list[list[Any]]:
    rows: list[list[Any]] = [[label(SEGMENT_COLUMNS, k) for k in EXPORT_FIELDS]]
    for s in show.segments:
        rows.append([
            s.id, s.title, s.kind.value, format_duration(s.duration), s.script, "\n".join(s.talking_points),
            ", ".join(s.products), s.scene, s.notes, format_duration(s.warning), format_duration(s.danger),
        ])
    return rows


def _product_rows(show: Show) -> list[list[Any]]:
    rows: list[list[Any]] = [[label(PRODUCT_COLUMNS, k) for k in PRODUCT_COLUMNS]]
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
