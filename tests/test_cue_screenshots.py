"""The anchor's cue screen as a person sees it: a real window under Xvfb in landscape
(1920x1080) and portrait (1080x1920), in several moments of a show, saved as PNG in
artifacts/screenshots/ and checked for what must be there."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio_app.core.cue_state import PHASE_COLORS
from tests.harness import artifact_path, unavailable
from tests.harness.xvfb import Xvfb, XvfbError

ROOT = Path(__file__).resolve().parents[1]
MOMENTS = ["normal", "warning", "danger", "overtime", "coupon", "message", "blackout", "soldout", "mirrored", "drill"]
SIZES = [(1920, 1080), (1080, 1920)]


def shoot(width: int, height: int, workdir: Path) -> tuple[dict[str, np.ndarray], dict[str, dict], str]:
    import skimage.data

    product = workdir / "product.png"
    cv2.imwrite(str(product), cv2.cvtColor(skimage.data.coffee(), cv2.COLOR_RGB2BGR))
    xvfb = Xvfb()
    try:
        display = xvfb.start(width, height)
    except XvfbError as exc:
        unavailable("Xvfb", str(exc))
    prefix = f"cue-{width}x{height}"
    outdir = artifact_path("screenshots", "x").parent
    try:
        env = {**xvfb.env(), "STUDIO_DATA_DIR": str(workdir / "data"), "STUDIO_CONFIG_DIR": str(workdir / "cfg")}
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.run(
            [sys.executable, "-m", "tests.harness.cue_shot", "--outdir", str(outdir), "--prefix", prefix,
             "--moments", ",".join(MOMENTS), "--image", str(product)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
    finally:
        xvfb.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    images, geoms = {}, {}
    for line in proc.stdout.splitlines():
        if line.startswith("SHOT "):
            _, name, path = line.split(" ", 2)
            img = cv2.imread(path)
            assert img is not None, f"{name}: no screenshot written"
            images[name] = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        elif line.startswith("GEOM "):
            _, name, blob = line.split(" ", 2)
            geoms[name] = json.loads(blob)
    return images, geoms, proc.stdout


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def shots(request, tmp_path_factory):
    w, h = request.param
    images, geoms, stdout = shoot(w, h, tmp_path_factory.mktemp(f"cue{w}x{h}"))
    return w, h, images, geoms, stdout


def share(img: np.ndarray, rect, hex_colour: str, tol: int = 40) -> float:
    x, y, w, h = rect
    region = img[max(0, y): y + h, max(0, x): x + w].astype(int)
    c = np.array([int(hex_colour[i: i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(region - c).max(axis=2) <= tol).mean())


@pytest.mark.display
def test_every_moment_is_shot_with_chinese_fonts(shots):
    w, h, images, geoms, stdout = shots
    assert "CJK_FONTS=0" not in stdout, "no Simplified Chinese font: Chinese would render as boxes"
    assert sorted(images) == sorted(MOMENTS)
    for name, img in images.items():
        assert img.shape[:2] == (h, w), name
        if name != "blackout":
            assert float(img.std()) > 20, f"{name} looks blank"


@pytest.mark.display
def test_timer_shows_the_phase_colour_at_readable_size(shots):
    w, h, images, geoms, _ = shots
    short = min(w, h)
    for moment, phase in (("normal", "default"), ("warning", "warning"), ("danger", "danger"),
                          ("overtime", "overtime")):
        img, rect = images[moment], geoms[moment]["timer"]
        mine = share(img, rect, PHASE_COLORS[phase])
        assert mine > 0.04, f"{moment}: timer has {mine:.1%} {PHASE_COLORS[phase]}"
        for other, colour in PHASE_COLORS.items():
            if other not in (phase, "none"):
                assert share(img, rect, colour, tol=18) < mine / 3, f"{moment}: timer also in {other} colour"
        # Digit height: the rows holding phase-coloured pixels span >= 12 % of the short side.
        x, y, rw, rh = rect
        c = np.array([int(PHASE_COLORS[phase][i: i + 2], 16) for i in (1, 3, 5)])
        region = img[y: y + rh, x: x + rw].astype(int)
        # Leave out the progress bar at the bottom of the box (same colour, thin).
        rows = np.where((np.abs(region - c).max(axis=2) <= 40).sum(axis=1) > rw * 0.02)[0]
        rows = rows[rows < rh * 0.85]
        assert rows.size and rows.max() - rows.min() >= 0.12 * short, f"{moment}: digits too small"


@pytest.mark.display
def test_blocks_never_overlap_and_stay_on_screen(shots):
    w, h, images, geoms, _ = shots
    for moment in ("normal", "coupon", "soldout", "drill"):
        rects = {k: v for k, v in geoms[moment].items() if k != "message"}
        assert {"timer", "script", "product", "points", "countdown0"} <= set(rects), (moment, rects)
        for name, (x, y, rw, rh) in rects.items():
            assert x >= 0 and y >= 0 and x + rw <= w + 1 and y + rh <= h + 1, (moment, name)
            assert rw > 0 and rh > 0
        for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
            overlap_w = min(ra[0] + ra[2], rb[0] + rb[2]) - max(ra[0], rb[0])
            overlap_h = min(ra[1] + ra[3], rb[1] + rb[3]) - max(ra[1], rb[1])
            assert overlap_w <= 1 or overlap_h <= 1, f"{moment}: {a} overlaps {b}"
        # The script gets a real share of the screen for teleprompting.
        sx, sy, sw, sh = rects["script"]
        assert sw * sh > 0.15 * w * h, f"{moment}: script area too small"


@pytest.mark.display
def test_coupon_and_flash_sale_countdowns(shots):
    w, h, images, geoms, _ = shots
    g = geoms["coupon"]
    assert "countdown0" in g and "countdown1" in g
    assert share(images["coupon"], g["countdown1"], "#6a1b9a") > 0.4  # the flash sale chip
    assert share(images["normal"], geoms["normal"]["countdown0"], "#1e3a8a") > 0.4  # coupon announce


@pytest.mark.display
def test_message_blackout_soldout_drill(shots):
    w, h, images, geoms, _ = shots
    assert share(images["message"], geoms["message"]["message"], "#ffd400") > 0.5
    dark = images["blackout"].max(axis=2) < 30
    assert dark.mean() > 0.9, "blackout is not mostly black"
    assert dark.mean() < 0.999, "blackout must still show the message"
    assert share(images["soldout"], geoms["soldout"]["product"], "#5f6368", tol=10) > 0.005  # 已抢光 badge
    assert share(images["soldout"], geoms["soldout"]["product"], "#ff5a5a", tol=25) < 0.002  # no red price
    assert share(images["normal"], geoms["normal"]["product"], "#ff5a5a", tol=25) > 0.005
    assert share(images["drill"], [0, 0, w, int(0.25 * min(w, h))], "#ffd400") > 0.2
    assert share(images["normal"], [0, 0, w, int(0.25 * min(w, h))], "#ffd400") < 0.01


@pytest.mark.display
def test_mirrored_is_the_flipped_picture(shots):
    w, h, images, geoms, _ = shots
    def small(a: np.ndarray) -> np.ndarray:  # robust to 1-pixel glyph placement differences
        a = np.ascontiguousarray(a)
        return cv2.resize(a, (a.shape[1] // 4, a.shape[0] // 4), interpolation=cv2.INTER_AREA).astype(int)

    normal, mirrored = images["normal"], images["mirrored"]
    unflipped = np.abs(small(mirrored) - small(normal)).mean()
    flipped = np.abs(small(mirrored) - small(normal[:, ::-1])).mean()
    assert unflipped > 10, "mirror changed nothing"
    assert flipped < 0.15 * unflipped, f"mirrored is not the flipped picture ({flipped:.1f} vs {unflipped:.1f})"
