"""Microphone monitoring: capture (PortAudio or a built-in test signal), supervision,
levels and loudness (ITU-R BS.1770-4 / EBU R 128). No Qt, no database."""
from hardware.audio.levels import ChannelLevels, LevelAnalyzer, PeakBallistics
from hardware.audio.loudness import LoudnessMeter, ProgrammeLoudness, TruePeakMeter, k_weighting_sos, measure_programme
from hardware.audio.sources import TEST_SIGNAL_NAME, SoundDeviceSource, SourceError, StreamFormat, TestSignalSource
from hardware.audio.worker import BROADCAST_TARGET_LUFS, STREAMING_TARGET_LUFS, MeterReading, MicState, MicWorker

__all__ = [
    "BROADCAST_TARGET_LUFS", "STREAMING_TARGET_LUFS", "TEST_SIGNAL_NAME",
    "ChannelLevels", "LevelAnalyzer", "LoudnessMeter", "MeterReading", "MicState", "MicWorker",
    "PeakBallistics", "ProgrammeLoudness", "SoundDeviceSource", "SourceError", "StreamFormat",
    "TestSignalSource", "TruePeakMeter", "k_weighting_sos", "measure_programme",
]
