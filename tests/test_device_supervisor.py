"""The one supervisor every device worker shares (hardware/supervisor.py): the retry policy
and the status/event rules on an injected clock, then the same stop contract and callback
shape checked on the three real workers (OBS link, mic worker, camera feed)."""
from __future__ import annotations

import threading
import time

import pytest

from hardware.supervisor import DeviceState, DeviceStatus, Level, RetryPolicy, Supervisor, event_kind
from tests.harness import free_port


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class Heard:
    def __init__(self) -> None:
        self.statuses: list[DeviceStatus] = []
        self.events: list[tuple[str, str, int, dict]] = []

    def status(self, status: DeviceStatus) -> None:
        self.statuses.append(status)

    def event(self, kind, message, severity, payload) -> None:
        self.events.append((kind, message, severity, dict(payload)))

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]


@pytest.fixture
def sup():
    clock, heard = Clock(), Heard()
    s = Supervisor("camera", on_status=heard.status, on_event=heard.event, clock=clock, source="udp://cam")
    s.clock_, s.heard = clock, heard
    return s


# ---------------------------------------------------------------------------- retry policy


def test_backoff_doubles_to_its_cap_and_jitter_stays_within_its_band():
    p = RetryPolicy(initial=0.5, factor=2.0, maximum=2.0)
    assert [p.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 2.0, 2.0]
    j = RetryPolicy(initial=1.0, factor=1.0, maximum=1.0, jitter=0.2)
    assert j.delay(1, rand=lambda: 0.0) == pytest.approx(0.8)
    assert j.delay(1, rand=lambda: 1.0) == pytest.approx(1.2)
    assert j.delay(7, rand=lambda: 0.5) == pytest.approx(1.0)


@pytest.mark.parametrize("bad", [dict(initial=-1), dict(factor=0.5), dict(initial=3, maximum=2), dict(jitter=1.0)])
def test_nonsense_policies_are_refused_with_the_values(bad):
    with pytest.raises(ValueError, match="retry policy"):
        RetryPolicy(**bad)


# ---------------------------------------------------------------------------- status and events


def test_each_failed_attempt_is_counted_and_scheduled_then_success_resets(sup):
    clock, heard = sup.clock_, sup.heard
    sup.report(DeviceState.CONNECTING, "opening")
    assert sup.retry_due()  # connecting: try at once
    sup.report(DeviceState.OK, "640x360")
    clock.t = 200.0
    st = sup.report(DeviceState.LOST, "read failed")
    assert (st.attempt, st.next_retry, st.since) == (1, 200.5, 200.0)
    assert not sup.retry_due() and sup.retry_wait() == pytest.approx(0.5)
    clock.t = 200.5
    assert sup.retry_due()
    assert sup.report(DeviceState.LOST, "cannot open").next_retry == pytest.approx(201.5)  # attempt 2: 1 s
    clock.t = 201.5
    st = sup.report(DeviceState.STALLED, "no frame for 1.5 s")
    assert (st.attempt, st.next_retry, st.since) == (3, 203.5, 201.5)  # capped at 2 s
    clock.t = 204.0
    st = sup.report(DeviceState.OK, "back")
    assert (st.attempt, st.next_retry) == (0, None) and sup.retry.delay(1) == 0.5
    # one event per link change, never one per attempt; the way back carries the outage
    assert heard.kinds() == ["device.connecting", "device.ok", "device.lost", "device.stalled", "device.ok"]
    back = heard.events[-1][3]
    assert back == {"device": "camera", "state": "ok", "previous": "stalled", "attempt": 0,
                    "outage_s": 4.0, "source": "udp://cam"}
    # every change a reader would show reached on_status, attempts included
    assert [s.attempt for s in heard.statuses if s.state.fault] == [1, 2, 3]


def test_a_fault_that_needs_a_person_is_not_retried(sup):
    st = sup.report(DeviceState.AUTH_FAILED, "OBS rejected the password")
    assert st.next_retry is None and sup.retry_wait() is None and not sup.retry_due()
    assert st.level is Level.ERROR and st.state.fault and not st.state.retried
    sup.retry_soon()  # new settings: the next attempt is due now
    assert sup.retry_due()


def test_signal_states_change_the_status_but_log_no_device_event(sup):
    heard = sup.heard
    sup.report(DeviceState.OK, "live")
    sup.report(DeviceState.BLACK, "picture black")
    sup.report(DeviceState.DEGRADED, "too dark")
    sup.report(DeviceState.OK, "live")
    assert heard.kinds() == ["device.ok"]  # the picture checks log their own, richer events
    assert [s.state for s in heard.statuses] == [DeviceState.OK, DeviceState.BLACK, DeviceState.DEGRADED, DeviceState.OK]
    assert DeviceState.BLACK.working and DeviceState.BLACK.signal and DeviceState.BLACK.level is Level.ERROR
    assert DeviceState.DEGRADED.level is Level.WARNING and DeviceState.TEST_SIGNAL.level is Level.TEST


def test_an_unchanged_report_is_not_repeated_and_a_broken_listener_is_survived(sup):
    heard = sup.heard
    sup.report(DeviceState.OK, "live")
    sup.report(DeviceState.OK, "live")
    assert len(heard.statuses) == 1

    def broken(status):
        raise RuntimeError("listener bug")

    sup.attach(on_status=broken, on_event=heard.event)
    sup.report(DeviceState.LOST, "gone")  # logged, not raised
    assert sup.state is DeviceState.LOST and heard.kinds()[-1] == "device.lost"
    assert event_kind(DeviceState.LOST) == "device.lost" and str(DeviceState.LOST) == "lost"


