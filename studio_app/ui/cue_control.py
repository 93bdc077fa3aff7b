"""The desk's control for the anchor's cue screen (提词屏控制): open/close it on a chosen
monitor, orientation, mirror, script text size, teleprompter speed, anchor profiles (named
sets of those reading settings, e.g. for a substitute anchor), the desk message, and the
read-only LAN view for phones.

The control renders the studio's snapshot (``studio.state().cue``: segment, timer, card,
countdowns, the one anchor message, drill, tallies, teleprompter speed) on the window and
the LAN view; its message box and teleprompter buttons are actions of the studio's
dispatcher (``message.send``, ``message.hide``, ``prompter.speed``, ``prompter.pause``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio_app.core import anchor_profiles as profiles
from studio_app.core.cue_state import CueScreenState, PrompterState
from studio_app.core.events import Severity, Source
from studio_app.core.settings import Settings
from studio_app.ui.bridge import run_in_background
from studio_app.ui.cue_screen import ORIENTATIONS, CueScreen, find_screen, screen_key
from studio_app.ui.theme import COLORS
from studio_app.ui.layout import scrolling_column




def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's up interfaces, loopback first."""
    out = ["127.0.0.1"]
    for iface in QNetworkInterface.allInterfaces():
        flags = iface.flags()
        if not (flags & QNetworkInterface.InterfaceFlag.IsUp) or flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in iface.addressEntries():
            ip = entry.ip()
            if ip.protocol() == QAbstractSocket.NetworkLayerProtocol.IPv4Protocol and ip != QHostAddress.SpecialAddress.LocalHost:
                out.append(ip.toString())
    return list(dict.fromkeys(out)) + ["0.0.0.0"]


def state_from_show(show) -> CueScreenState:
    """A standby cue state from a loaded rundown (``studio_app.show.model.Show``): the
    first segment armed, its first product on the card. Used until the engine feeds it."""
    seg = show.segments[0] if show.segments else None
    if seg is None:
        return CueScreenState(show_title=show.title)
    card = None
    if seg.products:
        from studio_app.core.cue_state import ProductCard

        try:
            prod = show.product(seg.products[0])
        except KeyError:
            prod = None
        if prod is not None:
            image = prod.image
            if image and show.source and not Path(image).is_absolute():
                image = str(Path(show.source).parent / image)
            card = ProductCard(name=prod.name, live_price=prod.live_price, list_price=prod.list_price,
                               stock_left=prod.stock, sold_out=prod.stock <= 0, image_path=image)
    nxt = show.segments[1].title if len(show.segments) > 1 else ""
    kind = getattr(seg.kind, "label_zh", "") or str(getattr(seg.kind, "value", ""))
    return CueScreenState(
        show_title=show.title, segment_title=seg.title, segment_kind=kind,
        remaining_ms=int(seg.duration * 1000), planned_ms=int(seg.duration * 1000), phase="none",
        script=seg.script, talking_points=tuple(seg.talking_points), product=card, next_title=nxt,
    )


if TYPE_CHECKING:  # the LAN server (websockets, asyncio) loads only when the LAN view is turned on
    from studio_app.core.cue_server import CueServer


