"""Runbook files: the shipped file loads; malformed files give file:line: field: problem and
the desk keeps the runbooks it had."""
from __future__ import annotations

import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_app.core.events import MemorySink
from studio_app.show.emergency import (
    ACTION_TYPES,
    EmergencyDesk,
    StepOutcome,
    RunbookError,
    default_runbooks_path,
    load_runbooks,
    loads_runbooks,
)

GOOD = """format = 1

[[runbook]]
id = "camera"
name_zh = "摄像头故障"
name_en = "Camera failure"

[[runbook.checklist]]
zh = "备用画面"
en = "Standby scene"

[[runbook.action]]
type = "obs_scene"
scene = "BRB"

[[runbook.trigger]]
alarm = "camera.no_signal"
for_at_least_s = 2
"""

LOCATED = re.compile(r"^[^:\s]+\.toml:(\d+)(:\d+)?: .+")


def test_the_shipped_runbooks_cover_the_studio_incidents_in_both_languages():
    books = load_runbooks(default_runbooks_path())
    ids = {r.id for r in books}
    assert {"camera", "mic", "stream", "network", "anchor_leave", "complaints", "wrong_price"} <= ids
    used = {a.type for r in books for a in r.actions}
    assert used == ACTION_TYPES  # every kind of one-key action is demonstrated
    for r in books:
        assert r.name.zh and r.name.en
        assert r.checklist and all(c.zh and c.en for c in r.checklist)
        assert r.roles
    assert books.get("camera").actions[0].param("scene") == "BRB"
    assert [t.alarm for t in books.get("mic").triggers][0] == "mic.lost"
    assert len({r.key for r in books}) == len(books)


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        (GOOD.replace('type = "obs_scene"', 'type = "obs_sceen"'), 13, "runbook[1].action[1].type", "unknown action type"),
        (GOOD.replace('scene = "BRB"\n', ""), 12, "runbook[1].action[1].scene", "missing"),
        (GOOD.replace('alarm = "camera.no_signal"', 'alarm = "camera.gone"'), 17, "runbook[1].trigger[1].alarm", "unknown alarm"),
        (GOOD.replace("for_at_least_s = 2", 'for_at_least_s = "2s"'), 18, "runbook[1].trigger[1].for_at_least_s", "seconds"),
        (GOOD.replace("for_at_least_s = 2", "for_at_least_s = -1"), 18, "runbook[1].trigger[1].for_at_least_s", "seconds"),
        (GOOD.replace('scene = "BRB"', 'scene = "BRB"\nautomatic = "yes"'), 15, "runbook[1].action[1].automatic", "true or false"),
        (GOOD.replace('name_zh = "摄像头故障"\nname_en = "Camera failure"\n', ""), 3, "runbook[1].name_zh", "missing"),
        (GOOD.replace('id = "camera"', 'id = "bad id!"'), 4, "runbook[1].id", "expected an id"),
        (GOOD + GOOD.split("\n", 1)[1], 21, "runbook[2].id", "duplicate id"),
        (GOOD.replace('en = "Standby scene"', 'en = "Standby scene"\ncolour = "red"'), 11, "runbook[1].checklist[1].colour", "unknown key"),
        (GOOD.replace('scene = "BRB"', 'scene = "BRB"\ninput = "Mic"'), 15, "runbook[1].action[1].input", "unknown key"),
        (GOOD.replace("format = 1", "format = 2"), 1, "format", "unsupported format"),
        ("format = 1\n", 1, "runbook", "no [[runbook]]"),
    ],
)
def test_malformed_runbooks_name_file_line_and_field(text, line, field, words):
    with pytest.raises(RunbookError) as err:
        loads_runbooks(text, "runbooks.toml")
    e = err.value
    assert (e.file, e.line, e.field) == ("runbooks.toml", line, field), str(e)
    assert words in e.message
    assert str(e).startswith(f"runbooks.toml:{line}: {field}: ")
    assert "\n" not in str(e)


def test_toml_syntax_errors_are_located():
    with pytest.raises(RunbookError) as err:
        loads_runbooks(GOOD.replace('scene = "BRB"', 'scene = "BRB'), "runbooks.toml")
    assert err.value.line == 14 and "TOML syntax" in str(err.value)


def test_not_utf8_and_missing_file_are_one_line_errors(tmp_path):
    p = tmp_path / "runbooks.toml"
    p.write_bytes(GOOD.encode("utf-8") + b"\n# \xff\xfe\n")
    with pytest.raises(RunbookError, match=r"runbooks.toml:20: not UTF-8"):
        load_runbooks(p)
    with pytest.raises(RunbookError, match=r"^gone.toml: cannot read"):
        load_runbooks(tmp_path / "gone.toml")


def test_a_malformed_file_leaves_the_previous_runbooks_loaded(tmp_path):
    p = tmp_path / "runbooks.toml"
    p.write_text(GOOD, encoding="utf-8")
    sink = MemorySink()
    desk = EmergencyDesk(load_runbooks(p), lambda name, args, by: StepOutcome("failed", "no devices"), sink)
    before = desk.runbooks
    p.write_text(GOOD.replace('type = "obs_scene"', 'type = "teleport"'), encoding="utf-8")
    err = desk.reload(p)
    assert isinstance(err, RunbookError) and err.line == 13
    assert desk.runbooks is before and desk.runbooks.get("camera") is not None
    logged = [e for e in sink.events if e.kind == "emergency.runbooks_error"]
    assert logged and "runbooks.toml:13" in logged[0].message and logged[0].payload["kept"] == ["camera"]
    # a good file replaces them
    p.write_text(GOOD.replace('id = "camera"', 'id = "cam2"'), encoding="utf-8")
    assert desk.reload(p) is None
    assert [r.id for r in desk.runbooks] == ["cam2"]


# ---- generated damage: any edit either loads or raises a located RunbookError, nothing else

_lines = GOOD.splitlines()


@st.composite
def damaged(draw):
    lines = list(_lines)
    n = draw(st.integers(1, 3))
    for _ in range(n):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["delete", "replace_value", "garble", "duplicate", "insert_key"]))
        if how == "delete":
            lines.pop(i)
        elif how == "replace_value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = draw(st.sampled_from(['""', "3", "-2.5", "true", '"x"', "[1, 2]", '{a = 1}', '"F99"', "nan", '"摄像头"']))
            lines[i] = f"{key}= {value}"
        elif how == "garble":
            text = draw(st.text(alphabet=string.printable + "摄像头[]=\"'", max_size=12))
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + text + lines[i][pos:]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        else:
            key = draw(st.sampled_from(["type", "scene", "alarm", "id", "automatic", "zh", "key", "bogus"]))
            lines.insert(i, f'{key} = "obs_mute"')
        if not lines:
            lines = ["format = 1"]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_generated_damage_gives_a_located_error_or_a_valid_set(text):
    try:
        books = loads_runbooks(text, "runbooks.toml")
    except RunbookError as e:
        assert LOCATED.match(str(e)), str(e)
        assert 1 <= e.line <= text.count("\n") + 1
        assert "\n" not in str(e)
    else:
        assert len(books) >= 1
        for r in books:
            assert r.actions or r.checklist
            for a in r.actions:
                assert a.type in ACTION_TYPES
