"""The action registry: every operation a person, a key, a runbook or a remote client can
trigger, declared once. Names are a contract for studio scripts and control surfaces
(Stream Deck, Companion, OSC, HTTP): never rename one; add an alias instead.

Each :class:`ActionSpec` says its typed arguments, a bilingual description, what a drill
(演练) does with it and whether it needs ``confirm=True``. :func:`validate` turns raw
arguments (from JSON, OSC, a TOML runbook or Python) into typed values or says, in one
line, which argument is wrong. No Qt, no database.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

# ActionResult.code values; HTTP maps them to 200 / 400 / 404 / 409 / 500.
OK, BAD_ARGS, UNKNOWN, REFUSED, ERROR = "ok", "bad_args", "unknown", "refused", "error"
CODES = (OK, BAD_ARGS, UNKNOWN, REFUSED, ERROR)

# What a drill does with an action (the "drill" field of the registry):
RUN = "run"  # the same as live (show logic, the anchor's screen, checklists)
PREVIEW = "preview"  # an OBS program change goes to preview (studio mode) or is skipped
SKIP = "skip"  # not sent: it would change what viewers see or hear
DRILL_MODES = (RUN, PREVIEW, SKIP)


@dataclass(frozen=True)
class ActionResult:
    """What every dispatch returns; never an exception. ``data`` is JSON-able."""

    ok: bool
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    code: str = OK
    # The show's own events behind the result (not sent to clients): the desk renders its
    # status line from them in the reader's language (studio_app.ui.event_text).
    events: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "message": self.message, "data": dict(self.data), "code": self.code}


class BadArgs(ValueError):
    """An argument is missing, unknown or of the wrong type; one line naming it. ``code`` and
    the fields say the same for a reader in another language (``event_kinds.REASONS``)."""

    def __init__(self, message: str, code: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.reason_code, self.reason_fields = code, fields


@dataclass(frozen=True)
class Arg:
    name: str
    type: str  # "str" | "int" | "float" | "bool"
    required: bool = False
    description: str = ""
    default: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required, "description": self.description}


@dataclass(frozen=True)
class ActionSpec:
    name: str
    en: str
    zh: str
    args: tuple[Arg, ...] = ()
    drill: str = RUN
    confirm: bool = False
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "args": [a.as_dict() for a in self.args], "description": self.en,
                "description_zh": self.zh, "drill": self.drill, "confirm": self.confirm,
                "aliases": list(self.aliases)}


def _a(name: str, type_: str, required: bool = False, description: str = "", default: Any = None) -> Arg:
    return Arg(name, type_, required, description, default)


SKU = _a("sku", "str", True, "product SKU as in the rundown")
ITEM = _a("id", "str", False, "coupon drop or flash sale id (default: the next pending one)")
SCENE = _a("scene", "str", True, "OBS scene name")
INPUT = _a("input", "str", False, "OBS audio input (default: settings obs.mic_input, else Mic/Aux)")
REASON = _a("reason", "str", False, "why, for the log")

_SPECS: tuple[ActionSpec, ...] = (
    # -- the show (cue engine)
    ActionSpec("show.go", "GO: start the show / next segment", "开始 / 下一环节", aliases=("go", "next")),
    ActionSpec("show.back", "Back to the previous segment (restarts it)", "回到上一环节", aliases=("back", "previous")),
    ActionSpec("show.hold", "Hold or resume the segment timer (no 'on': toggle)", "暂停 / 继续环节计时",
               (_a("on", "bool", False, "true holds, false resumes"),), aliases=("hold", "resume", "toggle_hold")),
    ActionSpec("show.jump", "Load a segment by id or number (1-based)", "跳到指定环节",
               (_a("segment", "str", True, "segment id or its number from 1"),), aliases=("jump",)),
    ActionSpec("show.adjust", "Add (or with a negative value remove) time on the segment", "环节加时 / 减时",
               (_a("seconds", "float", True, "seconds to add, negative to remove"),), aliases=("add_time",)),
    ActionSpec("show.end", "End the show", "结束直播", confirm=True, aliases=("end_show",)),
    ActionSpec("show.override", "Go live despite open compliance findings (logged)", "合规提示仍开播 (记录原因)",
               (_a("reason", "str", True, "why it is fine, e.g. reviewed by legal"),), aliases=("override_compliance",)),
    # -- product cards and stock
    ActionSpec("card.push", "Push a product card to 讲解 (by SKU, or the Nth product of the segment)", "弹出商品讲解卡",
               (_a("sku", "str", False, "product SKU"), _a("slot", "int", False, "Nth product of the segment, from 1")),
               aliases=("card_push", "push_card", "explain", "card_push_slot")),
    ActionSpec("card.stop", "Stop explaining (the card stays on the shelf)", "取消讲解",
               (_a("sku", "str", False, "product SKU (default: the card on 讲解)"),), aliases=("card_stop",)),
    ActionSpec("card.shelve", "Put a card on the shelf (上架)", "上架", (SKU,), aliases=("card_shelve",)),
    ActionSpec("card.unshelve", "Take a card off the shelf (下架)", "下架", (SKU,), aliases=("card_unshelve",)),
    ActionSpec("card.sold_out", "Mark a card sold out (已抢光)", "标记已抢光", (SKU,), aliases=("card_sold_out",)),
    ActionSpec("stock.adjust", "Change stock by delta", "调整库存",
               (SKU, _a("delta", "int", True, "units to add, negative to remove"), REASON,
                _a("force", "bool", False, "also when the stock is frozen")), aliases=("stock_adjust",)),
    ActionSpec("stock.freeze", "Freeze (or unfreeze) core stock", "锁定 / 解锁核心库存",
               (SKU, _a("frozen", "bool", False, "true freezes (default), false unfreezes", True), REASON),
               aliases=("stock_freeze",)),
    # -- coupons and flash sales
    ActionSpec("coupon.drop_now", "Drop a coupon batch / start a flash sale now", "立即发券 / 开始秒杀", (ITEM,),
               aliases=("coupon_drop_now", "flash_start_now")),
    ActionSpec("coupon.delay", "Delay a drop", "推迟发券",
               (ITEM, _a("seconds", "float", False, "seconds (default 60)", 60.0)), aliases=("coupon_delay", "flash_delay")),
    ActionSpec("coupon.cancel", "Cancel a drop", "取消发券", (ITEM, REASON), aliases=("coupon_cancel", "flash_cancel")),
    ActionSpec("coupon.confirm", "Confirm the drop happened on the platform", "确认已在平台发券",
               (_a("id", "str", False, "coupon drop id (default: the oldest waiting)"),),
               aliases=("coupon_confirm", "flash_confirm")),
    ActionSpec("coupon.pause_all", "Pause every pending drop (on=false resumes)", "暂停全部发券计划",
               (_a("on", "bool", False, "true pauses (default), false resumes", True), REASON),
               aliases=("coupons_pause", "coupon_pause", "coupons_resume", "coupon_resume")),
    # -- the anchor's cue screen
    ActionSpec("message.send", "Show a message on the anchor's cue screen", "给主播发提词屏消息",
               (_a("text", "str", True, "the message"), _a("blink", "bool", False, "blink it", False),
                _a("blackout", "bool", False, "black out everything else", False)), aliases=("message",)),
    ActionSpec("message.blink", "Blink the message on or off (no 'on': toggle)", "消息闪烁 开 / 关",
               (_a("on", "bool", False, "true blinks"),)),
    ActionSpec("message.blackout", "Blackout on or off (no 'on': toggle)", "消息全屏遮挡 开 / 关",
               (_a("on", "bool", False, "true blacks out"),)),
    ActionSpec("message.hide", "Hide the message, whoever sent it", "隐藏消息", aliases=("message_hide",)),
    ActionSpec("prompter.speed", "Teleprompter speed: set a step or change it by delta", "提词器速度",
               (_a("step", "int", False, "speed step -10..10"), _a("delta", "int", False, "change, e.g. +1 or -1"))),
    ActionSpec("prompter.pause", "Pause or run the teleprompter (no 'on': toggle)", "提词器 暂停 / 滚动",
               (_a("on", "bool", False, "true pauses, false runs"),)),
    ActionSpec("anchor.profile", "Apply an anchor profile (reading settings)", "载入主播配置",
               (_a("name", "str", True, "profile name, e.g. substitute"),), aliases=("anchor_profile",)),
    # -- OBS
    ActionSpec("obs.scene", "Switch the OBS program scene", "OBS 切换节目场景", (SCENE,), drill=PREVIEW,
               aliases=("obs_scene",)),
    ActionSpec("obs.preview", "Set the OBS preview scene (studio mode)", "OBS 设置预览场景", (SCENE,)),
    ActionSpec("obs.stream.start", "Start streaming", "开始推流", drill=SKIP),
    ActionSpec("obs.stream.stop", "Stop streaming", "停止推流", drill=SKIP, confirm=True),
    ActionSpec("obs.record.start", "Start recording", "开始录制", drill=SKIP),
    ActionSpec("obs.record.stop", "Stop recording", "停止录制", drill=SKIP),
    ActionSpec("obs.text", "Set an OBS text source", "设置 OBS 文字源",
               (_a("source", "str", True, "OBS text source"), _a("text", "str", True, "the text")), drill=SKIP),
    # -- devices
    ActionSpec("mic.mute", "Mute the microphone input in OBS", "麦克风静音", (INPUT,), drill=SKIP, aliases=("obs_mute",)),
    ActionSpec("mic.unmute", "Unmute the microphone input in OBS", "麦克风取消静音", (INPUT,), drill=SKIP,
               aliases=("obs_unmute",)),
    ActionSpec("camera.use_backup", "Switch the camera to the backup source", "切换备用摄像头",
               (_a("device", "str", False, "'backup' (the configured backup source) or a source spec"),), drill=SKIP,
               aliases=("camera_backup",)),
    ActionSpec("camera.use_main", "Switch the camera back to the main source", "切回主摄像头", drill=SKIP),
    # -- emergency runbooks and drills
    ActionSpec("runbook.open", "Open a runbook's incident and run its steps", "执行应急预案",
               (_a("id", "str", True, "runbook id"), _a("alarm", "str", False, "the alarm that suggested it"))),
    ActionSpec("runbook.tick", "Tick (or untick) a checklist item of an open incident", "勾选预案清单项",
               (_a("item", "int", True, "checklist item from 1"), _a("done", "bool", False, "false unticks", True),
                _a("incident", "str", False, "incident id (default: the latest open)"))),
    ActionSpec("runbook.close", "Close an incident with a note", "关闭应急事件",
               (_a("incident", "str", False, "incident id (default: the latest open)"),
                _a("note", "str", False, "what happened, what fixed it", ""))),
    ActionSpec("drill.start", "Start drill mode (演练): OBS program untouched, all marked DRILL", "开始演练"),
    ActionSpec("drill.stop", "Stop drill mode", "结束演练"),
)

REGISTRY: Mapping[str, ActionSpec] = MappingProxyType({s.name: s for s in _SPECS})
ALIASES: Mapping[str, str] = MappingProxyType({a: s.name for s in _SPECS for a in s.aliases})
# What an old name meant beyond the new one (e.g. "resume" is show.hold with on=false).
ALIAS_ARGS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "hold": {"on": True}, "resume": {"on": False},
    "coupons_pause": {"on": True}, "coupon_pause": {"on": True},
    "coupons_resume": {"on": False}, "coupon_resume": {"on": False},
})


def resolve(name: str) -> tuple[ActionSpec | None, dict[str, Any]]:
    """The spec for a name or an old alias, with the arguments the alias implies."""
    spec = REGISTRY.get(name)
    if spec is not None:
        return spec, {}
    canonical = ALIASES.get(name)
    if canonical is None:
        return None, {}
    return REGISTRY[canonical], dict(ALIAS_ARGS.get(name, {}))


def action_list() -> list[dict[str, Any]]:
    """The registry as JSON-able dicts (``studio-console actions --json``, ``GET /api/v1/actions``)."""
    return [s.as_dict() for s in _SPECS]


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _convert(arg: Arg, value: Any) -> Any:
    """One argument to its declared type; strings from OSC, URLs or TOML are accepted."""
    kind = arg.type
    if kind == "str":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise BadArgs(f"{arg.name}: expected text, got {_shown(value)}", "arg_text", arg=arg.name, got=_shown(value))
        return str(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise BadArgs(f"{arg.name}: expected true or false, got {_shown(value)}", "arg_bool", arg=arg.name,
                      got=_shown(value))
    if kind in ("int", "float"):
        if isinstance(value, bool):
            raise BadArgs(f"{arg.name}: expected a number, got {_shown(value)}", "arg_number", arg=arg.name,
                          got=_shown(value))
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise BadArgs(f"{arg.name}: expected {'a whole number' if kind == 'int' else 'a number'}, "
                          f"got {_shown(value)}", "arg_whole" if kind == "int" else "arg_number", arg=arg.name,
                          got=_shown(value)) from None
        if not math.isfinite(number):
            raise BadArgs(f"{arg.name}: expected a finite number, got {_shown(value)}", "arg_finite", arg=arg.name,
                          got=_shown(value))
        if kind == "int":
            if not number.is_integer() or abs(number) > 1e9:
                raise BadArgs(f"{arg.name}: expected a whole number, got {_shown(value)}", "arg_whole", arg=arg.name,
                              got=_shown(value))
            return int(number)
        return number
    raise BadArgs(f"{arg.name}: unknown type {kind}")  # a registry mistake, caught by the tests


def validate(spec: ActionSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed arguments for ``spec`` (defaults filled in, ``confirm`` passed through);
    raises :class:`BadArgs` naming the argument."""
    known = {a.name: a for a in spec.args}
    extra = sorted(k for k in raw if k not in known and k != "confirm")
    if extra:
        names = ", ".join(known) or "none"
        raise BadArgs(f"{spec.name}: unknown argument {extra[0]!r} (arguments: {names})", "arg_unknown",
                      action=spec.name, arg=repr(extra[0]), names=names)
    out: dict[str, Any] = {}
    for a in spec.args:
        if a.name in raw and raw[a.name] is not None:
            out[a.name] = _convert(a, raw[a.name])
        elif a.required:
            raise BadArgs(f"{spec.name}: missing argument {a.name!r} ({a.description})", "arg_missing",
                          action=spec.name, arg=repr(a.name), description=a.description)
        else:
            out[a.name] = a.default
    if "confirm" in raw:
        out["confirm"] = _convert(Arg("confirm", "bool"), raw["confirm"])
    return out


def _shown(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."
