"""Picture checks on real photographs (scikit-image's bundled photos) and on timed frame sequences.

White balance has its own file: test_camera_white_balance.py."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

import skimage.data as skimage_data  # noqa: E402 - real photographs bundled with scikit-image

from hardware.camera import overlays  # noqa: E402
from hardware.camera.checks import PictureChecker  # noqa: E402
from hardware.camera.picture import (  # noqa: E402
    PictureProfile,
    judge_exposure,
    judge_focus,
    luma709,
    measure_picture,
)

PHOTOS = ["astronaut", "coffee", "chelsea"]


def photo(name: str) -> np.ndarray:
    return np.ascontiguousarray(getattr(skimage_data, name)()[:, :, ::-1])  # RGB -> BGR


def scaled(img: np.ndarray, gains) -> np.ndarray:
    return np.clip(img.astype(np.float32) * np.asarray(gains, dtype=np.float32), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("name", PHOTOS)
def test_well_exposed_photos_read_ok_darker_under_brighter_over(name):
    # The photographs as published are fine; a stop and a half down is dark, brightened it clips.
    img = photo(name)
    assert judge_exposure(measure_picture(img)) == "ok"
    dark = measure_picture(scaled(img, 0.4))
    assert judge_exposure(dark) == "under"
    assert dark.mean_luma < measure_picture(img).mean_luma * 0.45
    bright = measure_picture(scaled(img, 1.8))
    assert judge_exposure(bright) == "over"
    assert bright.clipped_high_pct > 3.0


@pytest.mark.parametrize("name", PHOTOS)
def test_sharpness_falls_strictly_with_each_blur_level(name):
    img = photo(name)
    values = [measure_picture(img).sharpness] + [
        measure_picture(cv2.GaussianBlur(img, (0, 0), sigma)).sharpness for sigma in (0.8, 1.5, 3.0, 6.0)
    ]
    assert all(a > b for a, b in zip(values, values[1:])), values


def test_focus_verdict_is_relative_to_the_cameras_reference():
    img = photo("astronaut")
    ref = measure_picture(img).sharpness
    assert judge_focus(ref, None) == "unknown"
    assert judge_focus(measure_picture(cv2.GaussianBlur(img, (0, 0), 0.3)).sharpness, ref) == "ok"
    assert judge_focus(measure_picture(cv2.GaussianBlur(img, (0, 0), 1.0)).sharpness, ref) == "soft"


def test_levels_on_a_known_ramp():
    ramp = np.tile(np.arange(256, dtype=np.uint8), (300, 1))
    m = measure_picture(cv2.merge((ramp, ramp, ramp)))
    assert abs(m.mean_luma - 127.5) < 0.6
    assert m.p1_luma in (2, 3) and m.p99_luma in (252, 253)
    assert m.clipped_high_pct == pytest.approx(100 * 6 / 256, abs=0.1)  # 250..255
    assert m.clipped_low_pct == pytest.approx(100 * 6 / 256, abs=0.1)  # 0..5
    assert m.black_pct == pytest.approx(100 * 26 / 256, abs=0.1)  # below 0.10 of full scale
    assert m.histogram.sum() == m.luma.size


def test_bt709_luma_weights():
    green = np.zeros((10, 10, 3), np.uint8)
    green[:] = (0, 255, 0)
    assert int(luma709(green)[0, 0]) == round(0.7152 * 255)  # BT.601 would give 150


# -- over time: black, frozen, stalled, debounce ----------------------------------------------
FPS = 30.0


def feed_sequence(checker: PictureChecker, frames, start_index: int = 1):
    reports = []
    for i, frame in enumerate(frames):
        reports.append((i / FPS, checker.feed(frame, i / FPS, start_index + i).signal))
    return reports


def first_time(reports, signal):
    return next((t for t, s in reports if s == signal), None)


def test_black_picture_after_two_seconds_not_before():
    black = scaled(photo("astronaut"), 0.05)
    rng = np.random.default_rng(1)
    frames = [cv2.add(black, rng.integers(0, 3, black.shape, dtype=np.uint8)) for _ in range(90)]
    reports = feed_sequence(PictureChecker(), frames)
    t = first_time(reports, "black")
    assert t is not None and 2.0 <= t <= 2.1


def test_a_dark_scene_is_never_black():
    dark = scaled(photo("coffee"), 0.4)
    reports = feed_sequence(PictureChecker(), [dark] * 90)
    assert first_time(reports, "black") is None


def test_repeated_frames_freeze_after_two_seconds():
    still = photo("chelsea")
    reports = feed_sequence(PictureChecker(), [still] * 90)
    t = first_time(reports, "frozen")
    assert t is not None and 2.0 <= t <= 2.1


def test_a_presenter_standing_still_with_sensor_noise_is_not_frozen():
    # Camera sensor noise of ~1.5 codes RMS on an otherwise still scene, for 4 s.
    still = photo("chelsea").astype(np.int16)
    rng = np.random.default_rng(7)
    frames = [np.clip(still + rng.normal(0, 1.5, still.shape), 0, 255).astype(np.uint8) for _ in range(120)]
    reports = feed_sequence(PictureChecker(), frames)
    assert first_time(reports, "frozen") is None
    assert [s for _, s in reports][-1] == "ok"


def test_a_stalled_capture_is_not_a_frozen_picture():
    # The same frame (same counter) offered for 3 s: no new frames, so no evidence of a freeze.
    checker = PictureChecker()
    img = photo("astronaut")
    signals = [checker.feed(img, k / FPS, 1).signal for k in range(90)]
    assert "frozen" not in signals


def test_frozen_clears_when_the_picture_moves_again():
    checker = PictureChecker()
    still = photo("chelsea")
    feed_sequence(checker, [still] * 75)
    assert checker.report.signal == "frozen"
    moved = np.roll(still, 5, axis=1)
    assert checker.feed(moved, 75 / FPS, 76).signal == "ok"


def test_flickering_exposure_does_not_flood_verdict_changes():
    img = photo("astronaut")
    dark = scaled(img, 0.4)
    checker = PictureChecker(PictureProfile(debounce_s=1.0))
    changes = []
    # Alternate every 0.2 s for 4 s: never settles, so the verdict stays "ok".
    for i in range(120):
        frame = dark if (i // 6) % 2 else img
        r = checker.feed(frame, i / FPS, i + 1)
        if "exposure" in r.changed and i > 0:
            changes.append((i / FPS, r.exposure))
    assert changes == []
    # A lasting change is accepted after the hold time (frames 114-119 were already dark).
    for i in range(120, 180):
        r = checker.feed(dark, i / FPS, i + 1)
        if "exposure" in r.changed:
            changes.append((i / FPS, r.exposure))
    assert len(changes) == 1 and changes[0][1] == "under"
    assert 1.0 <= changes[0][0] - 114 / FPS <= 1.1


def test_focus_reference_from_the_current_picture_then_soft_when_blurred():
    img = photo("astronaut")
    checker = PictureChecker()
    checker.feed(img, 0.0, 1)
    assert checker.report.focus == "unknown"
    ref = checker.set_focus_reference()
    assert ref == pytest.approx(measure_picture(img).sharpness)
    assert checker.report.focus == "ok"
    blurred = cv2.GaussianBlur(img, (0, 0), 2.5)
    focus = [checker.feed(blurred, 0.1 + i / FPS, 2 + i).focus for i in range(45)]
    assert focus[0] == "ok" and focus[-1] == "soft"  # debounced, then soft


# -- overlays and scopes --------------------------------------------------------------------
def test_zebra_marks_exactly_the_pixels_at_or_above_its_level():
    img = photo("astronaut")
    y = luma709(img)
    for level in (0.75, 1.0):
        out = overlays.zebra(img, level)
        changed = np.any(out != img, axis=2)
        hot = y >= min(250, round(level * 255))
        assert not changed[~hot].any()  # nothing below the level is touched
        assert changed[hot].mean() > 0.4  # stripes cover about half of the hot area
        assert out.shape == img.shape and out.dtype == np.uint8


def test_false_colour_marks_clipping_red_and_crushed_purple():
    ramp = np.tile(np.arange(256, dtype=np.uint8), (4, 1))
    out = overlays.false_colour(cv2.merge((ramp, ramp, ramp)))
    assert tuple(out[0, 255]) == (0, 0, 255)
    assert tuple(out[0, 0]) == (128, 0, 128)
    assert tuple(out[0, 60]) == (60, 60, 60)  # ordinary levels stay grey


def test_focus_peaking_lights_more_edges_on_a_sharp_picture():
    img = photo("chelsea")
    sharp = np.any(overlays.focus_peaking(img) != img, axis=2).sum()
    blurred_img = cv2.GaussianBlur(img, (0, 0), 2)
    blurred = np.any(overlays.focus_peaking(blurred_img) != blurred_img, axis=2).sum()
    assert sharp > 5 * max(1, blurred)


def test_waveform_of_a_horizontal_ramp_is_a_diagonal():
    ramp = np.tile(np.linspace(0, 255, 512).astype(np.uint8), (200, 1))
    wave = overlays.waveform_image(ramp, width=256, height=128)
    assert wave.shape == (128, 256, 3)
    brightest_row = wave[:, :, 1].argmax(axis=0)  # row of the trace in each column
    level = 127 - brightest_row  # level 0 at the bottom
    assert np.all(np.diff(level[8:-8]) >= 0)
    assert level[10] < 20 and level[-10] > 105


def test_histogram_image_shape_and_clipped_end():
    img = scaled(photo("astronaut"), 1.8)
    h = overlays.histogram_image(measure_picture(img).histogram, 256, 100)
    assert h.shape == (100, 256, 3)
    assert tuple(h[-1, 255]) == (60, 60, 255)  # a clipped picture fills the red end


@pytest.mark.parametrize("checks_every", [2, 3, 5])  # the monitor checks at ~12 Hz of a 30 fps source
def test_the_built_in_test_pattern_never_reads_as_frozen_or_black(checks_every):
    from hardware.camera.capture import TestPatternSource

    src = TestPatternSource(1280, 720, 30.0)
    src.open()
    checker = PictureChecker()
    signals = set()
    for i in range(1, 30 * 6 + 1):  # six seconds: three times the freeze window
        frame = src.read()
        if i % checks_every == 0:
            signals.add(checker.feed(frame, i / 30.0, i).verdicts()["signal"])
    assert signals == {"ok"}
