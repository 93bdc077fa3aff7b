"""The one way tests build a desk: ``make_desk`` (fixture) gives a :class:`Desk`, the
studio and its views wired as the main window wires them (an AppContext with its Studio,
the cue screen control and the show desk panel as views of it), on a private SQLite event
log and a hand-driven show clock. Tests reach the show through ``d.studio`` (dispatch,
state) and look at the widgets; nobody builds an AppContext by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from studio_app.core.devices import DeviceBoard
from studio_app.core.settings import Settings
from studio_app.show.clock import ManualClock
from studio_app.studio import Studio


class Desk:
    """The studio, the cue screen control and the show desk panel on a private log."""

    def __init__(self, qtbot, tmp_path: Path, db: Path | None = None, clock: ManualClock | None = None,
                 settings: Settings | None = None, obs=None) -> None:
        from studio_app.store import EventLog
        from studio_app.ui.context import AppContext
        from studio_app.ui.cue_control import CueScreenControl
        from studio_app.ui.show_desk import ShowDeskPanel

        self.url = f"sqlite:///{db or tmp_path / 'log.sqlite3'}"
        self.log = EventLog(self.url).start()
        self.clock = clock or ManualClock()
        settings = settings or Settings(path=tmp_path / "settings.toml")
        board = DeviceBoard()
        self.studio = Studio(settings, self.log, board=board, obs=obs, clock=self.clock, db_url=self.url)
        self.ctx = AppContext(settings=settings, log=self.log, board=board, db_url=self.url, studio=self.studio)
        self.cue = CueScreenControl(settings, log=self.log, studio=self.studio)
        self.panel = ShowDeskPanel(self.studio, db_url=self.url)
        qtbot.addWidget(self.panel)
        qtbot.addWidget(self.cue)
        self.panel.resize(1400, 800)
        self.panel.show()
        self.qtbot = qtbot

    def load(self, path: Path, expect_offer: bool = False):
        before = self.panel.loads
        self.panel.load(path)
        self.qtbot.waitUntil(lambda: self.panel.loads > before, timeout=10000)
        if expect_offer:
            assert self.panel.resume_box is not None
        elif self.panel.load_error is None:
            assert self.panel.desk is not None
        return self.panel.desk

    def events(self, kind_prefix: str = "") -> list:
        from studio_app.store import fetch_events, open_engine

        assert self.log.flush(5.0)
        engine = open_engine(self.url)
        try:
            return [e for e in fetch_events(engine) if e.kind.startswith(kind_prefix)]
        finally:
            engine.dispose()

    def refusals(self) -> list:
        return [e for e in self.events("desk.action") if not e.payload.get("ok")]

    def cue_state(self):
        """What the anchor's screen shows once the studio's news reached the GUI thread."""
        from studio_app.core.cue_state import PrompterState

        def same() -> bool:  # the clock and the screen's own scrolling aside
            ours = self.cue.current_state().with_(clock="", prompter=PrompterState())
            return ours == self.studio.state().cue.with_(clock="", prompter=PrompterState())

        self.qtbot.waitUntil(same, timeout=3000)
        return self.cue.current_state()

    def close(self) -> None:
        self.panel.stop()
        self.cue.stop()
        self.panel.close()
        self.cue.close()
        self.studio.close()
        self.log.close()


@pytest.fixture
def make_desk(qtbot, tmp_path):
    made: list[Desk] = []

    def make(**kw) -> Desk:
        d = Desk(qtbot, tmp_path, **kw)
        made.append(d)
        return d

    yield make
    for d in made:
        d.close()
