"""The Remote dock: remote control on or off, its address and token (copy, QR code), the
clients connected, the last actions received, and the automations with their last result.

The server and the automations run on their own threads (``studio_app.remote``); this panel
only starts and stops them through Qt's thread pool (the token may come from the OS keyring,
binding may take a moment) and hears back through queued signals. The GUI never waits.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studio_app.core.events import Severity, Source
from studio_app.core.settings import Settings
from studio_app.ui.bridge import ThreadBridge, run_in_background
from studio_app.ui.event_text import event_text, refusal_text
from studio_app.ui.cue_control import lan_addresses
from studio_app.ui.layout import scrolling_column
from studio_app.ui.theme import COLORS

SHOWN_ACTIONS = 12


def qr_pixmap(text: str, scale: int = 4) -> QPixmap:
    """A QR code of ``text`` (segno, PNG in memory)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class RemotePanel(QWidget):
    """``studio``: the studio (``studio_app.studio.Studio`` or anything with its surface).
    ``override``: ``(host, port)`` from ``--remote``, on for this run without changing the settings."""

    started = Signal(str)  # the API's URL, once listening
    stopped = Signal()

    def __init__(self, settings: Settings, studio: Any, *, log: Any = None,
                 override: tuple[str, int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.studio = studio
        self.log = log
        self.override = override
        self.server: Any = None  # the RemoteServer running now (the switch's current one)
        self.switch: Any = None  # its ListenerSwitch: settings changes apply while the desk runs
        self.runner: Any = None
        self.token = ""
        self._actions = ThreadBridge(self)
        self._actions.received.connect(self._action_received)
        self._switched = ThreadBridge(self)
        self._switched.received.connect(self._after_switch)
        self._results = ThreadBridge(self)
        self._results.received.connect(lambda _a: self._fill_automations())
        self._refresh = QTimer(self)
        self._refresh.setInterval(1000)
        self._refresh.timeout.connect(self._show_clients)
        self._build()
        if override is not None or settings.get("remote.enabled", False):
            self.enabled.setChecked(True)
        if settings.get("remote.automations", ""):
            self.load_automations(str(settings.get("remote.automations")))

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        root = scrolling_column(self)
        box = QGroupBox(self.tr("Remote control (Stream Deck, Companion, OSC, HTTP)"))
        form = QFormLayout(box)
        self.enabled = QCheckBox(self.tr("Remote control on"))
        self.host = QComboBox()
        self.host.setEditable(True)
        self.host.addItems(lan_addresses())
        self.port = QSpinBox()
        self.port.setRange(1024, 65534)
        host, port = self.override or (str(self.settings.get("remote.host", "127.0.0.1")),
                                       int(self.settings.get("remote.port", 8800)))
        self.host.setCurrentText(host)
        self.port.setValue(port)
        self.address = QLabel(self.tr("off"))
        self.address.setWordWrap(True)
        self.address.setTextInteractionFlags(self.address.textInteractionFlags()
                                             | self.address.textInteractionFlags().TextSelectableByMouse)
        form.addRow(self.enabled)
        form.addRow(self.tr("Interface"), self.host)
        form.addRow(self.tr("Port (OSC: port + 1)"), self.port)
        form.addRow(self.tr("Address"), self.address)
        token_row = QHBoxLayout()
        self.token_field = QLineEdit()
        self.token_field.setReadOnly(True)
        self.token_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_field.setPlaceholderText(self.tr("shown when remote control is on"))
        self.show_token = QPushButton(self.tr("Show"))
        self.show_token.setCheckable(True)
        self.show_token.toggled.connect(self._show_token)
        self.copy_token = QPushButton(self.tr("Copy"))
        self.copy_token.clicked.connect(self._copy_token)
        for w in (self.token_field, self.show_token, self.copy_token):
            token_row.addWidget(w)
        form.addRow(self.tr("Token"), token_row)
        self.qr = QLabel()
        self.qr.setToolTip(self.tr("Scan with a phone: the state address with the token"))
        form.addRow(self.qr)
        self.osc_host = QComboBox()
        self.osc_host.setEditable(True)
        self.osc_host.addItems(lan_addresses())
        self.osc_host.setCurrentText(str(self.settings.get("remote.osc_host", "127.0.0.1")))
        self.osc_host.setToolTip(self.tr("OSC has no password: it listens on loopback unless you pick an interface"))
        form.addRow(self.tr("OSC interface"), self.osc_host)
        self.osc_allow = QLineEdit(", ".join(self.settings.get("remote.osc_allow", ["127.0.0.1", "::1"])))
        self.osc_allow.setToolTip(self.tr("Addresses or networks (e.g. 192.168.1.0/24) allowed to send OSC"))
        form.addRow(self.tr("OSC allowed senders"), self.osc_allow)
        self.osc_targets = QLineEdit(", ".join(self.settings.get("remote.osc_targets", [])))
        self.osc_targets.setPlaceholderText(self.tr("e.g. 192.168.1.50:12321"))
        self.osc_targets.setToolTip(self.tr("HOST:PORT that get every variable when it changes"))
        form.addRow(self.tr("OSC feedback to"), self.osc_targets)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        self.enabled.toggled.connect(self._toggle)
        root.addWidget(box)

        clients_box = QGroupBox(self.tr("Clients and last actions"))
        cform = QFormLayout(clients_box)
        self.clients = QLabel(self.tr("none"))
        self.clients.setWordWrap(True)
        cform.addRow(self.tr("Connected"), self.clients)
        self.last_actions = QListWidget()
        self.last_actions.setMinimumHeight(110)
        cform.addRow(self.last_actions)
        root.addWidget(clients_box)

        auto_box = QGroupBox(self.tr("Automations"))
        aform = QFormLayout(auto_box)
        file_row = QHBoxLayout()
        self.auto_file = QLineEdit(str(self.settings.get("remote.automations", "")))
        self.auto_file.setPlaceholderText(self.tr("automations.toml"))
        self.auto_file.returnPressed.connect(lambda: self.load_automations(self.auto_file.text()))
        browse = QPushButton(self.tr("Open…"))
        browse.clicked.connect(self._browse)
        reload_button = QPushButton(self.tr("Load"))
        reload_button.clicked.connect(lambda: self.load_automations(self.auto_file.text()))
        for w in (self.auto_file, browse, reload_button):
            file_row.addWidget(w)
        aform.addRow(file_row)
        self.auto_status = QLabel()
        self.auto_status.setWordWrap(True)
        aform.addRow(self.auto_status)
        self.automations = QListWidget()
        self.automations.setMinimumHeight(90)
        aform.addRow(self.automations)
        root.addWidget(auto_box)
        root.addStretch(1)

    # ------------------------------------------------------------------ server on/off
    def _toggle(self, on: bool) -> None:
        if not on and self.override is None:
            self._save("remote.enabled", False)
        self._apply(on)

    def _apply(self, on: bool) -> None:
        """Make the server match the dock (on/off, address, OSC): the shared listener switch
        (:mod:`studio_app.remote.relisten`) stops the old one and starts the new one on its own
        thread, in order; if the new address cannot be bound the old server keeps running."""
        from studio_app.remote.relisten import ListenerSwitch
        from studio_app.remote.server import RemoteConfig, RemoteServer, wanted_sockets

        if self.switch is None:
            self.switch = ListenerSwitch(
                "remote", lambda config: RemoteServer(self.studio, config, on_action=self._actions.post), wanted_sockets)
        if not on:
            self.switch.submit(lambda: None, self._switched.post)
            return
        host = self.host.currentText().strip() or "127.0.0.1"
        port = self.port.value()
        osc_allow, osc_targets = _split(self.osc_allow.text()), _split(self.osc_targets.text())
        osc_host = self.osc_host.currentText().strip() or "127.0.0.1"
        if self.override is None:
            for key, value in (("remote.enabled", True), ("remote.host", host), ("remote.port", port),
                               ("remote.osc_host", osc_host), ("remote.osc_allow", osc_allow),
                               ("remote.osc_targets", osc_targets)):
                self.settings.set(key, value)
            self._write_settings()
        if self.server is None:
            self.address.setText(self.tr("starting…"))
        self.status.setText("")

        def config() -> Any:
            from studio_app.core.secrets import remote_token

            token = remote_token()  # may ask the OS keyring: off the GUI thread
            return RemoteConfig(host=host, port=port, token=token, osc_host=osc_host,
                                osc_allow=tuple(osc_allow), osc_targets=tuple(osc_targets))

        self.switch.submit(config, self._switched.post)

    def _after_switch(self, outcome: Any) -> None:
        """GUI thread: show and log what the switch did (never the token)."""
        if outcome.change == "unchanged":
            return
        server = outcome.listener if outcome.on else None
        self.server = server
        suffix, text, warning = outcome.event("remote control", "still on")
        payload = outcome.payload()
        if server is not None:
            payload["osc_port"] = server.osc_port
        self._log(f"remote.{suffix}", text, Severity.WARNING if warning else Severity.INFO, payload)
        if server is None:
            self._refresh.stop()
            self.address.setText(self.tr("off"))
            self.qr.clear()
            self.clients.setText(self.tr("none"))
            self.enabled.blockSignals(True)
            self.enabled.setChecked(False)
            self.enabled.blockSignals(False)
            if outcome.change == "stopped":
                self.stopped.emit()
        else:
            self.token = server.config.token
            self.token_field.setText(self.token)
            self.address.setText(self.tr("{url}  ·  OSC udp {host}:{port}").replace("{url}", server.url)
                                 .replace("{host}", server.config.osc_host).replace("{port}", str(server.osc_port)))
            self.qr.setPixmap(qr_pixmap(f"{server.url}/state?token={self.token}"))
            self._refresh.start()
        if outcome.change == "refused":
            self.status.setStyleSheet(f"color: {COLORS['error' if server is None else 'warning']};")
            error = refusal_text(outcome)
            self.status.setText(error if server is None else self.tr(
                "New settings not applied: {error}. Still running on {url}").replace(
                "{error}", error).replace("{url}", server.url))
            if server is not None:  # the fields show what runs, not what failed
                self.host.setCurrentText(server.config.host)
                self.port.setValue(server.config.port)
        elif server is not None:
            self.status.setText("")
            self.started.emit(server.url)

    # ------------------------------------------------------------------ token
    def _show_token(self, on: bool) -> None:
        self.token_field.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.show_token.setText(self.tr("Hide") if on else self.tr("Show"))

    def _copy_token(self) -> None:
        if self.token:
            QGuiApplication.clipboard().setText(self.token)
            self.status.setStyleSheet("")
            self.status.setText(self.tr("Token copied"))

    # ------------------------------------------------------------------ clients and actions
    def _show_clients(self) -> None:
        server = self.server
        if server is None:
            return
        try:
            peers = dict(server.peers)
        except RuntimeError:  # changed while copied (the server's thread): next second
            return
        now = dt.datetime.now().timestamp()
        recent = sorted(peer for peer, seen in peers.items() if now - seen < 60)
        parts = [self.tr("{n} WebSocket").replace("{n}", str(server.ws_clients))]
        if recent:
            parts.append(self.tr("active in the last minute: {peers}").replace("{peers}", ", ".join(recent[:6])))
        self.clients.setText("; ".join(parts))

    def _action_received(self, record: Any) -> None:
        when = dt.datetime.fromtimestamp(record.wall).strftime("%H:%M:%S")
        mark = "✓" if record.ok else "✗"
        text = f"{when} {mark} {record.via} {record.name}"
        if not record.ok:  # the dispatcher's reason in the desk's language when it is coded
            reason = event_text().reason(record.reason_code, record.reason_fields) if record.reason_code else None
            text += f" — {reason or record.message}"
        self.last_actions.insertItem(0, text)
        while self.last_actions.count() > SHOWN_ACTIONS:
            self.last_actions.takeItem(self.last_actions.count() - 1)

    # ------------------------------------------------------------------ automations
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Automations file"), "", self.tr("TOML files (*.toml)"))
        if path:
            self.auto_file.setText(path)
            self.load_automations(path)

    def load_automations(self, path: str) -> None:
        """Read and check the file off the GUI thread; on success replace the running ones."""
        path = path.strip()
        if not path:
            self._stop_automations()
            self.automations.clear()
            self.auto_status.setText("")
            self._save("remote.automations", "")
            return
        from studio_app.remote.automations import AutomationRunner, load

        def read() -> Any:
            return AutomationRunner(self.studio, load(Path(path)), on_result=self._results.post).start()

        def done(runner: Any) -> None:
            self._stop_automations()
            self.runner = runner
            self.auto_status.setStyleSheet("")
            self.auto_status.setText(self.tr("{n} automations running").replace("{n}", str(len(runner.automations))))
            self._fill_automations()
            self._save("remote.automations", path)

        def failed(exc: BaseException) -> None:
            self.auto_status.setStyleSheet(f"color: {COLORS['error']};")
            self.auto_status.setText(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

        run_in_background(read, done, failed)

    def _stop_automations(self) -> None:
        runner, self.runner = self.runner, None
        if runner is not None:
            run_in_background(runner.stop, lambda _r: None, lambda _e: None)

    def _fill_automations(self) -> None:
        self.automations.clear()
        if self.runner is None:
            return
        for auto in self.runner.automations:
            last = auto.last_result or self.tr("not fired yet")
            self.automations.addItem(f"{auto.label} · {auto.when} → {auto.output} · {last}")

    # ------------------------------------------------------------------ settings, log, shutdown
    def settings_changed(self) -> None:
        """The Settings dialog changed the remote settings: show them, and restart the server
        on the new address (not while --remote decides this run's address)."""
        s = self.settings
        if self.override is None:
            self.host.setCurrentText(str(s.get("remote.host", "127.0.0.1")))
            self.port.setValue(int(s.get("remote.port", 8800)))
        self.osc_host.setCurrentText(str(s.get("remote.osc_host", "127.0.0.1")))
        self.osc_allow.setText(", ".join(s.get("remote.osc_allow", [])))
        self.osc_targets.setText(", ".join(s.get("remote.osc_targets", [])))
        if self.auto_file.text().strip() != str(s.get("remote.automations", "")):
            self.auto_file.setText(str(s.get("remote.automations", "")))
            self.load_automations(self.auto_file.text())
        if self.override is not None:
            return
        want = bool(s.get("remote.enabled", False))
        self.enabled.blockSignals(True)
        self.enabled.setChecked(want)
        self.enabled.blockSignals(False)
        self._apply(want)  # moves a running server in place (see _apply)

    def _save(self, key: str, value: Any) -> None:
        self.settings.set(key, value)
        self._write_settings()

    def _write_settings(self) -> None:
        run_in_background(self.settings.save, lambda _r: None, lambda _e: None)

    def _log(self, kind: str, message: str, severity: int, payload: dict) -> None:
        if self.log is not None:
            self.log.log(Source.SYSTEM, kind, message, severity, payload=payload)

    def stop(self) -> None:
        """Stop the server and the automations (desk shutdown, tests). Bounded."""
        self._refresh.stop()
        self.server = None
        if self.switch is not None:
            self.switch.close()
        runner, self.runner = self.runner, None
        if runner is not None:
            runner.stop()


class RemoteSettingsPage(QWidget):
    """Settings ▸ Remote control: the same choices as the dock, checked before they are kept
    (a wrong address or network is one line naming it)."""

    def __init__(self, panel: RemotePanel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.enabled = QCheckBox(self.tr("Remote control on when the console starts"))
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1024, 65534)
        self.osc_host = QLineEdit()
        self.osc_allow = QLineEdit()
        self.osc_targets = QLineEdit()
        self.automations = QLineEdit()
        self.automations.setPlaceholderText(self.tr("automations.toml"))
        note = QLabel(self.tr("HTTP and WebSocket on the port, OSC on the port + 1. The token is kept with the "
                              "other secrets (or set STUDIO_REMOTE_TOKEN); the Remote dock shows it."))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Interface"), self.host)
        form.addRow(self.tr("Port (OSC: port + 1)"), self.port)
        form.addRow(self.tr("OSC interface"), self.osc_host)
        form.addRow(self.tr("OSC allowed senders"), self.osc_allow)
        form.addRow(self.tr("OSC feedback to"), self.osc_targets)
        form.addRow(self.tr("Automations file"), self.automations)
        form.addRow(note)

    def load(self, s: Settings) -> None:
        self.enabled.setChecked(bool(s.get("remote.enabled", False)))
        self.host.setText(str(s.get("remote.host", "127.0.0.1")))
        self.port.setValue(int(s.get("remote.port", 8800)))
        self.osc_host.setText(str(s.get("remote.osc_host", "127.0.0.1")))
        self.osc_allow.setText(", ".join(s.get("remote.osc_allow", ["127.0.0.1", "::1"])))
        self.osc_targets.setText(", ".join(s.get("remote.osc_targets", [])))
        self.automations.setText(str(s.get("remote.automations", "")))

    def apply(self, s: Settings) -> str | None:
        import ipaddress

        from studio_app.remote.server import parse_listen

        host = self.host.text().strip() or "127.0.0.1"
        osc_host = self.osc_host.text().strip() or "127.0.0.1"
        for label, address in ((self.tr("Interface"), host), (self.tr("OSC interface"), osc_host)):
            try:
                ipaddress.ip_address(address)
            except ValueError:
                return self.tr("{field}: {value} is not an IP address").replace("{field}", label).replace(
                    "{value}", repr(address))
        allow = _split(self.osc_allow.text())
        for entry in allow:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                return self.tr("OSC allowed senders: {value} is not an address or network").replace(
                    "{value}", repr(entry))
        targets = _split(self.osc_targets.text())
        for entry in targets:
            try:
                parse_listen(entry)
            except ValueError as exc:
                return self.tr("OSC feedback to: {error}").replace("{error}", str(exc))
        for key, value in (("remote.enabled", self.enabled.isChecked()), ("remote.host", host),
                           ("remote.port", self.port.value()), ("remote.osc_host", osc_host),
                           ("remote.osc_allow", allow), ("remote.osc_targets", targets),
                           ("remote.automations", self.automations.text().strip())):
            s.set(key, value)
        if self.panel is not None:
            self.panel.settings_changed()
        return None
