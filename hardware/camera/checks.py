"""Picture checks over time: black and frozen picture, debounced verdicts, focus reference.

:class:`PictureChecker` is fed frames with their capture time and frame counter (it
never reads a clock itself), so the same code judges a live camera, a video file at its
own frame rate and a test's hand-made sequence.

Frozen versus stalled: a frozen picture is a capture that keeps delivering *new* frames
(the counter advances) whose content does not change; a stalled capture delivers no new
frames at all, which the capture worker reports as NO SIGNAL. The checker ignores a frame
it has already seen, so a stall never counts towards "frozen".

Frozen versus a presenter standing still: a real camera's sensor noise changes every
pixel a little in every frame, and the luma used here is point-subsampled (not averaged),
so that noise stays well above freezedetect's floor (0.001 of full scale); only a
repeated decoded frame (a hung encoder, a still file, a frozen HDMI converter) reaches zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from hardware.camera.picture import (
    DEFAULT_PROFILE,
    FOCUS_UNKNOWN,
    PictureMeasurement,
    PictureProfile,
    frame_difference,
    is_black,
    judge_exposure,
    judge_focus,
    judge_white_balance,
    measure_picture,
)
from hardware.camera.whitebalance import WhiteBalanceDrift, WhiteBalanceReference

SIGNAL_OK = "ok"
SIGNAL_BLACK = "black"
SIGNAL_FROZEN = "frozen"
SIGNAL_NONE = "none"

T = TypeVar("T")


class Debounced(Generic[T]):
    """A verdict that changes only after the new value has held for ``hold_s`` seconds."""

    def __init__(self, initial: T, hold_s: float) -> None:
        self.value = initial
        self.hold_s = hold_s
        self._candidate: T = initial
        self._since = 0.0

    def update(self, raw: T, t: float) -> bool:
        """Feed the raw verdict at time ``t``; True when the settled value changed."""
        if raw == self.value:
            self._candidate = raw
            return False
        if raw != self._candidate:
            self._candidate, self._since = raw, t
        if t - self._since >= self.hold_s:
            self.value = raw
            return True
        return False

    def force(self, value: T) -> None:
        self.value = self._candidate = value


@dataclass
class PictureReport:
    """The settled verdicts plus the latest frame's numbers."""

    measurement: PictureMeasurement | None
    exposure: str = "ok"
    white_balance: str = "ok"  # ok / cast / unknown
    cast: str = ""  # the main direction (warm / cool / green / magenta) when white_balance == "cast"
    wb_direction: tuple[str, ...] = ()  # every direction that applies, the main one first
    wb_drift: WhiteBalanceDrift | None = None  # the latest frame's drift (numbers; the verdict above is debounced)
    wb_reference: WhiteBalanceReference | None = None
    focus: str = FOCUS_UNKNOWN
    signal: str = SIGNAL_NONE
    focus_reference: float | None = None
    difference: float | None = None  # mean |Δ| to the previous new frame, fraction of full scale
    frame_index: int = -1
    captured_at: float = 0.0
    changed: tuple[str, ...] = field(default=())  # names of verdicts that changed with this frame

    def verdicts(self) -> dict[str, str]:
        return {
            "exposure": self.exposure,
            "white_balance": self.white_balance,
            "focus": self.focus,
            "signal": self.signal,
        }

    def to_dict(self) -> dict:
        data = dict(self.measurement.summary()) if self.measurement else {}
        data["verdicts"] = self.verdicts()
        data["cast"] = self.cast or None
        wb = self.wb_drift.to_dict() if self.wb_drift is not None else {}
        wb.update(verdict=self.white_balance, direction=list(self.wb_direction))
        if self.measurement is not None:
            wb["estimates"] = self.measurement.white_balance.to_dict()["estimates"]
        wb["stored_reference"] = self.wb_reference.to_dict() if self.wb_reference is not None else None
        data["white_balance"] = wb
        data["focus_reference"] = None if self.focus_reference is None else round(self.focus_reference, 1)
        data["frame_difference"] = None if self.difference is None else round(self.difference, 5)
        return data


