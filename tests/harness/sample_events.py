"""Events as the console writes them during a show, for tests and screenshots of their
rendering: the sample show driven through the real show engine and emergency desk, and
device events with the payloads the device workers write (hardware/)."""
from __future__ import annotations

from studio_app.core.events import Severity
from studio_app.core.paths import sample_show_path
from studio_app.show.clock import ManualClock
from studio_app.show.desk import ShowDesk
from studio_app.show.emergency import AlarmWatcher, EmergencyDesk, StepOutcome, default_runbooks_path, load_runbooks
from studio_app.show.rundown import load_rundown


def drive_sample_show(sink, clock: ManualClock | None = None) -> ShowDesk:  # noqa: ANN001 - any EventSink
    """The sample show through the real engine with every kind of desk action, then an
    incident, a drill and a suggestion through the emergency desk."""
    from studio_app.core.settings import Settings
    from studio_app.studio import Studio

    clock = clock or ManualClock(mono=100.0, wall=1_800_000_000.0)
    # Through the studio, as every desk action goes (the anchor's message lives there).
    studio = Studio(Settings(), sink, clock=clock)
    desk = studio.load_show(sample_show_path())
    show = desk.show

    def do(action: str, **args):  # noqa: ANN202
        return studio.dispatch(action, **args)
    do("go")  # refused while compliance findings are open (when the show has any)
    do("override_compliance", reason="已人工核对")
    do("go")
    do("hold")
    clock.advance(5)
    do("resume")
    do("add_time", seconds=30)
    do("message", text="讲慢一点", blink=True)
    do("message_hide")
    do("coupons_pause", reason="评论区投诉")
    clock.advance(20)
    do("coupons_resume")
    do("jump", segment=show.segments[2].id)
    do("back")
    for i, seg in enumerate(show.segments):
        if i == 4:  # mid-show: the devices have their moments and the desk handles an incident
            log_device_events(sink, clock)
            run_incidents(sink, clock, show.id)
        for _ in range(60):
            clock.advance(10)
            studio.tick()
        for p in list(getattr(seg, "products", []))[:1]:
            sku = p if isinstance(p, str) else p.sku
            do("card_push", sku=sku)
            do("stock_freeze", sku=sku, frozen=True)
            do("stock_adjust", sku=sku, delta=-1)  # refused: frozen
            do("stock_freeze", sku=sku, frozen=False)
            do("stock_set", sku=sku, value=max(1, desk.cards.card(sku).product.safety_stock), reason="盘点")
            do("card_stop")
        do("coupon_confirm")
        do("next")
    do("end_show", confirm=True)
    studio.close()
    return desk


def run_incidents(sink, clock: ManualClock, show_id: str) -> None:  # noqa: ANN001
    """An incident, a drill and an alarm's suggestion (taken, then dismissed) through the real
    emergency desk."""
    books = load_runbooks(default_runbooks_path())
    em = EmergencyDesk(books, lambda name, args, by: StepOutcome("ok"), sink,
                       clock=lambda: clock.mono, wall=lambda: clock.wall, show_id=show_id)
    inc = em.open("complaints")
    clock.advance(20)
    em.tick(inc.id, 0)
    clock.advance(40)
    em.close(inc.id, "尺码问题已说明")
    em.set_drill(True)
    drill = em.open("wrong_price")
    em.close(drill.id)
    em.set_drill(False)
    watcher = AlarmWatcher(books, clock=lambda: 0.0)
    for s in em.take(watcher.set_alarm("mic.lost", True, 0.0) + watcher.tick(60.0)):
        em.dismissed(s)


def log_device_events(sink, clock: ManualClock | None = None) -> None:  # noqa: ANN001
    """Microphone, camera and OBS events with the kinds and payloads their workers write
    (``clock``: 10 s pass between them)."""
    mic = "USB Audio Device"
    step = (lambda: clock.advance(10)) if clock is not None else (lambda: None)
    sink.log("mic", "device_opened", f"microphone {mic!r} opened at 48000 Hz, 2 ch", Severity.INFO,
             {"device": mic, "samplerate": 48000, "channels": 2, "test_signal": False})
    step()
    sink.log("mic", "clipping", f"clipping on {mic!r}: 37 samples at full scale (peak 0.0 dBFS)", Severity.WARNING,
             {"device": mic, "clipped_samples": 37, "total_clipped_samples": 37, "peak_dbfs": 0.0, "per_channel": [37, 0]})
    step()
    sink.log("mic", "dead_air_start", f"dead air: {mic!r} below -60 dBFS for 8.0 s", Severity.ERROR,
             {"device": mic, "level_dbfs": -71.5, "threshold_dbfs": -60.0, "seconds": 8.0})
    step()
    sink.log("mic", "dead_air_end", "dead air over after 21.3 s (sound is back)", Severity.INFO,
             {"device": mic, "duration_s": 21.3, "level_dbfs": -19.0})
    step()
    sink.log("mic", "lost", "microphone unavailable: device disappeared", Severity.ERROR, {"device": mic})
    step()
    sink.log("mic", "recovered", f"microphone {mic!r} back after 3.2 s (lost)", Severity.INFO,
             {"device": mic, "was": "lost", "outage_s": 3.2, "samplerate": 48000, "channels": 2, "test_signal": False})
    step()
    sink.log("camera", "source_opened", "camera source opened: USB camera 0 1920x1080 @ 30 fps", Severity.INFO,
             {"width": 1920, "height": 1080, "fps": 30.0})
    step()
    sink.log("camera", "source_lost", "camera picture lost: USB camera 0 (no frame for 2.0 s)", Severity.ERROR,
             {"why": "no frame for 2.0 s", "no_frame_s": 2.0})
    step()
    sink.log("camera", "picture_exposure", "画面偏暗: 平均亮度 14%", Severity.WARNING,
             {"verdict": "exposure", "value": "under", "mean_luma_pct": 14.2, "clipped_high_pct": 0.0, "sharpness": 212.0})
    step()
    sink.log("camera", "picture_exposure", "曝光正常", Severity.INFO,
             {"verdict": "exposure", "value": "ok", "mean_luma_pct": 46.0, "clipped_high_pct": 0.2, "sharpness": 230.0})
    step()
    sink.log("camera", "source_recovered", "camera picture back: USB camera 0 1920x1080", Severity.INFO,
             {"width": 1920, "height": 1080, "reconnects": 1})
    step()
    sink.log("obs", "obs.connected", "OBS 30.2.0 connected at 127.0.0.1:4455", Severity.INFO,
             {"host": "127.0.0.1", "port": 4455, "obs_version": "30.2.0", "websocket_version": "5.5.2"})
    step()
    sink.log("obs", "obs.stream_started", "ON AIR: streaming started", Severity.WARNING, {})
    step()
    sink.log("obs", "obs.scene_changed", "program scene: 商品特写", Severity.INFO, {"scene": "商品特写", "previous": "主播全景"})
    step()
    sink.log("obs", "obs.frames_dropped", "stream dropping frames: 2.5% in the last 10 s", Severity.WARNING, {"percent": 2.5})
    step()
    sink.log("obs", "obs.frames_ok", "stream no longer dropping frames", Severity.INFO, {"percent": 0.4})
    step()
    sink.log("obs", "obs.disk_low", "only 9.8 GB free for recordings", Severity.WARNING, {"free_mb": 10035})
    step()
