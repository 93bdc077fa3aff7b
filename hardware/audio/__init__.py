"""Microphone monitoring: capture (PortAudio or a built-in test signal), supervision,
levels and loudness (ITU-R BS.1770-4 / EBU R 128). No Qt, no database.

The names below load on first use, so the PortAudio child process
(:mod:`hardware.audio.portaudio_child`) starts without numpy and scipy.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ChannelLevels": "levels", "LevelAnalyzer": "levels", "PeakBallistics": "levels",
    "LoudnessMeter": "loudness", "ProgrammeLoudness": "loudness", "TruePeakMeter": "loudness",
    "k_weighting_sos": "loudness", "measure_programme": "loudness",
    "TEST_SIGNAL_NAME": "sources", "SoundDeviceSource": "sources", "SourceError": "sources",
    "StreamFormat": "sources", "TestSignalSource": "sources", "TonePlayer": "sources",
    "BROADCAST_TARGET_LUFS": "worker", "STREAMING_TARGET_LUFS": "worker", "MeterReading": "worker",
    "MicWorker": "worker",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


if TYPE_CHECKING:  # for type checkers and editors
    from hardware.audio.levels import ChannelLevels, LevelAnalyzer, PeakBallistics
    from hardware.audio.loudness import LoudnessMeter, ProgrammeLoudness, TruePeakMeter, k_weighting_sos, measure_programme
    from hardware.audio.sources import TEST_SIGNAL_NAME, SoundDeviceSource, SourceError, StreamFormat, TestSignalSource, TonePlayer
    from hardware.audio.worker import BROADCAST_TARGET_LUFS, STREAMING_TARGET_LUFS, MeterReading, MicWorker