class CueScreenControl(QWidget):
    """Dock panel. ``state_published`` carries every state sent to the views."""

    state_published = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None, log=None, studio=None) -> None:
        super().__init__(parent)
        self.setObjectName("CueScreenControl")
        self.settings = settings
        self._own_studio = studio is None
        if studio is None:  # a control on its own (tests, a spare screen): its own studio
            from studio_app.studio import Studio

            studio = Studio(settings, log)
        self.studio = studio  # studio_app.studio.Studio: the state it renders, the actions it sends
        self.log = log  # an EventSink (the event log): anchor profiles applied, saved, deleted
        self.screen_window: CueScreen | None = None
        # Per show: kept across desk restarts so phones reconnect by themselves mid-show;
        # a new show gets a new link (new_show_token).
        self.token = str(self.settings.get("cue_screen.lan_token", "") or "")
        self._desk_state = CueScreenState()
        self._studio_cue = CueScreenState()  # the studio's last word on the anchor's screen
        self._unsubscribe = None
        # The reading settings (a malformed value in the file counts as its default; the
        # profile box says what is wrong).
        self._reading = profiles.current_values(self.settings)
        self._prompter = PrompterState(step=self._reading["prompter_step"])
        if not self.token:
            from studio_app.core.cue_server import new_token

            self.token = new_token()
            self._save("cue_screen.lan_token", self.token)
        self._build()
        # Monitors come and go (a cable pulled mid-show): keep the list current and move
        # the cue screen to the remembered monitor, or the primary one, by itself.
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        # The wall clock on the views ticks once a second while any view is open.
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._publish)
        # The studio's snapshots arrive on its notifier thread, many a second: through a
        # Mailbox (no Qt call on that thread; see obs_panel.Mailbox), newest first.
        from studio_app.ui.obs_panel import Mailbox

        self._studio_box = Mailbox(self._studio_states, self)
        self._unsubscribe = studio.subscribe(self._studio_box.post)
        self._studio_changed(studio.state())

    # ------------------------------------------------------------------ widgets
    def _build(self) -> None:
        # Scrollable, so the dock never forces a tall minimum size on the desk window.
        root = scrolling_column(self)
        screen_box = QGroupBox(self.tr("Cue screen"))
        form = QFormLayout(screen_box)
        self.open_button = QPushButton(self.tr("Open cue screen"))
        self.open_button.setCheckable(True)
        self.open_button.toggled.connect(self._toggle_screen)
        form.addRow(self.open_button)
        self.monitor = QComboBox()
        self._fill_monitors()
        self.monitor.currentIndexChanged.connect(self._monitor_changed)
        form.addRow(self.tr("Monitor"), self.monitor)
        self.orientation = QComboBox()
        for key, label in (("auto", self.tr("Auto (by monitor shape)")), ("landscape", self.tr("Landscape")),
                           ("portrait", self.tr("Portrait (monitor turned)"))):
            self.orientation.addItem(label, key)
        current = str(self.settings.get("cue_screen.orientation", "auto"))
        self.orientation.setCurrentIndex(max(0, ORIENTATIONS.index(current) if current in ORIENTATIONS else 0))
        self.orientation.currentIndexChanged.connect(self._orientation_changed)
        form.addRow(self.tr("Layout"), self.orientation)
        self.mirror = QCheckBox(self.tr("Mirror for teleprompter glass"))
        self.mirror.setChecked(self._reading["mirror"])
        self.mirror.toggled.connect(self._mirror_changed)
        form.addRow(self.mirror)
        self.script_size = QSpinBox()
        self.script_size.setRange(profiles.SCRIPT_SIZE_MIN, profiles.SCRIPT_SIZE_MAX)
        self.script_size.setSingleStep(10)
        self.script_size.setSuffix(" %")
        self.script_size.setValue(self._reading["script_size"])
        self.script_size.valueChanged.connect(self._script_size_changed)
        form.addRow(self.tr("Script text size"), self.script_size)
        root.addWidget(screen_box)

        prompter_box = QGroupBox(self.tr("Teleprompter"))
        row = QHBoxLayout(prompter_box)
        self.slower = QPushButton("−")
        self.slower.setToolTip(self.tr("Slower (Up on the cue screen)"))
        self.run = QPushButton(self.tr("Run"))
        self.run.setCheckable(True)
        self.faster = QPushButton("+")
        self.faster.setToolTip(self.tr("Faster (Down on the cue screen)"))
        self.step_label = QLabel()
        for w in (self.slower, self.run, self.faster, self.step_label):
            row.addWidget(w)
        self.slower.clicked.connect(lambda: self._prompter_action("slower"))
        self.faster.clicked.connect(lambda: self._prompter_action("faster"))
        self.run.clicked.connect(lambda on: self._prompter_action("run" if on else "pause"))
        root.addWidget(prompter_box)
        root.addWidget(self._build_profiles())

        msg_box = QGroupBox(self.tr("Message to the anchor"))
        mform = QVBoxLayout(msg_box)
        self.message_text = QLineEdit()
        self.message_text.setPlaceholderText(self.tr("e.g. 请看镜头 2 / 准备上链接"))
        self.message_text.returnPressed.connect(self.send_message)
        mform.addWidget(self.message_text)
        opts = QHBoxLayout()
        self.blink = QCheckBox(self.tr("Blink"))
        self.blackout = QCheckBox(self.tr("Blackout"))
        self.send = QPushButton(self.tr("Send"))
        self.clear = QPushButton(self.tr("Clear"))
        self.send.clicked.connect(self.send_message)
        self.clear.clicked.connect(self.clear_message)
        for w in (self.blink, self.blackout, self.send, self.clear):
            opts.addWidget(w)
        mform.addLayout(opts)
        root.addWidget(msg_box)

        lan_box = QGroupBox(self.tr("Phones and tablets (studio LAN, read-only)"))
        lform = QFormLayout(lan_box)
        self.lan_enabled = QCheckBox(self.tr("Serve the cue view on the LAN"))
        self.lan_host = QComboBox()
        self.lan_host.setEditable(True)
        addresses = lan_addresses()
        self.lan_host.addItems(addresses)
        host = str(self.settings.get("cue_screen.lan_host", "127.0.0.1"))
        self.lan_host.setCurrentText(host)
        self.lan_port = QSpinBox()
        self.lan_port.setRange(1024, 65535)
        self.lan_port.setValue(int(self.settings.get("cue_screen.lan_port", 8765)))
        self.lan_url = QLabel(self.tr("off"))
        self.lan_url.setWordWrap(True)
        self.lan_url.setTextInteractionFlags(self.lan_url.textInteractionFlags() | self.lan_url.textInteractionFlags().TextSelectableByMouse)
        lform.addRow(self.lan_enabled)
        lform.addRow(self.tr("Interface"), self.lan_host)
        lform.addRow(self.tr("Port"), self.lan_port)
        lform.addRow(self.tr("Link"), self.lan_url)
        self.lan_enabled.toggled.connect(self._toggle_lan)
        root.addWidget(lan_box)
        root.addStretch(1)
        self._show_step()
        if self.settings.get("cue_screen.lan_enabled", False):
            self.lan_enabled.setChecked(True)

    def _build_profiles(self) -> QGroupBox:
        box = QGroupBox(self.tr("Anchor profile"))
        box.setToolTip(self.tr("Named reading settings (script text size, teleprompter speed, mirror, layout), "
                               "e.g. for a substitute anchor. The emergency runbooks load them by name."))
        lay = QVBoxLayout(box)
        self.profile_current = QLabel()
        self.profile_current.setObjectName("AnchorProfileCurrent")
        self.profile_current.setWordWrap(True)
        lay.addWidget(self.profile_current)
        pick_row = QHBoxLayout()
        self.profile_pick = QComboBox()
        self.profile_pick.currentIndexChanged.connect(self._profile_picked)
        self.profile_apply = QPushButton(self.tr("Apply"))
        self.profile_apply.clicked.connect(self._apply_clicked)
        self.profile_delete = QPushButton(self.tr("Delete"))
        self.profile_delete.clicked.connect(self._delete_clicked)
        pick_row.addWidget(self.profile_pick, 1)
        pick_row.addWidget(self.profile_apply)
        pick_row.addWidget(self.profile_delete)
        lay.addLayout(pick_row)
        save_row = QHBoxLayout()
        self.profile_name = QLineEdit()
        self.profile_name.setPlaceholderText(self.tr("Profile name"))
        self.profile_name.returnPressed.connect(self._save_clicked)
        self.profile_save = QPushButton(self.tr("Save current settings"))
        self.profile_save.setToolTip(self.tr("Save the script size, speed, mirror and layout shown now under this name"))
        self.profile_save.clicked.connect(self._save_clicked)
        save_row.addWidget(self.profile_name, 1)
        save_row.addWidget(self.profile_save)
        lay.addLayout(save_row)
        self.profile_status = QLabel()
        self.profile_status.setWordWrap(True)
        lay.addWidget(self.profile_status)
        self._fill_profiles()
        wrong = profiles.problems(self.settings)
        if wrong:  # a hand-edited settings file: say what is wrong, keep working
            self._profile_message("\n".join(wrong), error=True)
        return box

    def _fill_monitors(self) -> None:
        self.monitor.blockSignals(True)
        self.monitor.clear()
        remembered = str(self.settings.get("cue_screen.screen", ""))
        pick = 0
        for i, s in enumerate(QGuiApplication.screens()):
            g = s.geometry()
            self.monitor.addItem(f"{s.name()}  {g.width()}×{g.height()}", screen_key(s))
            if remembered and remembered in (s.serialNumber(), s.name()):
                pick = i
        self.monitor.setCurrentIndex(pick)
        self.monitor.blockSignals(False)

    def _screens_changed(self, *_args) -> None:
        self._fill_monitors()
        if self.screen_window is not None:
            remembered = find_screen(str(self.settings.get("cue_screen.screen", "")))
            if remembered is not None or self.screen_window.screen() not in QGuiApplication.screens():
                self.screen_window.place_on(remembered)

    # ------------------------------------------------------------------ desk API
    def set_state(self, state: CueScreenState) -> None:
        """The desk's newest view of the show; shown at once on every open view."""
        self._desk_state = state
        self._publish()

    def current_state(self) -> CueScreenState:
        """What the views show: the show's state with the studio's message and drill flag
        (the message lives in the studio only) and the screen's own prompter position."""
        base, sc = self._desk_state, self._studio_cue
        clock = base.clock or dt.datetime.now().strftime("%H:%M:%S")
        return base.with_(message=sc.message, drill=base.drill or sc.drill, prompter=self._prompter, clock=clock)

    def _studio_states(self, states: list) -> None:
        self._studio_changed(states[-1])  # the newest only

    def _studio_changed(self, state) -> None:  # noqa: ANN001 - studio_app.studio.StudioState
        """A new studio snapshot (GUI thread): the anchor's part goes to the views; a speed
        or run/pause set by an action (a key, a runbook, a remote button) goes to the
        screen, which owns the scrolling."""
        reading = dict(state.reading)
        if reading and reading != self._reading:
            self._show_reading(reading)  # an anchor profile applied (a runbook step, this dock)
        p = state.prompter
        if (p.step, p.running) != (self._prompter.step, self._prompter.running):
            win = self.screen_window
            if win is not None:
                win.set_prompter_step(p.step)
                win.prompter_run(p.running)
            else:
                self._prompter = PrompterState(p.step, p.running, self._prompter.position)
                self._show_step()
        self._studio_cue = state.cue
        if state.loaded:
            self.set_state(state.cue)  # the show's own state (before one loads: what set_state gave)
        else:
            self._publish()

    def new_show_token(self) -> str:
        """A new show: a new LAN link (the old one stops working at the next restart)."""
        from studio_app.core.cue_server import new_token

        self.token = new_token()
        self._save("cue_screen.lan_token", self.token)
        if self.studio.lan is not None:
            self._toggle_lan(True)  # the studio reopens it with the new link
        return self.token

    def send_message(self) -> None:
        """The message box: Send is ``message.send`` (an empty box hides the message)."""
        text = self.message_text.text().strip()
        if text or self.blackout.isChecked():
            self.studio.dispatch("message.send", text=text, blink=self.blink.isChecked(),
                                 blackout=self.blackout.isChecked())
        else:
            self.studio.dispatch("message.hide")
        self._studio_changed(self.studio.state())  # on this screen at once, not a frame later

    def clear_message(self) -> None:
        self.message_text.clear()
        self.blink.setChecked(False)
        self.blackout.setChecked(False)
        self.studio.dispatch("message.hide")
        self._studio_changed(self.studio.state())

    def _publish(self) -> None:
        state = self.current_state()
        if self.screen_window is not None:
            self.screen_window.set_state(state)
        self.state_published.emit(state)

    # ------------------------------------------------------------------ cue window
    def open_screen(self) -> CueScreen:
        if self.screen_window is None:
            win = CueScreen()
            win.set_mirror(self.mirror.isChecked())
            win.set_orientation(self.orientation.currentData() or "auto")
            win.set_script_size(self.script_size.value())
            win.set_prompter_step(self._prompter.step)  # the desk's speed (an anchor profile's)
            win.prompter_changed.connect(self._prompter_changed)
            win.closed.connect(self._screen_closed)
            self.screen_window = win
            win.set_state(self.current_state())
        target = find_screen(self.monitor.currentData() or "")
        self.screen_window.place_on(target)
        self._clock.start()
        if not self.open_button.isChecked():
            self.open_button.setChecked(True)
        return self.screen_window

    def close_screen(self) -> None:
        win, self.screen_window = self.screen_window, None
        if win is not None:
            win.closed.disconnect(self._screen_closed)
            win.close()
            win.deleteLater()
        self._clock.stop()  # the clock ticks for the window (the LAN view follows the studio)
        if self.open_button.isChecked():
            self.open_button.setChecked(False)

    def _toggle_screen(self, on: bool) -> None:
        if on and self.screen_window is None:
            self.open_screen()
        elif not on and self.screen_window is not None:
            self.close_screen()

    def _screen_closed(self) -> None:
        self.screen_window = None
        self.open_button.setChecked(False)

    def _monitor_changed(self) -> None:
        key = self.monitor.currentData() or ""
        self._save("cue_screen.screen", key)
        if self.screen_window is not None:
            self.screen_window.place_on(find_screen(key))

    def _orientation_changed(self) -> None:
        value = self.orientation.currentData() or "auto"
        self._save("cue_screen.orientation", value)
        if self.screen_window is not None:
            self.screen_window.set_orientation(value)
        self._reading_changed("orientation", value)

    def _mirror_changed(self, on: bool) -> None:
        self._save("cue_screen.mirror", bool(on))
        if self.screen_window is not None:
            self.screen_window.set_mirror(on)
        self._reading_changed("mirror", bool(on))

    def _script_size_changed(self, value: int) -> None:
        self._save("cue_screen.script_size", int(value))
        if self.screen_window is not None:
            self.screen_window.set_script_size(value)
        self._reading_changed("script_size", int(value))

    def _save(self, key: str, value) -> None:
        """Remember a choice in the settings file; the disk write runs off the GUI thread."""
        self.settings.set(key, value)
        self._write_settings()

    def _write_settings(self) -> None:
        """Write the settings to the file off the GUI thread. ``Settings.save`` takes its
        snapshot in turn under its own write lock, so the newest values end on disk; a
        failed write is shown in the panel and logged, never dropped."""

        def failed(exc: BaseException) -> None:
            message = self.tr("Settings not saved: {0}").format(f"{self.settings.path}: {exc}")
            self._profile_message(message, error=True)
            self._log("settings.save_failed", f"cue settings not saved to {self.settings.path}: {exc}", Severity.ERROR,
                      {"path": str(self.settings.path), "error": str(exc)})

        run_in_background(self.settings.save, lambda _r: None, failed)

    def load_show(self, path: str | Path) -> None:
        """Show the armed first segment of a rundown file until the engine feeds the
        screen (read off the GUI thread; a missing or bad file leaves the state alone)."""

        def load():
            from studio_app.show.rundown import load_rundown  # the show engineer's loader

            return state_from_show(load_rundown(path)) if Path(path).exists() else None

        def done(state) -> None:
            if state is not None and self._desk_state == CueScreenState():
                self.set_state(state)

        run_in_background(load, done, lambda _e: None)

    # ------------------------------------------------------------------ prompter
    def _prompter_action(self, action: str) -> None:
        win = self.screen_window
        if win is None:  # no window: keep the desk's own prompter so the LAN view still scrolls
            p = self._prompter
            step = p.step + (1 if action == "faster" else -1 if action == "slower" else 0)
            running = {"run": True, "pause": False}.get(action, p.running)
            from studio_app.core.cue_state import clamp_step

            self._prompter_changed(PrompterState(clamp_step(step), running, p.position))
            return
        {"faster": win.prompter_faster, "slower": win.prompter_slower,
         "run": lambda: win.prompter_run(True), "pause": lambda: win.prompter_run(False)}[action]()

    def _prompter_changed(self, p: PrompterState) -> None:
        self._prompter = p
        self._show_step()
        self.studio.set_prompter(p)
        if p.step != self._reading["prompter_step"]:  # remembered (an anchor profile's speed)
            self._save("cue_screen.prompter_step", p.step)
            self._reading_changed("prompter_step", p.step)
        self._publish()

    # ------------------------------------------------------------------ anchor profiles
    def apply_anchor_profile(self, name: str, by: str = "desk") -> str:
        """Apply the anchor profile ``name`` at once through the studio's ``anchor.profile``
        action (settings, cue screen, LAN view, log; the file written off the GUI thread).
        Returns a one-line summary. Raises
        :class:`~studio_app.core.anchor_profiles.UnknownAnchorProfile` or
        :class:`~studio_app.core.anchor_profiles.AnchorProfileError` (nothing changed)."""
        if name not in profiles.profile_names(self.settings):
            raise profiles.UnknownAnchorProfile(name)
        result = self.studio.dispatch_from(by, "anchor.profile", {"name": name})
        if not result.ok:
            raise profiles.AnchorProfileError(result.message)
        self._studio_changed(self.studio.state())  # at once, not a frame later
        self._fill_profiles()
        self._profile_message(self.tr("Profile {0} applied.").format(name))
        return result.message

    def _show_reading(self, values: dict) -> None:
        """The anchor's reading settings on this panel and the open cue screen."""
        self._reading = dict(values)
        for widget in (self.mirror, self.orientation, self.script_size):
            widget.blockSignals(True)  # no settings write per widget: the studio saved them
        try:
            self.mirror.setChecked(values["mirror"])
            self.orientation.setCurrentIndex(max(0, self.orientation.findData(values["orientation"])))
            self.script_size.setValue(values["script_size"])
        finally:
            for widget in (self.mirror, self.orientation, self.script_size):
                widget.blockSignals(False)
        win = self.screen_window
        if win is not None:
            win.set_mirror(values["mirror"])
            win.set_orientation(values["orientation"])
            win.set_script_size(values["script_size"])
        self._show_current_profile()

    def save_anchor_profile(self, name: str) -> profiles.AnchorProfile:
        """Save the reading settings shown now as the profile ``name`` (replacing one of
        that name) and make it current. Raises AnchorProfileError for an unusable name."""
        profile = profiles.capture(self.settings, name, {"prompter_step": self._prompter.step})
        replaced = profiles.save_profile(self.settings, profile)
        self._write_settings()
        self._log("anchor_profile.save", f"anchor profile {profile.name} {'replaced' if replaced else 'saved'}: "
                  f"{profile.describe()}", Severity.INFO,
                  {"profile": profile.name, "settings": profile.to_dict(), "replaced": replaced})
        self._fill_profiles()
        self._profile_message(self.tr("Profile {0} saved.").format(profile.name))
        return profile

    def delete_anchor_profile(self, name: str) -> None:
        """Delete the profile ``name`` (not one shipped with the console: AnchorProfileError)."""
        profiles.delete_profile(self.settings, name)
        self._write_settings()
        self._log("anchor_profile.delete", f"anchor profile {name} deleted", Severity.INFO, {"profile": name})
        self._fill_profiles()
        self._profile_message(self.tr("Profile {0} deleted.").format(name))

    def _apply_clicked(self) -> None:
        name = self.profile_pick.currentData()
        if not name:
            return
        try:
            self.apply_anchor_profile(name)
        except profiles.AnchorProfileError as exc:
            self._log("anchor_profile.failed", f"anchor profile {name} not applied: {exc}", Severity.WARNING,
                      {"profile": name, "error": str(exc)})
            self._profile_message(str(exc), error=True)

    def _save_clicked(self) -> None:
        try:
            profile = self.save_anchor_profile(self.profile_name.text())
        except profiles.AnchorProfileError as exc:
            self._profile_message(str(exc), error=True)
            return
        self.profile_name.clear()
        self.profile_pick.setCurrentIndex(self.profile_pick.findData(profile.name))

    def _delete_clicked(self) -> None:
        name = self.profile_pick.currentData()
        if not name:
            return
        try:
            self.delete_anchor_profile(name)
        except profiles.AnchorProfileError as exc:
            self._profile_message(str(exc), error=True)

    def _reading_changed(self, field: str, value) -> None:
        self._reading[field] = value
        self._show_current_profile()

    def _fill_profiles(self) -> None:
        """The profile list and the current profile's name, from the settings."""
        picked = self.profile_pick.currentData()
        current = profiles.current_name(self.settings)
        self.profile_pick.blockSignals(True)
        self.profile_pick.clear()
        for name in profiles.profile_names(self.settings):
            self.profile_pick.addItem(name, name)
        row = self.profile_pick.findData(picked if picked is not None else current)
        self.profile_pick.setCurrentIndex(row if row >= 0 else max(0, self.profile_pick.findData(current)))
        self.profile_pick.blockSignals(False)
        self._profile_picked()
        self._show_current_profile()

    def _profile_picked(self, *_args) -> None:
        name = self.profile_pick.currentData()
        self.profile_apply.setEnabled(bool(name))
        shipped = bool(name) and profiles.shipped(name)
        self.profile_delete.setEnabled(bool(name) and not shipped)
        self.profile_delete.setToolTip(
            self.tr("Shipped with the console (the emergency runbooks use it): save over it to change it")
            if shipped else "")

    def _show_current_profile(self) -> None:
        name = profiles.current_name(self.settings)
        if not name:
            self.profile_current.setText(self.tr("Current profile: none"))
            return
        try:
            same = profiles.get_profile(self.settings, name).matches(self._reading)
        except profiles.AnchorProfileError:
            same = False  # deleted or broken since it was applied
        text = self.tr("Current profile: {0}") if same else self.tr("Current profile: {0} (settings changed since)")
        self.profile_current.setText(text.format(name))

    def _profile_message(self, text: str, error: bool = False) -> None:
        self.profile_status.setText(text)
        self.profile_status.setStyleSheet(f"color:{COLORS['error']};" if error else "")

    def _log(self, kind: str, message: str, severity: int, payload: dict) -> None:
        if self.log is not None:
            self.log.log(Source.CUE.value, kind, message, severity, payload)

    def _show_step(self) -> None:
        p = self._prompter
        self.step_label.setText(self.tr("speed {0}").format(p.step))
        self.run.blockSignals(True)
        self.run.setChecked(p.running)
        self.run.setText(self.tr("Pause") if p.running else self.tr("Run"))
        self.run.blockSignals(False)

    # ------------------------------------------------------------------ LAN view
    @property
    def server(self) -> "CueServer | None":
        """The studio's LAN view, when it is on."""
        return self.studio.lan

    def _toggle_lan(self, on: bool) -> None:
        """The studio serves the anchor's screen to phones; this box turns it on and off
        (the server's start and stop run off the GUI thread)."""
        self._lan_wanted = on
        if not on:
            run_in_background(self.studio.close_lan, lambda _r: None, lambda _e: None)
            self.lan_url.setText(self.tr("off"))
            self._save("cue_screen.lan_enabled", False)
            return
        host, port = self.lan_host.currentText().strip() or "127.0.0.1", self.lan_port.value()
        from studio_app.core.cue_server import CueServerError

        self.lan_url.setText(self.tr("starting…"))

        def started(url: str) -> None:
            if not self.lan_enabled.isChecked():  # switched off meanwhile
                run_in_background(self.studio.close_lan, lambda _r: None, lambda _e: None)
                return
            self.lan_url.setText(url)

        def failed(exc: BaseException) -> None:
            message = str(exc) if isinstance(exc, CueServerError) else f"cue LAN view failed: {exc}"
            self.lan_url.setText(message)
            self.lan_enabled.blockSignals(True)
            self.lan_enabled.setChecked(False)
            self.lan_enabled.blockSignals(False)

        self._save("cue_screen.lan_enabled", True)
        self._save("cue_screen.lan_host", host)
        self._save("cue_screen.lan_port", port)
        token = self.token
        run_in_background(lambda: self.studio.open_lan(host, port, token), started, failed)

    # ------------------------------------------------------------------ lifecycle
    def stop(self) -> None:
        """Close the window and the LAN view, stop the clock (desk shutdown, tests)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
            self._studio_box.close()
        if self._own_studio:
            self.studio.close()
        self._clock.stop()
        self.close_screen()
        if self.studio.lan is not None and self.lan_enabled.isChecked():
            self.studio.close_lan()  # the desk closes: its phones' view too
