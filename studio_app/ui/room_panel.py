"""The 数据大屏 dock: the live room's numbers beside the show.

A view only: the numbers come from :class:`studio_app.room.board.RoomBoard`, the alerts from
:class:`studio_app.room.live.RoomLive`; both are fed on worker threads (the replay, the ingest
endpoint) and read here by one 500 ms GUI timer (a snapshot copy), so the GUI thread never waits
on a socket or the disk. A replay labels the dock 回放/REPLAY; while the show is live and
nothing has arrived for 10 s the dock says DATA STALE and greys its numbers.
"""
from __future__ import annotations

import html
import threading
import time
from typing import Any

from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QLineEdit, QListWidgetItem, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from studio_app.ui.bridge import ThreadBridge
from studio_app.ui.event_text import refusal_text

WARN = "#ffa528"
DANGER = "#ff4d4f"
GOOD = "#52c41a"
STALE_TEXT = "#5c6370"  # numbers that stopped arriving (DATA STALE)
MIN_REFRESH_S = 0.08  # new data is painted at most this often (and within about this long)
# The tables, the comments and the trend line follow at most once a second (a 数据大屏 is read
# at that pace); the big numbers stay fast. Refilling them ten times a second in a busy room
# was the dock's share of the GUI thread's stalls.
TABLE_REFRESH_S = 1.0


