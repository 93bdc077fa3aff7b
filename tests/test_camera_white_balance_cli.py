"""``studio-console camcheck`` and white balance: real photos with known casts, ``--wb-reference``,
the JSON drift fields, the findings in Chinese and English, bad reference files."""
from __future__ import annotations

import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from studio_app.cli import main
from tests.harness import wb_casts as W


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["camcheck", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture
def set_and_shots(tmp_path):
    """The set under the show lights (the reference) and the same camera later, reframed."""
    base = W.photo("astronaut")
    ref = tmp_path / "set.png"
    cv2.imwrite(str(ref), base)
    shots = {}
    for direction in ("warm", "cool", "green", "magenta", "cool+green"):
        shots[direction] = tmp_path / f"{direction}.png"
        cv2.imwrite(str(shots[direction]), W.apply_cast(base, W.cast_gains(direction, 1.4)))
    shots["none"] = tmp_path / "later.jpg"  # the same set, saved by another program as JPEG
    cv2.imwrite(str(shots["none"]), base, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return ref, shots


def test_with_a_reference_each_cast_is_named_with_its_drift(set_and_shots, capsys):
    ref, shots = set_and_shots
    for truth, path in shots.items():
        code, data = run_json(capsys, str(path), "--wb-reference", str(ref))
        wb = data["white_balance"]
        if truth == "none":
            assert code == 0 and data["verdicts"]["white_balance"] == "ok", wb
            assert abs(wb["mired"]) < 5 and abs(wb["tint"]) < 2
            continue
        assert code == 1 and data["verdicts"]["white_balance"] == "cast", (truth, wb)
        assert set(wb["direction"]) <= set(truth.split("+")) and wb["direction"], (truth, wb)
        assert data["cast"] == wb["direction"][0]
        assert wb["reference"] is True and set(wb["estimates"]) == {"gray_world", "shades_of_gray", "gray_edge", "white_patch"}
        if "warm" in truth:
            assert wb["mired"] > 15 and wb["kelvin"] < 6500
            assert any(f.startswith("偏暖") and "建议调低色温" in f for f in data["findings"])
        if "cool" in truth:
            assert wb["mired"] < -15 and wb["kelvin"] > 6500
            assert any(f.startswith("偏冷") and "建议调高色温" in f for f in data["findings"])
        if truth == "green":
            assert wb["tint"] > 6 and any(f.startswith("偏绿") for f in data["findings"])
        if truth == "magenta":
            assert wb["tint"] < -6 and any(f.startswith("偏品红") for f in data["findings"])


def test_without_a_reference_a_warm_scene_is_unknown_not_a_cast(tmp_path, capsys):
    # The old check called a ginger cat with a strong blue cast "warm"; now it cannot tell.
    path = tmp_path / "cat_cool.png"
    cv2.imwrite(str(path), W.apply_cast(W.photo("chelsea"), W.cast_gains("cool", 1.5)))
    code, data = run_json(capsys, str(path), "--lang", "en")
    assert data["verdicts"]["white_balance"] == "unknown" and data["cast"] is None
    assert data["white_balance"]["reference"] is False and data["white_balance"]["reason"]
    assert code == 0 and data["findings"] == []  # nothing known to fix is not a finding


def test_text_output_shows_mired_kelvin_and_tint(set_and_shots, capsys):
    ref, shots = set_and_shots
    assert main(["camcheck", str(shots["warm"]), "--wb-reference", str(ref), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("white balance"))
    assert "mired" in line and " K)" in line and "tint" in line and "against the reference" in line
    assert "white_balance=cast (warm)" in out and "Warm cast: about +" in out


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_text("not a picture"), "not a readable image"),
        (lambda p: cv2.imwrite(str(p), np.zeros((120, 160, 3), np.uint8)), "too dark"),
    ],
)
def test_a_bad_reference_is_one_line_exit_2(tmp_path, capsys, make, message):
    shot = tmp_path / "shot.png"
    cv2.imwrite(str(shot), W.photo("coffee"))
    ref = tmp_path / "ref.png"
    make(ref)
    assert main(["camcheck", str(shot), "--wb-reference", str(ref)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--wb-reference" in err and message in err and str(ref) in err


def test_console_script_with_a_reference(set_and_shots):
    ref, shots = set_and_shots
    proc = subprocess.run([sys.executable, "-m", "studio_app", "camcheck", str(shots["magenta"]),
                           "--wb-reference", str(ref), "--json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["verdicts"]["white_balance"] == "cast" and data["white_balance"]["direction"] == ["magenta"]
