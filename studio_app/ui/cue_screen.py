"""The anchor's cue screen (主播提词屏): a full-screen window on a studio monitor.

Custom-painted (QPainter) so it scales to any monitor and stays fast: type sizes are
fractions of the short side (timer 20 %, script 5.5 % times the script size setting), long
Chinese text wraps and is elided with "…", never clipped. Landscape and portrait layouts; a
portrait layout on a landscape monitor (or the reverse) is painted rotated for monitors
turned on their side; mirror flips the picture for teleprompter glass.

The screen renders a :class:`CueScreenState` given by the desk and owns only the
teleprompter motion (keys, clicker, desk buttons), which it reports by
``prompter_changed``. It never takes keyboard focus from the desk unless
:meth:`CueScreen.activate_for_keys` is called.
"""
from __future__ import annotations

import functools
import time
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QScreen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QWidget

from studio_app.core.anchor_profiles import SCRIPT_SIZE_MAX, SCRIPT_SIZE_MIN
from studio_app.core.cue_state import (
    BLINK_PERIOD_S,
    FLASH_PHASES,
    FLASH_SECONDS,
    PHASE_COLORS,
    CueScreenState,
    PrompterState,
    Tallies,
    advance_prompter,
    clamp_step,
    format_countdown,
    format_price,
    format_remaining,
    format_timecode,
)
from studio_app.ui.bridge import run_in_background
from studio_app.ui.theme import COLORS

FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                 "WenQuanYi Micro Hei", "sans-serif"]
ORIENTATIONS = ("auto", "landscape", "portrait")
READ_LINE = 0.30  # the reading-region marker sits 30 % down the script area

BG = QColor("#000000")
PANEL = QColor("#111318")
MUTED = QColor("#9aa0a6")
DIMMED = QColor("#6b7079")  # script lines already read
TEXT = QColor("#f2f3f5")
ACCENT = QColor(COLORS["accent"])
TALLY_RED = QColor(COLORS["program"])
PRICE_RED = QColor("#ff5a5a")
MESSAGE_BG = QColor("#ffd400")
DRILL_YELLOW = QColor("#ffd400")
CHIP = {
    ("coupon", "announce"): QColor("#1e3a8a"),
    ("coupon", "now"): QColor("#e53935"),
    ("coupon", "running"): QColor("#1b5e20"),
    ("flash_sale", "announce"): QColor("#6a1b9a"),
    ("flash_sale", "now"): QColor("#e53935"),
    ("flash_sale", "running"): QColor("#1b5e20"),
}


def screen_key(screen: QScreen) -> str:
    """How a monitor is remembered: its serial number when it reports one, else its name."""
    return screen.serialNumber() or screen.name()


def find_screen(key: str) -> QScreen | None:
    for s in QGuiApplication.screens():
        if key and key in (s.serialNumber(), s.name()):
            return s
    return None


