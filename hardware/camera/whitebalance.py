"""White balance in the studio's terms: warmer/cooler in mired, green/magenta as tint.

Where the picture's white sits is estimated by several colour-constancy estimators, all
in linear light (sRGB decoded), all leaving out near-black pixels and pixels clipped in
every channel (see :func:`read_white_balance` for why one clipped channel stays in):

- gray world: the mean colour;
- shades of gray: the Minkowski p=6 mean (leans on the bright surfaces);
- gray edge: the Minkowski p=6 mean of first-order colour derivatives (edges between
  surfaces average to gray far more often than the surfaces themselves);
- white patch: the 99th percentile of each channel among unclipped pixels.

Each estimate is a colour, read as a point relative to the Planckian locus in CIE 1960
(u, v): its correlated colour temperature (as mired, 10^6/K) and its distance from the
locus (Duv; tint here is 1000 x Duv, + green, - magenta).

A verdict compares every estimator against a baseline: the camera's stored reference
(the same estimators on a gray card or the set under the show lights), or sRGB's own
white (D65) when there is none. Each estimator is fooled by some scenes (a ginger cat is
"warm" to gray world), but not all in the same way, so a cast is only named when every
estimator points the same way beyond the threshold; when some say neutral and others a
cast, or they point apart, the answer is "unknown", never a guess.

Pure functions of their arguments; no clock, no state.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

WB_OK = "ok"
WB_CAST = "cast"
WB_UNKNOWN = "unknown"  # the estimators disagree: the picture cannot tell scene colour from a cast

ESTIMATORS = ("gray_world", "shades_of_gray", "gray_edge", "white_patch")
MINKOWSKI_P = 6
EDGE_SIGMA = 1.0  # Gaussian pre-smoothing of the gray-edge derivatives, in working pixels
WHITE_PATCH_PERCENTILE = 99.0
# The scene signature: quantiles of each pixel's log(R/G) and log(B/G) around their
# medians. A cast shifts every pixel's log chroma by the same amount, which the median
# takes away, so the signature says what is in the picture, not how it is balanced.
SCENE_QUANTILES = (10, 25, 75, 90)
WORK_LINES = 90  # the estimators run on at most this many lines (colour needs few samples; ~15k pixels at 16:9)

# sRGB (IEC 61966-2-1) primaries, D65 white: linear RGB -> CIE XYZ.
_RGB_TO_XYZ = np.array([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
])
_XYZ_TO_RGB = np.linalg.inv(_RGB_TO_XYZ)


def _srgb_decode_table() -> np.ndarray:
    c = np.arange(256, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


SRGB_TO_LINEAR = _srgb_decode_table()


def srgb_encode(linear: np.ndarray) -> np.ndarray:
    """Linear light (0..1, float) -> sRGB codes (uint8), clipping at full scale as a camera does."""
    v = np.clip(linear, 0.0, 1.0)
    v = np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(v, 1 / 2.4) - 0.055)
    return np.clip(np.rint(v * 255.0), 0, 255).astype(np.uint8)


# The Planckian locus in CIE 1960 (u, v), Krystek's rational approximation (1985; within
# 1e-4 of the exact locus from 1000 K to 15000 K, and smooth beyond), sampled every
# quarter mired from 10 (100000 K) to 1000 (1000 K).
_LOCUS_MIRED = np.arange(10.0, 1000.0 + 1e-9, 0.25)


def _krystek(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    u = (0.860117757 + 1.54118254e-4 * t + 1.28641212e-7 * t * t) / (1 + 8.42420235e-4 * t + 7.08145163e-7 * t * t)
    v = (0.317398726 + 4.22806245e-5 * t + 4.20481691e-8 * t * t) / (1 - 2.89741816e-5 * t + 1.61456053e-7 * t * t)
    return u, v


_LOCUS_U, _LOCUS_V = _krystek(1e6 / _LOCUS_MIRED)


@dataclass(frozen=True)
class WhitePoint:
    """Where a white sits: ``mired`` (10^6/CCT; higher = warmer) and ``tint`` (1000 x Duv; + green, - magenta)."""

    mired: float
    tint: float

    @property
    def kelvin(self) -> float:
        return 1e6 / self.mired

    def minus(self, other: WhitePoint) -> tuple[float, float]:
        return self.mired - other.mired, self.tint - other.tint


def white_point(rgb_linear) -> WhitePoint:
    """The white point of a linear sRGB colour (any scale)."""
    x, y, z = _RGB_TO_XYZ @ np.asarray(rgb_linear, dtype=np.float64)
    den = x + 15 * y + 3 * z
    if not den > 0:
        raise ValueError("a white point needs a colour with some light in it")
    u, v = 4 * x / den, 6 * y / den
    du, dv = _LOCUS_U - u, _LOCUS_V - v
    d2 = du * du + dv * dv
    i = int(np.argmin(d2))
    # Side of the locus: + above (towards green), - below (towards magenta/pink).
    j, k = min(i + 1, len(_LOCUS_U) - 1), max(i - 1, 0)
    tu, tv = _LOCUS_U[j] - _LOCUS_U[k], _LOCUS_V[j] - _LOCUS_V[k]
    # Walking the locus towards lower mired (hotter, bluer), green is on the right.
    side = np.sign(tu * (v - _LOCUS_V[i]) - tv * (u - _LOCUS_U[i]))
    return WhitePoint(float(_LOCUS_MIRED[i]), float(1000.0 * side * math.sqrt(d2[i])))


D65 = white_point((1.0, 1.0, 1.0))  # sRGB's white: the baseline when no reference is stored


def rgb_for_white_point(wp: WhitePoint) -> np.ndarray:
    """Linear sRGB (G = 1) of the colour at ``wp`` (inverse of :func:`white_point`)."""
    m = float(np.clip(wp.mired, _LOCUS_MIRED[0], _LOCUS_MIRED[-1]))
    i = int(np.clip(np.searchsorted(_LOCUS_MIRED, m), 1, len(_LOCUS_MIRED) - 1))
    f = (m - _LOCUS_MIRED[i - 1]) / (_LOCUS_MIRED[i] - _LOCUS_MIRED[i - 1])
    u0 = _LOCUS_U[i - 1] + f * (_LOCUS_U[i] - _LOCUS_U[i - 1])
    v0 = _LOCUS_V[i - 1] + f * (_LOCUS_V[i] - _LOCUS_V[i - 1])
    tu, tv = _LOCUS_U[i] - _LOCUS_U[i - 1], _LOCUS_V[i] - _LOCUS_V[i - 1]
    n = math.hypot(tu, tv)
    # The normal pointing to the green side (see white_point's sign rule).
    nu, nv = -tv / n, tu / n
    d = wp.tint / 1000.0
    u, v = u0 + d * nu, v0 + d * nv
    x, y = 3 * u / (2 * u - 8 * v + 4), 2 * v / (2 * u - 8 * v + 4)
    xyz = np.array([x / y, 1.0, (1 - x - y) / y])
    rgb = _XYZ_TO_RGB @ xyz
    return rgb / rgb[1]


def gains_for_drift(mired: float, tint: float, baseline: WhitePoint = D65) -> np.ndarray:
    """Linear R, G, B gains (G = 1) that move ``baseline`` white by ``mired`` and ``tint``:
    what a camera's wrong Kelvin and tint settings do to the picture."""
    target = rgb_for_white_point(WhitePoint(baseline.mired + mired, baseline.tint + tint))
    return target / rgb_for_white_point(baseline)