def test_stop_is_bounded_reports_stopped_once_and_nothing_after(sup):
    heard = sup.heard
    release = threading.Event()
    spinning = threading.Event()

    def stubborn() -> None:  # a worker blocked in a driver call that ignores the stop flag
        spinning.set()
        release.wait(10)
        sup.report(DeviceState.LOST, "the driver call finally failed")  # too late: ignored

    def polite() -> None:
        while not sup.stopping.wait(0.01):
            pass

    sup.report(DeviceState.OK, "live")
    sup.start([("stubborn", stubborn), ("polite", polite)])
    assert not sup.start([("again", polite)])  # already running
    spinning.wait(5)
    assert sup.stop(timeout=0.2) is False  # bounded: says the stubborn thread is still there
    assert sup.state is DeviceState.STOPPED and heard.kinds()[-1] == "device.stopped"
    heard_before = (len(heard.statuses), len(heard.events))
    release.set()
    deadline = time.monotonic() + 5
    while sup.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sup.state is DeviceState.STOPPED  # the late report did not bring it back
    assert (len(heard.statuses), len(heard.events)) == heard_before  # detached
    assert sup.stop(timeout=1.0) is True  # twice is fine


# ---------------------------------------------------------------------------- the three workers


def _obs():
    from hardware.obs import ObsLink

    return lambda on_status, on_event: ObsLink("127.0.0.1", free_port(), "x", on_status=on_status, on_event=on_event,
                                               retry=RetryPolicy(initial=0.1, maximum=0.1))


def _mic():
    from hardware.audio import MicWorker, TestSignalSource

    return lambda on_status, on_event: MicWorker(TestSignalSource(), on_status=on_status, on_event=on_event, rescan_s=3600)


def _camera():
    from hardware.camera import CameraFeed, TestPatternSource

    return lambda on_status, on_event: CameraFeed(TestPatternSource(320, 180, 30), on_status=on_status, on_event=on_event)


@pytest.mark.parametrize("make, device, settled", [
    (_obs, "obs", DeviceState.UNREACHABLE),
    (_mic, "mic", DeviceState.TEST_SIGNAL),
    (_camera, "camera", DeviceState.TEST_SIGNAL),
], ids=["obs", "mic", "camera"])
def test_every_worker_speaks_the_same_way_and_stops_the_same_way(make, device, settled):
    lock = threading.Lock()
    heard = Heard()

    def on_status(status):
        with lock:
            heard.status(status)

    def on_event(*event):
        with lock:
            heard.event(*event)

    worker = make()(on_status, on_event)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while worker.status.state is not settled:
            assert time.monotonic() < deadline, f"{device} never {settled}: {worker.status}"
            time.sleep(0.02)
    finally:
        assert worker.stop(timeout=3.0) is True
    with lock:
        statuses, kinds = list(heard.statuses), heard.kinds()
        payloads = [e[3] for e in heard.events]
    assert all(isinstance(s, DeviceStatus) and s.device == device for s in statuses)
    assert statuses[0].state is DeviceState.CONNECTING and statuses[-1].state is DeviceState.STOPPED
    assert worker.status.state is DeviceState.STOPPED
    assert kinds[0] == "device.connecting" and f"device.{settled.value}" in kinds and kinds[-1] == "device.stopped"
    assert all(p["device"] == device for p in payloads)
    time.sleep(0.3)
    with lock:
        assert len(heard.statuses) == len(statuses) and len(heard.events) == len(payloads)  # nothing after stop()


def test_stop_does_not_wait_for_a_stuck_listener():
    release, inside = threading.Event(), threading.Event()

    def stuck(status: DeviceStatus) -> None:
        if status.state is DeviceState.LOST:
            inside.set()
            release.wait(10)  # e.g. a listener waiting on a GUI that is itself waiting on stop()

    sup = Supervisor("mic", on_status=stuck)
    sup.start([("reporter", lambda: sup.report(DeviceState.LOST, "gone"))])
    assert inside.wait(5)
    stopper = threading.Thread(target=lambda: sup.stop(timeout=0.2))
    stopper.start()
    stopper.join(5)
    try:
        assert not stopper.is_alive()  # stop() returned while the listener was still stuck
        assert sup.state is DeviceState.STOPPED
    finally:
        release.set()


def test_a_status_built_from_a_plain_word_is_typed_and_a_wrong_word_is_refused():
    st = DeviceStatus("database", "lost", "the disk is full")
    assert st.state is DeviceState.LOST and st.level is Level.ERROR
    with pytest.raises(ValueError, match="no_signal"):
        DeviceStatus("camera", "no_signal")  # the old camera word: not in the vocabulary


def test_assigning_the_obs_links_on_event_still_subscribes():
    from hardware.obs import ObsLink

    heard = Heard()
    link = ObsLink("127.0.0.1", free_port(), "x", on_status=heard.status)
    link.on_event = heard.event  # the older way of subscribing, kept working
    assert link.on_event == heard.event
    link.start()
    try:
        deadline = time.monotonic() + 10
        while "device.unreachable" not in heard.kinds():
            assert time.monotonic() < deadline, heard.kinds()
            time.sleep(0.02)
    finally:
        link.stop()
    assert heard.statuses and heard.statuses[-1].state is DeviceState.STOPPED  # on_status kept too
