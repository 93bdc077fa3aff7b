"""Event messages in the reader's language: every kind the console writes has an English
template and its Chinese, collected by Qt's lupdate from the Qt-free catalogue; rendering
falls back to the stored message for old events; the CLI's log, export-events, incidents
and report speak the chosen language."""
from __future__ import annotations

import ast
import csv
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studio_app.core import event_kinds
from studio_app.core.event_text import (
    KIND_CONTEXT,
    MESSAGE_CONTEXT,
    REASON_CONTEXT,
    VALUE_CONTEXT,
    EventLine,
    EventText,
    TsCatalogue,
    catalogue_path,
    resolve_language,
    system_language,
)
from studio_app.core.events import MemorySink, Severity
from tests.harness.sample_events import drive_sample_show

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import i18n  # noqa: E402

ZH = EventText("zh_CN")
EN = EventText("en")
ZH_CATALOGUE = TsCatalogue(catalogue_path("zh_CN"))

# Calls that write an event, and which positional argument is the kind.
EMIT_CALLS = {"log": 1, "_log": 0, "_event": 0, "_emit": 0, "show_event": 0, "cue_event": 0, "ShowEvent": 1,
              "HealthEvent": 0, "_change": 0, "_fire": 1}
# Words that are units or product names, not English sentences.
ALLOWED_LATIN = {"OBS", "LUFS", "dBFS", "kbps", "CPU", "GPU", "Hz", "fps", "MB"}


# --------------------------------------------------------------------------- collecting kinds
def kinds_in_source() -> tuple[set[str], list[str]]:
    """Literal kinds at every event-writing call in studio_app/ and hardware/, and the
    f-string kinds (and coupon/flash actions) as regular expressions."""
    literal: set[str] = set()
    patterns: list[str] = []
    for path in sorted([*ROOT.glob("studio_app/**/*.py"), *ROOT.glob("hardware/**/*.py")]):
        # the OBS dock logs the OBS worker's kinds as "obs.<kind>" (studio_app/ui/obs_panel.py)
        prefix = "obs." if path.is_relative_to(ROOT / "hardware" / "obs") else ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            i = EMIT_CALLS.get(name)
            if i is None or len(node.args) <= i:
                continue
            arg = node.args[i]
            if name == "_fire":  # CouponSchedule._fire(item, action, ...): the kind is "<item kind>.<action>"
                if isinstance(arg, ast.Constant):
                    patterns.append(rf"(coupon|flash)\.{re.escape(arg.value)}")
                continue
            for value in ([arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    literal.add(prefix + value.value)
                elif isinstance(value, ast.JoinedStr):
                    patterns.append(re.escape(prefix) + "".join(
                        re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in value.values))
    return literal, patterns


def run_sample_show() -> list:
    sink = MemorySink()
    drive_sample_show(sink)  # with device events and incidents mid-show
    return sink.events


@pytest.fixture(scope="module")
def show_events():
    return run_sample_show()


def catalogue_kinds() -> set[str]:
    return {key.split(":", 1)[1] for key in event_kinds.TEMPLATES}


def entry_templates(entry) -> list[str]:
    return entry.templates() if isinstance(entry, event_kinds.Variants) else [entry]


# --------------------------------------------------------------------------- the catalogue
def test_every_kind_the_code_writes_has_a_template_and_its_chinese(show_events):
    literal, patterns = kinds_in_source()
    ran = {(e.source, e.kind) for e in show_events}
    assert len(literal) > 60 and len(ran) > 25, (len(literal), len(ran))  # the scan and the run found the kinds
    known = catalogue_kinds()
    missing = sorted(literal - known)
    assert not missing, f"event kinds with no message template in studio_app/core/event_kinds.py: {missing}"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, k) for k in known), f"no template matches the kind pattern {pattern!r}"
    no_template = sorted(f"{s}:{k}" for s, k in ran if f"{s}:{k}" not in event_kinds.TEMPLATES)
    assert not no_template, f"the sample show wrote kinds with no template: {no_template}"
    untranslated = sorted(t for entry in event_kinds.TEMPLATES.values() for t in entry_templates(entry)
                          if not ZH_CATALOGUE.has(MESSAGE_CONTEXT, t))
    assert not untranslated, f"templates with no Chinese in the .ts (packaging/i18n.py fill zh_CN): {untranslated}"
    words = [w for w in event_kinds.VALUES if not ZH_CATALOGUE.has(VALUE_CONTEXT, w)]
    assert not words, f"enum words with no Chinese: {words}"
    reasons = [t for t in event_kinds.REASONS.values() if not ZH_CATALOGUE.has(REASON_CONTEXT, t)]
    assert not reasons, f"refusal reasons with no Chinese: {reasons}"
    assert set(event_kinds.LABELS) == set(event_kinds.TEMPLATES), "every kind needs a short name in LABELS"
    names = [n for n in event_kinds.LABELS.values() if not ZH_CATALOGUE.has(KIND_CONTEXT, n)]
    assert not names, f"kind names with no Chinese: {names}"


