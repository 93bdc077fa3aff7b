"""``studio-console camcheck`` on real files: photos, a video written by cv2, missing and broken sources."""
from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from studio_app.cli import main

import skimage.data as skimage_data  # noqa: E402 - real photographs bundled with scikit-image

REQUIRED_KEYS = {"mean_luma", "clipped_high_pct", "clipped_low_pct", "sharpness", "verdicts"}


def photo(name: str) -> np.ndarray:
    return np.ascontiguousarray(getattr(skimage_data, name)()[:, :, ::-1])


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["camcheck", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_good_photo_json_has_the_contract_keys_and_exits_0(tmp_path, capsys):
    path = tmp_path / "astronaut.png"
    cv2.imwrite(str(path), photo("astronaut"))
    code, data = run_json(capsys, str(path))
    assert code == 0
    assert REQUIRED_KEYS <= data.keys()
    assert 0 <= data["mean_luma"] <= 255
    assert set(data["verdicts"]) >= {"exposure", "white_balance", "signal"}
    # Without a white-balance reference the estimators disagree on this photo: "unknown", no finding.
    assert data["verdicts"] == {"exposure": "ok", "white_balance": "unknown", "focus": "unknown", "signal": "ok"}
    assert data["resolution"] == "512x512"
    assert len(data["histogram"]) == 256


def test_dark_photo_is_under_and_exits_1_with_a_finding(tmp_path, capsys):
    path = tmp_path / "dark.jpg"
    cv2.imwrite(str(path), (photo("chelsea") * 0.35).astype(np.uint8))
    code, data = run_json(capsys, str(path))
    assert code == 1
    assert data["verdicts"]["exposure"] == "under"
    assert any("偏暗" in f for f in data["findings"])


def test_bright_and_cast_photos(tmp_path, capsys):
    bright = tmp_path / "bright.png"
    cv2.imwrite(str(bright), np.clip(photo("coffee") * 1.9, 0, 255).astype(np.uint8))
    assert run_json(capsys, str(bright))[1]["verdicts"]["exposure"] == "over"
    # Casts, with and without a reference: tests/test_camera_white_balance_cli.py.


def test_sharpness_orders_blur_levels_and_focus_reference_judges_them(tmp_path, capsys):
    img = photo("chelsea")
    values = []
    for sigma in (0, 1, 2, 4):
        path = tmp_path / f"blur{sigma}.png"
        cv2.imwrite(str(path), cv2.GaussianBlur(img, (0, 0), sigma) if sigma else img)
        values.append(run_json(capsys, str(path))[1]["sharpness"])
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    code, data = run_json(capsys, str(tmp_path / "blur2.png"), "--focus-reference", str(values[0]))
    assert code == 1 and data["verdicts"]["focus"] == "soft"


def test_black_image_signal_black(tmp_path, capsys):
    path = tmp_path / "black.png"
    cv2.imwrite(str(path), np.full((360, 640, 3), 8, np.uint8))
    code, data = run_json(capsys, str(path))
    assert code == 1 and data["verdicts"]["signal"] == "black"


def write_video(path, frames, fps=25):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (frames[0].shape[1], frames[0].shape[0]))
    for f in frames:
        writer.write(f)
    writer.release()


def test_video_file_moving_is_ok_and_a_still_video_is_frozen(tmp_path, capsys):
    img = cv2.resize(photo("astronaut"), (320, 320))
    moving = tmp_path / "moving.avi"
    write_video(moving, [np.roll(img, 4 * i, axis=1) for i in range(80)])
    code, data = run_json(capsys, str(moving), "--frames", "80")
    assert data["verdicts"]["signal"] == "ok" and data["frames"] == 80 and data["kind"] == "video"
    assert code == 0

    still = tmp_path / "still.avi"
    write_video(still, [img] * 80)  # 3.2 s of one picture
    code, data = run_json(capsys, str(still), "--frames", "80")
    assert code == 1 and data["verdicts"]["signal"] == "frozen"

    code, data = run_json(capsys, str(still), "--frames", "25")  # 1 s: too short to call frozen
    assert data["verdicts"]["signal"] == "ok"


def test_text_output_names_the_numbers(tmp_path, capsys):
    path = tmp_path / "a.png"
    cv2.imwrite(str(path), photo("coffee"))
    main(["camcheck", str(path), "--lang", "en"])
    out = capsys.readouterr().out
    for word in ("mean luma", "clipped high", "sharpness", "verdicts", "exposure=ok"):
        assert word in out


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_text("not a picture"), "not a readable image"),
    ],
)
def test_missing_or_unreadable_image_is_one_line_exit_2(tmp_path, capsys, make, message):
    path = tmp_path / "cam.png"
    make(path)
    assert main(["camcheck", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and str(path) in err


def test_broken_video_and_bad_device_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 1000)
    assert main(["camcheck", str(broken)]) == 2
    assert main(["camcheck", "7"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "camera 7" in err[1]


def test_console_script_end_to_end(tmp_path):
    path = tmp_path / "a.png"
    cv2.imwrite(str(path), photo("astronaut"))
    proc = subprocess.run(
        [sys.executable, "-m", "studio_app", "camcheck", str(path), "--json"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdicts"]["exposure"] == "ok"
    missing = subprocess.run(
        [sys.executable, "-m", "studio_app", "camcheck", str(tmp_path / "nope.mp4")], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


@pytest.mark.slow
def test_live_stream_url(udp_camera, capsys):
    code, data = run_json(capsys, udp_camera.url, "--frames", "40")
    assert data["kind"] == "stream" and data["frames"] == 40
    assert data["resolution"] == "640x360"
    assert data["verdicts"]["signal"] == "ok"
    assert 15 <= data["measured_fps"] <= 40
    assert code in (0, 1)  # testsrc2's colours may read as a cast; the picture itself is live
