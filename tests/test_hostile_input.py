"""Broken and hostile input on the command line (issue 21): what is not a regular file,
output targets that are devices or FIFOs, names too long, TOML nested too deep, bad
``--db`` URLs, huge numbers, secrets typed as arguments, and read-only commands that
must not create a log. Every case answers in one line with exit 2, at once."""
from __future__ import annotations

import errno
import os
import socket
import stat
from pathlib import Path

import pytest

from studio_app.core.files import (
    MAX_TOML_DEPTH,
    FileRefused,
    atomic_output,
    loads_toml,
    open_regular,
    read_regular_bytes,
    write_atomically,
)
from studio_app.core.paths import resource, sample_show_path
from tests.harness import unavailable
from tests.harness.cli_run import run_cli

SAMPLE = str(sample_show_path())
DEEP = 500  # the probe of issue 21: tomllib dies of RecursionError at this depth


def _db(tmp_path: Path) -> list[str]:
    return ["--db", f"sqlite:///{tmp_path / 'log.sqlite3'}"]


# Every command that reads a file a person names, with the suffix that routes it to its reader.
READERS = {
    "lint .toml": (".toml", lambda p: ["lint", p]),
    "lint .csv": (".csv", lambda p: ["lint", p]),
    "lint .xlsx": (".xlsx", lambda p: ["lint", p]),
    "lint .txt": (".txt", lambda p: ["lint", p]),
    "lint --terms": (".toml", lambda p: ["lint", SAMPLE, "--terms", p]),
    "runbooks": (".toml", lambda p: ["runbooks", p]),
    "selftest --profile": (".toml", lambda p: ["selftest", "--only", "console", "--profile", p]),
    "loudness": (".wav", lambda p: ["loudness", p]),
    "camcheck image": (".png", lambda p: ["camcheck", p]),
    "camcheck video": (".mp4", lambda p: ["camcheck", p]),
    "report --rundown": (".toml", lambda p: ["report", "--rundown", p]),
    "sales import": (".csv", lambda p: ["sales", "import", "show-1", p]),
    "--db file": (".sqlite3", lambda p: ["--db", f"sqlite:///{p}", "log"]),
}


