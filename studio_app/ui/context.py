"""What every panel of the desk is given: settings, the event log, the device board."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio_app.core.devices import DeviceBoard
from studio_app.core.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    log: Any  # studio_app.store.EventLog (or any EventSink with recent()/status/subscribe)
    board: DeviceBoard
    db_url: str
    show_path: Path | None = None
    remote: tuple[str, int] | None = None  # --remote HOST:PORT: remote control on for this run
    extras: dict[str, Any] = field(default_factory=dict)  # services panels share (obs worker, show engine...)
