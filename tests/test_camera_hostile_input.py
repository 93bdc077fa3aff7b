"""Pictures and sources OpenCV will not take (issue 21): `camcheck` answers each with one
line and exit 2, before decoding anything too large, and no OpenCV or libpng chatter
reaches stderr ahead of it. Files are written here with cv2 and zlib."""
from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np
import pytest

from hardware.camera.capture import MAX_DEVICE_INDEX, OpenCvSource, SourceError
from hardware.camera.picture import MIN_FRAME_SIDE, measure_picture
from hardware.camera.still import MAX_STILL_PIXELS
from tests.harness.hostile_files import png_bytes
from tests.harness.peak_memory import run_command_measured


def camcheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio_app", "camcheck", *args],
                          capture_output=True, text=True, timeout=180)


def one_line_error(p: subprocess.CompletedProcess, *words: str) -> None:
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr  # nothing of OpenCV's, libpng's or Python's ahead of it
    assert lines[0].startswith("studio-console camcheck: error: ")
    for w in words:
        assert w in lines[0]


@pytest.mark.parametrize("shape", [(20000, 1), (1, 20000), (10, 300)])
def test_a_valid_png_too_narrow_to_judge_is_one_line_exit_2(tmp_path, shape):
    path = tmp_path / "strip.png"
    assert cv2.imwrite(str(path), np.full((*shape, 3), 128, np.uint8))
    one_line_error(camcheck(str(path)), "strip.png", f"{shape[1]}x{shape[0]}", f"at least {MIN_FRAME_SIDE} pixels")


def test_a_png_that_claims_100k_by_100k_pixels_is_refused_on_its_header(tmp_path):
    path = tmp_path / "claims.png"
    path.write_bytes(png_bytes(100_000, 100_000))
    one_line_error(camcheck(str(path), "--json"), "claims.png", "megapixel limit")


def test_a_png_with_less_data_than_its_header_says_is_one_line_without_libpng_chatter(tmp_path):
    path = tmp_path / "short.png"
    path.write_bytes(png_bytes(640, 480))  # libpng prints "libpng error: ..." on fd 2 itself
    one_line_error(camcheck(str(path)), "short.png", "not a readable image")


def test_opencv_log_lines_do_not_precede_the_message(tmp_path):
    path = tmp_path / "cut.ppm"  # a header Pillow accepts, data OpenCV logs an [ERROR:0@...] about
    path.write_bytes(b"P6\n64 64\n255\n" + b"\x00" * 100)
    p = camcheck(str(path))
    one_line_error(p, "cut.ppm", "not a readable image")
    assert "[ERROR" not in p.stderr and "[ WARN" not in p.stderr


def test_a_real_20000_square_png_is_refused_before_it_is_decoded(tmp_path):
    """The issue's 20000x20000 picture took 2.4 GB to decode; its header alone says no."""
    side = 20_000
    path = tmp_path / "huge.png"
    row = bytes(3 * side)
    path.write_bytes(png_bytes(side, side, (row for _ in range(side))))
    run = run_command_measured("camcheck", str(path))
    assert run.code == 2 and "20000x20000 is 400 megapixels" in run.stderr and "50 megapixel limit" in run.stderr
    assert run.peak_mb < 600, f"peak {run.peak_mb} MB"


def test_an_8k_still_is_still_checked(tmp_path):
    path = tmp_path / "still8k.jpg"
    ramp = np.tile(np.linspace(30, 220, 7680, dtype=np.uint8)[None, :, None], (4320, 1, 3))
    assert cv2.imwrite(str(path), ramp) and 7680 * 4320 <= MAX_STILL_PIXELS
    p = camcheck(str(path), "--json")
    assert p.returncode in (0, 1), p.stderr
    assert '"resolution": "7680x4320"' in p.stdout


@pytest.mark.parametrize("index", ["99999999999999999999", str(MAX_DEVICE_INDEX + 1)])
def test_a_device_index_out_of_range_is_one_line_exit_2(index):
    one_line_error(camcheck(index, "--frames", "2"), f"camera {index}", f"0-{MAX_DEVICE_INDEX}")


def test_opening_an_impossible_device_index_is_a_source_error_not_a_cv2_error():
    with pytest.raises(SourceError, match="no such camera index"):
        OpenCvSource("99999999999999999999").open()


@pytest.mark.parametrize("shape", [(20000, MIN_FRAME_SIDE), (MIN_FRAME_SIDE, 20000), (5000, 17)])
def test_narrow_but_judgeable_frames_are_measured(shape):
    m = measure_picture(np.full((*shape, 3), 120, np.uint8))
    assert (m.height, m.width) == shape and m.mean_luma == pytest.approx(120, abs=1)


def test_frames_too_small_to_judge_raise_value_error_not_cv2_error():
    with pytest.raises(ValueError, match="too small to judge"):
        measure_picture(np.full((20000, 1, 3), 120, np.uint8))


def test_a_video_of_frames_too_narrow_to_judge_is_one_line_exit_2(tmp_path):
    path = tmp_path / "narrow.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (8, 4000))
    for _ in range(5):
        writer.write(np.full((4000, 8, 3), 100, np.uint8))
    writer.release()
    one_line_error(camcheck(str(path), "--frames", "3"), "narrow.avi", "frame 1", "8x4000")
