"""Hostile and careless scripts and rundowns (issue 21): `lint` reads text in any encoding it
can be sure of or refuses it, lists a bounded number of findings and counts the rest, and
the rundown's line map costs time linear in the file. Files are written here, at test time."""
from __future__ import annotations

import json

import pytest

from studio_app.cli import main
from studio_app.show.compliance import MAX_FINDINGS, MAX_FINDINGS_PER_LINE
from studio_app.show.rundown import SourceMap
from tests.harness.peak_memory import run_command_measured

SCRIPT = "大家好，欢迎来到直播间\n今天这款面霜是全网最低价\n\n真的是我用过最好的一款\n"


def lint(capsys, *args):
    code = main(["lint", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def lint_json(capsys, path):
    code, out, err = lint(capsys, path, "--json")
    return code, (json.loads(out) if out else None), err


@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", b""),  # the case: decoded as GB18030 garbage, "no findings", exit 0
    ("utf-16-be", b""),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b""),
    ("utf-32-le", b"\xff\xfe\x00\x00"),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-8", b""),
    ("gb18030", b""),
])
def test_script_in_any_common_encoding_is_read_and_its_terms_found(capsys, tmp_path, encoding, bom):
    path = tmp_path / "script.txt"
    path.write_bytes(bom + SCRIPT.encode(encoding))
    code, findings, err = lint_json(capsys, path)
    assert code == 1, err
    assert [(f["term"], f["line"], f["column"]) for f in findings] == [("全网最低价", 2, 8), ("最好", 4, 7)]


def test_utf16_without_bom_and_without_any_nul_byte_is_still_read(capsys, tmp_path):
    # No ASCII, no newline and no U+xx00 hanzi: no NUL byte betrays UTF-16 here.
    path = tmp_path / "script.md"
    path.write_bytes("国家级好物推荐，国家级品质".encode("utf-16-le"))
    assert b"\x00" not in path.read_bytes()
    code, findings, _ = lint_json(capsys, path)
    assert code == 1 and [f["term"] for f in findings] == ["国家级", "国家级"]


@pytest.mark.parametrize("name, content, words", [
    ("big5.txt", "今天給大家帶來全網最低價的好物，最好的面霜！\n".encode("big5") * 5, "cannot tell the text encoding"),
    ("binary.txt", bytes(range(256)) * 8, "not a text script"),
    ("escapes.txt", "最好\n\x1b[31m红字\x1b[0m\n".encode("utf-8"), "control character"),
])
def test_text_it_cannot_be_sure_of_is_refused_with_one_line_and_exit_2(capsys, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = lint(capsys, path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and name in err and words in err


def test_a_bad_byte_deep_in_the_file_names_its_line(capsys, tmp_path):
    lines = [f"第{i}行 普通的话术，最好" for i in range(1, 5001)]
    raw = "\r\n".join(lines).encode("utf-8")
    at = raw.index("第3000行".encode())
    path = tmp_path / "late.txt"
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])  # far past what the detection samples
    code, out, err = lint(capsys, path)
    assert code == 2 and out == ""
    assert "late.txt:3000:" in err and "not valid UTF-8" in err


def test_gb18030_that_turns_into_rare_hanzi_later_is_refused_there(capsys, tmp_path):
    # Other text misread as GB18030 gives runs of rare GBK hanzi like these (丂 is bytes 81 40):
    # valid GB18030, but no script is written in them. The detection sampled only the head.
    head = "\n".join(f"第{i}行 普通的话术" for i in range(1, 6001)).encode("gb18030")
    tail = ("丂丄丅丆丏丒丗丟" * 600).encode("gb18030")
    path = tmp_path / "joined.txt"
    path.write_bytes(head + b"\n" + tail)
    code, _, err = lint(capsys, path)
    assert code == 2 and "joined.txt:6001:" in err and "GB18030" in err


