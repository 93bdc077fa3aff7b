"""Run one ``studio-console`` command in a fresh interpreter and read its peak memory."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

# VmHWM, not getrusage's ru_maxrss: ru_maxrss survives fork+exec, so a child of a large
# pytest process reported the parent's size (674 MB "peak" for a 150 MB command late in a
# full run). VmHWM belongs to the memory image that exec made.
_PROBE = (
    "import re, sys\n"
    "from studio_app.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "print(f'PEAK {code} {hwm // 1024}', file=sys.stderr)\n"
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
