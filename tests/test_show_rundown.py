"""Rundown files: the sample show, TOML round trip, located errors, CSV/XLSX import and
export, and fuzzed malformed files that must always give a located RundownError."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_app.core.paths import sample_show_path
from studio_app.show.errors import RundownError
from studio_app.show.model import SegmentKind, parse_duration
from studio_app.show.rundown import SourceMap, dumps_rundown, load_rundown, loads_rundown, plan_warnings, save_rundown
from studio_app.show.spreadsheet import load_spreadsheet, read_spreadsheet, save_spreadsheet

SAMPLE_TEXT = sample_show_path().read_text(encoding="utf-8")


def test_sample_show_is_a_realistic_evening():
    show = load_rundown(sample_show_path())
    assert show.platform.value == "抖音"
    assert 12 <= len(show.segments) <= 16
    assert len(show.products) == 6
    assert len(show.coupon_drops) == 3 and len(show.flash_sales) == 1
    assert {s.kind for s in show.segments} >= {SegmentKind.OPENING, SegmentKind.PRODUCT, SegmentKind.COUPON,
                                              SegmentKind.FLASH_SALE, SegmentKind.CLOSING}
    assert all(s.script.strip() for s in show.segments)
    assert show.planned_start == dt.datetime(2026, 12, 12, 12, 0, tzinfo=dt.timezone.utc)
    assert plan_warnings(show) == []  # no overlapping coupon batches


@pytest.mark.parametrize(
    "text, seconds",
    [("5m", 300), ("90s", 90), ("1m30s", 90), ("1h", 3600), ("1h5m", 3900), ("1.5m", 90), ("05:00", 300),
     ("1:05:00", 3900), ("5分钟", 300), ("1分30秒", 90), ("2小时", 7200), (" 10 min ", 600)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["abc", "", "5", "5x", "m5", "1:75", "-5m", "5m abc"])
def test_bad_durations(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_bare_number_only_with_a_unit():
    assert parse_duration(5, bare_number_unit=60) == 300
    assert parse_duration("2.5", bare_number_unit=60) == 150
    with pytest.raises(ValueError):
        parse_duration(5)


def test_toml_round_trip_keeps_everything():
    show = loads_rundown(SAMPLE_TEXT, "sample.toml")
    again = loads_rundown(dumps_rundown(show), "again.toml")
    for attr in ("id", "title", "platform", "planned_start", "anchors", "segments", "products", "coupons",
                 "coupon_drops", "flash_sales", "compliance_allow"):
        assert getattr(again, attr) == getattr(show, attr), attr


def test_save_is_atomic_and_readable(tmp_path):
    show = loads_rundown(SAMPLE_TEXT, "sample.toml")
    target = tmp_path / "out.toml"
    save_rundown(show, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.toml"]  # no temporary file left
    assert load_rundown(target).segments == show.segments


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    "old, new, field, words",
    [
        ('duration = "10m"\nproducts = ["SK-2001"]', 'duration = "abc"\nproducts = ["SK-2001"]', "segments[2].duration", 'got "abc"'),
        ('kind = "lucky_draw"', 'kind = "lottery"', "segments[8].kind", "lottery"),
        ('coupon = "C-99-10"', 'coupon = "C-9"', "coupon_drops[2].coupon", "unknown coupon"),
        ("live_price = 79", 'live_price = "79"', "products[2].live_price", "number"),
        ('id = "chat-1"', 'id = "chat 1"', "segments[3].id", "expected an id"),
        ('template = "马上回来', 'templat = "马上回来', "segments[12].overlays[1].templat", "unknown key"),
        ('products = ["SK-2004", "SK-2005"]', 'products = ["SK-2004", "SK-9999"]', "segments[9].products", "SK-9999"),
        ('segment = "flash"', 'segment = "flashy"', "flash_sales[1].segment", "unknown segment"),
        ('offset = "1m"\nduration = "4m"', 'offset = "9m"\nduration = "4m"', "flash_sales[1].offset", "past the end"),
        ('platform = "抖音"', 'platform = "微博"', "show.platform", "抖音"),
    ],
)
def test_semantic_errors_name_line_and_field(old, new, field, words):
    assert old in SAMPLE_TEXT
    text = SAMPLE_TEXT.replace(old, new, 1)
    with pytest.raises(RundownError) as info:
        loads_rundown(text, "sample.toml")
    err = info.value
    assert err.field == field
    assert words in err.message
    key = new.split("\n")[0].split(" =")[0].strip()
    assert err.line == _line_of(text, new.split("\n")[0]) or key == "products"
    assert str(err).startswith(f"sample.toml:{err.line}: {field}: ")


def test_toml_syntax_error_has_line_and_column():
    text = SAMPLE_TEXT.replace('title = "开场暖场"', 'title = "开场暖场', 1)
    with pytest.raises(RundownError) as info:
        loads_rundown(text, "sample.toml")
    assert info.value.line == _line_of(text, 'title = "开场暖场')
    assert info.value.column > 0
    assert "TOML syntax" in str(info.value)


def test_missing_show_table_and_segments():
    with pytest.raises(RundownError, match="missing the \\[show\\] table"):
        loads_rundown("[[segments]]\nid='a'\ntitle='b'\nduration='1m'\n", "x.toml")
    with pytest.raises(RundownError, match="no \\[\\[segments\\]\\]"):
        loads_rundown("[show]\nid='a'\ntitle='b'\n", "x.toml")


def test_source_map_ignores_keys_inside_multiline_strings():
    text = "[show]\nid = 'x'\n[[segments]]\nscript = '''\nduration = 5\n'''\nduration = '1m'\n"
    assert SourceMap(text).line_of("segments[1].duration") == 7


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"[show]\nid = 'x'\ntitle = '\xff'\n")
    with pytest.raises(RundownError) as info:
        load_rundown(bad)
    assert info.value.line == 3 and "UTF-8" in info.value.message
    with pytest.raises(RundownError, match="unsupported"):
        load_rundown(tmp_path / "x.pdf")
    with pytest.raises(RundownError, match="cannot read"):
        load_rundown(tmp_path / "missing.toml")


def test_plan_warns_about_overlapping_coupon_batches():
    text = SAMPLE_TEXT.replace('at = "1h23m"', 'segment = "coupon-1"\noffset = "2m"')
    show = loads_rundown(text, "s.toml")
    warnings = plan_warnings(show)
    assert [w.item for w in warnings] == ["drop-3"]
    assert "one batch at a time" in warnings[0].message


# -- spreadsheets ------------------------------------------------------------------------------


def test_csv_and_xlsx_round_trip(tmp_path):
    show = loads_rundown(SAMPLE_TEXT, "sample.toml")
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"script{suffix}"
        save_spreadsheet(show, path)
        back = load_spreadsheet(path)
        for a, b in zip(show.segments, back.segments):
            assert (a.id, a.title, a.kind, a.duration, a.script, a.talking_points, a.products, a.scene, a.notes,
                    a.warning, a.danger) == (b.id, b.title, b.kind, b.duration, b.script, b.talking_points, b.products,
                                             b.scene, b.notes, b.warning, b.danger)
    assert load_spreadsheet(tmp_path / "script.xlsx").products == show.products


def test_csv_as_teams_write_it_chinese_headers_gbk_minutes(tmp_path):
    path = tmp_path / "双十二脚本.csv"
    with open(path, "w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "环节", "类型", "时长", "话术", "要点", "商品", "场景", "备注", "预警"])
        w.writerow(["1", "开场", "开场", "5", "欢迎大家", "报流程；引导关注", "", "Opening", "", "1"])
        w.writerow(["2", "围巾讲解", "讲解", "10分钟", "看这条围巾", "", "SK-1, SK-2", "Product", "弹品", "3m"])
        w.writerow(["", "", "", "", "", "", "", "", "", ""])
        w.writerow(["3", "收尾", "closing", "1:30", "谢谢大家", "", "", "", "", ""])
    show = load_spreadsheet(path)
    assert show.title == "双十二脚本"
    assert [s.duration for s in show.segments] == [300, 600, 90]
    assert show.segments[0].talking_points == ["报流程", "引导关注"]
    assert show.segments[0].warning == 60
    assert show.segments[1].products == ["SK-1", "SK-2"]
    assert [p.sku for p in show.products] == ["SK-1", "SK-2"]  # bare cards without a products sheet
    assert show.segments[2].kind == SegmentKind.CLOSING


def test_english_and_bilingual_headers(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Title,Duration,Talking Points,环节类型/type\nIntro,5m,a|b,opening\n", encoding="utf-8")
    show = load_spreadsheet(path)
    assert show.segments[0].talking_points == ["a", "b"] and show.segments[0].kind == SegmentKind.OPENING


@pytest.mark.parametrize(
    "rows, line, field, words",
    [
        ([["环节", "时长"], ["开场", "abc"]], 2, "时长/duration (B)", 'got "abc"'),
        ([["环节", "时长", "类型"], ["开场", "5", "跳舞"]], 2, "类型/kind (C)", "跳舞"),
        ([["环节"], ["开场"]], 1, "时长/duration", "required column"),
        ([["环节", "时长", "类型", "类型"], ["开场", "5", "", ""]], 1, "column D", "appears twice"),
        ([["环节", "时长", "话术"], ["开场", "5", ""], ["", "", "hi"]], 3, "环节/title (A)", "title"),
        ([["序号", "环节", "时长"], ["a", "x", "5"], ["a", "y", "5"]], 3, "序号/id (A)", "duplicate"),
        ([["环节", "时长", "预警", "危险"], ["开场", "5", "1", "2"]], 2, "危险/danger (D)", "after warning"),
    ],
)
def test_spreadsheet_errors_name_row_and_column(tmp_path, rows, line, field, words):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"s{suffix}"
        if suffix == ".csv":
            with open(path, "w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(rows)
        else:
            wb = openpyxl.Workbook()
            for r in rows:
                wb.active.append(r)
            wb.save(path)
        with pytest.raises(RundownError) as info:
            load_spreadsheet(path)
        assert (info.value.line, info.value.field) == (line, field), suffix
        assert words in info.value.message


def test_xlsx_products_sheet_and_excel_time_cells(tmp_path):
    path = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "脚本"
    ws.append(["环节", "时长", "商品"])
    ws.append(["讲解", dt.time(0, 8, 0), "SK-1"])
    ws.append(["讲解2", 12, "SK-9"])
    wp = wb.create_sheet("商品")
    wp.append(["SKU", "名称", "直播价", "库存"])
    wp.append(["SK-1", "围巾", "¥259", 100])
    wb.save(path)
    result = read_spreadsheet(path)  # a product not on the products sheet: a bare card, reported
    assert result.show.segments[1].products == ["SK-9"] and result.product_match["SK-9"] == "bare"
    assert any(w.startswith("s.xlsx:3:") and "SK-9" in w for w in result.warnings)
    show = result.show
    assert show.segments[0].duration == 480
    assert show.products[0].live_price == 259 and show.products[0].stock == 100


def test_unknown_columns_are_reported_not_refused(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("环节,时长,价格\n开场,5,1\n", encoding="utf-8")
    result = read_spreadsheet(path)
    assert result.show.segments[0].title == "开场"
    assert result.warnings == ["s.csv:1: column C '价格': not a known column, ignored"]


def test_excel_unicode_text_and_tab_separated(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("环节\t时长\t话术\n开场\t5\t大家好，欢迎\n".encode("utf-16"))
    show = load_spreadsheet(path)
    assert show.segments[0].title == "开场" and show.segments[0].script == "大家好，欢迎"


def test_not_a_workbook(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(RundownError, match="not a readable .xlsx"):
        load_spreadsheet(path)


# -- fuzzing: malformed files never crash the loader --------------------------------------------

LINES = SAMPLE_TEXT.splitlines()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(LINES) - 1),
            st.sampled_from(["delete", "dup", "replace_value", "insert", "truncate"]),
            st.text(alphabet=st.sampled_from(list('=[]"\'{}.,#\n abc5ms最第一-_:') + ["\\", "\x00", "\ufeff"]), max_size=12),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_malformed_toml_never_crashes_and_is_located(edits):
    lines = list(LINES)
    for idx, op, junk in edits:
        idx %= len(lines)
        if op == "delete":
            del lines[idx]
        elif op == "dup":
            lines.insert(idx, lines[idx])
        elif op == "replace_value" and "=" in lines[idx]:
            lines[idx] = lines[idx].split("=")[0] + "= " + junk
        elif op == "insert":
            lines.insert(idx, junk)
        elif op == "truncate":
            lines[idx] = lines[idx][: len(lines[idx]) // 2]
        if not lines:
            lines = [""]
    text = "\n".join(lines)
    try:
        show = loads_rundown(text, "fuzz.toml")
    except RundownError as err:
        assert err.file == "fuzz.toml"
        assert 1 <= err.line <= text.count("\n") + 2, str(err)
        assert str(err).startswith(f"fuzz.toml:{err.line}")
        assert "\n" not in str(err)
    else:
        assert show.segments  # a file that loads is a usable show


CELL = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["5", "5m", "abc", "开场", "讲解", "SK-1", "1:30", "-1", "0", "99:99"]),
)
HEADERS = ["序号", "环节", "类型", "时长", "话术", "要点", "商品", "场景", "备注", "预警", "危险", "foo", "", "title", "duration"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_malformed_spreadsheets_never_crash_and_are_located(tmp_path, header, rows, suffix):
    path = tmp_path / f"fuzz{suffix}"
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([header] + [["" if c is None else c for c in r] for r in rows])
    else:
        wb = openpyxl.Workbook()
        try:
            wb.active.append(header)
            for r in rows:
                wb.active.append(r)
            wb.save(path)
        except Exception:  # openpyxl refuses some control characters in cells
            return
    try:
        show = load_spreadsheet(path)
    except RundownError as err:
        assert err.file == path.name
        assert err.line >= 0 and "\n" not in str(err)
        if err.line and "binary data" not in err.message:
            assert err.field, str(err)
    else:
        assert show.segments and all(s.duration > 0 for s in show.segments)


def test_flash_sale_end_instead_of_duration():
    text = SAMPLE_TEXT.replace('offset = "1m"\nduration = "4m"', 'offset = "1m"\nend = "5m"')
    assert loads_rundown(text, "s.toml").flash_sales[0].duration == 240
    bad = SAMPLE_TEXT.replace('offset = "1m"\nduration = "4m"', 'offset = "1m"\nend = "30s"')
    with pytest.raises(RundownError, match="not after its start") as info:
        loads_rundown(bad, "s.toml")
    assert info.value.field == "flash_sales[1].end" and info.value.line == _line_of(bad, 'end = "30s"')


# --- the editor's save keeps the person's file ----------------------------------------------

def _comment_lines(text):
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_editor_save_keeps_comments_and_writes_only_what_changed(tmp_path):
    from studio_app.show.rundown import save_segment_edits

    path = tmp_path / "show.toml"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    assert _comment_lines(SAMPLE_TEXT), "the sample show should have comments to keep"
    show = load_rundown(path)
    first, second = show.segments[0], show.segments[1]
    first.script = "第一行\n第二行 \"引号\" \\ 反斜杠\n"
    first.talking_points = []
    second.title = "羊绒围巾讲解（加长）"
    second.duration = second.duration + 90
    second.notes = ""
    assert save_segment_edits(show, path) == "kept"

    text = path.read_text(encoding="utf-8")
    assert _comment_lines(text) == _comment_lines(SAMPLE_TEXT)
    back = load_rundown(path)
    assert back.segments[0].script == first.script and back.segments[0].talking_points == []
    assert back.segments[1].title == second.title and back.segments[1].duration == second.duration
    assert back.segments[1].notes == ""
    for a, b in zip(back.segments[2:], show.segments[2:]):  # untouched segments read the same
        assert (a.id, a.title, a.duration, a.script, a.talking_points, a.notes) == (
            b.id, b.title, b.duration, b.script, b.talking_points, b.notes)
    assert back.products == show.products and back.coupons == show.coupons
    # nothing else moved: every line of the original not in the first two segments is still there
    untouched = SAMPLE_TEXT.split("[[segments]]", 3)[3]
    assert untouched in text


def test_editor_save_leaves_a_file_it_did_not_change_byte_for_byte(tmp_path):
    from studio_app.show.rundown import save_segment_edits

    path = tmp_path / "show.toml"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    assert save_segment_edits(load_rundown(path), path) == "kept"
    assert path.read_text(encoding="utf-8") == SAMPLE_TEXT


def test_editor_save_of_a_file_changed_on_disk_keeps_the_old_one_as_bak(tmp_path):
    from studio_app.show.rundown import save_segment_edits

    path = tmp_path / "show.toml"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    show = load_rundown(path)
    changed = SAMPLE_TEXT.replace("[[segments]]", "# someone else's edit\n[[segments]]", 1)
    changed = changed.replace(f'id = "{show.segments[0].id}"', 'id = "renamed-elsewhere"', 1)
    path.write_text(changed, encoding="utf-8")
    assert save_segment_edits(show, path) == "rewritten"
    assert (tmp_path / "show.toml.bak").read_text(encoding="utf-8") == changed
    assert [s.id for s in load_rundown(path).segments] == [s.id for s in show.segments]
