"""The picture-check worker: judges a :class:`CameraFeed`'s latest frame at a steady rate.

Runs in its own ``threading`` thread (never the GUI thread). Each tick it takes the feed's
latest frame; a frame it has already judged is skipped, so a stalled capture never reads
as a frozen picture. Reports go to ``on_report(report)``; verdict changes go to
``on_event(kind, message, severity, payload)`` with the numbers in the payload.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from dataclasses import replace

from hardware.camera.capture import CameraFeed
from hardware.camera.checks import SIGNAL_NONE, PictureChecker, PictureReport
from hardware.camera.phrases import findings, phrase, white_balance_finding
from hardware.camera.whitebalance import WhiteBalanceReference
from hardware.supervisor import DeviceState, DeviceStatus

ReportCallback = Callable[[PictureReport], None]
EventCallback = Callable[[str, str, int, dict], None]

_BAD = {"exposure": ("under", "over"), "white_balance": ("cast",), "focus": ("soft",), "signal": ("black", "frozen")}


def picture_status(status: DeviceStatus, report: PictureReport | None, lang: str = "en") -> DeviceStatus:
    """The camera's status with the picture checks folded in: a working feed whose picture
    is black or frozen reads ``black`` / ``picture_frozen``, one with an exposure, white
    balance or focus warning ``degraded`` (the detail names the problems in ``lang``)."""
    if status.state is not DeviceState.OK or report is None or report.measurement is None:
        return status
    said = [(level, text) for level, text in findings(report, lang)]
    if report.signal in ("black", "frozen"):
        state = DeviceState.BLACK if report.signal == "black" else DeviceState.PICTURE_FROZEN
        return replace(status, state=state, detail=said[0][1] if said else status.detail)
    if report.exposure != "ok" or report.white_balance != "ok" or report.focus == "soft":
        return replace(status, state=DeviceState.DEGRADED, detail="; ".join(t for level, t in said if level != "ok"))
    return status


class CameraMonitor:
    """Checks a feed's picture ``rate_hz`` times a second (10-15 Hz is plenty for people)."""

    def __init__(
        self,
        feed: CameraFeed,
        checker: PictureChecker | None = None,
        *,
        rate_hz: float = 12.0,
        on_report: ReportCallback | None = None,
        on_event: EventCallback | None = None,
        lang: str = "en",
    ) -> None:
        self.feed = feed
        self.checker = checker or PictureChecker()
        self.period = 1.0 / rate_hz
        self.lang = lang
        self._on_report = on_report
        self._on_event = on_event
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._focus_request: tuple[bool, float | None] | None = None
        self._wb_request: tuple[bool, WhiteBalanceReference | None] | None = None
        self.checks_done = 0
        self._last_index: int | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="camera-checks", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        self._stop.set()
        with self._lock:
            self._on_report = self._on_event = None
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
            self._thread = None
        return True

    def set_focus_reference(self, value: float | None = None) -> None:
        """Use ``value`` (or the next judged frame's sharpness) as the in-focus reference. Any thread."""
        with self._lock:
            self._focus_request = (True, value)

    def clear_focus_reference(self) -> None:
        with self._lock:
            self._focus_request = (False, None)

    def set_wb_reference(self, reference: WhiteBalanceReference | None = None) -> None:
        """Use ``reference`` (or the next judged frame's white) as this camera's white. Any thread."""
        with self._lock:
            self._wb_request = (True, reference)

    def clear_wb_reference(self) -> None:
        with self._lock:
            self._wb_request = (False, None)

    def _emit(self, kind: str, message: str, severity: int, payload: dict) -> None:
        with self._lock:
            cb = self._on_event
        if cb is not None:
            cb(kind, message, severity, payload)

    def _loop(self) -> None:
        next_due = time.monotonic()
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception:  # noqa: BLE001 - a bad frame must not end the checks
                logging.getLogger(__name__).exception("camera check failed")
            next_due += self.period
            delay = next_due - time.monotonic()
            if delay < 0:
                next_due = time.monotonic()
                delay = 0.0
            self._stop.wait(delay)

    def _tick(self) -> None:
        with self._lock:
            request, self._focus_request = self._focus_request, None
            wb_request, self._wb_request = self._wb_request, None
        frame = self.feed.latest()
        lost = not self.feed.state.working or frame is None
        if lost:
            before = self.checker.report.signal
            report = self.checker.signal_lost()
            fresh = before != SIGNAL_NONE
        elif frame.index == self._last_index:
            report, fresh = self.checker.report, False
            report.changed = ()
        else:
            self._last_index = frame.index
            report = self.checker.feed(frame.image, frame.captured_at, frame.index)
            self.checks_done += 1
            fresh = True
        if request is not None:
            keep, value = request
            ref = self.checker.set_focus_reference(value if keep else 0)
            self._emit(
                "focus_reference",
                f"camera focus reference {'set to ' + format(ref, '.1f') if ref else 'cleared'}",
                logging.INFO,
                {"focus_reference": ref},
            )
            report, fresh = self.checker.report, True
        if wb_request is not None:
            self._apply_wb_request(*wb_request)
            report, fresh = self.checker.report, True
        if not fresh:
            return
        for name in report.changed:
            self._verdict_event(name, report)
        with self._lock:
            cb = self._on_report
        if cb is not None:
            cb(report)

    def _apply_wb_request(self, keep: bool, reference: WhiteBalanceReference | None) -> None:
        try:
            ref = self.checker.set_wb_reference(reference, clear=not keep)
        except ValueError as exc:  # the picture is too clipped or too dark to be a white
            self._emit("wb_reference", f"camera white-balance reference not set: {exc}", logging.WARNING,
                       {"wb_reference": None, "outcome": "refused", "error": str(exc)})
            return
        if ref is None:
            message = "camera white-balance reference cleared" if not keep else \
                "camera white-balance reference not set: no picture yet"
            self._emit("wb_reference", message, logging.INFO if not keep else logging.WARNING,
                       {"wb_reference": None, "outcome": "cleared" if not keep else "no_picture"})
            return
        self._emit("wb_reference", "camera white-balance reference set from the current picture", logging.INFO,
                   {"wb_reference": ref.to_dict(), "outcome": "set"})

    def _verdict_event(self, name: str, report: PictureReport) -> None:
        value = report.verdicts()[name]
        m = report.measurement
        if name == "signal" and value == SIGNAL_NONE:
            return  # the feed itself reports the lost source
        first = self.checks_done <= 1
        bad = value in _BAD[name]
        if first and not bad:
            return  # nothing to say about a good first picture
        payload = {"verdict": name, "value": value}
        if m is not None:
            payload.update(m.summary())
        if report.cast:
            payload["cast"] = report.cast
        if name == "white_balance" and report.wb_drift is not None:
            payload["white_balance"] = report.wb_drift.to_dict()
        text = self._describe(name, report)
        self._emit(f"picture_{name}", text, logging.WARNING if bad else logging.INFO, payload)

    def _describe(self, name: str, report: PictureReport) -> str:
        m = report.measurement
        lang = self.lang
        if m is None:
            return phrase("no_signal", lang)
        if name == "signal":
            return {"black": phrase("black", lang, black=m.black_pct), "frozen": phrase("frozen", lang)}.get(
                report.signal, "picture OK" if lang == "en" else "画面恢复正常"
            )
        if name == "exposure":
            key = report.exposure if report.exposure in ("under", "over") else "exposure_ok"
            return phrase(key, lang, mean=m.mean_luma / 2.55, clip=m.clipped_high_pct)
        if name == "white_balance":
            return white_balance_finding(report, lang)[1]
        if report.focus_reference:
            key = "soft" if report.focus == "soft" else "focus_ok"
            return phrase(key, lang, ratio=100 * m.sharpness / report.focus_reference)
        return phrase("focus_unknown", lang)
