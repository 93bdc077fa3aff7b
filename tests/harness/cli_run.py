"""Run ``studio-console`` in this process with a watchdog, for hostile-input tests.

A command that hangs (a reader blocked on a FIFO) must fail its test, not the whole run:
:func:`run_cli` runs :func:`studio_app.cli.main` on a daemon thread and, past the time
limit, opens every FIFO it was given from the other end so the stuck ``open()`` returns,
then reports the hang.
"""
from __future__ import annotations

import contextlib
import io
import os
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

# A normal run of any of these commands takes well under 2 s here; a reader stuck on a
# FIFO never returns. The limit sits far from both.
CLI_TIMEOUT_S = 60.0


@dataclass
class CliRun:
    code: int | None  # None: it hung past the limit
    out: str
    err: str
    crash: str = ""  # the traceback of an exception that escaped main()

    @property
    def one_line_error(self) -> bool:
        return self.err.count("\n") == 1 and "Traceback" not in self.err


def _unblock(fifos: Iterable[Path]) -> None:
    """Open each FIFO from the other end once: a reader or writer stuck in open() returns."""
    for fifo in fifos:
        for flags in (os.O_WRONLY | os.O_NONBLOCK, os.O_RDONLY | os.O_NONBLOCK):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, flags))


def run_cli(argv: list[str], *, fifos: Iterable[Path] = (), timeout: float = CLI_TIMEOUT_S,
            stdin: str = "") -> CliRun:
    """``main(argv)`` with stdout/stderr captured; ``code`` is None if it did not finish
    within ``timeout`` seconds (and ``fifos`` were then opened to let it go)."""
    from studio_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    result: dict = {}

    def target() -> None:
        try:
            result["code"] = main(argv)
        except SystemExit as exc:  # argparse's exit
            result["code"] = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - exactly what the tests look for
            result["crash"] = traceback.format_exc()

    fifos = list(fifos)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _stdin(stdin):
        worker = threading.Thread(target=target, name=f"cli {' '.join(argv[:3])}", daemon=True)
        worker.start()
        worker.join(timeout)
        hung = worker.is_alive()
        if hung:
            _unblock(fifos)
            worker.join(10.0)
    return CliRun(None if hung else result.get("code"), out.getvalue(), err.getvalue(), result.get("crash", ""))


@contextlib.contextmanager
def _stdin(text: str):
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
