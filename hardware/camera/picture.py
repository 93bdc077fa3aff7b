"""Picture measurements on one BGR frame: levels, exposure, focus, white balance.

Everything here is a pure function of its arguments (no clock, no state, no threads), so
the command line, the capture worker and the tests share exactly the same numbers.

Levels are measured on the BT.709 luma of a point-subsampled copy of the frame (about
270-540 lines): subsampling keeps single-pixel clipping and sensor noise intact, where an
area average would hide both, and costs a fraction of a full-frame colour conversion.
Focus is measured at the camera's native resolution on a region of interest, because
slight softness only shows in the finest detail.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from hardware.camera.whitebalance import (
    DEFAULT_WB_PROFILE,
    WhiteBalanceDrift,
    WhiteBalanceProfile,
    WhiteBalanceReading,
    WhiteBalanceReference,
    judge_white_balance_drift,
    read_white_balance,
)

# BT.709 luma weights in OpenCV's B, G, R channel order.
BT709_BGR = np.array([[0.0722, 0.7152, 0.2126]], dtype=np.float32)

EXPOSURE_UNDER = "under"
EXPOSURE_OK = "ok"
EXPOSURE_OVER = "over"
WB_OK = "ok"
WB_CAST = "cast"
WB_UNKNOWN = "unknown"  # the white-balance estimators disagree (see whitebalance.py)
FOCUS_OK = "ok"
FOCUS_SOFT = "soft"
FOCUS_UNKNOWN = "unknown"  # no reference stored for this camera yet
# A narrower picture (a 1x20000 strip) has no levels, focus or colour worth judging.
MIN_FRAME_SIDE = 16


@dataclass(frozen=True)
class PictureProfile:
    """Thresholds for the picture checks. Levels are fractions of full scale (0..1).

    The defaults follow common broadcast practice: ffmpeg ``blackdetect`` (pix_th 0.10,
    pic_th 0.98, d 2 s), ``freezedetect`` (noise 0.001, 2 s), zebra at 75 % and 100 %.
    """

    under_mean: float = 0.27  # mean luma below this: under-exposed
    over_mean: float = 0.72  # mean luma above this: over-exposed
    clip_high_level: float = 250 / 255  # a pixel at or above this is a clipped highlight
    crush_low_level: float = 5 / 255  # a pixel at or below this is a crushed shadow
    max_clipped_high_pct: float = 3.0  # more clipped highlights than this: over-exposed
    max_crushed_low_pct: float = 40.0  # more crushed shadows than this: under-exposed
    white_balance: WhiteBalanceProfile = DEFAULT_WB_PROFILE  # mired/tint thresholds (whitebalance.py)
    black_pixel_level: float = 0.10  # blackdetect pix_th
    black_picture_ratio: float = 0.98  # blackdetect pic_th
    black_duration_s: float = 2.0  # blackdetect d
    freeze_noise: float = 0.001  # freezedetect noise: mean |difference| / full scale
    freeze_duration_s: float = 2.0  # freezedetect d
    # x, y, w, h fractions: the middle quarter of the width, middle third of the height (where
    # the presenter and the product usually are), at native resolution.
    focus_roi: tuple[float, float, float, float] = (0.375, 1 / 3, 0.25, 1 / 3)
    focus_soft_ratio: float = 0.4  # sharpness below this share of the reference: soft (Laplacian variance falls fast)
    analysis_lines: int = 270  # subsample levels down to at least this many lines
    focus_max_width: int = 800  # a wider focus region is halved (4K) to bound the cost
    debounce_s: float = 1.0  # a new exposure/white-balance/focus verdict must hold this long


DEFAULT_PROFILE = PictureProfile()


@dataclass
class PictureMeasurement:
    """What one frame measures. Levels are 0-255 luma codes unless named ``_pct``."""

    width: int
    height: int
    mean_luma: float
    p1_luma: int
    p99_luma: int
    clipped_high_pct: float
    clipped_low_pct: float
    black_pct: float  # share of pixels darker than the blackdetect pixel threshold
    sharpness: float  # variance of the Laplacian in the focus region (native resolution)
    white_balance: WhiteBalanceReading  # where the picture's white sits, per estimator
    histogram: np.ndarray = field(repr=False)  # 256 bins of luma, float32 counts
    luma: np.ndarray = field(repr=False)  # the subsampled luma plane (uint8), for frame differences

    def summary(self) -> dict:
        """JSON-able numbers (rounded for people)."""
        return {
            "resolution": f"{self.width}x{self.height}",
            "mean_luma": round(self.mean_luma, 1),
            "mean_luma_pct": round(self.mean_luma / 2.55, 1),
            "p1_luma": self.p1_luma,
            "p99_luma": self.p99_luma,
            "clipped_high_pct": round(self.clipped_high_pct, 2),
            "clipped_low_pct": round(self.clipped_low_pct, 2),
            "black_pct": round(self.black_pct, 2),
            "sharpness": round(self.sharpness, 1),
            "wb_used_pct": round(self.white_balance.used_pct, 1),
        }


def _as_bgr(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    return frame


def subsample(frame: np.ndarray, lines: int = DEFAULT_PROFILE.analysis_lines) -> np.ndarray:
    """Every n-th pixel of every n-th line, n an integer so that at least ``lines`` remain."""
    h, w = frame.shape[:2]
    step = max(1, h // max(1, lines))
    if step == 1:
        return frame
    # at least two columns: a tall, narrow frame would otherwise shrink to none (and the
    # colour balance halves the result once more)
    return cv2.resize(frame, (max(2, w // step), h // step), interpolation=cv2.INTER_NEAREST)


def luma709(bgr: np.ndarray) -> np.ndarray:
    """BT.709 luma (uint8, same size) of a BGR uint8 image."""
    return cv2.transform(bgr, BT709_BGR)


def focus_region(frame: np.ndarray, roi: tuple[float, float, float, float]) -> np.ndarray:
    h, w = frame.shape[:2]
    x0, y0 = int(roi[0] * w), int(roi[1] * h)
    x1, y1 = max(x0 + 3, int((roi[0] + roi[2]) * w)), max(y0 + 3, int((roi[1] + roi[3]) * h))
    return frame[y0:y1, x0:x1]


def sharpness(frame: np.ndarray, roi: tuple[float, float, float, float] = DEFAULT_PROFILE.focus_roi,
              max_width: int = DEFAULT_PROFILE.focus_max_width) -> float:
    """Variance of the Laplacian of the region's gray level (higher = more fine detail).

    Only meaningful relative to the same camera and framing (see :func:`judge_focus`).
    """
    region = focus_region(frame, roi)
    gray = region if region.ndim == 2 else cv2.cvtColor(region, cv2.COLOR_BGR2GRAY)
    while gray.shape[1] > max_width and gray.shape[0] >= 2:
        # Exact halving keeps OpenCV on its fast path and detail comparable across 4K/1080p.
        gray = cv2.resize(gray, (gray.shape[1] // 2, gray.shape[0] // 2), interpolation=cv2.INTER_AREA)
    lap = cv2.Laplacian(gray, cv2.CV_16S)
    n = float(lap.size)
    mean = cv2.sumElems(lap)[0] / n
    return max(0.0, cv2.norm(lap, cv2.NORM_L2SQR) / n - mean * mean)


def measure_picture(frame: np.ndarray, profile: PictureProfile = DEFAULT_PROFILE) -> PictureMeasurement:
    """Measure one frame (BGR, BGRA or gray uint8, any size)."""
    if frame is None or frame.size == 0:
        raise ValueError("empty frame")
    if frame.dtype != np.uint8:
        raise ValueError(f"frame must be 8-bit, got {frame.dtype}")
    if min(frame.shape[:2]) < MIN_FRAME_SIDE:
        raise ValueError(f"a {frame.shape[1]}x{frame.shape[0]} frame is too small to judge "
                         f"(each side must be at least {MIN_FRAME_SIDE} pixels)")
    bgr = _as_bgr(frame)
    h, w = bgr.shape[:2]
    small = subsample(bgr, profile.analysis_lines)
    y = luma709(small)
    n = float(y.size)
    hist = cv2.calcHist([y], [0], None, [256], [0, 256]).ravel()
    cum = np.cumsum(hist)
    levels = np.arange(256, dtype=np.float64)
    mean = float(hist @ levels / n)
    p1 = int(np.searchsorted(cum, 0.01 * n))
    p99 = int(np.searchsorted(cum, 0.99 * n))
    hi = int(np.ceil(profile.clip_high_level * 255 - 1e-9))
    lo = int(profile.crush_low_level * 255 + 1e-9)
    clipped_high = float(n - cum[hi - 1]) if hi > 0 else n
    clipped_low = float(cum[lo])
    black_level = int(np.ceil(profile.black_pixel_level * 255)) - 1  # blackdetect: strictly below pix_th
    black = float(cum[black_level]) if black_level >= 0 else 0.0

    return PictureMeasurement(
        width=w,
        height=h,
        mean_luma=mean,
        p1_luma=p1,
        p99_luma=p99,
        clipped_high_pct=100.0 * clipped_high / n,
        clipped_low_pct=100.0 * clipped_low / n,
        black_pct=100.0 * black / n,
        sharpness=sharpness(bgr, profile.focus_roi, profile.focus_max_width),
        white_balance=read_white_balance(small, profile.white_balance),
        histogram=hist,
        luma=y,
    )


def judge_exposure(m: PictureMeasurement, profile: PictureProfile = DEFAULT_PROFILE) -> str:
    over = m.mean_luma > profile.over_mean * 255 or m.clipped_high_pct > profile.max_clipped_high_pct
    under = m.mean_luma < profile.under_mean * 255 or m.clipped_low_pct > profile.max_crushed_low_pct
    if over and under:
        # Both ends lost (hard contrast): the mean decides which way to correct.
        return EXPOSURE_OVER if m.mean_luma >= 127.5 else EXPOSURE_UNDER
    return EXPOSURE_OVER if over else EXPOSURE_UNDER if under else EXPOSURE_OK


def judge_white_balance(m: PictureMeasurement, reference: WhiteBalanceReference | None = None,
                        profile: PictureProfile = DEFAULT_PROFILE) -> WhiteBalanceDrift:
    """ok / cast / unknown with the drift in mired and tint, against the camera's stored
    reference or, without one, sRGB's white (see :mod:`hardware.camera.whitebalance`)."""
    return judge_white_balance_drift(m.white_balance, reference, profile.white_balance)


def judge_focus(value: float, reference: float | None, profile: PictureProfile = DEFAULT_PROFILE) -> str:
    """Focus against this camera's stored reference sharpness; "unknown" without one."""
    if not reference or reference <= 0:
        return FOCUS_UNKNOWN
    return FOCUS_OK if value >= profile.focus_soft_ratio * reference else FOCUS_SOFT


def is_black(m: PictureMeasurement, profile: PictureProfile = DEFAULT_PROFILE) -> bool:
    """This one frame is black by blackdetect's picture rule (duration is the caller's job)."""
    return m.black_pct >= 100.0 * profile.black_picture_ratio


def frame_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two luma planes as a fraction of full scale (freezedetect's measure)."""
    if a.shape != b.shape:
        return 1.0
    return cv2.norm(a, b, cv2.NORM_L1) / (255.0 * a.size)
