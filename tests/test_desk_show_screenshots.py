"""The show desk mid-show as a person sees it: the real main window under Xvfb with the
sample show 30 minutes in, saved to artifacts/screenshots/ (and looked at)."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.harness.screens import shoot_desk


def shoot(width: int, height: int, lang: str, name: str, tmp_path: Path) -> tuple[Path, str]:
    out, stdout = shoot_desk("desk_show_shot", width, height, lang, name, tmp_path)
    assert "MIDSHOW=cup" in stdout, stdout
    return out, stdout


def check(out: Path, size: tuple[int, int]) -> np.ndarray:
    img = cv2.imread(str(out))
    assert img is not None, "no screenshot written"
    assert img.shape[:2] == size
    small = cv2.resize(img, (480, 270), interpolation=cv2.INTER_AREA)
    assert len(np.unique(small.reshape(-1, 3), axis=0)) > 200  # a real desk, not a blank window
    assert float(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).mean()) < 90  # dark theme for a dim studio
    return img


def warning_orange_pixels(img: np.ndarray) -> int:
    """Pixels of the warning phase colour #ffa528 (the big segment timer)."""
    b, g, r = img[..., 0].astype(int), img[..., 1].astype(int), img[..., 2].astype(int)
    return int(((abs(r - 0xff) < 25) & (abs(g - 0xa5) < 30) & (abs(b - 0x28) < 40)).sum())


@pytest.mark.display
def test_desk_midshow_1920x1080_zh_cn(tmp_path):
    out, stdout = shoot(1920, 1080, "zh_CN", "desk-midshow-1920x1080-zh_CN.png", tmp_path)
    assert "CJK_FONTS=0" not in stdout
    # every runbook key, the GO row, the segment clock and the countdowns, without scrolling
    assert "RUNBOOK_KEYS=7/7" in stdout and "IN_VIEW=go,clock,timeline" in stdout, stdout
    img = check(out, (1080, 1920))
    assert warning_orange_pixels(img) > 2000  # the segment timer shows its warning phase


@pytest.mark.display
def test_desk_midshow_portrait_1080x1920_zh_cn(tmp_path):
    out, stdout = shoot(1080, 1920, "zh_CN", "desk-midshow-1080x1920-zh_CN.png", tmp_path)
    assert "RUNBOOK_KEYS=7/7" in stdout and "IN_VIEW=go,clock,timeline" in stdout, stdout
    img = check(out, (1920, 1080))
    assert warning_orange_pixels(img) > 1000


@pytest.mark.display
def test_desk_midshow_1920x1080_en_shows_every_runbook_key(tmp_path):
    out, stdout = shoot(1920, 1080, "en", "desk-midshow-1920x1080-en.png", tmp_path)
    assert "RUNBOOK_KEYS=7/7" in stdout and "IN_VIEW=go,clock,timeline" in stdout, stdout
    check(out, (1080, 1920))
