"""Run one ``studio-console`` command in a fresh interpreter and read its peak memory."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

_PROBE = (
    "import resource, sys\n"
    "from studio_app.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "print(f'PEAK {code} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}', file=sys.stderr)\n"
)


@dataclass
class CommandRun:
    code: int
    peak_mb: int  # the process's maximum resident set size, MiB
    stdout: str
    stderr: str  # without the probe's own line


def run_command_measured(*argv: str, timeout: float = 600) -> CommandRun:
    p = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, timeout=timeout)
    lines = p.stderr.splitlines()
    assert lines and lines[-1].startswith("PEAK "), p.stderr
    _, code, peak = lines[-1].split()
    return CommandRun(int(code), int(peak), p.stdout, "\n".join(lines[:-1]))