class PictureChecker:
    """Judges a stream of frames. Not thread-safe: one owner thread feeds it."""

    def __init__(self, profile: PictureProfile = DEFAULT_PROFILE, focus_reference: float | None = None,
                 wb_reference: WhiteBalanceReference | None = None) -> None:
        self.profile = profile
        self.focus_reference = focus_reference
        self.wb_reference = wb_reference
        hold = profile.debounce_s
        self._exposure = Debounced("ok", hold)
        self._wb: Debounced[tuple[str, tuple[str, ...]]] = Debounced(("ok", ()), hold)
        self._focus = Debounced(FOCUS_UNKNOWN, hold)
        self._signal = SIGNAL_NONE
        self._first = True
        self._last_index: int | None = None
        self._last_luma: np.ndarray | None = None
        self._black_since: float | None = None
        self._still_since: float | None = None
        self._report = PictureReport(measurement=None)

    @property
    def report(self) -> PictureReport:
        return self._report

    def set_focus_reference(self, value: float | None = None) -> float | None:
        """Store ``value`` (or the latest frame's sharpness) as this camera's in-focus reference."""
        if value is None and self._report.measurement is not None:
            value = self._report.measurement.sharpness
        self.focus_reference = value if value and value > 0 else None
        self._focus.force(
            judge_focus(self._report.measurement.sharpness, self.focus_reference, self.profile)
            if self._report.measurement
            else FOCUS_UNKNOWN
        )
        self._report.focus = self._focus.value
        self._report.focus_reference = self.focus_reference
        return self.focus_reference

    def set_wb_reference(self, reference: WhiteBalanceReference | None = None, *, clear: bool = False
                         ) -> WhiteBalanceReference | None:
        """Store ``reference`` (or one read from the latest frame: a gray card or the set
        under the show lights) as this camera's white; ``clear`` forgets it.

        ValueError when the latest frame is too clipped or too dark to be a reference.
        """
        if clear:
            self.wb_reference = None
        elif reference is not None:
            self.wb_reference = reference
        elif self._report.measurement is not None:
            self.wb_reference = WhiteBalanceReference.from_reading(self._report.measurement.white_balance)
        else:
            return self.wb_reference
        r = self._report
        if r.measurement is not None:
            drift = judge_white_balance(r.measurement, self.wb_reference, self.profile)
            self._wb.force((drift.verdict, drift.direction))
            r.wb_drift = drift
            r.white_balance, r.wb_direction = self._wb.value
            r.cast = r.wb_direction[0] if r.wb_direction else ""
        r.wb_reference = self.wb_reference
        return self.wb_reference

    def signal_lost(self) -> PictureReport:
        """The capture has no picture: signal "none"; black/frozen timing starts over."""
        changed = ("signal",) if self._signal != SIGNAL_NONE else ()
        self._signal = SIGNAL_NONE
        self._last_luma = None
        self._black_since = self._still_since = None
        self._report.signal = SIGNAL_NONE
        self._report.changed = changed
        return self._report

    def feed(self, frame: np.ndarray, t: float, index: int) -> PictureReport:
        """Judge a frame captured at ``t`` seconds (any monotonic base) with counter ``index``.

        A frame whose counter was already seen is not measured again (the report returned
        is the previous one, with ``changed`` empty).
        """
        if self._last_index is not None and index == self._last_index:
            self._report.changed = ()
            return self._report
        self._last_index = index
        m = measure_picture(frame, self.profile)
        return self._judge(m, t, index)

    def _judge(self, m: PictureMeasurement, t: float, index: int) -> PictureReport:
        p = self.profile
        changed: list[str] = []
        diff = None if self._last_luma is None else frame_difference(m.luma, self._last_luma)
        self._last_luma = m.luma

        if is_black(m, p):
            self._black_since = t if self._black_since is None else self._black_since
        else:
            self._black_since = None
        if diff is not None and diff < p.freeze_noise:
            # The still period starts at the first of the identical frames.
            self._still_since = self._report.captured_at if self._still_since is None else self._still_since
        elif diff is not None:
            self._still_since = None

        if self._black_since is not None and t - self._black_since >= p.black_duration_s:
            signal = SIGNAL_BLACK
        elif self._still_since is not None and t - self._still_since >= p.freeze_duration_s:
            signal = SIGNAL_FROZEN
        else:
            signal = SIGNAL_OK
        if signal != self._signal:
            changed.append("signal")
            self._signal = signal

        exposure = judge_exposure(m, p)
        drift = judge_white_balance(m, self.wb_reference, p)
        wb = (drift.verdict, drift.direction)
        focus = judge_focus(m.sharpness, self.focus_reference, p)
        if self._first:
            # The first picture after start settles at once: nothing to debounce against.
            self._first = False
            self._exposure.force(exposure)
            self._wb.force(wb)
            self._focus.force(focus)
            changed += ["exposure", "white_balance", "focus"]
        else:
            if self._exposure.update(exposure, t):
                changed.append("exposure")
            if self._wb.update(wb, t):
                changed.append("white_balance")
            if self._focus.update(focus, t):
                changed.append("focus")

        self._report = PictureReport(
            measurement=m,
            exposure=self._exposure.value,
            white_balance=self._wb.value[0],
            cast=self._wb.value[1][0] if self._wb.value[1] else "",
            wb_direction=self._wb.value[1],
            wb_drift=drift,
            wb_reference=self.wb_reference,
            focus=self._focus.value,
            signal=self._signal,
            focus_reference=self.focus_reference,
            difference=diff,
            frame_index=index,
            captured_at=t,
            changed=tuple(changed),
        )
        return self._report