def make_non_regular(kind: str, path: Path) -> Path:
    """``path`` made into something that is not a regular file."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "device":  # a link to a character device: stat() follows it
        path.symlink_to("/dev/null")
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    return path


# (Not /dev/zero: a reader that wrongly accepted it would fill the machine's memory.)
NON_REGULAR = ["fifo", "folder", "device", "socket"]


@pytest.mark.parametrize("kind", NON_REGULAR)
@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_refuses_what_is_not_a_regular_file_at_once(reader, kind, tmp_path):
    suffix, argv = READERS[reader]
    target = make_non_regular(kind, tmp_path / f"input{suffix}")
    r = run_cli([*_db(tmp_path), *argv(str(target))], fifos=[target] if kind == "fifo" else [])
    assert r.code is not None, f"{reader} hung on a {kind}"
    assert not r.crash, r.crash
    assert r.code == 2 and r.one_line_error, r.err
    assert "input" in r.err, r.err  # says which file
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_the_refusal_says_what_the_file_is(tmp_path):
    fifo = make_non_regular("fifo", tmp_path / "script.txt")
    r = run_cli(["lint", str(fifo)], fifos=[fifo])
    assert r.code == 2 and "FIFO" in r.err and "script.txt" in r.err, r.err
    r = run_cli(["lint", str(make_non_regular("device", tmp_path / "dev.txt"))])
    assert r.code == 2 and "character device" in r.err, r.err


# ---------------------------------------------------------------------------------------
# The helper itself


def test_open_regular_returns_at_once_on_a_fifo_nobody_writes(tmp_path):
    fifo = make_non_regular("fifo", tmp_path / "f")
    with pytest.raises(FileRefused) as info:
        open_regular(fifo)  # a plain open() would block here until a writer appears
    assert str(info.value) == f"{fifo}: is a FIFO (named pipe), not a regular file"


def test_read_regular_bytes_limits_the_size_before_reading(tmp_path):
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(10_000_001)  # sparse: nothing is written, st_size says 10 MB
    with pytest.raises(FileRefused) as info:
        read_regular_bytes(big, limit=10_000_000)
    assert info.value.errno == errno.EFBIG and "larger than" in str(info.value)
    assert read_regular_bytes(big, limit=20_000_000)[:4] == b"\0\0\0\0"


def test_toml_nested_too_deep_is_a_located_syntax_error():
    import tomllib

    text = "a = 1\nb = " + "[" * DEEP + "]" * DEEP + "\n"
    with pytest.raises(tomllib.TOMLDecodeError) as info:
        loads_toml(text)
    assert f"more than {MAX_TOML_DEPTH} levels" in str(info.value) and "(at line 2, column" in str(info.value)
    ok = "x = " + "[" * MAX_TOML_DEPTH + "]" * MAX_TOML_DEPTH
    assert loads_toml(ok)["x"] is not None
    # brackets inside strings and comments are not nesting
    assert loads_toml('s = "' + "[" * DEEP + '" # ' + "{" * DEEP + "\nt = '''" + "[" * DEEP + "'''\n")["s"]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_atomic_writes_never_replace_what_is_not_a_regular_file(kind, tmp_path):
    target = make_non_regular(kind, tmp_path / "out.html")
    before = os.lstat(target)
    with pytest.raises(FileRefused, match="refusing to replace it"):
        write_atomically(target, "<html>")
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]  # no temporary file left


def test_atomic_output_leaves_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as f:
            f.write("half")
            raise RuntimeError("renderer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_private_atomic_output_is_owner_only_and_a_stale_part_file_does_not_matter(tmp_path):
    target = tmp_path / "secrets.json"
    os.mkfifo(tmp_path / "secrets.json.part")  # the old fixed temp name: would hang a writer
    write_atomically(target, "{}", private=True)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600 and target.read_text() == "{}"


def test_a_name_too_long_is_one_line(tmp_path):
    with pytest.raises(FileRefused, match="file name too long"):
        write_atomically(tmp_path / ("x" * 300), "data")
    with pytest.raises(FileRefused, match="file name too long"):
        read_regular_bytes(tmp_path / ("x" * 300))
    # a name that fits, but not with a ".part" suffix, is still written
    fits = tmp_path / ("y" * 252)
    write_atomically(fits, "data")
    assert fits.read_text() == "data"


# ---------------------------------------------------------------------------------------
# Output targets on the command line


def _char_device(tmp_path: Path) -> Path:
    """A real character device node (a copy of /dev/null) in tmp_path: never risk /dev itself."""
    node = tmp_path / "null-device"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        unavailable("a device node", "making one needs root (CI runs as root)")
    return node


@pytest.fixture
def small_log(tmp_path):
    """A log with a few events of show ``show-1``."""
    from studio_app.core.events import Severity
    from studio_app.store import EventLog

    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    log = EventLog(url).start()
    try:
        for i in range(3):
            log.log("cue", "segment.start", f"segment {i}", Severity.INFO, {"segment": f"s{i}"}, show_id="show-1")
        assert log.flush(30)
    finally:
        log.close()
    return url


@pytest.mark.parametrize("kind", ["fifo", "device-link", "device-node", "folder"])
@pytest.mark.parametrize("command", ["export-events", "report", "selftest --html", "selftest --save-profile",
                                     "obs screenshot"])
def test_output_targets_that_are_not_regular_files_are_refused_and_kept(command, kind, small_log, tmp_path):
    if kind == "device-node":
        target = _char_device(tmp_path)
    else:
        target = make_non_regular({"device-link": "device"}.get(kind, kind), tmp_path / "target.out")
    before = os.lstat(target)
    argv = {
        "export-events": ["export-events", "show-1", "--out", str(target)],
        "report": ["report", "show-1", "--out", str(target)],
        "selftest --html": ["selftest", "--only", "console", "--html", str(target)],
        "selftest --save-profile": ["selftest", "--only", "console", "--save-profile", str(target)],
        "obs screenshot": ["obs", "--port", "1", "--timeout", "1", "screenshot", str(target)],
    }[command]
    r = run_cli(["--db", small_log, *argv], fifos=[target] if kind == "fifo" else [])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert str(target) in r.err or target.name in r.err, r.err
    after = os.lstat(target)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)


@pytest.mark.parametrize("command", ["export-events", "report"])
def test_an_output_name_too_long_is_one_line(command, small_log, tmp_path):
    out = tmp_path / ("n" * 300 + ".out")
    r = run_cli(["--db", small_log, command, "show-1", "--out", str(out)])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert "file name too long" in r.err


def test_export_and_report_still_write_regular_files(small_log, tmp_path):
    csv_out, html_out = tmp_path / "events.csv", tmp_path / "report.html"
    csv_out.write_text("old", encoding="utf-8")
    assert run_cli(["--db", small_log, "export-events", "show-1", "--out", str(csv_out)]).code == 0
    assert csv_out.read_text(encoding="utf-8-sig").count("segment.start") == 3
    assert run_cli(["--db", small_log, "report", "show-1", "--out", str(html_out)]).code == 0
    assert "<html" in html_out.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


# ---------------------------------------------------------------------------------------
# TOML nested too deep


def _deep_toml(path: Path) -> Path:
    path.write_text('format = 1\nx = ' + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("reader", ["lint .toml", "lint --terms", "runbooks", "selftest --profile"])
def test_toml_nested_500_deep_is_one_line(reader, tmp_path):
    _, argv = READERS[reader]
    deep = _deep_toml(tmp_path / "deep.toml")
    r = run_cli([*_db(tmp_path), *argv(str(deep))])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert "deep.toml" in r.err and "nested more than" in r.err, r.err


def test_report_with_a_rundown_nested_too_deep_is_one_line(small_log, tmp_path):
    deep = _deep_toml(tmp_path / "deep.toml")
    r = run_cli(["--db", small_log, "report", "show-1", "--rundown", str(deep), "--out", str(tmp_path / "r.html")])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert "deep.toml:2:" in r.err and "nested more than" in r.err, r.err


def test_settings_nested_too_deep_fall_back_to_defaults(tmp_path):
    from studio_app.core.settings import Settings

    path = _deep_toml(tmp_path / "settings.toml")
    s = Settings(path=path)
    assert s.problem and "nested more than" in s.problem
    assert s.get("obs.port") == 4455


def test_settings_that_are_a_fifo_are_left_alone(tmp_path):
    from studio_app.core.settings import Settings

    fifo = make_non_regular("fifo", tmp_path / "settings.toml")
    s = Settings(path=fifo)  # a plain open() would block the desk's start here
    assert s.problem and "FIFO" in s.problem
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(FileRefused):
        s.save()


def test_the_desk_loader_refuses_deep_nesting_and_fifos(tmp_path):
    from studio_app.show.desk import ShowDesk
    from studio_app.show.errors import RundownError

    with pytest.raises(RundownError, match="nested more than"):
        ShowDesk.from_file(_deep_toml(tmp_path / "deep.toml"))
    for suffix in (".toml", ".csv", ".xlsx"):
        fifo = make_non_regular("fifo", tmp_path / f"show{suffix}")
        with pytest.raises(RundownError, match="FIFO"):
            ShowDesk.from_file(fifo)


def test_saving_a_rundown_never_replaces_a_fifo(tmp_path):
    from studio_app.show.rundown import load_rundown, save_rundown, save_segment_edits

    show = load_rundown(sample_show_path())
    for suffix in (".toml", ".csv", ".xlsx"):
        fifo = make_non_regular("fifo", tmp_path / f"saved{suffix}")
        with pytest.raises(FileRefused):
            save_rundown(show, fifo)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    with pytest.raises(FileRefused):
        save_segment_edits(show, tmp_path / "saved.toml")


# ---------------------------------------------------------------------------------------
# The event log: bad URLs, and read-only commands that must create nothing


BAD_URLS = {
    "no driver": ("mysql://user@db.example/studio", "driver for 'mysql' is not installed"),
    "broken host": ("postgresql://u:SECRETPW@[::1:1/x", "not a database URL"),
    "port out of range": ("postgresql://u:SECRETPW@localhost:99999/x", "port 99999 is outside 1..65535"),
    "not a database": ("sqlite:////etc/passwd", "not an SQLite database"),
    "unreachable": ("postgresql://u:SECRETPW@127.0.0.1:1/x", "127.0.0.1"),
}


@pytest.mark.parametrize("case", list(BAD_URLS))
@pytest.mark.parametrize("command", [["log"], ["incidents"], ["sales", "score"], ["sales", "add", "s", "--gmv", "1"]])
def test_bad_db_urls_are_one_line(case, command):
    url, expected = BAD_URLS[case]
    r = run_cli(["--db", url, *command])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert expected in r.err and "SECRETPW" not in r.err + r.out, r.err


@pytest.mark.parametrize("what", ["folder", "binary file", "fifo"])
def test_a_db_path_that_is_not_a_database_is_one_line(what, tmp_path):
    if what == "folder":
        path = make_non_regular("folder", tmp_path / "logs")
    elif what == "fifo":
        path = make_non_regular("fifo", tmp_path / "log.sqlite3")
    else:
        path = tmp_path / "log.sqlite3"
        path.write_bytes(bytes(range(256)) * 40)
    before = path.read_bytes() if what == "binary file" else None
    for command in (["log"], ["sales", "add", "s", "--gmv", "1"]):
        r = run_cli(["--db", f"sqlite:///{path}", *command], fifos=[path] if what == "fifo" else [])
        assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
        assert str(path) in r.err
    if before is not None:
        assert path.read_bytes() == before


READ_ONLY = [["log"], ["incidents"], ["export-events", "show-1"], ["report"], ["sales", "score"]]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_read_only_commands_create_no_folder_and_no_log(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nonexistent" / "dir" / "log.sqlite3"
    r = run_cli(["--db", f"sqlite:///{missing}", *command])
    assert r.code == 2 and r.one_line_error, r.err
    assert f"no event log at {missing}" in r.err
    assert not (tmp_path / "nonexistent").exists()
    show = tmp_path / "show.toml"
    show.write_bytes(b"")
    r = run_cli(["--db", f"sqlite:///{show}", *command])
    assert r.code == 2 and "not an SQLite database" in r.err, r.err
    assert show.read_bytes() == b""  # an empty show.toml stays what it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["show.toml"]


def test_read_only_commands_open_the_log_read_only(small_log):
    from sqlalchemy import text

    from studio_app.store import reading_engine

    with reading_engine(small_log) as engine, engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() >= 3
        with pytest.raises(Exception, match="readonly"):
            conn.execute(text("DELETE FROM events"))


def test_read_only_commands_still_read_an_existing_log(small_log):
    r = run_cli(["--db", small_log, "log", "--show", "show-1"])
    assert r.code == 0 and r.out.count("segment.start") == 3, r.err


# ---------------------------------------------------------------------------------------
# Numbers, usage, secrets


def test_a_huge_limit_is_a_usage_error_not_an_overflow(small_log):
    r = run_cli(["--db", small_log, "log", "--limit", "99999999999999999999"])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert "--limit" in r.err
    r = run_cli(["--db", small_log, "log", "--limit", "2"])
    assert r.code == 0 and r.out.count("segment.start") == 2


def test_usage_errors_are_one_line_without_the_usage(small_log):
    r = run_cli(["--db", small_log, "log", "--since", "-5m"])
    assert r.code == 2 and r.one_line_error, r.err
    assert "usage:" not in r.err and "--option=-value" in r.err
    r = run_cli(["--db", small_log, "log", "--since=-5m"])
    assert r.code == 2 and r.one_line_error and "--since" in r.err, r.err


@pytest.mark.parametrize("argv", [
    ["obs", "password", "set", "SECRET-9f3"],
    ["obs", "password", "SECRET-9f3"],
    ["obs", "password", "set", "--password=SECRET-9f3"],
    ["obs", "password", "--SECRET-9f3"],
])
def test_a_password_typed_on_the_command_line_is_never_repeated(argv):
    r = run_cli(argv, stdin="")
    assert r.code == 2 and r.one_line_error, r.err
    assert "SECRET-9f3" not in r.err + r.out


def test_a_db_password_is_never_shown_in_an_error(tmp_path):
    for url in ("postgresql://studio:SECRET-9f3@[::1/x", "postgresql://studio:SECRET-9f3@127.0.0.1:1/x",
                "nope://studio:SECRET-9f3@host/x"):
        r = run_cli(["--db", url, "log"])
        assert r.code == 2 and r.one_line_error, r.err
        assert "SECRET-9f3" not in r.err + r.out, r.err


def test_the_bundled_files_still_read():
    assert run_cli(["runbooks", str(resource("runbooks", "runbooks.toml"))]).code == 0
    assert run_cli(["lint", SAMPLE]).code in (0, 1)
    assert run_cli(["lint", SAMPLE, "--terms", str(resource("compliance", "terms.toml"))]).code in (0, 1)


@pytest.mark.parametrize("option", ["--orders", "--viewers", "--gmv", "--interactions"])
def test_a_sales_figure_too_large_for_the_database_is_one_line(option, tmp_path):
    r = run_cli([*_db(tmp_path), "sales", "add", "show-1", option, "99999999999999999999999"])
    assert r.code == 2 and r.one_line_error and not r.crash, (r.err, r.crash)
    assert option in r.err and "beyond any sales figure" in r.err


def test_a_nul_in_a_file_name_is_refused(tmp_path):
    """No shell can pass one, but the desk and scripts call these helpers with any string."""
    with pytest.raises(FileRefused, match="NUL"):
        read_regular_bytes(str(tmp_path / "a\0b.toml"))
    with pytest.raises(FileRefused, match="NUL"):
        write_atomically(str(tmp_path / "a\0b.html"), "x")
