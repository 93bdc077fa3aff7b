"""Camera capture and picture checks (no Qt): see capture.py, picture.py, whitebalance.py, checks.py,
overlays.py. The feed's status, events, retry and stop follow :mod:`hardware.supervisor`."""
from hardware.camera.capture import (
    CameraFeed,
    FeedStats,
    Frame,
    FrameSlot,
    OpenCvSource,
    SourceError,
    TestPatternSource,
    parse_source_spec,
)
from hardware.camera.checks import PictureChecker, PictureReport
from hardware.camera.monitor import CameraMonitor, picture_status
from hardware.camera.picture import (
    DEFAULT_PROFILE,
    PictureMeasurement,
    PictureProfile,
    judge_exposure,
    judge_focus,
    judge_white_balance,
    measure_picture,
)
from hardware.camera.whitebalance import WhiteBalanceDrift, WhiteBalanceReference

__all__ = [
    "CameraFeed", "CameraMonitor", "picture_status", "FeedStats", "Frame", "FrameSlot", "OpenCvSource", "SourceError",
    "TestPatternSource", "parse_source_spec", "PictureChecker", "PictureReport", "DEFAULT_PROFILE",
    "PictureMeasurement", "PictureProfile", "judge_exposure", "judge_focus", "judge_white_balance",
    "measure_picture", "WhiteBalanceDrift", "WhiteBalanceReference",
]