@functools.lru_cache(maxsize=64)
def cue_font(px: int, bold: bool = False, strike: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPixelSize(max(6, int(px)))
    f.setBold(bold)
    f.setStrikeOut(strike)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


@functools.lru_cache(maxsize=256)
def wrap_lines(text: str, px: int, bold: bool, width: float) -> tuple[tuple[str, ...], float]:
    """``text`` broken into lines no wider than ``width`` (CJK breaks anywhere, Latin at
    words), and the line height in pixels."""
    font = cue_font(px, bold)
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    src = layout.text()
    lines: list[str] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        lines.append(src[line.textStart(): line.textStart() + line.textLength()].replace("\u2028", "").rstrip())
    layout.endLayout()
    return tuple(lines), QFontMetricsF(font).lineSpacing()


def _as_painted(s: CueScreenState) -> tuple[CueScreenState, tuple[Any, ...]]:
    """``s`` as painted: (everything but the ticking parts, the ticking parts as shown: the
    timer's digits and progress bar to a thousandth, the clock, the tallies' timecodes, the
    countdowns' texts)."""
    done = round(1000 * s.remaining_ms / s.planned_ms) if s.planned_ms > 0 else 0
    t = s.tallies
    ticking = (format_remaining(s.remaining_ms), done, s.clock, format_timecode(t.on_air_ms) if t.on_air else "",
               format_timecode(t.rec_ms) if t.rec else "", tuple(format_countdown(c) for c in s.countdowns))
    still = s.with_(remaining_ms=0, clock="", prompter=PrompterState(),
                    tallies=Tallies(t.on_air, None, t.rec, None),
                    countdowns=tuple(replace(c, seconds=0.0) for c in s.countdowns))
    return still, ticking


def draw_fitted(p: QPainter, rect: QRectF, text: str, px: float, *, min_px: float | None = None,
                bold: bool = False, color: QColor = TEXT, align=Qt.AlignmentFlag.AlignLeft,
                max_lines: int = 99, valign=Qt.AlignmentFlag.AlignTop) -> float:
    """Draw ``text`` in ``rect``: shrink from ``px`` down to ``min_px`` until it fits, then
    elide the last line with "…". Never draws outside ``rect``. Returns the height used."""
    if not text or rect.width() <= 1 or rect.height() <= 1:
        return 0.0
    min_px = min_px or px * 0.7
    size = float(px)
    while True:
        lines, lh = wrap_lines(text, int(size), bold, rect.width())
        n_fit = max(1, min(max_lines, int(rect.height() // lh)))
        if len(lines) <= n_fit or size * 0.92 < min_px:
            break
        size *= 0.92
    font = cue_font(int(size), bold)
    if len(lines) > n_fit:
        consumed = sum(len(line) for line in lines[: n_fit - 1])
        rest = text.replace("\n", " ")[consumed:] if n_fit > 1 else text.replace("\n", " ")
        last = QFontMetricsF(font).elidedText(rest.strip(), Qt.TextElideMode.ElideRight, rect.width())
        lines = (*lines[: n_fit - 1], last)
    used = len(lines) * lh
    y = rect.top()
    if valign == Qt.AlignmentFlag.AlignVCenter:
        y += max(0.0, (rect.height() - used) / 2)
    elif valign == Qt.AlignmentFlag.AlignBottom:
        y += max(0.0, rect.height() - used)
    p.setFont(font)
    p.setPen(color)
    for line in lines:
        p.drawText(QRectF(rect.left(), y, rect.width(), lh), align | Qt.AlignmentFlag.AlignVCenter, line)
        y += lh
    return used


class CueScreen(QWidget):
    """The top-level cue window. ``painted`` is emitted after every frame (perf_counter
    seconds), ``prompter_changed`` with a :class:`PrompterState` on every prompter change."""

    painted = Signal(float)
    prompter_changed = Signal(object)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("CueScreen")
        self.setWindowTitle("Cue · 提词屏")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self._state = CueScreenState()
        self._has_state = False
        self._prompter = PrompterState()
        self._script_lines = 1.0  # script length in lines at the current size (for speed)
        self._visible_lines = 10.0
        self.mirror = False
        self.orientation = "auto"
        self.script_size = 100  # script text, percent of normal (anchor profiles)
        self._flash_until = 0.0
        self._started = time.monotonic()
        self._last_frame = time.monotonic()
        self._images: dict[str, QImage | None] = {}
        self._scaled: dict[tuple[str, int, int], QImage] = {}
        self.paint_count = 0
        self._accepts_focus = False
        self._desk_window: QWidget | None = None
        self._blocks: dict[str, QRectF] = {}
        self._script_layout: tuple[QRectF, float] | None = None
        self._looks: tuple[bool, bool] = (False, False)
        self._timer_cache: dict[tuple[str, int, str], QImage] = {}
        self._look: tuple[CueScreenState, tuple[Any, ...]] | None = None  # what the last set_state showed
        self._drill_image: tuple[tuple, QImage] | None = None  # the drill band, made once per size
        self._ticking: list[QRect] = []  # where the clock, tallies and timer were painted (window pixels)
        self._script_images: dict[tuple[str, int, int, float], QImage] = {}
        self._message_image: tuple[tuple[Any, ...], QImage] | None = None
        self._scroll_span = 0.0  # the script's scroll range in pixels, and how far it was painted
        self._scrolled_px = 0.0
        # One timer animates everything that moves (prompter, flash, blink); it runs only
        # while something moves.
        self._anim = QTimer(self)
        self._anim.setTimerType(Qt.TimerType.PreciseTimer)
        self._anim.timeout.connect(self._on_frame)
        self.resize(1280, 720)

    # ------------------------------------------------------------------ desk API
    def set_state(self, state: CueScreenState) -> None:
        """Show ``state`` (repainted in the next frame). Its ``prompter`` is ignored: the
        screen owns the prompter; a new script starts at the top, paused."""
        old = self._state
        now = time.monotonic()
        if self._has_state and state.phase != old.phase and state.phase in FLASH_PHASES:
            self._flash_until = now + FLASH_SECONDS
        if state.script != old.script:
            self._set_prompter(PrompterState(step=self._prompter.step, running=False, position=0.0))
        self._state = state
        self._has_state = True
        self._update_animation()
        # The desk sends the time left to a tenth of a second and the clock: only what the
        # anchor would see change is painted (the timer's digits and bar, the top bar, once a
        # second), not the whole 1920x1080 frame ten times a second.
        look, old_look = _as_painted(state), self._look
        self._look = look
        if old_look is None or look[0] != old_look[0]:
            self.update()
        elif look[1] != old_look[1] and not state.message.blackout:  # a blackout shows no time
            for rect in self._ticking or [self.rect()]:
                self.update(rect)

    def state(self) -> CueScreenState:
        """The state on screen, with the screen's own prompter."""
        return self._state.with_(prompter=self._prompter)

    @property
    def flash_active(self) -> bool:
        """True during the 3 s flash after entering warning, danger or overtime."""
        return time.monotonic() < self._flash_until

    @property
    def prompter(self) -> PrompterState:
        return self._prompter

    def set_mirror(self, on: bool) -> None:
        self.mirror = bool(on)
        self.update()

    def set_orientation(self, orientation: str) -> None:
        if orientation not in ORIENTATIONS:
            raise ValueError(f"orientation: expected one of {', '.join(ORIENTATIONS)}, got {orientation!r}")
        self.orientation = orientation
        self.update()

    def set_script_size(self, percent: int) -> None:
        """Script text size, percent of normal (60..200): larger for someone reading cold."""
        percent = int(percent)
        if not SCRIPT_SIZE_MIN <= percent <= SCRIPT_SIZE_MAX:
            raise ValueError(f"script size: expected {SCRIPT_SIZE_MIN}..{SCRIPT_SIZE_MAX} %, got {percent}")
        self.script_size = percent
        self.update()

    def set_prompter_step(self, step: int) -> None:
        """Set the teleprompter speed step (the desk, an anchor profile); keeps running
        and position."""
        p = self._prompter
        self._set_prompter(PrompterState(clamp_step(step), p.running, p.position))

    def place_on(self, screen: QScreen | None) -> None:
        """Full screen on ``screen`` (the primary one when None), without taking focus."""
        screen = screen or QGuiApplication.primaryScreen()
        if self.isVisible():
            self.hide()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        # Not showFullScreen(): that also activates the window and would take the desk's focus.
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        self.show()

    def activate_for_keys(self) -> None:
        """Let the cue screen take the keyboard (a presenter clicker plugged into the
        cue machine): it accepts focus from now on and is activated."""
        self._accepts_focus = True
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # prompter, from keys, a clicker or the desk
    def prompter_faster(self) -> None:
        self._set_prompter(PrompterState(clamp_step(self._prompter.step + 1), self._prompter.running,
                                         self._prompter.position))

    def prompter_slower(self) -> None:
        self._set_prompter(PrompterState(clamp_step(self._prompter.step - 1), self._prompter.running,
                                         self._prompter.position))

    def prompter_toggle(self) -> None:
        self.prompter_run(not self._prompter.running)

    def prompter_run(self, running: bool) -> None:
        pos = self._prompter.position
        if running and pos >= 1.0 and self._prompter.step > 0:
            pos = 0.0  # start again from the top
        self._set_prompter(PrompterState(self._prompter.step, bool(running), pos))

    def prompter_skip(self, pages: float) -> None:
        """Jump by ``pages`` half-screens of script (PgDn = +1, PgUp = -1)."""
        delta = pages * max(1.0, self._visible_lines * 0.5) / max(1.0, self._script_lines)
        pos = min(1.0, max(0.0, self._prompter.position + delta))
        self._set_prompter(PrompterState(self._prompter.step, self._prompter.running, pos))

    def prompter_home(self) -> None:
        self._set_prompter(PrompterState(self._prompter.step, self._prompter.running, 0.0))

    def _set_prompter(self, p: PrompterState) -> None:
        if p == self._prompter:
            return
        self._prompter = p
        self._last_frame = time.monotonic()
        self._update_animation()
        self.update()
        self.prompter_changed.emit(p)

    def block_rects(self) -> dict[str, list[int]]:
        """Where each block (timer, script, product, ...) was last painted, as [x, y, w, h]
        in window pixels after rotation and mirroring (for layout checks and tests)."""
        return {k: [round(r.x()), round(r.y()), round(r.width()), round(r.height())] for k, r in self._blocks.items()}

    def _mark(self, p: QPainter, name: str, r: QRectF) -> None:
        self._blocks[name] = p.transform().mapRect(r)

    # ------------------------------------------------------------------ Qt events
    def keyPressEvent(self, ev: QKeyEvent) -> None:  # noqa: N802
        k = Qt.Key
        actions = {
            k.Key_Down: self.prompter_faster, k.Key_Up: self.prompter_slower,
            k.Key_Space: self.prompter_toggle,
            k.Key_PageDown: lambda: self.prompter_skip(1), k.Key_PageUp: lambda: self.prompter_skip(-1),
            # Presenter clickers send PgUp/PgDn or Left/Right depending on the model.
            k.Key_Right: lambda: self.prompter_skip(1), k.Key_Left: lambda: self.prompter_skip(-1),
            k.Key_Home: self.prompter_home,
        }
        action = actions.get(Qt.Key(ev.key()))
        if action is None:
            super().keyPressEvent(ev)
            return
        action()
        ev.accept()

    def showEvent(self, ev) -> None:  # noqa: N802
        active = QApplication.activeWindow()
        if active is not None and active is not self:
            self._desk_window = active
        super().showEvent(ev)
        self._update_animation()

    def changeEvent(self, ev) -> None:  # noqa: N802
        super().changeEvent(ev)
        # Some platforms and window managers activate every new window whatever its flags:
        # hand the keyboard straight back to the desk, or the operator's next keystroke
        # would land on the anchor's screen.
        if (ev.type() == ev.Type.ActivationChange and self.isActiveWindow() and not self._accepts_focus
                and self._desk_window is not None):
            try:
                self._desk_window.activateWindow()
            except RuntimeError:  # the desk window is gone
                self._desk_window = None

    def hideEvent(self, ev) -> None:  # noqa: N802
        self._anim.stop()
        super().hideEvent(ev)

    def closeEvent(self, ev) -> None:  # noqa: N802
        self._anim.stop()
        super().closeEvent(ev)
        self.closed.emit()

    # ------------------------------------------------------------------ animation
    def _moving(self, now: float) -> bool:
        s = self._state
        return (self._prompter.running or now < self._flash_until
                or (s.message.visible and s.message.blink)
                or any(c.stage == "now" for c in s.countdowns))

    def _update_animation(self) -> None:
        if not self.isVisible() or not self._moving(time.monotonic()):
            self._anim.stop()
            return
        interval = 16 if self._prompter.running else 50
        if not self._anim.isActive() or self._anim.interval() != interval:
            self._anim.start(interval)

    def _on_frame(self) -> None:
        now = time.monotonic()
        dt, self._last_frame = now - self._last_frame, now
        scrolled = False
        if self._prompter.running:
            moved = advance_prompter(self._prompter, min(dt, 0.25), self._script_lines)
            if moved.running != self._prompter.running:  # reached an end: tell the desk
                self._set_prompter(moved)
            else:
                self._prompter = moved
            scrolled = True
        if not self._moving(now):
            self._anim.stop()
        # Repaint only what changes: blink and flash flip a few times a second (only while
        # something blinks); a moving prompter alone repaints just the script area (with the
        # message over it, if one shows), never the whole costly frame.
        s = self._state
        blinking = (s.message.visible and s.message.blink) or any(c.stage == "now" for c in s.countdowns)
        looks = (blinking and self._blink_on(now), now < self._flash_until and self._blink_on(now * 2))
        if looks != self._looks:
            self._looks = looks
            self.update()
        elif (scrolled and not s.message.blackout  # a blackout shows no script
              and abs(self._prompter.position * self._scroll_span - self._scrolled_px) >= 0.5):
            # (a slow prompter moves less than a pixel in most frames: those are not painted)
            script = self._blocks.get("script")
            if script is None:
                self.update()
            else:
                self.update(script.toAlignedRect())

    def _blink_on(self, now: float) -> bool:
        return ((now - self._started) % BLINK_PERIOD_S) < BLINK_PERIOD_S / 2

    # ------------------------------------------------------------------ images (loaded off the GUI thread)
    def _image(self, path: str, w: int, h: int) -> QImage | None:
        if not path:
            return None
        if path not in self._images:
            self._images[path] = None

            def loaded(img: QImage) -> None:
                self._images[path] = img if not img.isNull() else None
                self.update()

            run_in_background(lambda: QImage(path), loaded, lambda _exc: None)
            return None
        img = self._images[path]
        if img is None:
            return None
        key = (path, w, h)
        if key not in self._scaled:
            if len(self._scaled) > 16:
                self._scaled.clear()
            self._scaled[key] = img.scaled(w, h, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)
        return self._scaled[key]

    # ------------------------------------------------------------------ painting
    def logical_size(self) -> tuple[float, float, bool]:
        """(width, height, rotated) of the picture after the orientation choice."""
        w, h = float(self.width()), float(self.height())
        if self.orientation == "auto":
            return w, h, False
        want_portrait = self.orientation == "portrait"
        if want_portrait == (h > w):
            return w, h, False
        return h, w, True

    def paintEvent(self, ev) -> None:  # noqa: N802
        now = time.monotonic()
        p = QPainter(self)
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                         | QPainter.RenderHint.SmoothPixmapTransform)
        w, h, rotated = self.logical_size()
        if rotated:  # the monitor is turned a quarter clockwise: draw turned back
            p.translate(self.width(), 0)
            p.rotate(90)
        if self.mirror:  # teleprompter glass reflects left-right
            p.translate(w, 0)
            p.scale(-1, 1)
        script = self._blocks.get("script")
        if (self._script_layout is not None and script is not None and ev.rect() != self.rect()
                and script.toAlignedRect().contains(ev.rect())):
            self._paint_script(p, *self._script_layout)  # only the scrolling script changed
            msg = self._state.message
            if msg.visible and msg.text and (not msg.blink or self._blink_on(now)):
                self._paint_message(p, w, h)  # over the script, as the full frame has it
        else:
            p.save()
            p.resetTransform()
            p.fillRect(self.rect(), BG)
            p.restore()
            self._blocks.clear()
            self._script_layout = None
            self._ticking = []
            self._paint(p, w, h, now)
        p.end()
        self.paint_count += 1
        self.painted.emit(time.perf_counter())

    def _paint(self, p: QPainter, w: float, h: float, now: float) -> None:
        s = self._state
        S = min(w, h)
        m = 0.02 * S
        msg = s.message
        show_msg = msg.visible and bool(msg.text) and (not msg.blink or self._blink_on(now))
        if msg.blackout:
            if show_msg:
                draw_fitted(p, QRectF(m * 3, m * 3, w - m * 6, h - m * 6), msg.text, 0.12 * S, min_px=0.05 * S,
                            bold=True, color=QColor("#ffffff"), align=Qt.AlignmentFlag.AlignHCenter,
                            valign=Qt.AlignmentFlag.AlignVCenter)
            return
        top = self._paint_top_bar(p, w, S)
        if s.drill:
            top = self._paint_drill(p, w, h, top, S)
        body = QRectF(m, top + m, w - 2 * m, h - top - 2 * m)
        if w >= h:
            self._paint_landscape(p, body, S, now)
        else:
            self._paint_portrait(p, body, S, now)
        if show_msg:
            self._paint_message(p, w, h)

    def _paint_message(self, p: QPainter, w: float, h: float) -> None:
        """The desk's message over the middle of the screen, from an image made once per text
        and size: while it shows, the prompter's frames paint it again over the script."""
        S = min(w, h)
        box = QRectF(round(w * 0.06), round(h * 0.3), round(w * 0.88), round(h * 0.4))
        self._mark(p, "message", box)
        text = self._state.message.text
        key = (text, box.width(), box.height(), S, self.devicePixelRatioF())
        if self._message_image is None or self._message_image[0] != key:
            dpr = key[-1]
            img = QImage(int(box.width() * dpr), int(box.height() * dpr), QImage.Format.Format_ARGB32_Premultiplied)
            img.setDevicePixelRatio(dpr)
            img.fill(Qt.GlobalColor.transparent)
            ip = QPainter(img)
            ip.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            inner = QRectF(0, 0, box.width(), box.height())
            ip.setPen(Qt.PenStyle.NoPen)
            ip.setBrush(MESSAGE_BG)
            ip.drawRoundedRect(inner, 0.02 * S, 0.02 * S)
            draw_fitted(ip, inner.adjusted(0.03 * S, 0.03 * S, -0.03 * S, -0.03 * S), text, 0.10 * S,
                        min_px=0.045 * S, bold=True, color=QColor("#000000"), align=Qt.AlignmentFlag.AlignHCenter,
                        valign=Qt.AlignmentFlag.AlignVCenter)
            ip.end()
            self._message_image = (key, img)
        p.drawImage(box.topLeft(), self._message_image[1])

    def _paint_top_bar(self, p: QPainter, w: float, S: float) -> float:
        s = self._state
        bar = 0.08 * S
        m = 0.02 * S
        p.fillRect(QRectF(0, 0, w, bar), PANEL)
        self._ticking.append(p.transform().mapRect(QRectF(0, 0, w, bar)).toAlignedRect())
        px = 0.042 * S
        x = m
        for label, on, ms in (("ON AIR", s.tallies.on_air, s.tallies.on_air_ms),
                              ("REC", s.tallies.rec, s.tallies.rec_ms)):
            text = f"{label} {format_timecode(ms)}".strip() if on else label
            font = cue_font(int(px), True)
            tw = QFontMetricsF(font).horizontalAdvance(text) + 2 * m
            box = QRectF(x, bar * 0.14, tw, bar * 0.72)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(TALLY_RED if on else QColor("#2a2e37"))
            p.drawRoundedRect(box, 0.008 * S, 0.008 * S)
            p.setFont(font)
            p.setPen(QColor("#ffffff") if on else QColor("#6b7079"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            x += tw + m
        clock_font = cue_font(int(0.05 * S), True)
        cw = QFontMetricsF(clock_font).horizontalAdvance(s.clock or "00:00:00") + m
        p.setFont(clock_font)
        p.setPen(TEXT)
        p.drawText(QRectF(w - cw - m, 0, cw, bar), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   s.clock)
        room = w - cw - 3 * m - x
        if room > 0.15 * w:  # on a narrow portrait screen the tallies and clock matter more
            draw_fitted(p, QRectF(x + m, 0, room, bar), s.show_title, px, min_px=px * 0.7,
                        color=MUTED, max_lines=1, valign=Qt.AlignmentFlag.AlignVCenter)
        return bar

    def _paint_drill(self, p: QPainter, w: float, h: float, top: float, S: float) -> float:
        # Whole pixels, the band from an image made once per size: its antialiased stripes and
        # the frame's wide antialiased stroke cost ~6 ms a paint at 1920x1080, and every tick of
        # the timer or the top bar paints again under a drill (clipping saves no rasterising).
        band = QRectF(0, round(top), round(w), round(0.085 * S))
        p.drawImage(band.topLeft(), self._drill_band(band.width(), band.height(), w, S))
        # A yellow frame round the whole screen: nobody mistakes a drill for a real fault.
        t, inset = 0.012 * S, 0.006 * S
        o = QRectF(0, 0, w, h).adjusted(inset - t / 2, inset - t / 2, t / 2 - inset, t / 2 - inset)
        for side in (QRectF(o.left(), o.top(), o.width(), t), QRectF(o.left(), o.bottom() - t, o.width(), t),
                     QRectF(o.left(), o.top(), t, o.height()), QRectF(o.right() - t, o.top(), t, o.height())):
            p.fillRect(side, DRILL_YELLOW)
        return band.bottom()

    def _drill_band(self, bw: float, bh: float, w: float, S: float) -> QImage:
        dpr = self.devicePixelRatioF()
        key = (bw, bh, w, S, dpr)
        if self._drill_image is not None and self._drill_image[0] == key:
            return self._drill_image[1]
        img = QImage(max(1, int(bw * dpr)), max(1, int(bh * dpr)), QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        img.fill(QColor("#000000"))
        ip = QPainter(img)
        ip.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        stripe = 0.04 * S
        path = QPainterPath()
        x = -bh
        while x < bw:
            path.moveTo(x, bh)
            path.lineTo(x + bh, 0)
            path.lineTo(x + bh + stripe, 0)
            path.lineTo(x + stripe, bh)
            path.closeSubpath()
            x += 2 * stripe
        ip.fillPath(path, DRILL_YELLOW)
        label = QRectF(0, 0, bw, bh).adjusted(w * 0.3, bh * 0.1, -w * 0.3, -bh * 0.1)
        ip.fillRect(label, DRILL_YELLOW)
        draw_fitted(ip, label, "DRILL 演练", 0.06 * S, bold=True, color=QColor("#000000"),
                    align=Qt.AlignmentFlag.AlignHCenter, max_lines=1, valign=Qt.AlignmentFlag.AlignVCenter)
        ip.end()
        self._drill_image = (key, img)
        return img

    # layouts: every block gets a rect; blocks never overlap
    def _paint_landscape(self, p: QPainter, r: QRectF, S: float, now: float) -> None:
        s = self._state
        gap = 0.02 * S
        left = QRectF(r.left(), r.top(), r.width() * 0.42, r.height())
        right = QRectF(left.right() + gap, r.top(), r.right() - left.right() - gap, r.height())
        y = self._paint_segment_and_timer(p, left, S, now)
        bottom = left.bottom()
        if s.next_title:
            nh = 0.065 * S
            self._paint_next(p, QRectF(left.left(), bottom - nh, left.width(), nh), S)
            bottom -= nh + gap * 0.5
        needed = len(s.countdowns) * 0.097 * S  # countdowns come before the product card
        if s.product:
            ph = min(0.30 * S, bottom - y - gap - needed - gap)
            if ph > 0.16 * S:
                self._paint_product(p, QRectF(left.left(), bottom - ph, left.width(), ph), S)
                bottom -= ph + gap
        self._paint_countdowns(p, QRectF(left.left(), y + gap * 0.5, left.width(), bottom - y - gap * 0.5), S, now)
        points_h = self._points_height(right.width(), S, 0.28 * S)
        script = QRectF(right.left(), right.top(), right.width(), right.height() - points_h - (gap if points_h else 0))
        self._paint_script(p, script, S)
        if points_h:
            self._paint_points(p, QRectF(right.left(), script.bottom() + gap, right.width(), points_h), S)

    def _paint_portrait(self, p: QPainter, r: QRectF, S: float, now: float) -> None:
        s = self._state
        gap = 0.02 * S
        y = self._paint_segment_and_timer(p, r, S, now)
        y = self._paint_countdowns(p, QRectF(r.left(), y + gap * 0.5, r.width(), 0.25 * S), S, now)
        bottom = r.bottom()
        if s.next_title:
            nh = 0.065 * S
            self._paint_next(p, QRectF(r.left(), bottom - nh, r.width(), nh), S)
            bottom -= nh + gap * 0.5
        if s.product:
            ph = 0.27 * S
            self._paint_product(p, QRectF(r.left(), bottom - ph, r.width(), ph), S)
            bottom -= ph + gap
        points_h = self._points_height(r.width(), S, 0.24 * S)
        if points_h:
            self._paint_points(p, QRectF(r.left(), bottom - points_h, r.width(), points_h), S)
            bottom -= points_h + gap
        self._paint_script(p, QRectF(r.left(), y + gap, r.width(), bottom - y - gap), S)

    def _paint_segment_and_timer(self, p: QPainter, r: QRectF, S: float, now: float) -> float:
        s = self._state
        px = 0.05 * S
        title = f"{s.segment_kind} · {s.segment_title}" if s.segment_kind and s.segment_title else (
            s.segment_title or s.segment_kind)
        th = 2 * wrap_lines("国", int(px), True, 100.0)[1]
        draw_fitted(p, QRectF(r.left(), r.top(), r.width(), th), title, px, min_px=0.038 * S, bold=True,
                    max_lines=2)
        box = QRectF(r.left(), r.top() + th + 0.01 * S, r.width(), 0.24 * S)
        phase_color = QColor(PHASE_COLORS[s.phase])
        flashing = now < self._flash_until and self._blink_on(now * 2)  # 4 Hz during the 3 s flash
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(phase_color if flashing else PANEL)
        p.drawRoundedRect(box, 0.015 * S, 0.015 * S)
        self._mark(p, "timer", box)
        self._ticking.append(p.transform().mapRect(box).toAlignedRect())
        text = "--:--" if s.phase == "none" and not s.planned_ms else format_remaining(s.remaining_ms)
        # Timer digits: 20 % of the short side, shrunk only as far as 12 % to fit the width.
        px = 0.20 * S
        while px > 0.12 * S and QFontMetricsF(cue_font(int(px), True)).horizontalAdvance(text) > box.width() * 0.94:
            px *= 0.95
        digits = self._timer_image(text, int(px), "#000000" if flashing else PHASE_COLORS[s.phase])
        area = box.adjusted(0, 0, 0, -0.02 * S)
        p.drawImage(QPointF(area.center().x() - digits.width() / 2, area.center().y() - digits.height() / 2), digits)
        if s.planned_ms > 0:  # progress through the segment
            done = min(1.0, max(0.0, 1.0 - s.remaining_ms / s.planned_ms))
            bar = QRectF(box.left() + 0.02 * S, box.bottom() - 0.025 * S, box.width() - 0.04 * S, 0.008 * S)
            p.fillRect(bar, QColor("#2a2e37"))
            p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * done, bar.height()), phase_color)
        return box.bottom()

    def _timer_image(self, text: str, px: int, colour: str) -> QImage:
        """The timer digits, rendered once per (text, size, colour): glyphs this large are
        drawn as outlines by Qt, far slower than copying a ready image each frame."""
        key = (text, px, colour)
        img = self._timer_cache.get(key)
        if img is None:
            if len(self._timer_cache) > 12:
                self._timer_cache.clear()
            font = cue_font(px, True)
            fm = QFontMetricsF(font)
            img = QImage(int(fm.horizontalAdvance(text)) + 4, int(fm.height()) + 2,
                         QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(Qt.GlobalColor.transparent)
            ip = QPainter(img)
            ip.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            ip.setFont(font)
            ip.setPen(QColor(colour))
            ip.drawText(QRectF(0, 0, img.width(), img.height()), Qt.AlignmentFlag.AlignCenter, text)
            ip.end()
            self._timer_cache[key] = img
        return img

    def _paint_countdowns(self, p: QPainter, r: QRectF, S: float, now: float) -> float:
        y = r.top()
        ch = 0.085 * S
        for c in self._state.countdowns:
            if y + ch > r.bottom() + 1:
                break
            box = QRectF(r.left(), y, r.width(), ch)
            self._mark(p, f"countdown{len([k for k in self._blocks if k.startswith('countdown')])}", box)
            self._ticking.append(p.transform().mapRect(box).toAlignedRect())
            if c.stage == "now" and not self._blink_on(now):
                p.setPen(QPen(CHIP[(c.kind, c.stage)], 0.004 * S))
                p.setBrush(Qt.BrushStyle.NoBrush)
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(CHIP.get((c.kind, c.stage), ACCENT))
            p.drawRoundedRect(box, 0.012 * S, 0.012 * S)
            draw_fitted(p, box.adjusted(0.02 * S, 0, -0.02 * S, 0), format_countdown(c), 0.05 * S,
                        min_px=0.035 * S, bold=True, color=QColor("#ffffff"), max_lines=1,
                        valign=Qt.AlignmentFlag.AlignVCenter)
            y += ch + 0.012 * S
        return y

    def _paint_script(self, p: QPainter, r: QRectF, S: float) -> None:
        if r.height() < 0.1 * S:
            return
        # Whole pixels: the scrolling frames repaint this area alone, and an antialiased edge
        # painted again over itself would darken, unlike the full frame's.
        r = QRectF(r.toRect())
        p.fillRect(r, QColor("#05060a"))
        self._mark(p, "script", r)
        self._script_layout = (r, S)
        px = int(0.055 * S * self.script_size / 100)
        pad = 0.02 * S
        lines, lh = wrap_lines(self._state.script or "", px, False, r.width() - 2 * pad - 0.03 * S)
        self._script_lines = max(1.0, float(len(lines)))
        self._visible_lines = r.height() / lh
        read_y = r.top() + r.height() * READ_LINE
        # Reading region: a faint band with a pointer, where the anchor's eyes rest.
        band = QRectF(r.left(), read_y, r.width(), lh)
        p.fillRect(band, QColor(255, 255, 255, 22))
        p.setPen(QPen(QColor(79, 140, 255, 180), max(1.0, 0.003 * S)))
        p.drawLine(QPointF(r.left(), band.top()), QPointF(r.right(), band.top()))
        p.drawLine(QPointF(r.left(), band.bottom()), QPointF(r.right(), band.bottom()))
        tri = QPainterPath()
        tri.moveTo(r.left() + 0.004 * S, band.top() + lh * 0.25)
        tri.lineTo(r.left() + 0.024 * S, band.center().y())
        tri.lineTo(r.left() + 0.004 * S, band.bottom() - lh * 0.25)
        tri.closeSubpath()
        p.fillPath(tri, ACCENT)
        self._scroll_span = max(0.0, (len(lines) - 1) * lh)
        self._scrolled_px = self._prompter.position * self._scroll_span
        offset = read_y - self._scrolled_px
        p.save()
        p.setClipRect(r)
        first = max(0, int((r.top() - offset) // lh))
        last = min(len(lines), int((r.bottom() - offset) // lh) + 1)
        x = round(r.left() + pad + 0.03 * S)
        for i in range(first, last):
            y = offset + i * lh
            # Lines already read are dimmed; the reading line and the ones below are bright.
            image = self._line_image(lines[i], px, lh, TEXT if y + lh * 0.5 >= read_y else DIMMED)
            p.drawImage(QPoint(x, round(y)), image)  # whole pixels: a copy, never a resampling
        p.restore()
        if not self._prompter.running:
            return
        # A small speed badge so the anchor sees the prompter is moving and how fast.
        badge = f"▶ {self._prompter.step}"
        font = cue_font(int(0.03 * S), True)
        bw = QFontMetricsF(font).horizontalAdvance(badge) + 0.02 * S
        box = QRectF(r.right() - bw - 0.01 * S, r.top() + 0.01 * S, bw, 0.045 * S)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(79, 140, 255, 160))
        p.drawRoundedRect(box, 0.008 * S, 0.008 * S)
        p.setFont(font)
        p.setPen(QColor("#ffffff"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)

    def _line_image(self, line: str, px: int, lh: float, colour: QColor) -> QImage:
        """A script line rendered once, in its colour, as an image of its own height: the
        prompter shows the same lines sixty times a second, and copying an image is several
        times cheaper than laying out and drawing large CJK glyphs each frame."""
        dpr = self.devicePixelRatioF()
        key = (line, px, colour.rgb(), dpr)
        image = self._script_images.get(key)
        if image is None:
            if len(self._script_images) >= 48:  # about three screens of lines, both colours
                self._script_images.clear()
            font = cue_font(px)
            fm = QFontMetricsF(font)
            w, h = fm.horizontalAdvance(line) + 4, lh + 1
            image = QImage(max(1, int(w * dpr)), max(1, int(h * dpr)), QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(dpr)
            image.fill(Qt.GlobalColor.transparent)
            ip = QPainter(image)
            ip.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            ip.setFont(font)
            ip.setPen(colour)
            ip.drawText(QRectF(0, 0, w, lh), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
            ip.end()
            self._script_images[key] = image
        return image

    def _points_height(self, width: float, S: float, limit: float) -> float:
        points = self._state.talking_points
        if not points:
            return 0.0
        px = int(0.04 * S)
        total = sum(len(wrap_lines(t, px, False, width - 0.05 * S)[0]) for t in points[:6])
        lh = wrap_lines("国", px, False, 100.0)[1]
        return min(limit, total * lh + 0.02 * S)

    def _paint_points(self, p: QPainter, r: QRectF, S: float) -> None:
        self._mark(p, "points", r)
        px = 0.04 * S
        y = r.top() + 0.01 * S
        for t in self._state.talking_points:
            room = r.bottom() - y
            if room < px:
                break
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ACCENT)
            p.drawEllipse(QPointF(r.left() + 0.012 * S, y + px * 0.7), 0.007 * S, 0.007 * S)
            used = draw_fitted(p, QRectF(r.left() + 0.035 * S, y, r.width() - 0.035 * S, room), t, px,
                               min_px=px, max_lines=2)
            y += used

    def _paint_product(self, p: QPainter, r: QRectF, S: float) -> None:
        card = self._state.product
        pad = 0.015 * S
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PANEL)
        p.drawRoundedRect(r, 0.015 * S, 0.015 * S)
        self._mark(p, "product", r)
        side = r.height() - 2 * pad
        img_rect = QRectF(r.left() + pad, r.top() + pad, side, side)
        img = self._image(card.image_path, int(side), int(side))
        if img is not None:
            target = QRectF(img_rect.center().x() - img.width() / 2, img_rect.center().y() - img.height() / 2,
                            img.width(), img.height())
            p.drawImage(target, img)
        else:
            p.fillRect(img_rect, QColor("#1f232b"))
        if card.sold_out:
            p.fillRect(img_rect, QColor(0, 0, 0, 150))
        text = QRectF(img_rect.right() + pad * 1.5, r.top() + pad, r.right() - img_rect.right() - pad * 2.5,
                      r.height() - 2 * pad)
        name_px = 0.042 * S
        name_h = text.height() * 0.5
        draw_fitted(p, QRectF(text.left(), text.top(), text.width(), name_h), card.name, name_px,
                    min_px=0.032 * S, bold=True, max_lines=2)
        price_row = QRectF(text.left(), text.top() + name_h, text.width(), text.height() - name_h)
        x = price_row.left()
        if card.live_price is not None:
            f = cue_font(int(0.07 * S), True)
            live = format_price(card.live_price)
            lw = QFontMetricsF(f).horizontalAdvance(live)
            p.setFont(f)
            p.setPen(QColor("#8a8f98") if card.sold_out else PRICE_RED)
            p.drawText(QRectF(x, price_row.top(), lw + 1, price_row.height() * 0.6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, live)
            x += lw + pad
        if card.list_price is not None and card.list_price != card.live_price:
            f = cue_font(int(0.04 * S), False, strike=True)
            lst = format_price(card.list_price)
            p.setFont(f)
            p.setPen(MUTED)
            p.drawText(QRectF(x, price_row.top(), max(0.0, price_row.right() - x), price_row.height() * 0.6),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, lst)
        stock_row = QRectF(text.left(), price_row.top() + price_row.height() * 0.6, text.width(),
                           price_row.height() * 0.4)
        if card.sold_out:
            f = cue_font(int(0.042 * S), True)
            label = "已抢光"
            bw = QFontMetricsF(f).horizontalAdvance(label) + 0.03 * S
            badge = QRectF(stock_row.left(), stock_row.top(), bw, stock_row.height())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#5f6368"))
            p.drawRoundedRect(badge, 0.008 * S, 0.008 * S)
            p.setFont(f)
            p.setPen(QColor("#ffffff"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        elif card.stock_left is not None:
            draw_fitted(p, stock_row, f"剩 {card.stock_left} 件", 0.04 * S, color=TEXT, max_lines=1,
                        valign=Qt.AlignmentFlag.AlignVCenter)

    def _paint_next(self, p: QPainter, r: QRectF, S: float) -> None:
        s = self._state
        text = f"下一个: {s.next_title}" + (f"   {s.next_start}" if s.next_start else "")
        p.fillRect(QRectF(r.left(), r.top(), r.width(), 1.5), QColor("#2a2e37"))
        draw_fitted(p, r, text, 0.042 * S, min_px=0.03 * S, color=MUTED, max_lines=1,
                    valign=Qt.AlignmentFlag.AlignVCenter)