@dataclass(frozen=True)
class WhiteBalanceProfile:
    """Thresholds of the white-balance verdict."""

    clipped_code: int = 250  # a channel at or above this (0-255) is clipped; every channel clipped: left out
    dark_code: int = 20  # brightest channel below this: too dark (noise and black level), left out
    min_pixels_pct: float = 5.0  # fewer pixels with no channel clipped or too dark than this share: "unknown"
    # Scene signatures further apart than this (log chroma): not the reference's scene (a
    # gray card, a close-up): the reference then only gives the camera's white.
    same_scene: float = 0.2
    # Against the camera's reference the scene's own colour cancels out: tight thresholds.
    ref_cast_mired: float = 15.0  # about an eighth of a CTO gel
    ref_cast_tint: float = 6.0
    tint_leak: float = 0.15  # tint threshold grows by this per mired of warm/cool drift
    ref_spread_mired: float = 80.0  # estimators further apart than this: "unknown"
    ref_spread_tint: float = 20.0
    # Without a reference every estimator carries some scene colour: a cast must be big
    # enough that all of them see it.
    cast_mired: float = 75.0
    cast_tint: float = 12.0
    ok_mired: float = 25.0  # "ok" only when every estimator reads within these of neutral
    ok_tint: float = 8.0


DEFAULT_WB_PROFILE = WhiteBalanceProfile()