def test_one_long_line_of_a_term_lists_a_few_and_counts_the_rest(capsys, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("开场\n" + "最" * 50_000 + "\n最好\n", encoding="utf-8")
    code, findings, _ = lint_json(capsys, path)
    assert code == 1
    on_line_2 = [f for f in findings if f["line"] == 2]
    assert len(on_line_2) == MAX_FINDINGS_PER_LINE
    assert [f["column"] for f in on_line_2] == list(range(1, MAX_FINDINGS_PER_LINE + 1))
    assert on_line_2[-1]["omitted"] == 50_000 - MAX_FINDINGS_PER_LINE
    assert sum(f["omitted"] for f in findings) == 50_000 - MAX_FINDINGS_PER_LINE
    assert findings[-1]["term"] == "最好" and findings[-1]["line"] == 3 and findings[-1]["omitted"] == 0
    code, out, _ = lint(capsys, path)
    assert f"long.txt:2: … and {50_000 - MAX_FINDINGS_PER_LINE} more findings not listed" in out
    assert out.splitlines()[-1] == (f"50001 findings in long.txt: {MAX_FINDINGS_PER_LINE + 1} listed "
                                    f"(1 errors, {MAX_FINDINGS_PER_LINE} warnings), {50_000 - MAX_FINDINGS_PER_LINE} more not listed")


def test_findings_in_all_are_capped_and_the_rest_counted_on_the_last_listed(capsys, tmp_path):
    per_line = 10
    lines = MAX_FINDINGS // per_line + 100  # 1,000 findings over the cap
    path = tmp_path / "many.txt"
    path.write_text(("最好，" * per_line + "\n") * lines, encoding="utf-8")
    code, findings, _ = lint_json(capsys, path)
    assert code == 1
    assert len(findings) == MAX_FINDINGS
    assert findings[-1]["omitted"] == lines * per_line - MAX_FINDINGS
    assert sum(f["omitted"] for f in findings) == lines * per_line - MAX_FINDINGS


def test_exempt_phrases_still_apply_on_a_long_line(capsys, tmp_path):
    path = tmp_path / "exempt.txt"
    path.write_text("最近" * 30_000 + "最好", encoding="utf-8")  # 最近 is exempt, 最好 is not
    code, findings, _ = lint_json(capsys, path)
    assert code == 1 and [(f["term"], f["column"], f["omitted"]) for f in findings] == [("最好", 60_001, 0)]


def test_a_huge_line_is_read_in_bounded_memory(tmp_path):
    """The issue's 51 MB line of 最 took 4.8 GB; here 21 MB must stay far below that."""
    path = tmp_path / "huge.txt"
    path.write_bytes(("最" * 7_000_000).encode("utf-8"))
    run = run_command_measured("lint", str(path), "--json")
    findings = json.loads(run.stdout)
    assert run.code == 1 and len(findings) == MAX_FINDINGS_PER_LINE
    assert findings[-1]["omitted"] == 7_000_000 - MAX_FINDINGS_PER_LINE
    assert run.peak_mb < 500, f"peak {run.peak_mb} MB"


# --- the rundown's line map ---------------------------------------------------------------

def test_source_map_of_deeply_nested_array_tables_names_the_right_lines():
    depth = 1000
    text = "".join("[[" + ".".join(["t"] * k) + f"]]\nx = {k}\n" for k in range(1, depth + 1))
    smap = SourceMap(text)
    deepest = ".".join(["t[1]"] * depth)
    assert smap.line_of(deepest) == 2 * depth - 1
    assert smap.line_of(deepest + ".x") == 2 * depth
    assert smap.line_of(deepest + ".missing") == 2 * depth - 1


def test_source_map_numbers_elements_of_a_nested_array_per_parent():
    text = "[[a]]\n[[a.b]]\nx = 1\n[[a.b]]\n[a.b.c]\ny = 2\n[[a]]\n[[a.b]]\n[a.b.c]\ny = 3\n"
    smap = SourceMap(text)
    assert smap.line_of("a[1].b[2].c.y") == 6
    assert smap.line_of("a[2].b[1].c.y") == 10
    assert smap.line_of("a[1].b[1].x") == 3
    assert smap.line_of("a[2].b[2]") == 7  # no such element: its nearest enclosing table


@pytest.mark.timeout(20)
def test_source_map_of_many_array_tables_is_built_in_linear_time():
    """20,000 array tables then 20,000 more elements: the old map rescanned every known
    array per element (about a minute here); linear, it takes a fraction of a second."""
    n = 20_000
    text = "".join(f"[[a{k}]]\nx = 1\n" for k in range(n)) + "[[b]]\ny = 2\n" * n
    smap = SourceMap(text)
    assert smap.line_of(f"b[{n}].y") == 4 * n
    assert smap.line_of(f"a{n - 1}[1].x") == 2 * n


def test_a_rundown_field_repeating_a_term_is_capped_and_the_desk_counts_them_all(capsys, tmp_path):
    from studio_app.core.paths import sample_show_path
    from studio_app.show.clock import ManualClock
    from studio_app.show.desk import ShowDesk
    from studio_app.show.rundown import load_rundown

    path = tmp_path / "repeat.toml"
    path.write_text(sample_show_path().read_text(encoding="utf-8").replace("不起球、不掉毛", "最好" * 100), encoding="utf-8")
    code, findings, _ = lint_json(capsys, path)
    assert code == 1
    repeated = [f for f in findings if f["term"] == "最好"]
    assert len(repeated) == MAX_FINDINGS_PER_LINE and repeated[-1]["omitted"] == 100 - MAX_FINDINGS_PER_LINE
    desk = ShowDesk(load_rundown(path), ManualClock())
    assert desk.view()["findings"] == 100
