"""Run the whole sample show through ``Studio.dispatch`` alone, against a real OBS, in a
process that never imports Qt; print what happened as JSON (for test_studio_obs.py).

    python -m tests.harness.headless_show HOST PORT DB_URL   (the OBS password on stdin)

The show runs on a hand-driven clock: each segment gets its planned length in 5 s steps
(with ``studio.tick()`` after each), so every coupon drop and the flash sale come due.
OBS is real: the report says which program scene OBS itself reported after each GO and
which overlay texts it holds after each card push.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def wait(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def main() -> int:
    host, port, db_url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    password = sys.stdin.readline().strip()

    from hardware.obs import ObsLink
    from studio_app.core.devices import DeviceBoard
    from studio_app.core.paths import sample_show_path
    from studio_app.core.settings import Settings
    from studio_app.show.clock import ManualClock
    from studio_app.show.emergency import default_runbooks_path
    from studio_app.store import EventLog
    from studio_app.studio import Studio
    from studio_app.studio.runbooks import load_checked

    log = EventLog(db_url).start()
    link = ObsLink(host, port, password)
    link.start()
    clock = ManualClock(mono=time.monotonic(), wall=time.time())
    studio = Studio(Settings(Path(tempfile.mkdtemp()) / "settings.toml"), log, board=DeviceBoard(), obs=link,
                    clock=clock, runbooks=load_checked(default_runbooks_path()))
    report: dict = {"segments": [], "pushes": [], "firings": [], "results": [], "dispatched": 0}

    def act(name: str, **args):
        report["dispatched"] += 1
        result = studio.dispatch(name, **args)
        report["results"].append([name, result.ok, result.code, result.message])
        return result

    try:
        if not wait(lambda: link.state.connected and link.state.program_scene, 15):
            print(json.dumps({"error": f"OBS not connected: {link.state.detail}"}))
            return 1
        studio.load_show(sample_show_path())
        show = studio.show.show
        for n, seg in enumerate(show.segments, start=1):
            act("show.go")
            wait(lambda: link.state.program_scene == seg.scene)
            report["segments"].append({"index": studio.state().segment.index, "id": seg.id, "planned": seg.scene,
                                       "program": link.state.program_scene})
            if seg.products:
                pushed = act("card.push", slot=1)
                texts = dict(pushed.data.get("push", {}).get("overlay_texts") or {})
                wait(lambda: all(link.state.texts.get(k) == v for k, v in texts.items()))
                report["pushes"].append({"segment": seg.id, "sku": studio.state().card.sku, "wanted": texts,
                                         "obs": {k: link.state.texts.get(k) for k in texts}})
            left = seg.duration - 1.0
            while left > 0:
                step = min(5.0, left)
                clock.advance(step)
                left -= step
                for e in studio.tick():
                    if e.kind.startswith(("coupon.", "flash.")):
                        report["firings"].append(e.kind)
                        if e.kind == "coupon.drop":
                            act("coupon.confirm")
        act("show.end", confirm=True)

        # A runbook, through the registry: the camera runbook puts BRB on program.
        books = act("runbook.open", id="camera")
        incident = books.data.get("incident")
        wait(lambda: link.state.program_scene == "BRB")
        runs = studio.emergency.incident(incident).actions
        wait(lambda: studio.emergency.incident(incident).actions[0].status != "running")
        runs = studio.emergency.incident(incident).actions
        report["runbook"] = {"program": link.state.program_scene,
                             "steps": [[r.action.step_name, r.status, r.sent_as] for r in runs]}
        act("runbook.close", note="headless test")
        act("obs.scene", scene="Opening")
        wait(lambda: link.state.program_scene == "Opening")

        # A drill: the program stays as it is, whatever is sent.
        act("drill.start")
        before = link.state.program_scene
        drill_open = act("runbook.open", id="camera")
        scene = act("obs.scene", scene="BRB")
        mute = act("mic.mute")
        time.sleep(0.5)  # time for a wrong program switch to arrive
        report["drill"] = {"before": before, "after": link.state.program_scene, "obs_scene_code": scene.code,
                           "mic_mute_code": mute.code, "runbook_ok": drill_open.ok,
                           "steps": [[r.action.step_name, r.status] for r in
                                     studio.emergency.incident(drill_open.data["incident"]).actions]}
        act("runbook.close")
        act("drill.stop")
        # every runbook step was dispatched too (one action each)
        report["steps_dispatched"] = sum(len(studio.emergency.incident(i.id).actions)
                                         for i in studio.emergency.incidents)
        report["final"] = studio.state_dict()["show"]["playback"]
        report["qt_loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    finally:
        studio.close()
        link.stop()
        log.close()
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
