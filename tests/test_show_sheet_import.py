"""Teams' own script spreadsheets: the template built with openpyxl and the same workbook as
LibreOffice writes it (XLSX, CSV in UTF-8, GB18030 and UTF-16), read into the same show;
header synonyms, time ranges, Excel times, products, coupon rules, messy cells; and the
`rundown show|convert` commands with their exit codes."""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from studio_app.cli import main
from studio_app.show.errors import RundownError
from studio_app.show.rundown import load_rundown
from studio_app.show.sheet_import import spot_drops
from studio_app.show.spreadsheet import read_spreadsheet
from tests.harness import libreoffice as lo
from tests.harness.team_template import EXPECTED, build_team_template

ROOT = Path(__file__).resolve().parents[1]


def naive(iso: str | None) -> dt.datetime | None:
    return None if iso is None else dt.datetime.fromisoformat(iso).replace(tzinfo=None)


def check_mapping(report: dict, *, products_sheet: bool = True) -> None:
    """The template read as a person reads it."""
    s = report["show"]
    assert s["title"] == EXPECTED["title"]
    assert naive(s["planned_start"]) == EXPECTED["planned_start"]
    assert (s["anchors"], s["desk"], s["target_gmv"], s["platform"]) == (EXPECTED["anchors"], EXPECTED["desk"], EXPECTED["target_gmv"], "抖音")
    got = [(g["title"], g["kind"], g["duration_s"], naive(g["planned_start"]), g["section"]) for g in report["segments"]]
    want = [(t, k, d, dt.datetime(2026, 12, day, h, m), sec) for t, k, d, (day, h, m), _p, sec in EXPECTED["segments"]]
    assert got == want
    if products_sheet:
        assert [g["products"] for g in report["segments"]] == [p for *_x, p, _s in EXPECTED["segments"]]
        assert {p["sku"]: p["source"] for p in report["products"]} == {
            "BT-001": "sheet", "HW-002": "sheet", "SK-SCARF": "sheet", "发热鞋垫": "bare"}
        assert [(d["segment"], d["kind"], d["rule"]) for d in report["suggested_drops"]] == EXPECTED["drops"]
        assert report["suggested_drops"][1]["product"] == "BT-001" and report["suggested_drops"][1]["price"] == 49
    seg2 = report["segments"][1]
    assert seg2["script"].startswith("这款保温杯是316不锈钢内胆")
    assert seg2["talking_points"] == ["秒杀49元，限量200单"]
    assert seg2["notes"] == "场控配合：改价49，弹讲解卡\n备注：保温杯库存200"
    assert report["segments"][0]["talking_points"] == ["关注主播领满200减30优惠券", "点赞到1万抽免单"]
    assert any("10:00" in w and "10m" in w for w in report["warnings"])  # Excel's 10 hours read back as 10 min


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_team_template(tmp_path_factory.mktemp("tpl") / "双十二脚本.xlsx")


@pytest.fixture(scope="module")
def exports(template, tmp_path_factory) -> dict[str, Path]:
    """The template through LibreOffice, once per module (each conversion takes seconds)."""
    base = tmp_path_factory.mktemp("lo")
    profile = base / "profile"
    out: dict[str, Path] = {}
    out["xlsx"] = lo.convert(template, base / "xlsx", "xlsx", profile)[0]
    out["csv-utf8"] = lo.convert(template, base / "utf8", lo.csv_filter(lo.CSV_UTF8), profile)[0]
    out["csv-gb18030"] = lo.convert(template, base / "gb", lo.csv_filter(lo.CSV_GB18030), profile)[0]
    out["csv-utf16"] = lo.convert(template, base / "u16", lo.csv_filter(lo.CSV_UTF16), profile)[0]
    for p in lo.convert(template, base / "all", lo.csv_filter(lo.CSV_UTF8, every_sheet=True), profile):
        out["all-script" if p.stem.endswith("直播脚本") else "all-products"] = p
    return out


def test_the_team_template_as_openpyxl_writes_it(template):
    result = read_spreadsheet(template)
    assert result.header_row == 5 and result.sheet == "直播脚本"
    assert [(c["header"], c["field"]) for c in result.report()["columns"]] == [
        ("时间段", "time_range"), ("环节", "title"), ("时长", "duration"), ("产品", "products"), ("直播话术", "script"),
        ("福利/互动", "perks"), ("场控配合", "desk"), ("备注", "notes")]
    check_mapping(result.report())
    assert len(result.warnings) == 2 and any("发热鞋垫" in w and ":14:" in w for w in result.warnings)


