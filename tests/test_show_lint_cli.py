"""``studio-console lint``: exit codes 0/1/2, findings with file/line/column, JSON keys,
for rundowns, spreadsheets and plain-text scripts (in process and as a real command)."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio_app.cli import main
from studio_app.core.paths import sample_show_path

SAMPLE_TEXT = sample_show_path().read_text(encoding="utf-8")


def lint(capsys, *args):
    code = main(["lint", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_sample_exits_0(capsys):
    code, out, err = lint(capsys, sample_show_path())
    assert code == 0 and "no findings" in out
    code, out, _ = lint(capsys, sample_show_path(), "--json")
    assert code == 0 and json.loads(out) == []


def test_rundown_with_findings_exits_1_and_json_has_the_keys(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SAMPLE_TEXT.replace("不起球、不掉毛", "全网最低价，不起球"), encoding="utf-8")
    code, out, _ = lint(capsys, bad)
    assert code == 1
    assert "bad.toml:" in out and "全网最低价" in out and "price_claim" in out and "[scarf]" in out
    code, out, _ = lint(capsys, bad, "--json")
    assert code == 1
    findings = json.loads(out)
    assert len(findings) == 1
    f = findings[0]
    assert {"term", "category", "line", "column", "segment", "field", "severity", "context", "file"} <= set(f)
    assert (f["term"], f["category"], f["segment"], f["field"], f["file"]) == ("全网最低价", "price_claim", "scarf", "segments[2].script", "bad.toml")
    assert bad.read_text(encoding="utf-8").splitlines()[f["line"] - 1][f["column"] - 1:].startswith("全网最低价")


def test_text_and_markdown_scripts(capsys, tmp_path):
    txt = tmp_path / "script.txt"
    txt.write_text("大家好\n这是销量第一的款\n", encoding="utf-8")
    code, out, _ = lint(capsys, txt, "--json")
    assert code == 1 and [(f["term"], f["line"], f["column"]) for f in json.loads(out)] == [("销量第一", 2, 3)]
    md = tmp_path / "script.md"
    md.write_text("# 开场\n最近天气冷，第一次来的宝宝点关注\n", encoding="gb18030")
    code, out, _ = lint(capsys, md)
    assert code == 0


def test_spreadsheet_findings_name_the_row(capsys, tmp_path):
    path = tmp_path / "script.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "环节", "时长", "话术"])
        w.writerow(["1", "开场", "5", "欢迎大家"])
        w.writerow(["2", "讲解", "10", "这是国家级工艺"])
    code, out, _ = lint(capsys, path, "--json")
    f = json.loads(out)
    assert code == 1 and [(x["term"], x["line"], x["column"], x["segment"]) for x in f] == [("国家级", 3, 3, "2")]


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("broken.toml", 'x = "unclosed\n', "broken.toml:1"),
        ("bad.toml", SAMPLE_TEXT.replace('duration = "5m"', 'duration = "abc"', 1), 'duration: expected a duration like "5m" or "90s", got "abc"'),
        ("bad.csv", "环节,时长\n开场,abc\n", "bad.csv:2: 时长/duration (B)"),
        ("notes.pdf", "x", "unsupported file type"),
        ("missing.toml", None, "no such file"),
    ],
)
def test_broken_or_unsupported_exits_2_with_one_located_line(capsys, tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = lint(capsys, path, "--json")
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1


def test_the_real_command(tmp_path):
    bad = tmp_path / "s.txt"
    bad.write_text("顶级面料\n", encoding="utf-8")
    env = {**os.environ, "STUDIO_DATA_DIR": str(tmp_path / "d"), "STUDIO_CONFIG_DIR": str(tmp_path / "c")}
    r = subprocess.run([sys.executable, "-m", "studio_app", "lint", str(bad), "--json"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)[0]["term"] == "顶级"
    r = subprocess.run([sys.executable, "-m", "studio_app", "lint", str(sample_show_path())], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