class Sparkline(QWidget):
    """The last five minutes of one number, as a line (no axes: the trend is the point)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[float] = []
        self.setMinimumHeight(22)

    def set_values(self, values: list[float | None]) -> None:
        values = [v for v in values if v is not None]
        if values != self.values:  # an unchanged line is not painted again
            self.values = values
            self.update()

    def paintEvent(self, _ev: Any) -> None:  # noqa: N802 - Qt
        if len(self.values) < 2:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#69b1ff"), 1.5))
        lo, hi = min(self.values), max(self.values)
        span = (hi - lo) or 1.0
        w, h = self.width() - 2, self.height() - 4
        n = len(self.values) - 1
        pts = [QPointF(1 + w * i / n, 2 + h * (1 - (v - lo) / span)) for i, v in enumerate(self.values)]
        for a, b in zip(pts, pts[1:]):
            p.drawLine(a, b)
        p.end()


class BigNumber(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(0)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #9aa4b2; font-size: 12px;")
        self.title.setWordWrap(True)  # a title with its unit wraps on a narrow (portrait) screen
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 26px; font-weight: 600;")
        self.trend = QLabel("")
        self.trend.setStyleSheet("font-size: 12px;")
        self.spark = Sparkline()
        for w in (self.title, self.value, self.trend, self.spark):
            lay.addWidget(w)
        self.setStyleSheet("BigNumber { background: #1d2129; border-radius: 6px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._shown: tuple[Any, ...] | None = None

    def show_value(self, text: str, trend: float | None, stale: bool, trend_text: str) -> None:
        """Only what changed is set: a label's text or style set again repaints (and a style
        sheet re-polishes) it even when it is the same."""
        shown = (text, None if trend is None else (round(trend, 2), trend >= 0), stale, trend_text)
        if shown == self._shown:
            return
        if self._shown is None or self._shown[2] != stale:  # a palette colour: no style sheet re-polish
            palette = self.value.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(STALE_TEXT if stale else "#f0f0f0"))
            self.value.setPalette(palette)
        self._shown = shown
        self.value.setText(text)
        if trend is None:
            self.trend.setText("")
            return
        colour = GOOD if trend >= 0 else DANGER
        arrow = "▲" if trend >= 0 else "▼"
        self.trend.setText(f"<span style='color:{colour}'>{arrow} {abs(trend):.0%}</span> "
                           f"<span style='color:#9aa4b2'>{html.escape(trend_text)}</span>")


def _money(v: float | None) -> str:
    """Yuan: 万 on a Chinese desk (as the platforms' 数据大屏 show it), whole yuan in English."""
    if v is None:
        return "—"
    from studio_app.ui.event_text import ui_language

    if v >= 10000 and ui_language() == "zh_CN":
        return f"¥{v / 10000:.2f}万"
    return f"¥{v:,.0f}"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def _num(v: float | None, spec: str = ",.0f") -> str:
    return "—" if v is None else format(v, spec)


class RoomPanel(QWidget):
    """``studio``: the studio core (segments, live state, cards, runbooks). ``log``: the event log."""

    refreshed = Signal()  # after every paint of new numbers (benchmarks, tests)
    endpoint_changed = Signal(object)  # a SwitchOutcome, once the ingest endpoint's change is done

    def __init__(self, studio: Any, *, log: Any = None, settings: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from studio_app.room.board import RoomBoard
        from studio_app.room.rules import RulesError, load_rules

        self.studio = studio
        self._log = log
        self.settings = settings
        self.rules_problem = ""
        try:
            self.rules = load_rules((settings.get("room.rules", "") if settings is not None else "") or None)
        except RulesError as exc:  # a broken user file: the defaults, and the dock says why
            self.rules, self.rules_problem = load_rules(), str(exc)
        self.board = RoomBoard(self.rules, replay=True)
        self.live = None  # RoomLive of the running source
        self.replay = None
        self._replay_thread: threading.Thread | None = None
        self._alerts: dict[tuple[str, str], Any] = {}  # open episodes
        self._cleared: list[Any] = []  # the last few that ended, shown greyed
        self._alert_bridge = ThreadBridge(self)
        self._alert_bridge.received.connect(self._on_alert)
        self._state_bridge = ThreadBridge(self)
        self._state_bridge.received.connect(self._on_state)
        self._unsubscribe = studio.subscribe(self._state_bridge.post) if studio is not None else None
        self._shown: dict[str, Any] = {}
        self._alert_width = 0
        self._repaint_pending = False
        self._last_refresh = 0.0
        self._last_tables = 0.0  # when the tables, comments and trend line last changed on screen
        self._cells: dict[str, list[list[tuple[str, str, str]]]] = {"segments": [], "products": []}
        self._ticker_keys: list[tuple[Any, ...]] = []
        self._repaint_bridge = ThreadBridge(self)
        self._repaint_bridge.received.connect(self._repaint_soon)
        self._build()
        if self.rules_problem:
            self.source_label.setText(self.tr("Rules file not used (defaults apply): {0}").format(self.rules_problem))
            self.source_label.setStyleSheet(f"color: {DANGER};")
        # A tab among the desk's docks must not force the window's minimum size up: the tables
        # scroll and the numbers shrink instead.
        self.setMinimumSize(120, 80)
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._refresh_throttled)
        self._timer.start()
        self.server = None  # the live ingest endpoint listening now (shown), when turned on in the settings
        self.endpoint = None  # its ListenerSwitch: settings changes apply while the desk runs
        self._ingest = None  # the live data's RoomIngest, built once (see _open_pipeline)
        self._pipeline_pending = False
        self._closers: list[Any] = []
        self._endpoint_bridge = ThreadBridge(self)
        self._endpoint_bridge.received.connect(self._endpoint_status)
        if settings is not None and settings.get("room.ingest_enabled", False):
            self.start_ingest()

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        head = QHBoxLayout()
        self.source_label = QLabel(self.tr("No room data"))
        self.source_label.setStyleSheet("font-weight: 600;")
        # Badges a 场控 sees from across the desk: a replay is never taken for the live room,
        # numbers that stopped arriving are never taken for current ones.
        self.replay_badge = QLabel(self.tr("回放 REPLAY"))
        self.replay_badge.setStyleSheet(f"background: {WARN}; color: #111111; font-size: 16px; font-weight: 800; "
                                        "padding: 3px 12px; border-radius: 4px;")
        self.replay_badge.hide()
        self.stale_label = QLabel(self.tr("DATA STALE"))
        self.stale_label.setStyleSheet(f"background: {DANGER}; color: white; font-size: 16px; font-weight: 800; "
                                       "padding: 3px 12px; border-radius: 4px;")
        self.stale_label.hide()
        self.speed = QComboBox()
        for s in (1, 10, 60):
            self.speed.addItem(self.tr("{0}x").format(s), s)
        self.replay_button = QPushButton(self.tr("Replay sample"))
        self.replay_button.setToolTip(self.tr("Play the sample show's recorded room data in real time (回放/REPLAY)"))
        self.replay_button.clicked.connect(self.toggle_replay)
        head.addWidget(self.replay_badge)
        head.addWidget(self.stale_label)
        head.addWidget(self.source_label, 1)
        head.addWidget(self.speed)
        head.addWidget(self.replay_button)
        lay.addLayout(head)

        numbers_box = QWidget()
        grid = self._numbers_grid = QGridLayout(numbers_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.numbers = {
            "online": BigNumber(self.tr("Online")), "gmv": BigNumber(self.tr("GMV")),
            "orders": BigNumber(self.tr("Orders")), "conversion": BigNumber(self.tr("Conversion")),
            "gpm": BigNumber(self.tr("GPM")),
            "interaction_rate": BigNumber(self.tr("Interaction /viewer/min")),
        }
        # Short titles (the tables' headers) fit a number's box on any screen; the tooltip says it whole.
        self.numbers["gpm"].setToolTip(self.tr("GPM (per 1,000 viewers)"))
        self.numbers["interaction_rate"].setToolTip(self.tr("Interaction rate (per viewer per min)"))
        for i, w in enumerate(self.numbers.values()):
            grid.addWidget(w, 0, i)
        self._strip = False  # the numbers beside the tables (a short, wide dock), not above them
        self._numbers_box = numbers_box
        body = self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        body.setSpacing(6)
        body.addWidget(numbers_box)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QSplitter(Qt.Orientation.Vertical)
        self.segments = QTableWidget(0, 7)
        self.segments.setHorizontalHeaderLabels([self.tr("Segment"), self.tr("GMV"), self.tr("Orders"),
                                                 self.tr("Conversion"), self.tr("GPM"), self.tr("Online avg"),
                                                 self.tr("Interaction /viewer/min")])
        self.products = QTableWidget(0, 7)
        self.products.setHorizontalHeaderLabels([self.tr("Product"), self.tr("Sold"), self.tr("Stock left"),
                                                 self.tr("Sell rate"), self.tr("Sold per min"), self.tr("Sold out in"),
                                                 self.tr("GMV")])
        for table in (self.segments, self.products):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            header = table.horizontalHeader()
            # Sized by _fill_table when a text outgrows its column, not re-measured on every
            # change as ResizeToContents does (every row, every cell, on each setItem).
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the names take the room
            header.setMinimumSectionSize(48)
            table.resizeColumnsToContents()  # the headings fit from the start
        products_box = QWidget()
        pl = QVBoxLayout(products_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.products)
        self.conflict_label = QLabel("")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setStyleSheet(f"color: {WARN};")
        pl.addWidget(self.conflict_label)
        left.addWidget(self.segments)
        left.addWidget(products_box)
        right = QSplitter(Qt.Orientation.Vertical)
        alerts_box = QWidget()
        al = QVBoxLayout(alerts_box)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(QLabel(self.tr("Alerts")))
        self.alert_list = QListWidget()
        self.alert_list.setWordWrap(True)  # an alert is read whole, never cut at the dock's edge
        self.alert_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.alert_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.alert_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        al.addWidget(self.alert_list)
        self.propose_button = QPushButton(self.tr("Do what the alert proposes"))
        self.propose_button.setEnabled(False)
        self.propose_button.clicked.connect(self.run_proposal)
        self.alert_list.currentItemChanged.connect(lambda *_: self.propose_button.setEnabled(
            self.alert_list.currentItem() is not None))
        al.addWidget(self.propose_button)
        ticker_box = QWidget()
        tl = QVBoxLayout(ticker_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel(self.tr("Comments")))
        self.ticker = QListWidget()
        self.ticker.setWordWrap(True)
        tl.addWidget(self.ticker)
        right.addWidget(alerts_box)
        right.addWidget(ticker_box)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self._split = split
        self._tables = left
        body.addWidget(split, 1)
        lay.addLayout(body, 1)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt
        # A portrait screen (1080x1920) stacks the alerts and comments under the tables, so
        # neither side is squeezed into a column too narrow for its text.
        portrait = self.height() > self.width() * 1.2
        self._split.setOrientation(Qt.Orientation.Vertical if portrait else Qt.Orientation.Horizontal)
        # A short, wide strip along the desk's bottom (the layout a 1920x1080 desk opens with)
        # puts the numbers in two rows beside the tables, and the two tables side by side, so
        # each table keeps the height for several rows instead of a header alone.
        self._set_strip(self.height() < 340 and self.width() > 2 * self.height())
        super().resizeEvent(event)

    def _set_strip(self, strip: bool) -> None:
        if strip == self._strip:
            return
        self._strip = strip
        for i, w in enumerate(self.numbers.values()):
            self._numbers_grid.addWidget(w, *(divmod(i, 3) if strip else (0, i)))
        self._body.setDirection(QBoxLayout.Direction.LeftToRight if strip else QBoxLayout.Direction.TopToBottom)
        self._body.setStretch(0, 4 if strip else 0)
        self._body.setStretch(1, 9 if strip else 1)
        self._tables.setOrientation(Qt.Orientation.Horizontal if strip else Qt.Orientation.Vertical)
        if strip:  # the products (sold, stock, sell-out) matter most mid-show: the wider share
            QTimer.singleShot(0, self._share_strip)

    def _share_strip(self) -> None:
        w = self._tables.width()
        self._tables.setSizes([int(w * 0.3), w - int(w * 0.3)])
        self.products.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.products.setColumnWidth(0, max(120, int(w * 0.7 * 0.3)))  # names elide; the numbers stay in view

    # -- sources ------------------------------------------------------------------------
    def toggle_replay(self) -> None:
        if self.replay is not None:
            self.stop_replay()
        else:
            self.start_replay()

    def start_replay(self, path: Any = None, speed: float | None = None) -> None:
        """Play a recording (default: the sample) through the same ingest, rules and board as
        live data; labelled 回放/REPLAY; nothing is stored; automatic actions never run."""
        from studio_app.room.board import RoomBoard
        from studio_app.room.ingest import RoomIngest
        from studio_app.room.live import RoomLive, StockSync
        from studio_app.room.replay import SAMPLE_RECORDING, Replay, read_recording
        from studio_app.room.rules import ShowPlan

        self.stop_replay()
        desk = getattr(self.studio, "show", None) if self.studio is not None else None
        show = getattr(desk, "show", None)  # the rundown of the loaded show
        plan = ShowPlan.from_show(show) if show is not None else None
        names = plan.names if plan else {}
        self.board = RoomBoard(self.rules, names=names, replay=True)
        self._alerts.clear()
        self.alert_list.clear()
        show_id = getattr(show, "id", None)
        self.live = RoomLive(self.rules, plan, show_id=show_id, log=self._log, studio=self.studio, replay=True)
        self.live.listen(self._alert_bridge.post)
        listeners = [self.board.accept, self._data_arrived, self.live.accept]
        if self.studio is not None:
            listeners.append(StockSync(self.studio, log=self._log, show_id=show_id,
                                       on_conflict=self.board.stock_conflict).accept)
        ingest = RoomIngest(show_id, log=self._log, on_accept=listeners)
        self._shown.clear()
        self._sync_state()
        speed = float(speed or self.speed.currentData() or 1)
        path = path or SAMPLE_RECORDING

        def run() -> None:
            messages, _ = read_recording(path)  # off the GUI thread: the disk
            replay = Replay(messages, lambda m: ingest.submit([m], "replay"), speed=speed)
            self.replay = replay
            if not self._stopping.is_set():
                replay.run()

        self._stopping = threading.Event()
        self.replay = True  # running, before the thread has read the file
        self._replay_thread = threading.Thread(target=run, name="room-replay", daemon=True)
        self._replay_thread.start()
        self.replay_button.setText(self.tr("Stop replay"))
        self._show_dock()

    def _show_dock(self) -> None:
        dock = self.parentWidget()
        if dock is not None and hasattr(dock, "toggleViewAction"):  # a QDockWidget on the desk
            dock.show()
            dock.raise_()

    def start_ingest(self, token: str | None = None) -> None:
        """Make the live ingest endpoint match the settings ``[room]`` (on, off, a new address,
        token or limits), while the desk runs. The endpoint's switch works on its own thread: it
        reads the token (the keyring may be slow; a ``token`` given is stored first), opens the
        recorder once, stops the old listener and binds the new one; the dock hears back. The
        numbers, rules and recorder carry on across a change: only the socket moves."""
        from studio_app.remote.relisten import ListenerSwitch
        from studio_app.remote.room_ingest import RoomIngestServer, wanted_sockets

        if self.endpoint is None:
            self.endpoint = ListenerSwitch("room-ingest", lambda config: RoomIngestServer(self._ingest, config),
                                           wanted_sockets)
        settings = self.settings
        want = bool(settings is not None and settings.get("room.ingest_enabled", False))
        if want and self._ingest is None and not self._pipeline_pending:
            self._open_pipeline()

        def config() -> Any:
            import concurrent.futures

            from studio_app.core.secrets import ROOM_TOKEN, SecretStore, remote_token
            from studio_app.remote.room_ingest import RoomIngestConfig

            if token:
                SecretStore().set(ROOM_TOKEN, token)  # before it is read back below
            if not want:
                return None
            if self._ingest is None:
                try:  # the recorder opens the database: bounded, so a dead server never holds the switch
                    self._ingest = self._pipeline_ready.result(timeout=30)
                except concurrent.futures.TimeoutError:
                    raise RuntimeError(f"the room data recorder could not open the event log's database "
                                       f"within 30 s") from None
            return RoomIngestConfig.from_settings(settings, remote_token(key=ROOM_TOKEN))

        self.endpoint.submit(config, self._after_switch)

    settings_changed = start_ingest  # the Settings dialog's Live room page calls it after OK

    def _open_pipeline(self) -> None:
        """The live data's way through the console, built once for the loaded show: board, rules,
        stock into the cards, and the recorder (opened on a thread of its own: the database)."""
        import concurrent.futures

        from studio_app.room.board import RoomBoard
        from studio_app.room.ingest import RoomIngest
        from studio_app.room.live import RoomLive, StockSync
        from studio_app.room.rules import ShowPlan

        self.stop_replay()
        desk = getattr(self.studio, "show", None) if self.studio is not None else None
        show = getattr(desk, "show", None)
        plan = ShowPlan.from_show(show) if show is not None else None
        show_id = getattr(show, "id", None) or "unnamed"
        self.board = RoomBoard(self.rules, names=plan.names if plan else {}, replay=False)
        self.live = RoomLive(self.rules, plan, show_id=show_id, log=self._log, studio=self.studio)
        self.live.listen(self._alert_bridge.post)
        self.live.start_ticker()
        self._shown.clear()
        self._show_dock()
        self.replay_button.setEnabled(False)  # live data and a replay never mix on one board
        self._sync_state()
        db_url = getattr(self._log, "url", None)
        board, live, studio, log = self.board, self.live, self.studio, self._log
        self._pipeline_pending = True
        self._pipeline_ready: concurrent.futures.Future = concurrent.futures.Future()

        def build() -> Any:
            listeners = [board.accept, self._data_arrived, live.accept]
            if db_url:
                from studio_app.store import open_engine, upgrade_database
                from studio_app.store.room import RoomRecorder

                engine = open_engine(db_url)
                # its table must exist before the first batch, whether or not the event log has
                # migrated the database yet (it does so on its own thread; idempotent, locked)
                upgrade_database(engine)
                recorder = RoomRecorder(engine, show_id, room=getattr(log, "room", None))
                listeners.insert(0, recorder.record)
                self._closers += [recorder.close, engine.dispose]
            if studio is not None:
                listeners.append(StockSync(studio, log=log, show_id=show_id, on_conflict=board.stock_conflict).accept)
            return RoomIngest(show_id, log=log, on_accept=listeners)

        def run() -> None:
            try:
                self._pipeline_ready.set_result(build())
            except Exception as exc:  # noqa: BLE001 - the switch turns it into one line
                self._pipeline_ready.set_exception(exc)

        threading.Thread(target=run, name="room-pipeline", daemon=True).start()

    def _after_switch(self, outcome: Any) -> None:
        """The switch's thread: log what changed (never the token), then tell the dock."""
        from dataclasses import replace

        from studio_app.core.events import Severity, Source

        if self._log is not None and outcome.change != "unchanged":
            url = f"{outcome.url}/messages" if outcome.url else ""
            old = f"{outcome.old_url}/messages" if outcome.old_url else ""
            shown = replace(outcome, url=url, old_url=old)  # the bridge's address, not the API root
            suffix, text, warning = shown.event("room data endpoint", "still receiving on")
            self._log.log(Source.ROOM, f"room.endpoint_{suffix}", text, Severity.WARNING if warning else Severity.INFO,
                          payload=shown.payload())
        self._endpoint_bridge.post(outcome)

    def _endpoint_status(self, outcome: Any) -> None:
        if outcome.change == "unchanged":
            return
        url = f"{outcome.url}/messages" if outcome.url else ""
        error = refusal_text(outcome)
        if outcome.change == "refused" and outcome.kept_old:
            self.source_label.setText(self.tr("New endpoint settings not applied: {0}. Still receiving on {1}")
                                      .format(error, url))
            self.source_label.setStyleSheet(f"font-weight: 700; color: {WARN};")
        elif outcome.change == "refused":
            self.source_label.setText(self.tr("Live ingest not running: {0}").format(error))
            self.source_label.setStyleSheet(f"font-weight: 700; color: {DANGER};")
        elif outcome.on:
            self.source_label.setText(self.tr("Live: receiving on {0}").format(url))
            self.source_label.setStyleSheet(f"font-weight: 700; color: {GOOD};")
        else:
            self.source_label.setText(self.tr("Live ingest off: the numbers shown are the last received"))
            self.source_label.setStyleSheet("font-weight: 700;")
        self.server = outcome.listener if outcome.on else None
        self.endpoint_changed.emit(outcome)

    def stop_replay(self) -> None:
        if getattr(self, "_stopping", None) is not None:
            self._stopping.set()
        if self.replay not in (None, True):
            self.replay.stop()
        if self._replay_thread is not None:
            self._replay_thread.join(2.0)
        self._replay_thread = None
        self.replay = None
        self.replay_button.setText(self.tr("Replay sample"))

    # -- studio state (GUI thread) ------------------------------------------------------
    def _sync_state(self) -> None:
        if self.studio is not None:
            try:
                self._on_state(self.studio.state())
            except Exception:  # noqa: BLE001 - no show yet
                pass

    def _on_state(self, state: Any) -> None:
        live = str(getattr(state, "playback", "")) in ("running", "hold")
        self.board.live = live
        if self.live is not None and self.live.watch.live != live:
            self.live.set_live(live)
        seg = getattr(state, "segment", None)
        if seg is not None and live:
            self.board.segment_started(str(seg.id), str(seg.title))

    # -- alerts -------------------------------------------------------------------------
    def _on_alert(self, change: Any) -> None:
        a = change.alert
        key = (a.rule, a.key)
        if change.state == "raised":
            self._alerts[key] = a
        else:
            self._alerts.pop(key, None)
            self._cleared = ([a] + self._cleared)[:6]
        self.alert_list.clear()
        from studio_app.commands.common import local_time

        for k, alert in self._alerts.items():
            item = QListWidgetItem(f"{local_time(alert.ts)[11:19]}  {self._alert_text(alert)}")
            item.setForeground(QColor(DANGER if alert.severity == "error" else WARN))
            item.setData(Qt.ItemDataRole.UserRole, k)
            self.alert_list.addItem(item)
        for alert in self._cleared:
            item = QListWidgetItem(self.tr("{0}–{1}  {2} (over)").format(
                local_time(alert.ts)[11:16], local_time(alert.cleared_at or alert.ts)[11:16], self._alert_text(alert)))
            item.setForeground(QColor("#8b93a1"))  # over: dimmed, still readable on the dark theme
            self.alert_list.addItem(item)
        self._size_alerts()

    def _size_alerts(self) -> None:
        """Give each alert the height its wrapped text needs at the list's width (Qt's own
        measure leaves out the theme's item padding, and the last line would be cut off)."""
        from PySide6.QtCore import QRect, QSize

        self._alert_width = width = self.alert_list.viewport().width()
        metrics = self.alert_list.fontMetrics()
        for i in range(self.alert_list.count()):
            item = self.alert_list.item(i)
            box = metrics.boundingRect(QRect(0, 0, max(80, width - 24), 10_000),
                                       int(Qt.TextFlag.TextWordWrap), item.text())
            item.setSizeHint(QSize(max(80, width - 4), box.height() + 8))

    def _alert_text(self, alert: Any) -> str:
        """The alert in the desk's language; the runbook and the action it proposes by their
        names in that language (the rules name them by id: ``stream``, ``stock.adjust``)."""
        import re

        from studio_app.ui.event_text import ui_language

        zh = ui_language() == "zh_CN"
        text = alert.message_zh if zh else alert.message
        proposal = ""
        if alert.runbook:
            title = self._runbook_title(alert.runbook, zh)
            if zh and title != alert.runbook:  # "请打开stream预案" -> "请打开「直播推流异常」预案"
                text = re.sub(rf"(?<![A-Za-z_.]){re.escape(alert.runbook)}(?![A-Za-z_.])", f"「{title}」", text)
            proposal = self.tr("runbook: {0}").format(title)
        elif alert.action:
            from studio_app.studio.actions import resolve

            spec, _ = resolve(alert.action)
            proposal = self.tr("action: {0}").format((spec.zh if zh else spec.en) if spec is not None else alert.action)
        return f"{text}\n    → {proposal}" if proposal else text  # the proposal on its own line: never cut off

    def _runbook_title(self, runbook_id: str, zh: bool) -> str:
        books = getattr(getattr(self.studio, "emergency", None), "runbooks", None)
        book = books.get(runbook_id) if books is not None else None
        return book.name.pick("zh" if zh else "en") if book is not None else runbook_id

    def run_proposal(self) -> None:
        """A person chose to do what the selected alert proposes (it never runs by itself)."""
        item = self.alert_list.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        alert = self._alerts.get(tuple(key)) if key else None
        if alert is None or self.studio is None:
            return
        if alert.runbook:
            self.studio.dispatch_from("desk", "runbook.open", {"id": alert.runbook})
        elif alert.action:
            self.studio.dispatch_from("desk", alert.action, dict(alert.args))

    # -- painting -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Paint the board's newest snapshot, everything in it (GUI thread)."""
        self._paint_snapshot(tables=True)

    def _refresh_throttled(self) -> None:
        """The timer's and new data's refresh: the big numbers now, the rest at most once per
        TABLE_REFRESH_S (the 500 ms timer paints what was held back)."""
        self._paint_snapshot(tables=time.monotonic() - self._last_tables >= TABLE_REFRESH_S)

    def _paint_snapshot(self, *, tables: bool) -> None:
        snap = self.board.snapshot()
        stale = snap["stale"]
        if self.replay is not None and self._changed("source", "replay"):
            self.source_label.setText(self.tr("Sample recording: nothing is stored, no automatic action runs"))
            self.source_label.setStyleSheet(f"font-weight: 700; color: {WARN};")
        self.replay_badge.setVisible(bool(snap["replay"]) and (self.replay is not None or snap["age_s"] is not None))
        self.stale_label.setVisible(stale)
        if self._changed("stale", stale):  # tables of numbers that stopped arriving are grey, as the big ones
            tables = True
        if self.alert_list.viewport().width() != self._alert_width:
            self._size_alerts()
        n = snap["numbers"]
        trend_text = self.tr("in 5 min")
        fmt = {"online": lambda v: _num(v), "gmv": _money, "orders": lambda v: _num(v), "conversion": _pct,
               "gpm": _money, "interaction_rate": lambda v: _num(v, ".2f")}
        for key, widget in self.numbers.items():
            entry = n.get(key) or {}
            widget.show_value(fmt[key](entry.get("value")), None if stale else entry.get("trend"), stale, trend_text)
        if tables:
            self._paint_tables(snap)
        self.refreshed.emit()

    def _paint_tables(self, snap: dict[str, Any]) -> None:
        """Tables, comments and the trend line, each touched only where what it shows changed."""
        changed = False
        spark = (snap["numbers"].get("spark") or {}).get("online", [])
        if self._changed("spark", spark):
            self.numbers["online"].spark.set_values(spark)
            changed = True
        stale = snap["stale"]
        if self._changed("segments", (snap["segments"], stale)):
            self._fill_segments(snap["segments"], stale)
            changed = True
        if self._changed("products", (snap["products"], snap["conflicts"], stale)):
            self._fill_products(snap["products"], snap["conflicts"], stale)
            self.conflict_label.setText("\n".join(
                self.tr("Stock conflict: {0} {1}: the platform says {2} left, the frozen core stock is {3}; "
                        "kept frozen").format(c["sku"], c["name"], c["platform_stock"], c["card_stock"])
                for c in snap["conflicts"]))
            changed = True
        if self._changed("ticker", snap["ticker"][-1]["ts"] if snap["ticker"] else None):
            self._fill_ticker(snap["ticker"])
            changed = True
        if changed:  # a quiet room's first change shows at once; a busy room's once a second
            self._last_tables = time.monotonic()

    def _changed(self, part: str, value: Any) -> bool:
        if self._shown.get(part) == value:
            return False
        self._shown[part] = value
        return True

    def _data_arrived(self, _msg: Any = None) -> None:
        """Any thread: ask the GUI for a repaint, at most one pending (coalesced)."""
        if not self._repaint_pending:
            self._repaint_pending = True
            self._repaint_bridge.post(None)

    def _repaint_soon(self, _value: Any = None) -> None:
        # At most one refresh per MIN_REFRESH_S: a message is painted within ~100 ms.
        wait = MIN_REFRESH_S - (time.monotonic() - self._last_refresh)
        if wait > 0:
            QTimer.singleShot(int(wait * 1000) + 1, self, self._repaint_now)  # dropped if the dock is gone
        else:
            self._repaint_now()

    def _repaint_now(self) -> None:
        self._repaint_pending = False
        self._last_refresh = time.monotonic()
        self._refresh_throttled()

    def _fill_table(self, table: QTableWidget, name: str, rows: list[list[tuple[str, str, str]]],
                    stale: bool = False) -> None:
        """Show ``rows`` of (text, foreground, background) cells ("" = the table's own colour;
        grey while the data is stale), changing only the cells that differ from what is shown; a
        column is widened only when a new text needs more room than it has. Stale is a colour
        per cell, not a style sheet: setting one re-polished both tables and their headers on
        the GUI thread each time DATA STALE came or went (a 430 ms frame in the long soak)."""
        if stale:
            rows = [[(text, fg or STALE_TEXT, bg) for text, fg, bg in row] for row in rows]
        shown = self._cells[name]
        resize_all = len(rows) != len(shown)
        if resize_all:
            table.setRowCount(len(rows))
            shown[:] = shown[:len(rows)]
        metrics = table.fontMetrics()
        header = table.horizontalHeader()
        widen: set[int] = set()
        for i, row in enumerate(rows):
            old = shown[i] if i < len(shown) else []
            for j, cell in enumerate(row):
                if j < len(old) and old[j] == cell:
                    continue
                text, fg, bg = cell
                item = table.item(i, j)
                if item is None:
                    item = QTableWidgetItem(text)
                    table.setItem(i, j, item)
                elif item.text() != text:
                    item.setText(text)
                if not old or old[j][1] != fg:
                    item.setData(Qt.ItemDataRole.ForegroundRole, QColor(fg) if fg else None)
                if not old or old[j][2] != bg:
                    item.setData(Qt.ItemDataRole.BackgroundRole, QColor(bg) if bg else None)
                if j and metrics.horizontalAdvance(text) + 16 > header.sectionSize(j):
                    widen.add(j)
            if i < len(shown):
                shown[i] = row
            else:
                shown.append(row)
        for j in (range(1, table.columnCount()) if resize_all else sorted(widen)):
            table.resizeColumnToContents(j)

    def _fill_segments(self, rows: list[dict], stale: bool = False) -> None:
        rows = rows[-12:]
        best = max((r["gmv"] for r in rows if not r["current"]), default=None)
        cells = []
        for r in rows:
            texts = [r["title"] or r["id"], _money(r["gmv"]), _num(r["orders"]), _pct(r["conversion"]),
                     _money(r["gpm"]), _num(r["online_avg"]), _num(r["interaction_rate"], ".2f")]
            bg = "#22364d" if r["current"] else ""
            gmv_fg = (GOOD if r["gmv"] >= best else "#f0f0f0") if r["current"] and best is not None else ""
            cells.append([(text, gmv_fg if j == 1 else "", bg) for j, text in enumerate(texts)])
        self._fill_table(self.segments, "segments", cells, stale)

    def _fill_products(self, rows: list[dict], conflicts: list[dict], stale: bool = False) -> None:
        conflicted = {c["sku"] for c in conflicts}
        cells = []
        for p in rows:
            sold, stock = p.get("sold"), p.get("stock")
            rate = sold / (sold + stock) if sold is not None and stock is not None and sold + stock else None
            eta = p.get("eta_s")
            eta_text = (self.tr("sold out") if eta == 0 else
                        "—" if eta is None or eta > 24 * 3600 else
                        self.tr("{0} h").format(f"{eta / 3600:.1f}") if eta >= 3600 else
                        self.tr("{0} min").format(f"{eta / 60:.1f}"))
            name = f"{p['name']} ({p['sku']})" + (" ⚠" if p["sku"] in conflicted else "")
            texts = [name, _num(sold), _num(stock), _pct(rate), _num(p.get("rate_per_min"), ".1f"), eta_text,
                     _money(p.get("gmv"))]
            soon = eta is not None and eta <= 300
            cells.append([(text, DANGER if j == 5 and soon else "", "") for j, text in enumerate(texts)])
        self._fill_table(self.products, "products", cells, stale)

    def _fill_ticker(self, comments: list[dict]) -> None:
        """The newest 25 comments, newest first: new ones are put on top and the oldest taken
        off, so a busy room does not rebuild (and re-wrap) the whole list every second."""
        comments = comments[-25:]
        keys = [(c["ts"], c["user"], c["text"]) for c in comments]
        last = self._ticker_keys[-1] if self._ticker_keys else None
        start = len(keys) - keys[::-1].index(last) if last in keys else None
        if start is None or self.ticker.count() != len(self._ticker_keys):
            self.ticker.clear()
            start = 0
        for c in comments[start:]:
            item = QListWidgetItem(f"{c['user']}: {c['text']}")
            if c["kind"]:
                item.setForeground(QColor(DANGER if c["kind"] == "complaint" else WARN))
                item.setText(f"⚠ {c['user']}: {c['text']}  【{'、'.join(c['words'])}】")
            self.ticker.insertItem(0, item)
        while self.ticker.count() > len(comments):
            self.ticker.takeItem(self.ticker.count() - 1)
        self._ticker_keys = keys

    def stop(self) -> None:
        """The desk is closing (MainWindow.shutdown stops every dock)."""
        self._timer.stop()
        self.stop_replay()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.live is not None:
            self.live.close()
        if self.endpoint is not None:
            self.endpoint.close()
            self.server = None
        for close in self._closers:
            close()
        self._closers.clear()


class RoomSettingsPage(QWidget):
    """Settings ▸ Live room: the ingest endpoint (off by default, the interface the user picks,
    the port, the token, the rate per client) and a rules file over the defaults; checked
    before kept. With ``panel`` (the desk's dock) the endpoint follows at once, no restart."""

    def __init__(self, panel: "RoomPanel | None" = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import os

        from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QFormLayout, QLineEdit, QSpinBox

        self.panel = panel
        self.enabled = QCheckBox(self.tr("Receive room data (the endpoint is on)"))
        self.host = QComboBox()
        self.host.setEditable(True)
        # Loopback, every interface, or type the address of one network card (never looked up
        # here: the GUI thread does not wait on name resolution).
        self.host.addItems(["127.0.0.1", "0.0.0.0"])
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.rate = QDoubleSpinBox()
        self.rate.setRange(1, 100_000)
        self.rate.setDecimals(0)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("unchanged"))
        generate = QPushButton(self.tr("New token"))
        generate.setToolTip(self.tr("Fill in a new random token (shown, to copy to the bridge); OK applies it"))
        generate.clicked.connect(self._new_token)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token)
        token_row.addWidget(generate)
        if os.environ.get("STUDIO_ROOM_TOKEN"):  # the environment wins over a stored token
            self.token.setEnabled(False)
            generate.setEnabled(False)
            self.token.setPlaceholderText(self.tr("set by STUDIO_ROOM_TOKEN"))
        self.rules = QLineEdit()
        self.rules.setPlaceholderText(self.tr("rules.toml (empty: the defaults)"))
        note = QLabel(self.tr("A bridge the studio runs posts the platform's numbers to "
                              "http://INTERFACE:PORT/room/v1/messages with the token (kept with the other "
                              "secrets, or set STUDIO_ROOM_TOKEN). Format: resources/room/FORMAT.md."))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Interface"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Token"), token_row)
        form.addRow(self.tr("Requests per second per client"), self.rate)
        form.addRow(self.tr("Rules file"), self.rules)
        form.addRow(note)

    def load(self, s: Any) -> None:
        self.enabled.setChecked(bool(s.get("room.ingest_enabled", False)))
        self.host.setCurrentText(str(s.get("room.ingest_host", "127.0.0.1")))
        self.port.setValue(int(s.get("room.ingest_port", 8810)))
        self.rate.setValue(float(s.get("room.ingest_rate", 200.0)))
        self.rules.setText(str(s.get("room.rules", "")))

    def apply(self, s: Any) -> str | None:
        import ipaddress

        from studio_app.room.rules import RulesError, load_rules

        host = self.host.currentText().strip() or "127.0.0.1"
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return self.tr("Interface: {0} is not an IP address").format(repr(host))
        rules = self.rules.text().strip()
        if rules:
            try:
                load_rules(rules)
            except RulesError as exc:
                return self.tr("Rules file: {0}").format(str(exc))
        s.set("room.ingest_enabled", self.enabled.isChecked())
        s.set("room.ingest_host", host)
        s.set("room.ingest_port", self.port.value())
        s.set("room.ingest_rate", float(self.rate.value()))
        s.set("room.rules", rules)
        token = self.token.text().strip()
        self.token.clear()
        if self.panel is not None:
            self.panel.settings_changed(token or None)  # applies now; stores the token first
        elif token:
            from studio_app.core.secrets import ROOM_TOKEN, SecretStore

            # keyring may talk D-Bus: a plain thread, never the GUI's
            threading.Thread(target=lambda: SecretStore().set(ROOM_TOKEN, token), name="room-token",
                             daemon=True).start()
        return None

    def _new_token(self) -> None:
        import secrets

        self.token.setText(secrets.token_urlsafe(24))
        self.token.setEchoMode(QLineEdit.EchoMode.Normal)  # shown once, to copy into the bridge

