"""What every panel of the desk is given: settings, the event log, the device board and the
studio (the Qt-free control room every operation and every view goes through)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_app.core.devices import DeviceBoard
from studio_app.core.settings import Settings
from studio_app.studio import Studio


@dataclass
class AppContext:
    settings: Settings
    log: Any  # studio_app.store.EventLog (or any EventSink with recent()/status/subscribe)
    board: DeviceBoard
    db_url: str
    show_path: Path | None = None
    studio: Studio | None = None  # built here when not given: logic first, views injected
    remote: tuple[str, int] | None = None  # --remote HOST:PORT: remote control on for this run

    def __post_init__(self) -> None:
        if self.studio is None:
            self.studio = Studio.for_desk(self.settings, self.log, self.board, self.db_url)
