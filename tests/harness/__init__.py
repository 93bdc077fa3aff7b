"""The project's own test harness: real OBS, a real microphone path, a real display,
a real PostgreSQL, all started by the tests themselves (no dependency on ../shared).

Policy for every real part: if it cannot start, the test is skipped on a developer's
machine but FAILS when ``CI=true``, so CI can never pass with a part silently missing.
"""
from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ARTIFACTS = Path(os.environ.get("STUDIO_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(part: str, reason: str) -> None:
    """A real part is missing: fail in CI, skip elsewhere. Never returns."""
    message = f"{part} unavailable: {reason}"
    if in_ci():
        pytest.fail(message + " (CI=true: a missing real part fails the run)", pytrace=False)
    pytest.skip(message)


def need_binary(part: str, *names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        unavailable(part, f"not installed: {', '.join(missing)} (run ./dev setup)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quiet_port() -> int:
    """A free loopback port below the kernel's ephemeral range, for a server that is started
    long after its port is chosen (OBS's RTMP target, baked into its profile at start): a port
    from :func:`free_port` is an ephemeral one, and any outgoing connection of the session may
    take it in between (seen in CI: the RTMP sink could not listen 12 minutes later)."""
    import random

    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for port in random.sample(range(max(1024, low - 12000), low), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


def artifact_path(*parts: str) -> Path:
    """Where tests save things for people to look at (screenshots, reports)."""
    p = ARTIFACTS.joinpath(*parts)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p
