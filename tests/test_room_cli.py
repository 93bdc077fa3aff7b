"""``studio-console room``: import (NDJSON, Chinese CSV in UTF-8 and GB18030), alerts, summary,
replay, and bad input, through the real command in a separate process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studio_app.room.replay import SAMPLE_RECORDING
from studio_app.show.rundown import load_rundown

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SHOW = load_rundown(ROOT / "resources" / "shows" / "sample_show.toml")
T0 = 1_797_076_800_000  # 2026-12-12T20:00:00+08:00 in ms


def cli(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio_app", "--db", f"sqlite:///{db}", "room", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("room") / "log.sqlite3"
    proc = cli(db, "import", SAMPLE_SHOW.id, str(SAMPLE_RECORDING), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["refused"] == 0 and report["accepted"] > 20_000
    assert set(report["types"]) == {"stats", "comment", "product", "gift", "follow"}
    return db


def test_alerts_json_lists_the_sample_shows_alerts_in_time_order_and_exits_1(sample_db: Path) -> None:
    proc = cli(sample_db, "alerts", SAMPLE_SHOW.id, "--json")
    assert proc.returncode == 1, proc.stderr
    alerts = json.loads(proc.stdout)
    assert [a["ts"] for a in alerts] == sorted(a["ts"] for a in alerts)
    assert all({"ts", "rule", "severity", "message", "runbook", "value", "baseline"} <= set(a) for a in alerts)
    assert sorted(a["rule"] for a in alerts) == sorted(["tech_complaints", "gmv_pace", "complaint_surge", "sellout_eta",
                                                        "tech_complaints", "similar_comments", "interaction_drop",
                                                        "comments_silent", "online_drop"])
    assert [a["runbook"] for a in alerts if a["rule"] == "tech_complaints"] == ["stream", "mic"]
    assert alerts[0]["ts"].startswith("2026-12-12T12:29")  # UTC; 20:29 in the studio


def test_a_rules_file_can_silence_rules_and_no_alert_exits_0(sample_db: Path, tmp_path: Path) -> None:
    rules = tmp_path / "quiet.toml"
    rules.write_text("\n".join(f"[{r}]\nenabled = false\n" for r in (
        "online_drop", "interaction_drop", "comments_silent", "tech_complaints", "complaint_surge",
        "similar_comments", "sellout_eta", "gmv_pace")), encoding="utf-8")
    proc = cli(sample_db, "alerts", SAMPLE_SHOW.id, "--rules", str(rules), "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    rules.write_text("[online_drop]\ndrop = 2\n", encoding="utf-8")
    line = one_line_error(cli(sample_db, "alerts", SAMPLE_SHOW.id, "--rules", str(rules)))
    assert "quiet.toml:2: online_drop.drop: expected a fraction" in line


def test_summary_per_segment_and_product(sample_db: Path) -> None:
    proc = cli(sample_db, "summary", SAMPLE_SHOW.id, "--json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert [g["id"] for g in s["segments"]] == [seg.id for seg in SAMPLE_SHOW.segments]
    keys = {"id", "title", "gmv", "orders", "conversion", "gpm", "online_avg", "online_peak", "interaction_rate"}
    assert all(keys <= set(g) for g in s["segments"])
    down = next(g for g in s["segments"] if g["id"] == "down")
    scarf = next(g for g in s["segments"] if g["id"] == "scarf")
    assert down["gmv"] > 3 * scarf["gmv"] > 0  # the down-jacket rush
    assert abs(sum(g["gmv"] for g in s["segments"]) - s["show"]["gmv"]) < 0.02 * s["show"]["gmv"]
    brk = next(g for g in s["segments"] if g["id"] == "break")
    assert brk["online_avg"] < scarf["online_avg"] and brk["interaction_rate"] < scarf["interaction_rate"]
    products = {p["sku"]: p for p in s["products"]}
    assert set(products) == {p.sku for p in SAMPLE_SHOW.products}
    assert all({"sku", "name", "sold", "gmv", "clicks", "sold_out_at"} <= set(p) for p in products.values())
    assert products["SK-2003"]["sold"] == 300 and products["SK-2003"]["sold_out_at"].startswith("2026-12-12T12:5")
    assert products["SK-2003"]["name"] == "轻暖白鸭绒羽绒服" and products["SK-2001"]["sold_out_at"] is None
    text = cli(sample_db, "summary", SAMPLE_SHOW.id)
    assert text.returncode == 0 and "down" in text.stdout and "SK-2003" in text.stdout


def test_importing_the_same_recording_again_adds_nothing(sample_db: Path) -> None:
    proc = cli(sample_db, "import", SAMPLE_SHOW.id, str(SAMPLE_RECORDING), "--json")
    report = json.loads(proc.stdout)
    assert proc.returncode == 0 and report["accepted"] == 0 and report["reasons"] == {"duplicate": report["refused"]}
    assert report["already_stored"] > 20_000


CSV = ("时间,在线人数,成交金额,成交订单数,点赞数,评论数,进场人数,平均停留时长(秒)\n"
       "2026-12-12 20:00,800,0,0,100,20,800,35\n"
       "2026-12-12 20:01,1200,\"¥2,590\",10,900,140,1500,41\n"
       "20:02,1500,1.2万,46,2100,300,2300,44\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_chinese_minute_csv_is_mapped_and_says_what_it_ignored(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "export.csv"
    f.write_bytes(CSV.encode(encoding))
    db = tmp_path / "log.sqlite3"
    proc = cli(db, "import", "S-csv", str(f))
    assert proc.returncode == 0, proc.stderr
    assert "imported 3 messages into show S-csv (3 stats)" in proc.stdout
    assert "ignored: 平均停留时长(秒)" in proc.stdout and "在线人数 → online" in proc.stdout
    s = json.loads(cli(db, "summary", "S-csv", "--json").stdout)["show"]
    assert (s["gmv"], s["orders"], s["online_peak"], s["likes"], s["comments"]) == (12000.0, 46, 1500, 2100, 300)


def test_per_minute_columns_are_summed_into_totals(tmp_path: Path) -> None:
    f = tmp_path / "minutes.csv"
    f.write_text("时间,在线人数,每分钟成交金额,评论数\n2026-12-12 20:00,10,100,5\n2026-12-12 20:01,12,50,3\n"
                 "2026-12-12 20:02,11,70,4\n", encoding="utf-8")
    db = tmp_path / "log.sqlite3"
    proc = cli(db, "import", "S-min", str(f), "--json")
    report = json.loads(proc.stdout)
    assert sorted(report["summed"]) == ["每分钟成交金额", "评论数"]  # one by its name, one by going down
    s = json.loads(cli(db, "summary", "S-min", "--json").stdout)["show"]
    assert (s["gmv"], s["comments"]) == (220.0, 12)


@pytest.mark.parametrize(("content", "fragment"), [
    ("时间,在线人数\n2026-12-12 20:00,abc\n", "bad.csv:2: 在线人数: cannot read 'abc' as a number"),
    ("在线人数,成交金额\n5,6\n", "bad.csv:1: no time column"),
    ("时间,备注\n2026-12-12 20:00,x\n", "bad.csv:1: no figures"),
    ("时间,在线人数\n2026-12-12 20:01,5\n2026-12-12 20:00,6\n", "bad.csv:3: time goes backwards"),
    ("时间,在线人数\n明天,5\n", "bad.csv:2: 时间: cannot read '明天' as a time"),
])
def test_a_broken_csv_is_one_located_line_and_exit_2(tmp_path: Path, content: str, fragment: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    assert fragment in one_line_error(cli(tmp_path / "log.sqlite3", "import", "S", str(f)))


def test_bad_ndjson_lines_are_refused_counted_and_the_good_ones_stored(tmp_path: Path) -> None:
    lines = [
        {"ts": T0, "type": "stats", "online": 100, "likes": 50},
        "{oops",
        {"ts": T0 + 1000, "type": "stats", "online": "many"},
        {"ts": T0 + 2000, "type": "danmu", "text": "x"},
        {"ts": T0 + 3000, "type": "stats", "online": 120, "likes": 60},
        {"ts": T0 + 3000, "type": "stats", "online": 120, "likes": 60},
        {"ts": T0 + 4000, "type": "stats", "online": 130, "likes": 3},
        {"ts": T0 + 5000, "type": "comment", "user": "a", "text": "好看", "mood": 1},
    ]
    f = tmp_path / "rec.ndjson"
    f.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
                 encoding="utf-8")
    db = tmp_path / "log.sqlite3"
    proc = cli(db, "import", "S-bad", str(f), "--json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["accepted"] == 3 and report["ignored"] == ["mood"]
    assert report["reasons"] == {"malformed": 1, "wrong_type": 1, "unknown_type": 1, "duplicate": 1, "counter_reset": 1}
    where = {e["reason"]: e["where"] for e in report["errors"]}
    assert where["malformed"] == "line 2" and where["wrong_type"] == "line 3" and where["unknown_type"] == "line 4"
    text = cli(db, "import", "S-bad2", str(f))
    assert "refused 5" in text.stdout and "rec.ndjson: line 3: stats.online: expected a whole number" in text.stdout
    s = json.loads(cli(db, "summary", "S-bad", "--json").stdout)["show"]
    assert s["likes"] == 60 and s["comment_messages"] == 1


def test_nothing_usable_and_unknown_shows_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    assert "no such file" in one_line_error(cli(db, "import", "S", str(tmp_path / "missing.ndjson")))
    junk = tmp_path / "junk.ndjson"
    junk.write_text("{nope\n[1,2\n", encoding="utf-8")
    proc = cli(db, "import", "S", str(junk))
    assert proc.returncode == 2 and "refused 2" in proc.stdout
    assert "no room data for show 'S-none'" in one_line_error(cli(db, "alerts", "S-none"))
    assert "no room data" in one_line_error(cli(db, "summary", "S-none", "--json"))
    binary = tmp_path / "x.ndjson"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    assert "not UTF-8" in one_line_error(cli(db, "import", "S", str(binary)))


def test_replay_plays_a_recording_faster_and_labels_it(tmp_path: Path) -> None:
    # the first 35 minutes of the sample (the stream stutter at 29 min), at 1000x: ~2 s
    lines = [ln for ln in __import__("gzip").decompress(SAMPLE_RECORDING.read_bytes()).decode().splitlines()
             if json.loads(ln)["ts"] < T0 + 35 * 60_000]
    f = tmp_path / "part.ndjson"
    f.write_text("\n".join(lines), encoding="utf-8")
    proc = cli(tmp_path / "log.sqlite3", "replay", str(f), "--speed", "1000")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0].startswith("[回放 REPLAY] part.ndjson:") and "at 1000x" in out[0]
    raised = [ln for ln in out if " raised " in ln]
    assert any("tech_complaints" in ln and "stream" in ln for ln in raised), out
    assert out[-1].startswith(f"[回放 REPLAY] delivered {len(lines)}, accepted {len(lines)}")
    assert "must be above 0" in one_line_error(cli(tmp_path / "log.sqlite3", "replay", str(f), "--speed", "0"))