@dataclass(frozen=True)
class WhiteBalanceReading:
    """What one picture says about its white: each estimator's colour, linear (R/G, B/G)."""

    colours: dict[str, tuple[float, float]]
    used_pct: float  # share of the picture's pixels the estimators could use
    scene: tuple[float, ...] = ()  # see scene_signature: what the picture shows, whatever its cast

    @property
    def points(self) -> dict[str, WhitePoint]:
        """Each estimate as a white point (how far from sRGB's white, in the studio's terms)."""
        return {k: white_point((r, 1.0, b)) for k, (r, b) in self.colours.items()}

    def to_dict(self) -> dict:
        return {
            "used_pct": round(self.used_pct, 1),
            "estimates": {k: {"mired": round(p.mired, 1), "tint": round(p.tint, 2)} for k, p in self.points.items()},
            "colours": {k: [round(r, 5), round(b, 5)] for k, (r, b) in self.colours.items()},
            "scene": [round(v, 4) for v in self.scene],
        }


@dataclass(frozen=True)
class WhiteBalanceReference:
    """A camera's stored white: the estimators' colours, linear (R/G, B/G), on a gray card
    or the set under the show lights."""

    colours: dict[str, tuple[float, float]]
    scene: tuple[float, ...] = ()  # the reference picture's scene signature; () = not known

    @classmethod
    def from_reading(cls, reading: WhiteBalanceReading) -> WhiteBalanceReference:
        if set(reading.colours) != set(ESTIMATORS):
            raise ValueError(f"only {reading.used_pct:.0f}% of the picture is neither clipped nor too dark: "
                             "not enough to be a white-balance reference")
        return cls(dict(reading.colours), reading.scene)

    def to_dict(self) -> dict:
        """JSON-able (settings, the command line): {estimator: [R/G, B/G]} in linear light, and
        ``scene``, the picture's scene signature."""
        out: dict = {k: [round(r, 5), round(b, 5)] for k, (r, b) in self.colours.items()}
        if self.scene:
            out["scene"] = [round(v, 4) for v in self.scene]
        return out

    @classmethod
    def from_dict(cls, data) -> WhiteBalanceReference:
        """The inverse of :meth:`to_dict`; ValueError saying what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a white-balance reference is a table of estimator: [R/G, B/G]")
        colours = {}
        for name in ESTIMATORS:
            pair = data.get(name)
            if (not isinstance(pair, (list, tuple)) or len(pair) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in pair)):
                raise ValueError(f"white-balance reference: {name} must be [R/G, B/G], two numbers")
            if not all(0.01 <= v <= 100.0 for v in pair):
                raise ValueError(f"white-balance reference: {name} {list(pair)} is outside 0.01..100")
            colours[name] = (float(pair[0]), float(pair[1]))
        scene = data.get("scene", [])
        if (not isinstance(scene, (list, tuple)) or len(scene) not in (0, len(SCENE_QUANTILES) * 2)
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= 10 for v in scene)):
            raise ValueError(f"white-balance reference: scene must be {len(SCENE_QUANTILES) * 2} numbers")
        return cls(colours, tuple(float(v) for v in scene))

    def scene_distance(self, reading: WhiteBalanceReading) -> float | None:
        """How different ``reading``'s scene is from this reference's (None: not known)."""
        if not self.scene or len(reading.scene) != len(self.scene):
            return None
        return float(np.max(np.abs(np.subtract(reading.scene, self.scene))))


@dataclass(frozen=True)
class WhiteBalanceDrift:
    """The verdict and how far the white has moved, in the studio's terms.

    ``mired`` > 0: warmer (more yellow/red) than the baseline; ``tint`` > 0: greener, < 0: more
    magenta. ``kelvin``: the colour temperature the picture's white reads at, taking the
    baseline as 6504 K (sRGB's D65): the reference, or sRGB's white without one.
    """

    verdict: str  # ok / cast / unknown
    direction: tuple[str, ...]  # ("warm"|"cool", "green"|"magenta") words that apply; () when ok/unknown
    mired: float | None
    tint: float | None
    spread_mired: float | None
    spread_tint: float | None
    against_reference: bool
    reason: str = ""  # why "unknown", for people
    scene_distance: float | None = None  # how far the scene is from the reference's (log chroma)
    same_scene: bool = False  # judged against the reference's scene (True) or only its white

    @property
    def kelvin(self) -> float | None:
        if self.mired is None:
            return None
        return 1e6 / max(1.0, D65.mired + self.mired)

    @property
    def cast(self) -> str:
        """The stronger of the direction words (mired and tint compared at their thresholds' scale)."""
        return self.direction[0] if self.direction else ""

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "direction": list(self.direction),
            "mired": None if self.mired is None else round(self.mired, 1),
            "kelvin": None if self.kelvin is None else int(round(self.kelvin, -1)),
            "tint": None if self.tint is None else round(self.tint, 1),
            "spread_mired": None if self.spread_mired is None else round(self.spread_mired, 1),
            "spread_tint": None if self.spread_tint is None else round(self.spread_tint, 1),
            "reference": self.against_reference,
            "same_scene": self.same_scene,
            "scene_distance": None if self.scene_distance is None else round(self.scene_distance, 3),
            "reason": self.reason or None,
        }


def _minkowski(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-channel Minkowski mean with p = 6 over ``mask`` (multiplications: far cheaper than a float power)."""
    v2 = cv2.multiply(values, values)
    v6 = cv2.multiply(cv2.multiply(v2, v2), v2)
    return np.power(np.array(cv2.mean(v6, mask)[:3]), 1 / MINKOWSKI_P)


def read_white_balance(bgr: np.ndarray, profile: WhiteBalanceProfile = DEFAULT_WB_PROFILE) -> WhiteBalanceReading:
    """The estimators' colours for a BGR uint8 picture (any size; a subsampled frame is fine)."""
    h, w = bgr.shape[:2]
    step = max(1, -(-h // WORK_LINES))
    if step > 1:
        # Every step-th pixel each way (nearest-neighbour): never empty, even for a frame far
        # narrower than it is tall (2 x 270 here would resize to nothing).
        bgr = np.ascontiguousarray(bgr[::step, ::step])
    lin = cv2.LUT(bgr, SRGB_TO_LINEAR)  # linear light, B G R
    b, g, r = cv2.split(bgr)
    brightest, darkest = cv2.max(cv2.max(b, g), r), cv2.min(cv2.min(b, g), r)
    lit = cv2.compare(brightest, profile.dark_code, cv2.CMP_GE)
    # A pixel clipped in every channel has no colour left: out. A pixel clipped in one
    # channel stays in: its clipped channel is under-read, which can only make a cast look
    # weaker, never turn it round, whereas leaving it out removes exactly the bright pixels
    # a cast pushes over (a white cup under a warm cast), and the rest is the scene's colour.
    usable = cv2.bitwise_and(lit, cv2.compare(darkest, profile.clipped_code, cv2.CMP_LT))
    unclipped = cv2.bitwise_and(lit, cv2.compare(brightest, profile.clipped_code, cv2.CMP_LT))
    n_used = cv2.countNonZero(usable)
    used_pct = 100.0 * cv2.countNonZero(unclipped) / max(1, usable.size)
    colours: dict[str, tuple[float, float]] = {}
    if used_pct < profile.min_pixels_pct or n_used < 64:
        return WhiteBalanceReading(colours, used_pct)
    px = lin[usable.view(bool)]
    scene = scene_signature(px[::3])  # a few thousand pixels pin quantiles down well enough
    k = min(n_used - 1, int(round(n_used * WHITE_PATCH_PERCENTILE / 100)))
    estimates = {
        "gray_world": np.array(cv2.mean(lin, usable)[:3]),
        "shades_of_gray": _minkowski(lin, usable),
        "white_patch": np.partition(px, k, axis=0)[k].astype(np.float64),
    }
    # Edges next to a fully clipped or a crushed pixel carry the clipping or the noise, not
    # the light: use only derivatives whose whole 3x3 neighbourhood is usable.
    inner = cv2.erode(usable, np.ones((3, 3), np.uint8))
    if cv2.countNonZero(inner) >= 64:
        smooth = cv2.GaussianBlur(lin, (0, 0), EDGE_SIGMA)
        edges = cv2.magnitude(cv2.Sobel(smooth, cv2.CV_32F, 1, 0), cv2.Sobel(smooth, cv2.CV_32F, 0, 1))
        estimates["gray_edge"] = _minkowski(edges, inner)
    for name in ESTIMATORS:
        e = estimates.get(name)  # B, G, R
        if e is not None and np.all(e > 1e-6):
            colours[name] = (float(e[2] / e[1]), float(e[0] / e[1]))
    return WhiteBalanceReading(colours, used_pct, scene)


def scene_signature(px_bgr: np.ndarray) -> tuple[float, ...]:
    """Quantiles of log(R/G) and log(B/G) around their medians, over linear B, G, R pixels."""
    logs = np.log(px_bgr + np.float32(1e-4))  # the darkest usable pixel is ~6e-3: this only guards a zero
    chroma = logs[:, (2, 0)] - logs[:, 1:2]  # log R/G, log B/G
    q = np.percentile(chroma, (50, *SCENE_QUANTILES), axis=0)
    return tuple(float(v) for v in (q[1:] - q[0]).T.ravel())


def judge_white_balance_drift(
    reading: WhiteBalanceReading,
    reference: WhiteBalanceReference | None = None,
    profile: WhiteBalanceProfile = DEFAULT_WB_PROFILE,
) -> WhiteBalanceDrift:
    """ok / cast / unknown, with the drift, against ``reference`` (or sRGB's white without one)."""
    ref = reference is not None
    if set(reading.colours) != set(ESTIMATORS):
        return WhiteBalanceDrift(WB_UNKNOWN, (), None, None, None, None, ref,
                                 f"only {reading.used_pct:.0f}% of the picture is neither clipped nor too dark")
    distance = reference.scene_distance(reading) if reference is not None else None
    same_scene = reference is not None and (distance is None or distance <= profile.same_scene)
    if same_scene:
        base = reference.colours
    elif reference is not None:
        # Another scene than the reference's (it was a gray card, or the shot changed): the
        # reference still says where the camera's white was, but scene colour no longer
        # cancels out, so the picture is judged as without a reference, against that white.
        white = tuple(np.median(np.array(list(reference.colours.values())), axis=0))
        base = {k: white for k in ESTIMATORS}
    else:
        base = {k: (1.0, 1.0) for k in ESTIMATORS}
    # A wrong white balance multiplies the channels: per estimator, the ratio to the baseline
    # is that gain whatever the scene's own colour, and is read as the drift it gives white.
    drifts = np.array([
        white_point((reading.colours[k][0] / base[k][0], 1.0, reading.colours[k][1] / base[k][1])).minus(D65)
        for k in ESTIMATORS
    ])  # rows: (mired, tint)
    mired, tint = (float(v) for v in np.median(drifts, axis=0))
    spread_m, spread_t = (float(v) for v in drifts.max(axis=0) - drifts.min(axis=0))
    if same_scene:
        drift = _judge_against_reference(drifts, mired, tint, spread_m, spread_t, profile)
    else:
        drift = _judge_without_reference(drifts, mired, tint, spread_m, spread_t, profile, ref)
    return replace(drift, scene_distance=distance, same_scene=same_scene)


def _axis(values: np.ndarray, median: float, threshold: float) -> int | None:
    """+1 / -1: a drift that way on this axis; 0: none; None: unclear (the estimators straddle)."""
    if abs(median) <= threshold:
        return 0
    sign = 1 if median > 0 else -1
    # Every estimator must lean the same way as the median (clipping can only shrink a
    # cast's reading, so a straddle means the picture itself changed).
    return sign if np.all(sign * values > threshold / 3) else None


def _judge_against_reference(drifts, mired, tint, spread_m, spread_t, p: WhiteBalanceProfile) -> WhiteBalanceDrift:
    if spread_m > p.ref_spread_mired or spread_t > p.ref_spread_tint:
        # The framing changed so much (a big coloured product filling the shot) that the
        # estimators no longer move together.
        return WhiteBalanceDrift(WB_UNKNOWN, (), mired, tint, spread_m, spread_t, True,
                                 "the estimators disagree: the picture has changed too much since the reference")
    am = _axis(drifts[:, 0], mired, p.ref_cast_mired)
    # A strong warm/cool cast clips one channel first, which leaks a little into tint.
    at = _axis(drifts[:, 1], tint, max(p.ref_cast_tint, p.tint_leak * abs(mired)))
    words = []
    if am:
        words.append((abs(mired) / p.ref_cast_mired, "warm" if am > 0 else "cool"))
    if at:
        words.append((abs(tint) / p.ref_cast_tint, "green" if at > 0 else "magenta"))
    if words:
        return WhiteBalanceDrift(WB_CAST, tuple(w for _, w in sorted(words, reverse=True)), mired, tint,
                                 spread_m, spread_t, True)
    if am == 0 and at == 0:
        return WhiteBalanceDrift(WB_OK, (), mired, tint, spread_m, spread_t, True)
    return WhiteBalanceDrift(WB_UNKNOWN, (), mired, tint, spread_m, spread_t, True,
                             "the estimators disagree about the drift since the reference")


def _judge_without_reference(drifts, mired, tint, spread_m, spread_t, p: WhiteBalanceProfile,
                             ref: bool = False) -> WhiteBalanceDrift:
    m, t = drifts[:, 0], drifts[:, 1]
    # An axis is a cast only when every estimator is beyond the threshold on the same side:
    # scene colour fools some of them, a real cast moves all of them.
    words = []
    if np.all(m > p.cast_mired) or np.all(m < -p.cast_mired):
        words.append((float(np.min(np.abs(m))) / p.cast_mired, "warm" if m[0] > 0 else "cool"))
    if np.all(t > p.cast_tint) or np.all(t < -p.cast_tint):
        words.append((float(np.min(np.abs(t))) / p.cast_tint, "green" if t[0] > 0 else "magenta"))
    if words:
        return WhiteBalanceDrift(WB_CAST, tuple(w for _, w in sorted(words, reverse=True)), mired, tint,
                                 spread_m, spread_t, ref)
    if np.all(np.abs(m) <= p.ok_mired) and np.all(np.abs(t) <= p.ok_tint):
        return WhiteBalanceDrift(WB_OK, (), mired, tint, spread_m, spread_t, ref)
    why = ("the picture is not the reference's scene (a gray card, or the shot changed), and the estimators "
           "disagree: scene colour and a cast cannot be told apart" if ref else
           "the estimators disagree: scene colour and a cast cannot be told apart "
           "(store a white-balance reference for this camera)")
    return WhiteBalanceDrift(WB_UNKNOWN, (), mired, tint, spread_m, spread_t, ref, why)
