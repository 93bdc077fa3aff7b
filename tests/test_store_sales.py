"""Sales figures: CSV import (Chinese and English headers, located errors), manual entry,
storage on SQLite and PostgreSQL, and the weighted show score."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio_app.cli import main
from studio_app.show.sales import (
    SalesFigures,
    SalesFileError,
    ScoreWeights,
    ShowTotals,
    parse_conversion,
    parse_number,
    parse_sales_csv,
    score_shows,
    show_totals,
)
from studio_app.store import EventLog, enter_figures, fetch_figures, import_sales_csv, open_engine, upgrade_database

CHINESE_CSV = "环节,成交额（元）,订单,观看,转化率,互动\nS1,\"¥12,345.50\",120,4000,3%,800\nS2,1.5万,150,5000,,1000\n"
ENGLISH_CSV = "Segment,GMV,Orders,Viewers,Conversion,Interactions\nopen,1000,10,500,0.02,50\n"


def write(tmp_path: Path, text: str, name: str = "sales.csv", encoding: str = "utf-8-sig") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# --------------------------------------------------------------------------- reading
def test_chinese_csv_with_bom_currency_and_wan(tmp_path):
    rows = parse_sales_csv(write(tmp_path, CHINESE_CSV), "SHOW-1", room="A")
    assert [r.segment_id for r in rows] == ["S1", "S2"]
    s1, s2 = rows
    assert (s1.gmv, s1.orders, s1.viewers, s1.interactions) == (12345.5, 120, 4000, 800)
    assert s1.conversion == pytest.approx(0.03)
    assert s2.gmv == 15000.0 and s2.conversion is None
    assert {r.source for r in rows} == {"csv"} and {r.room for r in rows} == {"A"}


def test_english_csv_and_excel_gbk_file(tmp_path):
    [row] = parse_sales_csv(write(tmp_path, ENGLISH_CSV, encoding="utf-8"), "SHOW-2")
    assert (row.segment_id, row.gmv, row.conversion) == ("open", 1000.0, 0.02)
    gbk = parse_sales_csv(write(tmp_path, CHINESE_CSV, "gbk.csv", encoding="gb18030"), "SHOW-3")
    assert [r.gmv for r in gbk] == [12345.5, 15000.0]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("环节,成交额\nS1,12a\n", "sales.csv:2: 成交额: cannot read '12a' as a number"),
        ("环节,订单\nS1,1.5\n", "sales.csv:2: 订单: '1.5' is not a whole number"),
        ("环节,转化率\nS1,150%\n", "sales.csv:2: 转化率: conversion '150%' is above 100 %"),
        ("成交额,订单\n1,2\n", "sales.csv:1: no segment column"),
        ("环节,备注\nS1,x\n", "sales.csv:1: no figure columns"),
        ("环节,成交额\nS1,1\nS1,2\n", "sales.csv:3: 环节: segment 'S1' already given on line 2"),
        ("环节,成交额\n,5\n", "sales.csv:2: 环节: the segment is empty"),
        ("环节,成交额,GMV\nS1,1,2\n", "sales.csv:1: GMV: column 3 repeats '成交额'"),
        ("环节,成交额\n", "sales.csv:2: no data rows"),
        ("", "sales.csv:1: the file is empty"),
    ],
)
def test_csv_errors_name_file_line_and_column(tmp_path, text, where):
    with pytest.raises(SalesFileError) as err:
        parse_sales_csv(write(tmp_path, text), "S")
    assert str(err.value).endswith(where) or where in str(err.value)
    assert "\n" not in str(err.value)


def test_number_and_conversion_forms():
    assert parse_number("12,345") == 12345
    assert parse_number("￥3.2万") == 32000
    assert parse_number("  ") is None
    assert parse_conversion("3.5%") == pytest.approx(0.035)
    assert parse_conversion("3.5") == pytest.approx(0.035)
    assert parse_conversion("0.035") == pytest.approx(0.035)
    with pytest.raises(ValueError):
        parse_number("-5")


# --------------------------------------------------------------------------- totals and score
def test_totals_sum_segments_and_whole_show_entry_wins():
    segs = [
        SalesFigures("S", "a", gmv=100.0, orders=10, viewers=1000, interactions=50, entered_at=1),
        SalesFigures("S", "b", gmv=300.0, orders=30, viewers=1000, interactions=150, entered_at=2),
    ]
    t = show_totals(segs)
    assert (t.gmv, t.orders, t.viewers, t.interactions) == (400.0, 40, 2000, 200)
    assert t.conversion == pytest.approx(0.02)  # orders / viewers
    whole = SalesFigures("S", None, gmv=999.0, entered_at=3)
    assert show_totals(segs + [whole]).gmv == 999.0
    assert show_totals(segs + [whole]).orders == 40
    newer = SalesFigures("S", "a", gmv=200.0, entered_at=5)
    assert show_totals(segs + [newer]).gmv == 500.0  # the newest entry of a segment counts


def test_default_weights_best_show_scores_100_and_half_gmv_loses_half_its_weight():
    best = ShowTotals("best", gmv=1000.0, conversion=0.04, interactions=400, viewers=1000)
    half = ShowTotals("half-gmv", gmv=500.0, conversion=0.04, interactions=400, viewers=1000)
    [a, b] = score_shows([best, half])
    assert a.score == 100.0
    assert b.score == pytest.approx(75.0)  # GMV weight 50 %: half of it lost
    assert b.parts == {"gmv": 0.5, "conversion": 1.0, "interaction": 1.0}


def test_custom_weights_change_the_ranking():
    seller = ShowTotals("seller", gmv=1000.0, conversion=0.03, interactions=300, viewers=1000)
    chatty = ShowTotals("chatty", gmv=500.0, conversion=0.04, interactions=900, viewers=1000)
    default = {s.show_id: s.score for s in score_shows([seller, chatty])}
    assert default["seller"] > default["chatty"]  # GMV weighs most by default
    engagement = {s.show_id: s.score for s in score_shows([seller, chatty], ScoreWeights.parse("gmv=10,转化率=45,互动=45%"))}
    assert engagement["chatty"] > engagement["seller"]
    gmv_only = {s.show_id: s.score for s in score_shows([seller, chatty], ScoreWeights(1, 0, 0))}
    assert gmv_only == {"seller": 100.0, "chatty": 50.0}


def test_missing_metric_shares_its_weight_and_is_reported():
    full = ShowTotals("full", gmv=1000.0, conversion=0.02, interactions=100, viewers=1000)
    no_conv = ShowTotals("no-conv", gmv=1000.0, interactions=100, viewers=None)
    scores = {s.show_id: s for s in score_shows([full, no_conv])}
    assert scores["no-conv"].missing == ("conversion", "interaction")
    assert scores["no-conv"].score == 100.0  # only GMV known, and it equals the best


def test_weights_are_checked():
    for bad in ("gmv=-1", "gmv=0,conversion=0,interaction=0", "speed=3", "gmv", "gmv=abc", ""):
        with pytest.raises(ValueError):
            ScoreWeights.parse(bad)
    assert ScoreWeights().normalised() == {"gmv": 0.5, "conversion": 0.3, "interaction": 0.2}


# --------------------------------------------------------------------------- the database
def test_import_enter_replace_and_fetch_by_room(db_url, tmp_path):
    engine = open_engine(db_url)
    try:
        upgrade_database(engine)
        import_sales_csv(engine, "SHOW-1", write(tmp_path, CHINESE_CSV), room="A")
        enter_figures(engine, "SHOW-2", room="B", gmv=800.0, orders=5, viewers=100, interactions=10)
        # Re-importing corrected figures replaces, never doubles.
        import_sales_csv(engine, "SHOW-1", write(tmp_path, CHINESE_CSV.replace("120,4000", "121,4000"), "v2.csv"), room="A")
        figures = fetch_figures(engine)
        assert sorted((f.show_id, f.segment_id) for f in figures) == [("SHOW-1", "S1"), ("SHOW-1", "S2"), ("SHOW-2", None)]
        assert [f.orders for f in figures if f.segment_id == "S1"] == [121]
        assert [f.show_id for f in fetch_figures(engine, rooms=["B"])] == ["SHOW-2"]
        assert {f.source for f in fetch_figures(engine, show_ids=["SHOW-2"])} == {"manual"}
        with pytest.raises(SalesFileError):  # a bad file writes nothing
            import_sales_csv(engine, "SHOW-3", write(tmp_path, "环节,成交额\nS1,1\nS2,x\n", "bad.csv"))
        assert fetch_figures(engine, show_ids=["SHOW-3"]) == []
        with pytest.raises(ValueError):
            enter_figures(engine, "SHOW-4", conversion=3.5)  # 3.5 is not a fraction
    finally:
        engine.dispose()


def test_cli_add_import_and_score(db_url, tmp_path, capsys):
    csv_path = write(tmp_path, CHINESE_CSV)
    # Shows are ordered over time by their first logged event.
    log = EventLog(db_url, spool_path=tmp_path / "ob" / "ev.jsonl").start()
    log.log("show", "start", show_id="EARLY")
    log.log("show", "start", show_id="LATE")
    assert log.flush()
    log.close()
    assert main(["--db", db_url, "sales", "import", "LATE", str(csv_path), "--room", "A"]) == 0
    assert main(["--db", db_url, "sales", "add", "EARLY", "--gmv", "¥1万", "--orders", "100",
                 "--viewers", "8000", "--interactions", "2000", "--room", "A"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "sales", "score", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["show_id"] for s in data["shows"]] == ["EARLY", "LATE"]
    late = data["shows"][1]
    assert late["gmv"] == 27345.5 and late["orders"] == 270 and late["viewers"] == 9000
    assert late["score"] == pytest.approx(100.0 * (0.5 * 1 + 0.3 * 1 + 0.2 * ((1800 / 9000) / (2000 / 8000))), abs=0.01)
    assert data["weights"] == {"gmv": 0.5, "conversion": 0.3, "interaction": 0.2}

    assert main(["--db", db_url, "sales", "score", "--weights", "gmv=1"]) == 0
    assert "GMV 100%" in capsys.readouterr().out

    bad = write(tmp_path, "环节,订单\nS1,many\n", "bad.csv")
    assert main(["--db", db_url, "sales", "import", "X", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:2: 订单: cannot read 'many' as a number" in err and err.count("\n") == 1
    assert main(["--db", db_url, "sales", "score", "NOPE"]) == 2
    assert "no sales figures for show NOPE" in capsys.readouterr().err
    assert main(["--db", db_url, "sales", "add", "X", "--orders", "1.5"]) == 2
    assert "--orders" in capsys.readouterr().err