def test_every_refusal_the_engine_raises_has_a_reason_template():
    codes = set()
    for path in sorted(ROOT.glob("studio_app/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "refusal":
                assert isinstance(node.args[1], ast.Constant), f"{path}:{node.lineno}: the code must be a literal"
                codes.add(node.args[1].value)
    assert len(codes) > 25
    assert codes <= set(event_kinds.REASONS), sorted(codes - set(event_kinds.REASONS))


def test_a_refused_action_gives_its_reason_in_chinese():
    from studio_app.show.clock import ManualClock
    from studio_app.show.desk import ShowDesk
    from studio_app.show.rundown import load_rundown
    from studio_app.core.paths import sample_show_path

    sink = MemorySink()
    desk = ShowDesk(load_rundown(sample_show_path()), ManualClock(), sink)
    r = desk.dispatch("coupon_confirm")
    assert not r.ok and r.message == "nothing waiting for confirmation"
    [ev] = [e for e in sink.events if e.kind == "desk.refused"]
    assert ev.payload["reason_code"] == "nothing_to_confirm"
    assert ZH.message(ev) == "「确认已发券」被拒绝: 没有等待确认的发券"
    assert EN.message(ev) == "coupon confirm refused: nothing waiting for confirmation"
    r = desk.dispatch("stock_adjust", sku="SK-2003", delta=-1)  # frozen core stock in the sample
    assert "core stock is frozen" in r.message
    assert ZH.message(sink.events[-1]).endswith("核心库存已冻结（请先解冻）")
    bogus = desk.dispatch("no_such_action")  # no coded reason: the engine's line
    assert ZH.message(sink.events[-1]) == f"「no such action」被拒绝: {bogus.message}"


def test_a_kind_without_chinese_is_caught(monkeypatch):
    """The check above can fail: a new kind with a template but no translation is named."""
    monkeypatch.setitem(event_kinds.TEMPLATES, "show:card.teleported", "card {sku} teleported")
    untranslated = [t for entry in event_kinds.TEMPLATES.values() for t in entry_templates(entry)
                    if not ZH_CATALOGUE.has(MESSAGE_CONTEXT, t)]
    assert untranslated == ["card {sku} teleported"]


def test_lupdate_collects_every_template_from_the_qt_free_catalogue(tmp_path):
    """The templates reach the .ts through Qt's own lupdate, from the path packaging/i18n.py scans."""
    assert "studio_app/core/event_kinds.py" in i18n.sources()
    ts = tmp_path / "collected.ts"
    subprocess.run([i18n._tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *i18n.sources(), "-ts", str(ts)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    found: dict[str, set[str]] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        found[ctx.findtext("name")] = {m.findtext("source") for m in ctx.iter("message")}
    assert set(event_kinds.all_templates()) <= found[MESSAGE_CONTEXT]
    assert set(event_kinds.VALUES) <= found[VALUE_CONTEXT]
    assert set(event_kinds.REASONS.values()) == found[REASON_CONTEXT]
    assert set(event_kinds.LABELS.values()) == found[KIND_CONTEXT]
    assert found[MESSAGE_CONTEXT] <= set(event_kinds.all_templates()), "a marked template that no kind uses"


def test_the_chinese_templates_use_only_fields_their_english_has_or_the_payload_gives(show_events):
    """Every rendering of the sample show in Chinese uses its translation (not the fallback)."""
    for e in show_events:
        zh, en = ZH.message(e), EN.message(e)
        assert zh and en, (e.kind, e.payload)
        tpl = event_kinds.template_for(e.source, e.kind, e.payload or {})
        if ZH_CATALOGUE(MESSAGE_CONTEXT, tpl) != tpl:
            assert zh != en, (e.kind, zh)


def _strip_payload_values(text: str, payload) -> str:
    values: list[str] = []

    def walk(v) -> None:  # noqa: ANN001
        if isinstance(v, str):
            values.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(payload or {})
    for v in sorted(values, key=len, reverse=True):
        if len(v) >= 2:
            text = text.replace(v, " ")
    return text


def test_the_sample_show_in_chinese_has_no_english_engine_text(show_events):
    english = []
    for e in show_events:
        rest = _strip_payload_values(ZH.message(e), e.payload)
        words = {w for w in re.findall(r"[A-Za-z]{3,}", rest)} - ALLOWED_LATIN
        if words:
            english.append((e.kind, ZH.message(e), sorted(words)))
    assert not english, english


# --------------------------------------------------------------------------- rendering
def test_kinds_have_short_names_per_language():
    assert ZH.label("show", "card.push") == "商品讲解" and EN.label("show", "card.push") == "card push"
    assert ZH.label("desk", "desk.brand_new") == "desk.brand_new"  # no name yet: the kind itself


def test_push_and_anchor_message_and_show_opened_in_both_languages():
    push = {"source": "show", "kind": "card.push", "message": "push 云朵羊绒围巾",
            "payload": {"sku": "SK-2001", "card": {"name": "云朵羊绒围巾"}}}
    assert ZH.message(push) == "讲解 云朵羊绒围巾" and EN.message(push) == "push 云朵羊绒围巾"
    msg = {"source": "show", "kind": "message.show", "message": "to anchor: 慢一点", "payload": {"text": "慢一点"}}
    assert ZH.message(msg) == "给主播: 慢一点"
    opened = {"source": "show", "kind": "show.open", "message": "show opened: X", "payload": {"title": "暖冬好物专场"}}
    assert ZH.message(opened) == "已打开直播: 暖冬好物专场" and EN.message(opened) == "show opened: 暖冬好物专场"


def test_an_old_event_without_the_payload_fields_shows_its_stored_message():
    old = {"source": "show", "kind": "show.open", "message": "show opened: 旧的一场", "payload": {"run": "r1"}}
    assert ZH.message(old) == "show opened: 旧的一场"
    unknown = {"source": "desk", "kind": "desk.something_new", "message": "a new thing", "payload": {}}
    assert ZH.message(unknown) == "a new thing" and EN.message(unknown) == "a new thing"
    wrong_type = {"source": "mic", "kind": "recovered", "message": "mic back", "payload": {"device": "x", "outage_s": "?"}}
    assert ZH.message(wrong_type) == "mic back"


def test_numbers_and_durations_read_naturally_per_language():
    resume = {"source": "show", "kind": "coupon.resume", "payload": {"paused_for": 95.2}}
    assert EN.message(resume) == "coupon drops resumed (all pending moved 1 min 35 s later)"
    assert ZH.message(resume) == "发券已恢复（待发的全部推迟 1分35秒）"
    add = {"source": "cue", "kind": "cue.add_time", "payload": {"seconds": -60.0, "to": {"title": "开场"}}}
    assert EN.message(add) == "-1 min on 开场" and ZH.message(add) == "开场 时长 -1分"
    go = {"source": "cue", "kind": "cue.go", "payload": {"from": {"title": "A", "diff": -12.4}, "to": {"title": "B"}}}
    assert EN.message(go) == "A → B (-00:12 vs plan)" and ZH.message(go) == "A → B（比计划 -00:12）"
    disk = {"source": "obs", "kind": "obs.disk_low", "payload": {"free_mb": 12345}}
    assert ZH.message(disk) == "录制空间仅剩 12,345 MB"
    phase = {"source": "cue", "kind": "cue.phase", "payload": {"title": "开场", "phase": "overtime"}}
    assert ZH.message(phase) == "开场: 超时" and EN.message(phase) == "开场: overtime"
    card = {"source": "show", "kind": "card.on_shelf", "payload": {"product": "围巾", "from": "explaining", "to": "on_shelf"}}
    assert EN.message(card) == "围巾: explaining → on shelf" and ZH.message(card) == "围巾: 讲解中 → 已上架"


def test_the_device_scheme_of_the_devices_branch_renders_in_both_languages():
    """device.<state> kinds (devices-api.md) for every device, and mic events whose capture
    device moved from the payload's "device" to its "source"."""
    ok = {"source": "mic", "kind": "device.ok", "payload": {
        "device": "mic", "state": "ok", "previous": "lost", "attempt": 0, "source": "pulse", "outage_s": 3.24}}
    assert ZH.message(ok) == "麦克风 已恢复，中断 3.2 秒（pulse）" and EN.message(ok) == "mic back after 3.2 s (pulse)"
    lost = {"source": "obs", "kind": "device.unreachable", "payload": {"device": "obs", "source": "127.0.0.1:4455"}}
    assert ZH.message(lost) == "无法连接OBS（127.0.0.1:4455）"
    assert ZH.label("camera", "device.stalled") == "设备卡住"
    new = {"source": "mic", "kind": "clipping", "payload": {"device": "mic", "source": "USB Mic", "clipped_samples": 3}}
    old = {"source": "mic", "kind": "clipping", "payload": {"device": "USB Mic", "clipped_samples": 3}}
    assert ZH.message(new) == ZH.message(old) == "USB Mic 削波: 3 个采样达到满幅"


def test_the_studio_branch_action_event_renders_in_both_languages():
    """desk.action, one per dispatched action (studio-api.md), with the registry's action names."""
    done = {"source": "desk", "kind": "desk.action", "payload": {
        "action": "card.push", "args": {"slot": 1}, "by": "http", "ok": True, "code": "ok", "drill": False}}
    assert ZH.message(done) == "讲解商品（来自HTTP 遥控）" and EN.message(done) == "card.push (from http)"
    refused = {"source": "desk", "kind": "desk.action", "payload": {
        "action": "obs.stream.stop", "args": {}, "by": "key", "ok": False, "code": "refused", "drill": False}}
    assert ZH.message(refused) == "「停止推流」未执行（来自快捷键）: 被拒绝"


def test_incidents_use_the_runbook_names_of_the_reader():
    ev = {"source": "emergency", "kind": "incident.open", "message": "incident opened: 投诉激增 Complaint surge",
          "payload": {"drill": True, "name_zh": "投诉激增", "name_en": "Complaint surge"}}
    assert ZH.message(ev) == "演练: 应急事件开始: 投诉激增" and EN.message(ev) == "DRILL: incident opened: Complaint surge"


def test_event_line_is_the_stored_message_and_renders_later():
    class Stored:
        source, kind, message, payload = "show", "card.push", "push 围巾", {"card": {"name": "围巾"}}

    line = EventLine(Stored())
    assert line == "push 围巾" and line.message == "push 围巾" and type(line.message) is str
    assert line.in_language(ZH) == "讲解 围巾" and line.in_language(None) == "push 围巾"


def test_language_follows_the_setting_then_the_locale():
    assert resolve_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert resolve_language("system", {"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert resolve_language(None, {"LC_ALL": "", "LANG": "de_DE.UTF-8"}) == "en"
    assert system_language({}) == "en"
    with pytest.raises(ValueError):
        EventText("fr")


# --------------------------------------------------------------------------- the command line
@pytest.fixture
def logged_db(tmp_path):
    """The sample show, an incident and a drill in a real SQLite log, plus an event as an
    older console wrote it (message, no renderable payload)."""
    from studio_app.store import EventLog

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    with EventLog(url, spool_path=tmp_path / "outbox" / "l.jsonl") as log:
        desk = drive_sample_show(log)
        show = desk.show
        log.log("show", "show.open", f"show opened: {show.title}", Severity.INFO,
                {"title": show.title, "run": desk.run_id}, show.id)
        log.log("show", "show.open", "show opened: 旧版本写的", Severity.INFO, {"run": "old"}, show.id)
        assert log.flush()
    return url, show


def test_log_lang_prints_chinese_and_json_keeps_english_unless_asked(logged_db, capsys):
    from studio_app.cli import main

    url, show = logged_db
    assert main(["--db", url, "log", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert f"已打开直播: {show.title}" in out and "给主播: 讲慢一点" in out and "合规放行: 已人工核对" in out
    assert "to anchor" not in out and "show opened: 旧版本写的" in out  # the old event falls back
    assert main(["--db", url, "log", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"to anchor: 讲慢一点", f"show opened: {show.title}"} <= {r["message"] for r in rows}
    assert main(["--db", url, "log", "--json", "--lang", "zh_CN"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert "给主播: 讲慢一点" in {r["message"] for r in rows}
    assert main(["--db", url, "log", "--lang", "en"]) == 0
    assert "to anchor: 讲慢一点" in capsys.readouterr().out


def test_log_without_lang_follows_the_settings_language(logged_db, capsys, monkeypatch):
    from studio_app.cli import main
    from studio_app.core.settings import Settings

    url, _show = logged_db
    monkeypatch.setattr(Settings, "get", lambda self, key, default=None: "zh_CN" if key == "general.language" else default)
    assert main(["--db", url, "log"]) == 0
    assert "给主播: 讲慢一点" in capsys.readouterr().out


def test_a_bad_lang_is_a_one_line_usage_error(logged_db, capsys):
    from studio_app.cli import main

    url, _show = logged_db
    with pytest.raises(SystemExit) as exc:
        main(["--db", url, "log", "--lang", "fr"])
    assert exc.value.code == 2
    assert "--lang" in capsys.readouterr().err


def test_export_events_lang_writes_the_message_column_in_chinese(logged_db, tmp_path, capsys):
    from studio_app.cli import main

    url, show = logged_db
    for lang, expected in ((None, "to anchor: 讲慢一点"), ("zh_CN", "给主播: 讲慢一点")):
        out = tmp_path / f"events-{lang}.csv"
        args = ["--db", url, "export-events", show.id, "--out", str(out)] + (["--lang", lang] if lang else [])
        assert main(args) == 0
        rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert expected in {r["message"] for r in rows}
    capsys.readouterr()


def test_report_lang_renders_event_messages_in_chinese(logged_db, tmp_path, capsys):
    from studio_app.cli import main

    url, show = logged_db
    out = tmp_path / "r.html"
    assert main(["--db", url, "report", show.id, "--out", str(out), "--lang", "zh_CN"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "合规放行: 已人工核对" in html and "compliance override" not in html
    assert main(["--db", url, "report", show.id, "--out", str(out), "--lang", "en"]) == 0
    assert "compliance override: 已人工核对" in out.read_text(encoding="utf-8")
    capsys.readouterr()


def test_incidents_lang_lists_in_chinese(logged_db, capsys):
    from studio_app.cli import main

    url, _show = logged_db
    assert main(["--db", url, "incidents", "--lang", "zh_CN"]) == 0
    out = capsys.readouterr().out
    assert "应急事件: 1" in out and "演练: 1" in out and "投诉激增" in out and "备注: 尺码问题已说明" in out
    assert "Incidents" not in out and re.search(r"用时 \d+ 秒", out)


def test_fill_sets_a_context_qualified_word_only_in_that_context(tmp_path, monkeypatch):
    ts = tmp_path / "x.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
                  "<context><name>EmergencyPanel</name><message><source>done</source>"
                  "<translation>完成</translation></message></context>"
                  "<context><name>EventValue</name><message><source>done</source>"
                  '<translation type="unfinished"></translation></message>'
                  "<message><source>live</source><translation type=\"unfinished\"></translation></message></context></TS>",
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "ts_path", lambda lang: ts)
    assert i18n.fill("zh_CN", {"EventValue|done": "已结束", "live": "进行中"}) == 2
    cat = TsCatalogue(ts)
    assert cat("EmergencyPanel", "done") == "完成" and cat("EventValue", "done") == "已结束"
    assert cat("EventValue", "live") == "进行中"
