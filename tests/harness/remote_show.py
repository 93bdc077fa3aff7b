"""The real Studio built headless for remote-control tests and benchmarks, as the desk builds
it (settings, an event log, the device board, an OBS link when one is given), with the
sample show loaded and its ticker running."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from studio_app.core.devices import DeviceBoard
from studio_app.core.paths import sample_show_path
from studio_app.core.settings import Settings
from studio_app.show.emergency import default_runbooks_path
from studio_app.studio import Studio
from studio_app.studio.runbooks import load_checked


def real_studio(folder: Path | None = None, *, log: Any = None, obs: Any = None, ticker: bool = True,
                clock: Any = None) -> Studio:
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="remote-studio-"))
    if log is None:
        from studio_app.core.events import MemorySink

        log = MemorySink()
    studio = Studio(Settings(folder / "settings.toml"), log, board=DeviceBoard(), obs=obs, clock=clock,
                    runbooks=load_checked(default_runbooks_path()))
    studio.load_show(sample_show_path())
    if ticker:
        studio.start_ticker()
    return studio
