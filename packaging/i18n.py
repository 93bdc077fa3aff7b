"""Maintain the UI translations with Qt's own tools.

    python packaging/i18n.py update   # lupdate: collect tr() strings into resources/translations/*.ts, then lrelease
    python packaging/i18n.py release  # lrelease only: compile .ts into the .qm files the app loads
    python packaging/i18n.py check    # exit 1 if a catalogue has unfinished or missing translations
    python packaging/i18n.py fill zh_CN < pairs.json   # set translations from {"English": "中文"}
                                                       # ("Context|English" keys: that context only)

Translators edit the .ts files (Qt Linguist: ``pyside6-linguist``, or any XML editor);
English is the source language, so there is no English catalogue.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ["zh_CN"]
# The UI's tr() strings, and the event-message catalogue (Qt-free: QT_TRANSLATE_NOOP markers
# that lupdate collects like tr(); see studio_app/core/event_kinds.py).
SOURCES_GLOBS = ("studio_app/ui/**/*.py", "studio_app/core/event_kinds.py", "hardware/said.py")


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with pyside6-essentials)")
    return found


def ts_path(lang: str) -> Path:
    return TRANSLATIONS / f"studio_console_{lang}.ts"


def sources() -> list[str]:
    return sorted({str(p.relative_to(ROOT)) for pattern in SOURCES_GLOBS for p in ROOT.glob(pattern)})


def update() -> None:
    sources_ = sources()
    for lang in LANGUAGES:
        subprocess.run(
            [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources_, "-ts", str(ts_path(lang))],
            cwd=ROOT,
            check=True,
        )
    release()


def release() -> None:
    for lang in LANGUAGES:
        subprocess.run(
            [_tool("pyside6-lrelease"), str(ts_path(lang)), "-qm", str(ts_path(lang).with_suffix(".qm"))],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def unfinished(lang: str, path: Path | None = None) -> list[tuple[str, str]]:
    out = []
    tree = ET.parse(path or ts_path(lang))
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or tr.get("type") in {"unfinished", "vanished", "obsolete"} or not (tr.text or "").strip():
                if tr is not None and tr.get("type") in {"vanished", "obsolete"}:
                    continue
                out.append((name, msg.findtext("source")))
    return out


def fill(lang: str, pairs: dict[str, str]) -> int:
    """Set translations for source strings (all contexts, or one: a key ``"Context|source"``,
    for a word that reads differently elsewhere); returns how many were set."""
    path = ts_path(lang)
    tree = ET.parse(path)
    n = 0
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            n += _fill_message(msg, pairs, name)
    header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text(header + body + "\n", encoding="utf-8")
    return n


def _fill_message(msg: ET.Element, pairs: dict[str, str], context: str | None) -> int:
    src = msg.findtext("source")
    key = f"{context}|{src}" if f"{context}|{src}" in pairs else src
    if key not in pairs:
        return 0
    tr = msg.find("translation")
    if tr is None:
        tr = ET.SubElement(msg, "translation")
    tr.text = pairs[key]
    tr.attrib.pop("type", None)
    return 1


def check() -> int:
    """Collect the sources' strings into a temporary copy of each catalogue (the committed file is
    left alone), so a new tr() string that nobody translated fails the check too."""
    import tempfile

    bad = 0
    sources_ = sources()
    for lang in LANGUAGES:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / ts_path(lang).name
            shutil.copy(ts_path(lang), copy)
            subprocess.run(
                [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources_, "-ts", str(copy)],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
            )
            missing = unfinished(lang, copy)
        for ctx, src in missing:
            print(f"{lang}: {ctx}: untranslated: {src!r}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "update"
    if cmd == "update":
        update()
    elif cmd == "release":
        release()
    elif cmd == "fill":
        import json

        print(f"set {fill(sys.argv[2], json.load(sys.stdin))} translations")
        release()
    elif cmd == "check":
        raise SystemExit(check())
    else:
        raise SystemExit(__doc__)
