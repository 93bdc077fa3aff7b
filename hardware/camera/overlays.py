"""Monitor overlays and scopes as pure functions on numpy images (BGR uint8 in, BGR uint8 out).

They are meant for the preview: call them on the display-sized frame, not on a 4K
original. Inputs are never modified. Scopes return small BGR images ready to draw.
"""
from __future__ import annotations

import cv2
import numpy as np

from hardware.camera.picture import luma709

ZEBRA_LEVELS = (0.75, 1.0)  # obs-color-monitor defaults (75 % and 100 %)


_stripe_cache: dict[tuple[int, int, int], np.ndarray] = {}


def _stripes(h: int, w: int, phase: int) -> np.ndarray:
    """Black/white diagonal stripes, 4 px wide (cached: the preview asks for the same few)."""
    key = (h, w, phase % 8)
    img = _stripe_cache.get(key)
    if img is None:
        if len(_stripe_cache) > 32:
            _stripe_cache.clear()
        on = ((np.add.outer(np.arange(h), np.arange(w)) + key[2]) // 4) % 2 == 0
        img = np.where(on[..., None], np.uint8(255), np.uint8(0)).repeat(3, axis=2)
        _stripe_cache[key] = img
    return img


def zebra(frame: np.ndarray, level: float = 1.0, phase: int = 0, luma: np.ndarray | None = None) -> np.ndarray:
    """Diagonal black/white stripes over pixels whose luma is at or above ``level`` (0..1).

    ``phase`` (any int, e.g. a frame counter) moves the stripes so they read as an overlay.
    At 1.0 it marks pixels at 250 and above (so the 100 % zebra shows real clipping).
    """
    y = luma709(frame) if luma is None else luma
    threshold = min(250, int(round(level * 255)))
    mask = cv2.compare(y, threshold, cv2.CMP_GE)
    out = frame.copy()
    if cv2.countNonZero(mask):
        h, w = y.shape
        cv2.copyTo(_stripes(h, w, phase), mask, out)
    return out


_solid_cache: dict[tuple, np.ndarray] = {}


def _solid(shape: tuple[int, ...], colour: tuple[int, int, int]) -> np.ndarray:
    key = (shape, tuple(colour))
    img = _solid_cache.get(key)
    if img is None:
        if len(_solid_cache) > 8:
            _solid_cache.clear()
        img = cv2.merge([np.full(shape[:2], c, dtype=np.uint8) for c in colour])
        _solid_cache[key] = img
    return img


def focus_peaking(
    frame: np.ndarray, threshold: float = 0.12, colour: tuple[int, int, int] = (0, 0, 255)
) -> np.ndarray:
    """Tint in-focus edges: pixels whose Laplacian magnitude is above ``threshold`` of full scale.

    ``colour`` is BGR (red by default). A sharper picture lights up more edges.
    """
    gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    edges = cv2.convertScaleAbs(cv2.Laplacian(gray, cv2.CV_16S, ksize=3))
    mask = cv2.compare(edges, int(threshold * 255), cv2.CMP_GE)
    out = frame.copy() if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    cv2.copyTo(_solid(out.shape, colour), mask, out)
    return out


def _false_colour_lut() -> np.ndarray:
    """Luma (0-255) to BGR: a camera-operator false-colour scale.

    Crushed blacks purple, shadows blue, mid-grey (around 40-50 %) green, skin (around 60-70 %)
    pink, near-clip yellow, clipped red; other levels stay grey so the picture still reads.
    """
    lut = np.zeros((256, 1, 3), dtype=np.uint8)
    for v in range(256):
        lut[v, 0] = (v, v, v)
    bands = [
        (0, 5, (128, 0, 128)),  # purple: crushed
        (5, 25, (255, 0, 0)),  # blue: near black
        (105, 128, (0, 200, 0)),  # green: middle grey
        (155, 180, (180, 130, 255)),  # pink: skin tones
        (230, 250, (0, 255, 255)),  # yellow: near clip
        (250, 256, (0, 0, 255)),  # red: clipped
    ]
    for lo, hi, bgr in bands:
        lut[lo:hi, 0] = bgr
    return lut


FALSE_COLOUR_LUT = _false_colour_lut()


def false_colour(frame: np.ndarray, luma: np.ndarray | None = None) -> np.ndarray:
    """The picture's luma mapped through :data:`FALSE_COLOUR_LUT` (BGR out)."""
    y = luma709(frame) if luma is None else luma
    return cv2.applyColorMap(y, FALSE_COLOUR_LUT)


def histogram_image(histogram: np.ndarray, width: int = 256, height: int = 100) -> np.ndarray:
    """A 256-bin luma histogram drawn as a BGR image (log-ish scale so small tails show)."""
    h = np.sqrt(np.asarray(histogram, dtype=np.float32).ravel())
    peak = float(h.max()) or 1.0
    bars = (h / peak * (height - 1)).astype(np.int32)
    img = np.full((height, 256, 3), 24, dtype=np.uint8)
    rows = np.arange(height)[:, None]
    filled = rows >= (height - 1 - bars)[None, :]
    img[filled] = (220, 220, 220)
    img[:, 250:][filled[:, 250:]] = (60, 60, 255)  # clipped end in red
    img[:, :6][filled[:, :6]] = (255, 120, 60)  # crushed end in blue
    if width != 256:
        img = cv2.resize(img, (width, height), interpolation=cv2.INTER_NEAREST)
    return img


def waveform_image(luma: np.ndarray, width: int = 256, height: int = 128) -> np.ndarray:
    """Luma waveform: column x of the picture becomes column x of the scope, level upwards.

    Each scope pixel's brightness says how many picture pixels of that column have that
    level (a per-column histogram). ``luma`` is uint8, any size (it is resampled to ``width``).
    """
    y = cv2.resize(luma, (width, min(luma.shape[0], 2 * height)), interpolation=cv2.INTER_NEAREST)
    levels = (y.astype(np.int32) * (height - 1)) // 255
    cols = np.broadcast_to(np.arange(width, dtype=np.int32), y.shape)
    counts = np.bincount((levels * width + cols).ravel(), minlength=height * width).reshape(height, width)
    # A level held by 1/16 of a column's pixels shows at full brightness: flat areas glow,
    # detail still shows as a faint trace, and the scale does not pump from frame to frame.
    scale = 255.0 / max(1.0, y.shape[0] / 16.0)
    g = np.clip(counts * scale, 0, 255).astype(np.uint8)[::-1]  # level 255 at the top
    img = cv2.merge((g // 3, g, g // 3))  # green trace, like a hardware scope
    for pct in (0.0, 0.5, 1.0):  # graticule at 0, 50, 100 %
        row = int((1.0 - pct) * (height - 1))
        img[row, ::4] = (90, 90, 90)
    return img