def test_the_template_resaved_by_libreoffice(exports):
    check_mapping(read_spreadsheet(exports["xlsx"]).report())


@pytest.mark.parametrize("which, first_bytes", [("csv-utf8", None), ("csv-gb18030", None), ("csv-utf16", b"\xff\xfe")])
def test_libreoffice_csv_exports_in_each_encoding(exports, which, first_bytes):
    path = exports[which]
    raw = path.read_bytes()
    if first_bytes:
        assert raw.startswith(first_bytes)
    if which == "csv-gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # really GB18030, not UTF-8 under another name
    report = read_spreadsheet(path).report()
    check_mapping(report, products_sheet=False)
    # one sheet only: the products are bare cards by name, and the merged 产品 is taken from above
    assert [g["products"] for g in report["segments"]][1] == ["小鹿保温杯", "暖手宝"]
    assert report["segments"][4]["products"] == ["SK-SCARF"]
    assert any("took them from the row above" in w for w in report["warnings"])


def test_libreoffice_every_sheet_export_with_its_products_sheet(exports, capsys):
    code = main(["rundown", "show", str(exports["all-script"]), "--products", str(exports["all-products"]), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # read, with guesses to check
    check_mapping(report)


def test_shipped_team_template_is_the_generated_one(tmp_path):
    shipped = ROOT / "resources" / "shows" / "team_template.xlsx"
    check_mapping(read_spreadsheet(shipped).report())
    assert read_spreadsheet(shipped).report()["segments"] == read_spreadsheet(build_team_template(tmp_path / "team_template.xlsx")).report()["segments"]


# -- the commands ---------------------------------------------------------------------------------

def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "studio_app", *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_rundown_show_json_has_the_contract_keys(template):
    proc = run_cli("rundown", "show", str(template), "--json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert {"show", "segments", "products", "warnings"} <= set(report)
    for seg in report["segments"]:
        assert {"id", "title", "kind", "duration_s", "planned_start", "products", "script", "talking_points", "notes"} <= set(seg)
    text = run_cli("rundown", "show", str(template))
    assert text.returncode == 1 and "header row 5" in text.stdout and "seg-6" in text.stdout and "2 warnings:" in text.stdout


def test_rundown_show_exit_0_without_guesses_and_2_on_broken_input(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("序号,环节,类型,时长\n1,开场,opening,5m\n", encoding="utf-8")
    assert run_cli("rundown", "show", str(clean)).returncode == 0
    broken = tmp_path / "broken.csv"
    broken.write_text("环节,时长\n开场,abc\n", encoding="utf-8")
    proc = run_cli("rundown", "show", str(broken))
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert 'broken.csv:2: 时长/duration (B): expected a duration like "5m"' in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("rundown", "show", str(tmp_path / "missing.xlsx")).returncode == 2


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "script.csv"
    os.mkfifo(fifo)
    proc = run_cli("rundown", "show", str(fifo), timeout=30)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    out = tmp_path / "out.toml"
    os.mkfifo(out)
    proc = run_cli("rundown", "convert", str(ROOT / "resources" / "shows" / "team_template.xlsx"), "--out", str(out), "--force", timeout=30)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    assert out.is_fifo()  # not replaced


def test_convert_writes_a_rundown_that_loads_and_lints_without_format_errors(template, tmp_path):
    out = tmp_path / "show.toml"
    proc = run_cli("rundown", "convert", str(template), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stdout and "warning:" in proc.stderr
    show = load_rundown(out)
    assert show.title == EXPECTED["title"] and show.target_gmv == 500000 and show.anchors == ["小鹿", "阿杰"]
    assert [s.duration for s in show.segments] == [d for _t, _k, d, *_r in EXPECTED["segments"]]
    assert show.coupon_drops == [] and show.flash_sales == []  # suggested only, commented out
    text = out.read_text(encoding="utf-8")
    assert "# ── 第一部分 引流款 ──" in text and '# name = "满200减30"' in text
    assert run_cli("lint", str(out)).returncode in (0, 1)  # findings maybe, format errors never
    # an existing file is kept unless --force
    again = run_cli("rundown", "convert", str(template), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    out.write_text("keep me", encoding="utf-8")
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = run_cli("rundown", "convert", str(template), "--out", str(out), "--force", "--accept-drops")
    assert forced.returncode == 0, forced.stderr
    show = load_rundown(out)
    assert [c.rule for c in show.coupons] == ["满200减30", "满299减50"]
    assert [(f.product, f.price, f.quantity, f.at.segment) for f in show.flash_sales] == [("BT-001", 49, 200, "seg-2"), ("SK-SCARF", 199, 120, "seg-6")]
    assert run_cli("lint", str(out)).returncode in (0, 1)


def test_uncommenting_the_suggested_drops_gives_a_valid_rundown(template, tmp_path):
    from studio_app.show.rundown import loads_rundown
    from studio_app.show.sheet_import import dumps_import

    text = dumps_import(read_spreadsheet(template))
    tail = text.split("# Suggested by", 1)[1]
    uncommented = text.split("# Suggested by", 1)[0] + "\n".join(
        line[2:] for line in tail.splitlines()[1:] if line.startswith("# ") and not line.startswith("#   "))
    show = loads_rundown(uncommented, "u.toml")
    assert len(show.coupon_drops) == 2 and len(show.flash_sales) == 2


# -- pieces of real templates ---------------------------------------------------------------------

def write_xlsx(path: Path, rows: list[list], products: list[list] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "脚本"
    for r in rows:
        ws.append(r)
    if products:
        wp = wb.create_sheet("商品")
        for r in products:
            wp.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("slot", ["20:00-20:05", "20:00~20:05", "20:00—20:05", "20:00至20:05", "20:00－20:05", "20：00-20：05"])
def test_time_ranges_give_start_and_duration(tmp_path, slot):
    path = write_xlsx(tmp_path / "s.xlsx", [["时间段", "环节"], [slot, "开场"], ["20:05-20:15", "讲解"]])
    r = read_spreadsheet(path).report()
    assert [(g["duration_s"], g["planned_start"]) for g in r["segments"]] == [(300, "20:00"), (600, "20:05")]


def test_across_midnight_and_lone_start_times(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [
        ["直播时间：2026年12月31日"], ["时间段", "环节"],
        ["23:40-23:55", "倒数"], ["23:55-00:10", "跨年秒杀"], [dt.time(0, 10), "下播"], [dt.time(0, 20), "加播"]])
    with pytest.raises(RundownError, match=r"s.xlsx:6: .*no duration"):
        read_spreadsheet(path)  # the last lone start has nothing after it
    ws_rows = [["直播时间：2026年12月31日"], ["时间段", "环节", "时长"],
               ["23:40-23:55", "倒数", None], ["23:55-00:10", "跨年秒杀", None], [dt.time(0, 10), "下播", None], [dt.time(0, 20), "加播", 5]]
    r = read_spreadsheet(write_xlsx(tmp_path / "t.xlsx", ws_rows)).report()
    assert [(g["duration_s"], naive(g["planned_start"])) for g in r["segments"]] == [
        (900, dt.datetime(2026, 12, 31, 23, 40)), (900, dt.datetime(2026, 12, 31, 23, 55)),
        (600, dt.datetime(2027, 1, 1, 0, 10)), (300, dt.datetime(2027, 1, 1, 0, 20))]
    assert [g["duration_from"] for g in r["segments"]] == ["时间段", "时间段", "next start", "时长"]


@pytest.mark.parametrize("headers, field", [
    (["直播话术"], "script"), (["主播话术"], "script"), (["话术内容"], "script"),
    (["福利/互动"], "talking_points"), (["福利机制"], "talking_points"), (["优惠"], "talking_points"),
    (["流程"], "talking_points"), (["环节内容"], "talking_points"),
    (["场控配合"], "notes"), (["中控"], "notes"), (["场控"], "notes"),
])
def test_header_synonyms(tmp_path, headers, field):
    path = tmp_path / "s.csv"
    path.write_text(",".join(["环节", "时长", *headers]) + "\n开场,5,内容甲\n", encoding="utf-8")
    seg = read_spreadsheet(path).report()["segments"][0]
    assert seg[field] in ("内容甲", ["内容甲"])


@pytest.mark.parametrize("header", ["卖点", "产品卖点"])
def test_selling_points_go_to_the_segments_product(tmp_path, header):
    path = write_xlsx(tmp_path / "s.xlsx", [["环节", "时长", "产品", header], ["讲解", 5, "围巾", "软；不起球"], ["组合", 5, "围巾、手套", "保暖"]],
                      products=[["商品名称", "直播价"], ["围巾", 99], ["手套", 39]])
    r = read_spreadsheet(path)
    assert r.show.product("围巾").selling_points == ["软", "不起球"]
    assert r.show.segments[1].talking_points == ["保暖"]  # two products: the points stay with the segment


def test_several_products_per_cell_by_sku_name_and_bare(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["环节", "时长", "产品"],
                                            ["a", 5, "1号链接 小鹿保温杯\n2号链接 暖手宝"], ["b", 5, "SK-1 SK-2"],
                                            ["c", 5, "保温杯+新品帽子"], ["d", 5, "BT-1，HW-2、新品帽子"]],
                      products=[["SKU", "名称"], ["BT-1", "小鹿保温杯"], ["HW-2", "暖手宝"], ["SK-1", "围巾"], ["SK-2", "手套"]])
    r = read_spreadsheet(path)
    assert [s.products for s in r.show.segments] == [["BT-1", "HW-2"], ["SK-1", "SK-2"], ["BT-1", "新品帽子"], ["BT-1", "HW-2", "新品帽子"]]
    assert r.product_match["新品帽子"] == "bare" and sum("新品帽子" in w for w in r.warnings) == 1


@pytest.mark.parametrize("target, gmv", [("GMV 50万", 500000), ("目标：成交50w", 500000), ("在线2000，GMV 30万", 300000),
                                         ("在线 2000", None), ("500000", 500000), ("场观10万 成交额80万", 800000)])
def test_target_gmv_from_the_target_row(target, gmv):
    from studio_app.show.sheet_import import target_gmv_of

    assert target_gmv_of(target) == gmv


def test_coupon_rules_are_spotted():
    assert spot_drops("关注领满200减30券，再叠加满 399 减 60") == [("coupon", "满200减30", None), ("coupon", "满399减60", None)]
    assert spot_drops("秒杀49元") == [("flash_sale", "秒杀49元", 49.0)]
    assert spot_drops("9.9元秒杀 限量100单") == [("flash_sale", "秒杀9.9元", 9.9)]
    assert spot_drops("秒杀价：¥199") == [("flash_sale", "秒杀199元", 199.0)]
    assert spot_drops("无门槛5元券") == [("coupon", "无门槛5元", None)]
    assert spot_drops("点赞抽免单；第二件半价") == []


def test_excel_times_and_dates_read_back(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [
        ["直播时间", dt.datetime(2026, 12, 12, 20, 0)], ["时间段", "环节", "时长"],
        ["20:00-20:05", "a", dt.time(5, 0)],          # "5:00" typed: Excel keeps 5 hours; the slot says 5 min
        [None, "b", dt.time(1, 30)],                 # "1:30" typed: 1 min 30 s
        [None, "c", dt.time(0, 8)],                  # 0:08:00, a real 8 min
        [None, "d", dt.timedelta(minutes=12)],       # a [h]:mm duration cell
        [None, "e", dt.datetime(1899, 12, 30, 0, 4)],  # a number in a date format: 4 min
        [None, "f", dt.datetime(1900, 1, 4)],          # 5 typed into a date-formatted cell: 5 (minutes)
    ])
    r = read_spreadsheet(path)
    assert [s.duration for s in r.show.segments] == [300, 90, 480, 720, 240, 300]
    assert any(w.startswith("s.xlsx:8: 时长 shown as a date (5 days)") for w in r.warnings)
    assert naive(r.report()["show"]["planned_start"]) == dt.datetime(2026, 12, 12, 20, 0)
    assert sum("minutes:seconds" in w for w in r.warnings) == 2
    assert naive(r.report()["segments"][5]["planned_start"]) == dt.datetime(2026, 12, 12, 20, 30, 30)


@pytest.mark.parametrize("when", ["直播时间：0001年1月1日 20:00", "直播时间：9999/12/31 23:59"])
def test_impossible_show_dates_are_reported_not_crashed_on(tmp_path, when):
    r = read_spreadsheet(write_xlsx(tmp_path / "s.xlsx", [[when], ["时间段", "环节"], ["23:50-00:10", "a"], ["00:10-00:20", "b"]]))
    assert r.show.planned_start is None and [i.planned_start for i in r.rows] == [dt.time(23, 50), dt.time(0, 10)]
    assert any("cannot be right" in w for w in r.warnings)


def test_header_found_within_the_first_20_rows_and_not_after(tmp_path):
    filler = [[f"说明第{i}行"] for i in range(19)]
    ok = read_spreadsheet(write_xlsx(tmp_path / "a.xlsx", filler + [["环节", "时长"], ["开场", 5]]))
    assert ok.header_row == 20 and ok.show.segments[0].title == "开场"
    with pytest.raises(RundownError, match="header row: none among the first 20 rows"):
        read_spreadsheet(write_xlsx(tmp_path / "b.xlsx", filler + [["x"], ["环节", "时长"], ["开场", 5]]))


def test_blank_rows_and_section_rows(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["环节", "时长"], [], ["第一部分 引流款"], ["a", 5], [None, None], ["二、利润款"], ["b", 5]])
    r = read_spreadsheet(path).report()
    assert [(g["title"], g["section"]) for g in r["segments"]] == [("a", "第一部分 引流款"), ("b", "二、利润款")]


def test_merged_cells_over_several_rows_belong_to_each(tmp_path):
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [["环节", "时长", "产品", "福利/互动"], ["讲解", 5, "围巾", "满100减10"], [None, 5, None, None], [None, 5, None, None]]:
        ws.append(r)
    ws.merge_cells("A2:A4")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D4")
    wb.save(path)
    r = read_spreadsheet(path)
    assert [(s.title, s.products, s.talking_points) for s in r.show.segments] == [
        ("讲解", ["围巾"], ["满100减10"]), ("讲解", ["围巾"], ["满100减10"]), ("讲解", [], ["满100减10"])]
    assert [d.segment for d in r.drops] == ["seg-1", "seg-2", "seg-3"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "s.csv"
    delimiter = "\t" if encoding.startswith("utf-16") else ","  # Excel's "Unicode text" is tab-separated
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(["双十二直播脚本"])
        w.writerow(["主播：小鹿", "目标：成交50w"])
        w.writerow(["时间段", "环节", "主播话术", "福利机制"])
        w.writerow(["20:00-20:05", "开场", "欢迎来到直播间", "满200减30"])
    r = read_spreadsheet(path)
    assert (r.show.title, r.show.anchors, r.target_gmv) == ("双十二直播脚本", ["小鹿"], 500000)
    assert (r.show.segments[0].script, r.show.segments[0].duration) == ("欢迎来到直播间", 300)


def test_duplicate_ids_are_found_in_a_long_sheet(tmp_path):
    path = tmp_path / "long.csv"
    lines = ["序号,环节,时长"] + [f"s{i},环节{i},5" for i in range(20000)] + ["s7,重复,5"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RundownError) as info:
        read_spreadsheet(path)
    assert (info.value.line, info.value.field) == (20002, "序号/id (A)") and "duplicate id 's7'" in info.value.message


# -- hostile workbooks: refused with one line, in bounded memory ---------------------------------

SST_REL = (b'<Relationship Id="rIdSst" Target="sharedStrings.xml" '
           b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def _bomb(path: Path, member: str, write_body, template: Path) -> Path:
    """A valid workbook whose ``member`` is replaced by what ``write_body(fh)`` streams (a
    shared-string table is also registered, as Excel does, so openpyxl would load it)."""
    import zipfile

    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename == member:
                continue
            data = src.read(info)
            if member == "xl/sharedStrings.xml" and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", SST_REL)
            if member == "xl/sharedStrings.xml" and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", SST_TYPE)
            dst.writestr(info, data)
        with dst.open(member, "w", force_zip64=True) as fh:
            write_body(fh)
    return path


@pytest.fixture(scope="module")
def plain_workbook(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("plain") / "plain.xlsx", [["环节", "时长"], ["开场", 5]])


def peak_child_rss_mb(args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run the CLI in a child and return its result and its peak resident memory."""
    code = ("import resource, subprocess, sys, json; "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120); "
            "print(json.dumps([p.returncode, p.stdout, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "studio_app", *args],
                         capture_output=True, text=True, timeout=150, env=env)
    rc, stdout, stderr, rss_kb = json.loads(out.stdout)
    return subprocess.CompletedProcess(args, rc, stdout, stderr), rss_kb / 1024


def test_a_sheet_that_unpacks_to_1_gib_is_refused_before_it_is_read(plain_workbook, tmp_path):
    row = b'<row><c t="inlineStr"><is><t>xxxxxxxx</t></is></c></row>' * 20000

    def body(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for _ in range((1 << 30) // len(row) + 1):
            fh.write(row)
        fh.write(b"</sheetData></worksheet>")

    bomb = _bomb(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", body, plain_workbook)
    assert bomb.stat().st_size < 10 * 1024 * 1024
    proc, rss = peak_child_rss_mb(["rundown", "show", str(bomb)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "bomb.xlsx: the workbook unpacks to 1024 MiB (xl/worksheets/sheet1.xml: 1024 MiB); the limit is 200 MiB" in proc.stderr
    assert rss < 300, rss


def test_a_shared_strings_bomb_is_refused_in_bounded_memory(plain_workbook, tmp_path):
    n = 3_000_000  # tiny strings: 51 MB of XML, about 2 GB as Python strings

    def body(fh):
        fh.write(f'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">'.encode())
        chunk = b"<si><t>a</t></si>" * 10000
        for _ in range(n // 10000):
            fh.write(chunk)
        fh.write(b"</sst>")

    bomb = _bomb(tmp_path / "strings.xlsx", "xl/sharedStrings.xml", body, plain_workbook)
    proc, rss = peak_child_rss_mb(["rundown", "show", str(bomb)])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "strings.xlsx: the workbook's shared-string table holds more than 2,000,000 strings" in proc.stderr
    assert rss < 300, rss


def test_a_sheet_of_too_many_rows_is_refused_with_the_row(plain_workbook, tmp_path):
    def body(fh):
        fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        fh.write('<row r="1"><c r="A1" t="inlineStr"><is><t>环节</t></is></c></row>'.encode("utf-8"))
        for i in range(2, 200_010):
            fh.write(b'<row r="%d"/>' % i)
        fh.write(b"</sheetData></worksheet>")

    bomb = _bomb(tmp_path / "rows.xlsx", "xl/worksheets/sheet1.xml", body, plain_workbook)
    with pytest.raises(RundownError) as info:
        read_spreadsheet(bomb)
    assert info.value.line == 200_001 and "more than 200,000 rows" in info.value.message


def test_the_cell_limit_counts_filled_cells(tmp_path, monkeypatch):
    from studio_app.show import spreadsheet

    path = write_xlsx(tmp_path / "s.xlsx", [["环节", "时长"]] + [[f"s{i}", 5] for i in range(60)])
    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 100)  # the real limit is 2,000,000: same code path, smaller file
    with pytest.raises(RundownError, match="more than 100 filled cells") as info:
        read_spreadsheet(path)
    assert info.value.line == 51
    csv_path = tmp_path / "s.csv"
    csv_path.write_text("环节,时长\n" + "".join(f"s{i},5\n" for i in range(60)), encoding="utf-8")
    with pytest.raises(RundownError, match="more than 100 filled cells"):
        read_spreadsheet(csv_path)


@pytest.mark.parametrize("name, data", [
    ("empty.csv", b""), ("empty.xlsx", b""), ("noise.csv", bytes(range(256)) * 40), ("noise.xlsx", os.urandom(4096)),
    ("zip.xlsx", b"PK\x05\x06" + b"\x00" * 18), ("only_header.csv", "时间段,环节\n".encode()),
    ("title_only.csv", "双十二直播脚本\n主播：小鹿\n".encode("gb18030")), ("odd.csv", "环节,时长\n开场,5\n".encode("utf-16-le") + b"\x00"),
])
def test_broken_files_give_one_line_and_exit_2(tmp_path, capsys, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    for args in (["rundown", "show", str(path), "--json"], ["rundown", "convert", str(path), "--out", str(tmp_path / "o.toml")]):
        code = main(args)  # in process: an exception would fail the test; the subprocess form is tested above
        out, err = capsys.readouterr()
        assert code == 2, (args, out, err)
        assert err.count("\n") == 1 and out == "" and name in err
    assert not (tmp_path / "o.toml").exists()


# -- fuzzing: template-like sheets never crash the reader ----------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TEMPLATE_CELL = st.one_of(
    st.none(), st.text(max_size=6), st.integers(min_value=-5, max_value=10**5), st.floats(allow_nan=True, allow_infinity=True),
    st.times(), st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.timedeltas(min_value=dt.timedelta(days=-2), max_value=dt.timedelta(days=3)),
    st.sampled_from(["20:00-20:05", "23:50-00:10", "25:00-26:00", "20:00至", "满200减30", "秒杀49元", "第一部分 引流款",
                     "直播时间：0001年1月1日", "直播时间：9999/12/31 23:59", "主播：小鹿", "目标：GMV 50万", "13/45/26",
                     "5分钟", "约5分钟", "10:00:00 PM", "1号链接 保温杯", "、、", "+", "环节", "时长", "时间段", "产品"]),
)
TEMPLATE_HEADERS = ["时间段", "环节", "时长", "产品", "直播话术", "福利/互动", "场控配合", "备注", "卖点", "流程", "序号", "类型", "", "foo"]


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    above=st.lists(st.lists(TEMPLATE_CELL, max_size=4), max_size=4),
    header=st.lists(st.sampled_from(TEMPLATE_HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(TEMPLATE_CELL, max_size=8), max_size=8),
    products=st.booleans(),
)
def test_template_like_sheets_never_crash(tmp_path, above, header, rows, products):
    path = tmp_path / "fuzz.xlsx"
    try:
        write_xlsx(path, above + [header] + rows, products=[["SKU", "名称"], ["BT-1", "保温杯"]] if products else None)
    except Exception:  # openpyxl refuses some values (control characters, out-of-range dates)
        return
    try:
        result = read_spreadsheet(path)
    except RundownError as err:
        assert err.file == "fuzz.xlsx" and "\n" not in str(err)
        if err.line:
            assert err.field, str(err)
    else:
        assert result.show.segments and all(s.duration > 0 for s in result.show.segments)
        json.dumps(result.report(), ensure_ascii=False)
        from studio_app.show.rundown import loads_rundown
        from studio_app.show.sheet_import import dumps_import

        loads_rundown(dumps_import(result, None), "fuzz.toml")  # what convert writes always loads back


def test_csv_rows_of_a_merged_block_take_title_and_product_from_above(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("时间段,环节,产品\n20:00-20:05,围巾讲解,围巾\n20:05-20:10\n20:10-20:15,收尾,\n", encoding="utf-8")
    r = read_spreadsheet(path)
    assert [(s.title, s.products) for s in r.show.segments] == [("围巾讲解", ["围巾"]), ("围巾讲解", ["围巾"]), ("收尾", [])]
    assert r.warnings[0] == "s.csv:3: 环节 and 产品 empty: took them from the row above (a merged cell?): '围巾讲解', '围巾'"


def test_decorated_headers_of_online_templates(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("⏰ 时间段,【环节】,直播话术（主播念）,福利/互动 🎁,\"时长\n(分钟)\"\n20:00-20:05,开场,大家好,满99减10,5\n",
                    encoding="utf-8-sig")
    r = read_spreadsheet(path)
    assert [c.field for c in r.columns] == ["time_range", "title", "script", "perks", "duration"]
    assert (r.show.segments[0].script, r.show.segments[0].duration, r.drops[0].rule) == ("大家好", 300, "满99减10")


def test_a_time_column_of_ranges_is_the_time_slot(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["时间", "环节"], ["20:00-20:10", "开场"], ["20:10", "讲解"], ["20:30-20:40", "收尾"]])
    r = read_spreadsheet(path)
    assert [(s.duration, i.planned_start) for s, i in zip(r.show.segments, r.rows)] == [
        (600, dt.time(20, 0)), (1200, dt.time(20, 10)), (600, dt.time(20, 30))]
    assert any("holds time ranges" in w for w in r.warnings)
