"""Stream health figures and edge-triggered warnings (pure), and failure classification."""
from __future__ import annotations

import json

from obsws_python.error import OBSSDKError, OBSSDKTimeoutError
from websocket import WebSocketConnectionClosedException, WebSocketTimeoutException

from hardware.obs import HealthLimits, HealthWatch, classify
from hardware.supervisor import DeviceState

STATS = {"cpuUsage": 12.5, "memoryUsage": 220.0, "activeFps": 30.0, "averageFrameRenderTime": 2.0,
         "renderSkippedFrames": 0, "renderTotalFrames": 0, "availableDiskSpace": 80_000.0}


def stream(active=True, bytes_=0, skipped=0, total=0, congestion=0.0, reconnecting=False, tc="00:00:01.000"):
    return {"outputActive": active, "outputBytes": bytes_, "outputSkippedFrames": skipped, "outputTotalFrames": total,
            "outputCongestion": congestion, "outputReconnecting": reconnecting, "outputTimecode": tc}


OFF = {"outputActive": False}


def test_kbps_comes_from_byte_deltas():
    w = HealthWatch()
    h, _ = w.update(0.0, STATS, stream(bytes_=0), OFF)
    assert h.stream_kbps is None  # one sample is no rate
    h, _ = w.update(1.0, STATS, stream(bytes_=312_500), OFF)
    assert h.stream_kbps == 2500.0
    h, _ = w.update(1.5, STATS, stream(bytes_=312_500 + 62_500), OFF)
    assert h.stream_kbps == 1000.0
    h, _ = w.update(2.5, STATS, stream(active=False), OFF)
    assert h.stream_kbps is None and h.stream_timecode == ""


def test_dropped_frames_warn_once_and_clear_once():
    w = HealthWatch(HealthLimits(dropped_percent=1.0, window_s=10.0, min_frames=30))
    kinds = []
    total = skipped = 0
    for t in range(30):
        total += 30
        skipped += 3 if 5 <= t < 12 else 0  # 10% dropped for 7 s
        h, events = w.update(float(t), STATS, stream(bytes_=t * 1000, skipped=skipped, total=total), OFF)
        kinds += [e.kind for e in events]
        if t == 8:
            assert h.output_dropped_percent > 1.0
    assert kinds == ["frames_dropped", "frames_ok"]


def test_congestion_reconnecting_and_disk_events_are_edge_triggered():
    w = HealthWatch(HealthLimits(disk_low_mb=10_000))
    seq = [
        (stream(congestion=0.9), 5000.0),
        (stream(congestion=0.95, reconnecting=True), 5000.0),
        (stream(congestion=0.3, reconnecting=True), 5000.0),
        (stream(congestion=0.3), 20_000.0),
    ]
    kinds = []
    for i, (s, disk) in enumerate(seq):
        _, events = w.update(float(i), {**STATS, "availableDiskSpace": disk}, s, OFF)
        kinds.append(sorted(e.kind for e in events))
    assert kinds == [["congestion", "disk_low"], ["stream_reconnecting"], ["congestion_cleared"], ["disk_ok", "stream_reconnected"]]


def test_counters_going_back_reset_the_window():
    w = HealthWatch(HealthLimits(min_frames=10))
    w.update(0.0, STATS, stream(skipped=50, total=100), OFF)
    h, events = w.update(1.0, STATS, stream(skipped=0, total=30), OFF)  # output restarted
    assert h.output_dropped_percent == 0.0 and events == []


def test_record_timecode_only_while_recording():
    w = HealthWatch()
    h, _ = w.update(0.0, STATS, OFF, {"outputActive": True, "outputTimecode": "00:00:03.000"})
    assert h.record_timecode == "00:00:03.000"
    assert json.dumps(h.disk_free_mb)


def test_failure_classification_follows_obsws_python_behaviour():
    where = "127.0.0.1:4455"
    assert classify(ConnectionRefusedError(111, "refused"), where).status is DeviceState.UNREACHABLE
    bad_pw = OBSSDKError("failed to identify client with the server, please check connection settings")
    assert classify(bad_pw, where).status is DeviceState.AUTH_FAILED
    assert classify(OBSSDKError("authentication enabled but no password provided"), where).status is DeviceState.AUTH_FAILED
    assert classify(WebSocketTimeoutException("timed out"), where).status is DeviceState.FROZEN
    assert classify(OBSSDKTimeoutError("Timeout"), where).status is DeviceState.FROZEN
    assert classify(WebSocketConnectionClosedException("closed"), where).status is DeviceState.UNREACHABLE
    assert classify(json.JSONDecodeError("x", "", 0), where).status is DeviceState.UNSUPPORTED
    assert not DeviceState.AUTH_FAILED.retried and DeviceState.FROZEN.retried and DeviceState.UNREACHABLE.retried
