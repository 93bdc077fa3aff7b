"""The cue screen's view state and the text the anchor reads (pure, no Qt)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio_app.core.cue_state import (
    PHASE_COLORS,
    PROMPTER_CURVATURE,
    Countdown,
    CueScreenState,
    CueStateError,
    DeskMessage,
    PrompterState,
    ProductCard,
    Tallies,
    advance_prompter,
    clamp_step,
    format_countdown,
    format_price,
    format_remaining,
    format_timecode,
    prompter_speed,
)


def full_state() -> CueScreenState:
    return CueScreenState(
        show_title="双十一超级品牌日", segment_title="羊绒大衣讲解", segment_kind="讲解",
        remaining_ms=-5_500, planned_ms=480_000, phase="overtime", script="家人们晚上好！\n第二行",
        talking_points=["95% 羊绒", "送围巾"],
        product=ProductCard("羊绒大衣", live_price=599, list_price=1299, stock_left=0, sold_out=True, image_path="/x.png"),
        countdowns=[Countdown("满200减30", "coupon", 180, "announce"), Countdown("大衣 ¥399", "flash_sale", 5, "running")],
        next_title="福利抽奖", next_start="20:30",
        message=DeskMessage("看镜头 2", visible=True, blink=True, blackout=False),
        tallies=Tallies(on_air=True, on_air_ms=61_000, rec=False, rec_ms=None),
        drill=True, clock="20:21:45", prompter=PrompterState(step=-2, running=True, position=0.25),
    )


def test_json_round_trip_keeps_every_field_and_chinese_text():
    s = full_state()
    text = s.to_json()
    assert "双十一超级品牌日" in text  # not \u-escaped: readable on the wire and in logs
    assert CueScreenState.from_json(text) == s


def test_json_carries_ready_to_show_text_for_the_browser():
    d = json.loads(full_state().to_json())
    assert d["remaining_text"] == "+00:05"
    assert d["phase_color"] == PHASE_COLORS["overtime"]
    assert d["countdowns"][0]["text"] == "03:00 后发券 满200减30"
    assert d["countdowns"][1]["text"].startswith("秒杀进行中")


def test_lists_become_tuples_so_states_are_immutable_and_comparable():
    s = CueScreenState(talking_points=["a"], countdowns=[Countdown("x")])
    assert isinstance(s.talking_points, tuple) and isinstance(s.countdowns, tuple)
    assert hash(s) == hash(CueScreenState(talking_points=("a",), countdowns=(Countdown("x"),)))


@pytest.mark.parametrize("bad, where", [
    ('{"phase": "purple"}', "phase"),
    ("[1, 2]", "expected an object"),
    ('{"product": {"name": "x", "live_price": 1, "stock_left": 1, "sold_out": false, "image_path": ""},'
     ' "message": "hi"}', "DeskMessage"),
    ('{"remaining_ms": "soon"}', "cue state"),
    ('{"show_title": "x",}', "line 1 column"),
])
def test_bad_json_gives_one_line_error_naming_the_field(bad, where):
    with pytest.raises(CueStateError) as err:
        CueScreenState.from_json(bad)
    assert where in str(err.value)
    assert "\n" not in str(err.value)


def test_from_json_ignores_derived_and_unknown_keys():
    d = json.loads(full_state().to_json())
    d["future_field"] = 1
    assert CueScreenState.from_dict(d) == full_state()


@pytest.mark.parametrize("ms, text", [
    (180_000, "03:00"), (179_001, "03:00"), (1, "00:01"), (0, "00:00"),
    (-1, "+00:00"), (-999, "+00:00"), (-1000, "+00:01"), (-75_000, "+01:15"),
    (3_600_000, "1:00:00"), (-3_725_000, "+1:02:05"),
])
def test_format_remaining(ms, text):
    assert format_remaining(ms) == text


@given(st.integers(min_value=-10_000_000, max_value=10_000_000))
def test_format_remaining_sign_matches_overtime(ms):
    text = format_remaining(ms)
    assert text.startswith("+") == (ms < 0)


@pytest.mark.parametrize("c, text", [
    (Countdown("满200减30", "coupon", 180, "announce"), "03:00 后发券 满200减30"),
    (Countdown("满200减30", "coupon", 0.4, "announce"), "00:01 后发券 满200减30"),
    (Countdown("满200减30", "coupon", 0, "now"), "现在发券! 满200减30"),
    (Countdown("满200减30", "coupon", 590, "running"), "券已发出 剩 09:50 满200减30"),
    (Countdown("羊绒大衣", "flash_sale", 90, "announce"), "秒杀 01:30 后开始 羊绒大衣"),
    (Countdown("羊绒大衣", "flash_sale", 0, "now"), "秒杀开始! 羊绒大衣"),
    (Countdown("", "flash_sale", 30, "running"), "秒杀进行中 剩 00:30"),
])
def test_format_countdown(c, text):
    assert format_countdown(c) == text


def test_small_formatters():
    assert format_timecode(3_725_999) == "01:02:05"
    assert format_timecode(None) == ""
    assert format_price(599) == "¥599"
    assert format_price(19.9) == "¥19.90"
    assert format_price(None) == ""


def test_prompter_speed_follows_the_power_curve():
    assert prompter_speed(0) == 0.0
    assert prompter_speed(1, base=1.0) == pytest.approx(1.0)
    assert prompter_speed(3, base=2.0) == pytest.approx(2.0 * 3 ** PROMPTER_CURVATURE)
    assert prompter_speed(-3, base=2.0) == pytest.approx(-2.0 * 3 ** PROMPTER_CURVATURE)
    assert PROMPTER_CURVATURE == 1.15  # QPrompt's default step acceleration
    # Steps grow faster than linearly: doubling the step more than doubles the speed.
    assert prompter_speed(6) > 2 * prompter_speed(3)


def test_prompter_advances_and_stops_at_the_ends():
    p = PrompterState(step=1, running=True, position=0.0)
    later = advance_prompter(p, 4.0, total_lines=10, base=0.25)  # 1 line in 4 s of 10 lines
    assert later.position == pytest.approx(0.1)
    assert later.running
    end = advance_prompter(p.__class__(step=10, running=True, position=0.99), 10.0, total_lines=10)
    assert end.position == 1.0 and not end.running
    back = advance_prompter(PrompterState(step=-5, running=True, position=0.01), 10.0, total_lines=10)
    assert back.position == 0.0 and not back.running
    paused = PrompterState(step=5, running=False, position=0.5)
    assert advance_prompter(paused, 10.0, 10) == paused


def test_step_is_clamped():
    assert clamp_step(99) == 10 and clamp_step(-99) == -10 and clamp_step(4) == 4
