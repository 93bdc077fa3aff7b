"""The white-balance validation set: real photographs with known casts.

A cast is what a wrong Kelvin or tint setting does in the camera: linear-light channel
gains, applied before the sRGB encoding, clipping at full scale. Each direction is a line
in the (mired, tint) plane; its strength is the largest ratio between two channel gains
(1.3 = "a channel 30 % off"), as the issue describes a wrong preset.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
import skimage.data as skimage_data

from hardware.camera.whitebalance import D65, SRGB_TO_LINEAR, gains_for_drift, srgb_encode, white_point

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
HOLDOUT = ("retina", "immunohistochemistry", "hubble_deep_field")  # not used to set any threshold
STRENGTHS = (1.1, 1.2, 1.3, 1.4, 1.5)
STRONG = 1.3  # from here on a cast must always be caught (with a reference)
H = math.sqrt(0.5)
# (warm/cool, green/magenta) share of the cast: + warm, + green.
DIRECTIONS: dict[str, tuple[float, float]] = {
    "warm": (1.0, 0.0), "cool": (-1.0, 0.0), "green": (0.0, 1.0), "magenta": (0.0, -1.0),
    "warm+green": (H, H), "warm+magenta": (H, -H), "cool+green": (-H, H), "cool+magenta": (-H, -H),
}
OPPOSITE = {"warm": "cool", "cool": "warm", "green": "magenta", "magenta": "green"}
# Reframings between the reference and the checked picture: the presenter moves, the
# camera is zoomed in a little (fractions x0, y0, x1, y1 of the photo).
VIEWS = {"full": (0.0, 0.0, 1.0, 1.0), "left": (0.0, 0.0, 0.75, 1.0), "right": (0.25, 0.0, 1.0, 1.0),
         "top": (0.0, 0.0, 1.0, 0.75), "bottom": (0.0, 0.25, 1.0, 1.0)}


def photo(name: str) -> np.ndarray:
    """A scikit-image photograph as BGR uint8 (or the gray card, :data:`GRAY_CARD`)."""
    if name == GRAY_CARD:
        return gray_card()
    return np.ascontiguousarray(getattr(skimage_data, name)()[:, :, ::-1])


def view(img: np.ndarray, name: str) -> np.ndarray:
    x0, y0, x1, y1 = VIEWS[name]
    h, w = img.shape[:2]
    return np.ascontiguousarray(img[int(y0 * h): int(y1 * h), int(x0 * w): int(x1 * w)])


def cast_gains(direction: str, strength: float) -> np.ndarray:
    """Linear R, G, B gains along ``direction``, as strong as ``strength`` on one channel.

    Strength s moves white as far as a channel gain of s does: warm/cool as far as R x s
    and B / s, green/magenta as far as G x s; a diagonal moves sqrt(1/2) of each. The cast
    itself lies exactly along the Planckian locus (warm/cool) or across it (green/magenta),
    as a camera's Kelvin and tint settings move it.
    """
    dm, dt = DIRECTIONS[direction]
    mired = white_point((strength, 1.0, 1.0 / strength)).mired - D65.mired
    tint = white_point((1.0, strength, 1.0)).tint - D65.tint
    g = gains_for_drift(dm * mired, dt * tint)
    # The camera's auto exposure holds the level: white keeps its luminance.
    return g / float(g @ (0.2126, 0.7152, 0.0722))


def apply_cast(bgr: np.ndarray, gains_rgb) -> np.ndarray:
    """The picture as the camera would have delivered it with these linear gains."""
    lin = cv2.LUT(bgr, SRGB_TO_LINEAR)
    return srgb_encode(lin * np.asarray(gains_rgb, dtype=np.float32)[::-1])


@dataclass(frozen=True)
class Case:
    photo: str
    view: str
    truth: str  # "none" or a DIRECTIONS key
    strength: float  # 1.0 for no cast

    @property
    def truth_words(self) -> set[str]:
        return set() if self.truth == "none" else set(self.truth.split("+"))


def cases(photos=PHOTOS, views=tuple(VIEWS), strengths=STRENGTHS):
    for p in photos:
        for v in views:
            yield Case(p, v, "none", 1.0)
            for d in DIRECTIONS:
                for s in strengths:
                    yield Case(p, v, d, s)


NOISE = 2.0  # sensor noise, RMS codes: a real camera never delivers the same picture twice


def picture(case: Case, cache: dict | None = None, noise: float = NOISE, take: str = "check") -> np.ndarray:
    """The case's picture as the camera delivers it: framed, cast, with sensor noise (its own
    for each ``take``, the same on every run)."""
    key = (case.photo, case.view)
    base = cache.get(key) if cache is not None else None
    if base is None:
        base = view(photo(case.photo), case.view)
        if cache is not None:
            cache[key] = base
    out = base if case.truth == "none" else apply_cast(base, cast_gains(case.truth, case.strength))
    if noise > 0:
        rng = np.random.default_rng(zlib.crc32(repr((take, case)).encode()))
        out = np.clip(out + rng.normal(0, noise, out.shape), 0, 255).astype(np.uint8)
    return out


GRAY_CARD = "gray_card"


def gray_card(width: int = 640, height: int = 360) -> np.ndarray:
    """A gray card (18 %, sRGB code 118) filling the frame under neutral light, with the
    lens's vignetting (:func:`picture` adds the sensor noise)."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    r2 = ((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2
    lin = SRGB_TO_LINEAR[118] * (1.0 - 0.15 * r2)[:, :, None] * np.ones(3, np.float32)
    return srgb_encode(lin)


def reference_picture(name: str, cache: dict | None = None) -> np.ndarray:
    """The photo as the reference was taken: uncast, full frame, its own sensor noise."""
    return picture(Case(name, "full", "none", 1.0), cache, take="reference")


def is_wrong(case: Case, verdict: str, words) -> bool:
    """A wrong verdict: a cast named on an uncast picture, a direction opposite to the truth,
    a direction the cast does not have, or "ok" on a strong cast."""
    words = set(words)
    if verdict == "cast":
        if case.truth == "none":
            return True
        return any(OPPOSITE[w] in case.truth_words or w not in case.truth_words for w in words)
    if verdict == "ok":
        return case.truth != "none" and case.strength >= STRONG
    return False


def label(verdict: str, words) -> str:
    """The confusion table's column: ok, unknown, or the direction words in the table's order."""
    if verdict != "cast":
        return verdict
    order = ("warm", "cool", "green", "magenta")
    return "+".join(w for w in order if w in set(words))


def write_video(path, image: np.ndarray, frames: int = 50, fps: int = 25, noise: float = 2.0, seed: int = 0):
    """An MJPG video of ``image`` with sensor noise (so it is live, not frozen); returns ``path``."""
    h, w = image.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    rng = np.random.default_rng(seed)
    base = image.astype(np.float32)
    for _ in range(frames):
        writer.write(np.clip(base + rng.normal(0, noise, image.shape), 0, 255).astype(np.uint8))
    writer.release()
    return path
