"""The anchor's cue screen state built from the live show: timer, script, product card,
coupon countdowns (announce / now / running), next segment and the desk message; desk
notes never reach the anchor."""
from __future__ import annotations

from studio_app.core.cue_state import CueScreenState, DeskMessage
from studio_app.core.paths import sample_show_path
from studio_app.show.clock import ManualClock
from studio_app.show.desk import ShowDesk
from studio_app.show.screen import cue_screen_state


def test_cue_screen_follows_the_show():
    clock = ManualClock(mono=10.0, wall=1_800_000_000.0)
    desk = ShowDesk.from_file(sample_show_path(), clock)
    s = cue_screen_state(desk)
    assert s.segment_title == "开场暖场" and s.phase == "none" and s.next_title == "羊绒围巾讲解"
    desk.dispatch("go")
    desk.dispatch("next")
    desk.dispatch("card_push", sku="SK-2001")
    clock.advance(9 * 60 + 30)
    desk.tick()
    s = cue_screen_state(desk)
    assert s.segment_kind == "讲解" and s.phase == "danger" and s.remaining_ms == 30_000
    assert s.product.name == "云朵羊绒围巾" and s.product.live_price == 259 and s.product.image_path.endswith("SK-2001.png")
    assert desk.show.segments[1].notes not in s.to_json()  # desk-only notes stay on the desk
    desk.dispatch("go")  # chat-1 (5 min); drop-1 is coupon-1 +30 s with a 60 s lead
    clock.advance(4 * 60 + 40)
    desk.tick()
    s = cue_screen_state(desk)
    assert [(c.label, c.stage, round(c.seconds)) for c in s.countdowns] == [("满200减30", "announce", 50)]
    desk.dispatch("go")
    clock.advance(30.0)
    desk.tick()
    assert [(c.stage, c.seconds) for c in cue_screen_state(desk).countdowns] == [("now", 0.0)]
    desk.dispatch("coupon_confirm")
    clock.advance(60)
    c = cue_screen_state(desk).countdowns[0]
    assert c.stage == "running" and round(c.seconds) == 540
    s = cue_screen_state(desk, DeskMessage("准备收尾", visible=True, blink=True))
    assert s.message.visible and s.message.blink and s.message.text == "准备收尾"
    assert CueScreenState.from_json(s.to_json()) == s
