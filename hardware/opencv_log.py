"""Quiet OpenCV's and FFmpeg's own log lines without importing OpenCV (no numpy, no cv2: a
command that never touches a picture should not pay ~0.4 s to silence it)."""
from __future__ import annotations

import os
import sys


def silence_opencv_logging() -> None:
    """Quiet OpenCV's own ``[ERROR:0@...]``/``[WARN:...]`` lines and FFmpeg's av_log output
    (for the command line, where a one-line message of ours says what failed). Affects
    captures opened afterwards: both levels are read from the environment when cv2 first
    logs and when its FFmpeg backend first loads, so setting them before ``import cv2`` is
    enough; a cv2 already imported is told directly as well."""
    os.environ["OPENCV_LOG_LEVEL"] = "SILENT"
    os.environ["OPENCV_FFMPEG_LOGLEVEL"] = "-8"  # AV_LOG_QUIET
    cv2 = sys.modules.get("cv2")
    if cv2 is not None:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
