"""The desk as a person sees it: real windows under Xvfb, saved as PNG in artifacts/."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.harness.screens import shoot_desk


def shoot(width: int, height: int, lang: str, name: str, tmp_path: Path) -> tuple[Path, str]:
    out, stdout = shoot_desk("desk_shot", width, height, lang, name, tmp_path)
    return out, stdout


@pytest.mark.display
def test_desk_screenshot_1920x1080_zh_cn(tmp_path):
    out, stdout = shoot(1920, 1080, "zh_CN", "desk-1920x1080-zh_CN.png", tmp_path)
    assert "CJK_FONTS=0" not in stdout, "no Simplified Chinese font installed: Chinese would render as boxes"
    img = cv2.imread(str(out))
    assert img is not None, f"no screenshot written: {stdout}"
    assert img.shape[:2] == (1080, 1920)
    # Not blank: a real desk has many distinct colours and structure.
    small = cv2.resize(img, (480, 270), interpolation=cv2.INTER_AREA)
    colours = len(np.unique(small.reshape(-1, 3), axis=0))
    assert colours > 200, f"screenshot looks blank ({colours} colours)"
    assert float(img.std()) > 10.0
    # Dark theme: the desk must be mostly dark for a dim studio.
    assert float(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).mean()) < 90


@pytest.mark.display
def test_desk_screenshot_portrait_1080x1920_en(tmp_path):
    out, _ = shoot(1080, 1920, "en", "desk-1080x1920-en.png", tmp_path)
    img = cv2.imread(str(out))
    assert img is not None and img.shape[:2] == (1920, 1080)
    assert float(img.std()) > 10.0
