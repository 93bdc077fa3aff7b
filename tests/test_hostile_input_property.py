"""Property (issue 21): for every subcommand and every file argument, random bytes, an
empty file, a huge file and things that are not regular files give exit 0, 1 or 2 within
a time limit, and never a traceback.

The CLI runs in this process (:func:`tests.harness.cli_run.run_cli`, a watchdog thread),
which keeps hundreds of examples cheap; a few examples also run as real subprocesses.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_app.core.files import MAX_INPUT_BYTES
from tests.harness.cli_run import CLI_TIMEOUT_S, run_cli
from tests.test_hostile_input import NON_REGULAR, READERS, make_non_regular, small_log  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

def _beside(path: str, name: str) -> str:
    return str(Path(path).with_name(name))


# Every file argument, with the reader's suffix; the log fixture has show "show-1".
FILE_ARGUMENTS = {
    **READERS,
    "report --rundown": (".toml", lambda p: ["report", "show-1", "--rundown", p, "--out", _beside(p, "r.html")]),
    "report --rundown .csv": (".csv", lambda p: ["report", "show-1", "--rundown", p, "--out", _beside(p, "r.html")]),
    "export-events --out": (".csv", lambda p: ["export-events", "show-1", "--out", p]),
    "report --out": (".html", lambda p: ["report", "show-1", "--out", p]),
    "selftest --html": (".html", lambda p: ["selftest", "--only", "console", "--html", p]),
    "selftest --save-profile": (".toml", lambda p: ["selftest", "--only", "console", "--save-profile", p]),
    "obs screenshot": (".png", lambda p: ["obs", "--port", "1", "--timeout", "1", "screenshot", p]),
}

# Files the command writes: what was in them does not matter (the tests below give them
# every kind of non-regular file), so random bytes would only repeat the same run.
OUTPUTS = {"export-events --out", "report --out", "selftest --html", "selftest --save-profile", "obs screenshot"}

# Starts of real formats, so the random tail reaches past each reader's first check.
PREFIXES = [
    b"",
    b"\xef\xbb\xbf",  # UTF-8 BOM
    b"\xff\xfe",  # UTF-16LE BOM
    b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80\xbb\x00\x00",
    b"fLaC",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\x00\x00\x00\x20ftypisom",
    b"PK\x03\x04",  # a zip (xlsx)
    b"SQLite format 3\x00",
    b"format = 1\n[show]\nid = ",
    b"x = " + b"[" * 300,
    "环节,标题,时长\n".encode("utf-8"),
]

contents = st.one_of(
    st.just(b""),
    st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=4096)).map(lambda t: t[0] + t[1]),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8")),
)


def _check(run, what: str) -> None:
    assert run.code is not None, f"{what}: no answer within {CLI_TIMEOUT_S:g} s"
    assert not run.crash, f"{what}:\n{run.crash}"
    assert run.code in (0, 1, 2), f"{what}: exit {run.code}\n{run.err}"
    assert "Traceback" not in run.err, f"{what}:\n{run.err}"


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argument=st.sampled_from(sorted(set(FILE_ARGUMENTS) - OUTPUTS)), data=contents)
def test_random_bytes_in_any_file_argument(argument, data, small_log):  # noqa: F811
    suffix, argv = FILE_ARGUMENTS[argument]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        _check(run_cli(["--db", small_log, *argv(str(path))]), f"{argument} on {data[:40]!r}")


@pytest.mark.parametrize("argument", sorted(FILE_ARGUMENTS))
def test_huge_empty_and_non_regular_files_in_any_file_argument(argument, small_log, tmp_path):  # noqa: F811
    suffix, argv = FILE_ARGUMENTS[argument]
    huge = tmp_path / f"huge{suffix}"
    with open(huge, "wb") as f:
        f.truncate(MAX_INPUT_BYTES + 1)  # sparse: costs no disk, says 256 MB
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(b"")
    cases = {"huge": huge, "empty": empty}
    for kind in NON_REGULAR:
        cases[kind] = make_non_regular(kind, tmp_path / f"{kind}{suffix}")
    for kind, path in cases.items():
        run = run_cli(["--db", small_log, *argv(str(path))], fifos=[path] if kind == "fifo" else [])
        _check(run, f"{argument} on a {kind} file")
        if kind in NON_REGULAR:
            assert run.code == 2 and run.one_line_error, f"{argument} on a {kind}: {run.err}"


@pytest.mark.parametrize("argument", ["lint .toml", "--db file", "export-events --out"])
def test_the_real_entry_point_on_a_fifo_and_random_bytes(argument, small_log, tmp_path):  # noqa: F811
    """The same through ``python -m studio_app`` (a few examples: a process start costs ~1 s)."""
    suffix, argv = FILE_ARGUMENTS[argument]
    fifo = make_non_regular("fifo", tmp_path / f"pipe{suffix}")
    noise = tmp_path / f"noise{suffix}"
    noise.write_bytes(os.urandom(3000))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for path in (fifo, noise):
        proc = subprocess.run([sys.executable, "-m", "studio_app", "--db", small_log, *argv(str(path))],
                              capture_output=True, text=True, timeout=CLI_TIMEOUT_S, env=env, cwd=tmp_path)
        assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr, proc.stderr
        if path is fifo:
            assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
