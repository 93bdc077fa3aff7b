"""Every event kind the console writes, with its message template (English source text).

Keys are ``"source:kind"`` as stored in the log (``"show:card.push"``, ``"mic:lost"``,
``"obs:obs.connected"``). A template is ``str.format`` text over the event's payload with
the extras of :mod:`studio_app.core.event_text` (``{x:dur}``, ``{x:clock}``, ``{x:time}``,
``{x!t}``), or a :class:`Variants` that picks one by a payload field.

The templates are wrapped in ``QT_TRANSLATE_NOOP("EventMessage", ...)`` and the enum words
in ``QT_TRANSLATE_NOOP("EventValue", ...)`` so that ``packaging/i18n.py update`` (Qt's
lupdate) collects them into the ``.ts`` catalogue beside the UI's strings, where they get
their Chinese. This module imports nothing of Qt: the marker below is a plain function.

To add a kind: add its ``"source:kind"`` entry to :data:`TEMPLATES` and a short name to
:data:`LABELS` (or call :func:`register`), run ``packaging/i18n.py update`` and give the new source strings their
Chinese with ``packaging/i18n.py fill zh_CN``. ``tests/test_event_text.py`` fails on any
kind the code writes that has no template or no Chinese.
"""
from __future__ import annotations

from typing import Any, Mapping


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for lupdate under ``context``; returns it unchanged (translation
    happens when the message is rendered)."""
    return text


MISSING = object()  # a Variants case: the payload has no such field


class Variants:
    """Pick a template by the value of one payload field (``cases``; the key
    :data:`MISSING` when the field is absent), else ``default`` (None: no template)."""

    def __init__(self, field: str, cases: Mapping[Any, "str | Variants"], default: "str | Variants | None" = None) -> None:
        self.field, self.cases, self.default = field, dict(cases), default

    def pick(self, payload: Mapping[str, Any]) -> "str | None":
        value = payload.get(self.field, MISSING)
        try:
            chosen = self.cases.get(value, self.default)
        except TypeError:  # an unhashable value (a dict) is never a case
            chosen = self.default
        if isinstance(chosen, Variants):
            return chosen.pick(payload)
        return chosen

    def templates(self) -> list[str]:
        out: list[str] = []
        for t in [*self.cases.values(), self.default]:
            if isinstance(t, Variants):
                out += t.templates()
            elif t is not None:
                out.append(t)
        return out


def _same(template: "str | Variants", *keys: str) -> dict[str, "str | Variants"]:
    return {k: template for k in keys}


_CARD_MOVE = QT_TRANSLATE_NOOP("EventMessage", "{product}: {from!t} → {to!t}")
_SEGMENT_CHANGE = Variants("from", {MISSING: QT_TRANSLATE_NOOP("EventMessage", "{to[title]}")},
                           QT_TRANSLATE_NOOP("EventMessage", "{from[title]} → {to[title]} ({from[diff]:+clock} vs plan)"))
_DROP_MISSED = Variants("why_code", {
    "show_ended": QT_TRANSLATE_NOOP("EventMessage", "missed: {label}: the show ended first"),
    "segment_ended": QT_TRANSLATE_NOOP("EventMessage", "missed: {label}: segment {segment_title} ended first"),
    "overdue": QT_TRANSLATE_NOOP("EventMessage", "missed: {label}: {overdue_s:dur} overdue (console down or timer stopped)")},
    QT_TRANSLATE_NOOP("EventMessage", "missed: {label}: {why}"))
_DROP_DELAYED = QT_TRANSLATE_NOOP("EventMessage", "{label} delayed {seconds:dur}")
_DROP_CANCELLED = QT_TRANSLATE_NOOP("EventMessage", "cancelled: {label}")
_DROP_CONFIRMED = QT_TRANSLATE_NOOP("EventMessage", "confirmed on the platform: {label} (+{confirm_after:.1f} s after the cue)")


# The device workers' link-state changes, one scheme for OBS, microphone and camera (branch
# `devices`, /work/helpers/devices-api.md): kind ``device.<state>``, source = the device, payload
# ``device, state, previous, attempt, source`` (+ ``outage_s`` when a fault ends).
DEVICES = ("obs", "mic", "camera")
_DEVICE_STATES: dict[str, "str | Variants"] = {
    "connecting": QT_TRANSLATE_NOOP("EventMessage", "{device!t}: connecting to {source}"),
    "ok": Variants("outage_s", {MISSING: QT_TRANSLATE_NOOP("EventMessage", "{device!t} working ({source})")},
                   QT_TRANSLATE_NOOP("EventMessage", "{device!t} back after {outage_s:.1f} s ({source})")),
    "test_signal": QT_TRANSLATE_NOOP("EventMessage", "{device!t}: none found, showing the built-in test signal"),
    "lost": QT_TRANSLATE_NOOP("EventMessage", "{device!t} lost ({source})"),
    "stalled": QT_TRANSLATE_NOOP("EventMessage", "{device!t} stalled: no data arrives ({source})"),
    "frozen": QT_TRANSLATE_NOOP("EventMessage", "{device!t} does not answer ({source})"),
    "unreachable": QT_TRANSLATE_NOOP("EventMessage", "{device!t} cannot be reached at {source}"),
    "auth_failed": QT_TRANSLATE_NOOP("EventMessage", "{device!t} refused the password ({source})"),
    "unsupported": QT_TRANSLATE_NOOP("EventMessage", "{device!t} version not supported ({source}): OBS 28 or later needed"),
    "stopped": QT_TRANSLATE_NOOP("EventMessage", "{device!t} stopped"),
}
_DEVICE_LABELS = {
    "connecting": QT_TRANSLATE_NOOP("EventKind", "device connecting"),
    "ok": QT_TRANSLATE_NOOP("EventKind", "device working"),
    "test_signal": QT_TRANSLATE_NOOP("EventKind", "device test signal"),
    "lost": QT_TRANSLATE_NOOP("EventKind", "device lost"),
    "stalled": QT_TRANSLATE_NOOP("EventKind", "device stalled"),
    "frozen": QT_TRANSLATE_NOOP("EventKind", "device not answering"),
    "unreachable": QT_TRANSLATE_NOOP("EventKind", "device unreachable"),
    "auth_failed": QT_TRANSLATE_NOOP("EventKind", "device password refused"),
    "unsupported": QT_TRANSLATE_NOOP("EventKind", "device not supported"),
    "stopped": QT_TRANSLATE_NOOP("EventKind", "device stopped"),
}


def _mic(old: str, new: str) -> Variants:
    """Microphone events before and after the `devices` scheme: the capture device's name was
    the payload's ``device`` and is now its ``source`` (``device`` is "mic")."""
    return Variants("source", {MISSING: old}, new)


TEMPLATES: dict[str, "str | Variants"] = {
    **{f"{dev}:device.{state}": tpl for dev in DEVICES for state, tpl in _DEVICE_STATES.items()},
    # --- the console itself
    "system:app.start": QT_TRANSLATE_NOOP("EventMessage", "Studio Console {version} started"),
    "system:app.stop": QT_TRANSLATE_NOOP("EventMessage", "Studio Console closed"),
    "system:settings.unreadable": QT_TRANSLATE_NOOP("EventMessage", "settings file problem: {problem}"),
    "system:system.db_probe": QT_TRANSLATE_NOOP("EventMessage", "self-test: database write test"),
    # --- the show: loading, cues
    "show:show.open": QT_TRANSLATE_NOOP("EventMessage", "show opened: {title}"),
    "show:show.load_failed": QT_TRANSLATE_NOOP("EventMessage", "cannot open the show {path}: {error}"),
    "cue:cue.start": QT_TRANSLATE_NOOP("EventMessage", "show started: {to[title]}"),
    "cue:cue.go": _SEGMENT_CHANGE,
    "cue:cue.back": _SEGMENT_CHANGE,
    "cue:cue.jump": _SEGMENT_CHANGE,
    "cue:cue.hold": QT_TRANSLATE_NOOP("EventMessage", "hold at {elapsed:clock}"),
    "cue:cue.resume": QT_TRANSLATE_NOOP("EventMessage", "timer running again"),
    "cue:cue.add_time": QT_TRANSLATE_NOOP("EventMessage", "{seconds:+dur} on {to[title]}"),
    "cue:cue.end": QT_TRANSLATE_NOOP("EventMessage", "show ended"),
    "cue:cue.phase": QT_TRANSLATE_NOOP("EventMessage", "{title}: {phase!t}"),
    "cue:cue.resumed": QT_TRANSLATE_NOOP("EventMessage", "resumed after restart: {title} at {elapsed:clock} ({downtime:dur} down)"),
    "desk:desk.refused": QT_TRANSLATE_NOOP("EventMessage", "{action!t} refused: {reason}"),
    # one per dispatched action (branch `studio`): payload {action, args, by, ok, code, drill, at_wall}
    "desk:desk.action": Variants("ok", {True: QT_TRANSLATE_NOOP("EventMessage", "{action!t} (from {by!t})")},
                                 QT_TRANSLATE_NOOP("EventMessage", "{action!t} not done (from {by!t}): {code!t}")),
    # --- product cards and stock
    "show:card.push": QT_TRANSLATE_NOOP("EventMessage", "push {card[name]}"),
    **_same(_CARD_MOVE, "show:card.queued", "show:card.on_shelf", "show:card.explaining", "show:card.sold_out",
            "show:card.off_shelf"),
    "show:stock.adjust": QT_TRANSLATE_NOOP("EventMessage", "{product}: stock {from} → {to}"),
    "show:stock.low": QT_TRANSLATE_NOOP("EventMessage", "{product}: stock {stock} at or below safety stock {safety_stock}"),
    "show:stock.freeze": Variants("frozen", {
        True: QT_TRANSLATE_NOOP("EventMessage", "{product}: core stock frozen"),
        False: QT_TRANSLATE_NOOP("EventMessage", "{product}: core stock unfrozen")}),
    # --- the anchor's message and the compliance gate
    "show:message.show": QT_TRANSLATE_NOOP("EventMessage", "to anchor: {text}"),
    "show:message.hide": QT_TRANSLATE_NOOP("EventMessage", "message hidden"),
    "show:compliance.override": QT_TRANSLATE_NOOP("EventMessage", "compliance override: {reason}"),
    # --- coupons and flash sales
    "show:coupon.announce": QT_TRANSLATE_NOOP("EventMessage", "coupon drop in {drop_in:clock}: {label}"),
    "show:coupon.drop": QT_TRANSLATE_NOOP("EventMessage", "drop the coupon now! {label}"),
    "show:coupon.end": QT_TRANSLATE_NOOP("EventMessage", "coupon batch over: {label}"),
    "show:coupon.blocked": QT_TRANSLATE_NOOP("EventMessage", "coupon waits: {label} waits for {waits_for} (one batch at a time)"),
    "show:flash.announce": QT_TRANSLATE_NOOP("EventMessage", "flash sale in {drop_in:clock}: {label}"),
    "show:flash.start": QT_TRANSLATE_NOOP("EventMessage", "flash sale starts now! {label}"),
    "show:flash.end": QT_TRANSLATE_NOOP("EventMessage", "flash sale over: {label}"),
    **_same(_DROP_MISSED, "show:coupon.missed", "show:flash.missed"),
    **_same(_DROP_DELAYED, "show:coupon.delay", "show:flash.delay"),
    **_same(_DROP_CANCELLED, "show:coupon.cancel", "show:flash.cancel"),
    **_same(_DROP_CONFIRMED, "show:coupon.confirm", "show:flash.confirm"),
    "show:coupon.pause": Variants("reason", {"": QT_TRANSLATE_NOOP("EventMessage", "coupon drops paused")},
                                  QT_TRANSLATE_NOOP("EventMessage", "coupon drops paused: {reason}")),
    "show:coupon.resume": QT_TRANSLATE_NOOP("EventMessage", "coupon drops resumed (all pending moved {paused_for:dur} later)"),
    # --- the cue screen dock
    "cue:anchor_profile.apply": QT_TRANSLATE_NOOP("EventMessage", "anchor profile {profile} applied"),
    "cue:anchor_profile.save": Variants("replaced", {True: QT_TRANSLATE_NOOP("EventMessage", "anchor profile {profile} replaced")},
                                        QT_TRANSLATE_NOOP("EventMessage", "anchor profile {profile} saved")),
    "cue:anchor_profile.delete": QT_TRANSLATE_NOOP("EventMessage", "anchor profile {profile} deleted"),
    "cue:anchor_profile.failed": QT_TRANSLATE_NOOP("EventMessage", "anchor profile {profile} not applied: {error}"),
    "cue:settings.save_failed": QT_TRANSLATE_NOOP("EventMessage", "cue settings not saved to {path}: {error}"),
    # --- emergency plans
    "emergency:emergency.runbooks": QT_TRANSLATE_NOOP("EventMessage", "runbooks loaded from {file}"),
    "emergency:emergency.runbooks_error": QT_TRANSLATE_NOOP(
        "EventMessage", "runbooks not loaded, keeping the previous ones: {file}:{line}: {message}"),
    "emergency:emergency.drill": Variants("drill", {
        True: QT_TRANSLATE_NOOP("EventMessage", "DRILL mode on"),
        False: QT_TRANSLATE_NOOP("EventMessage", "DRILL mode off")}),
    "emergency:emergency.suggest": QT_TRANSLATE_NOOP("EventMessage", "{message_en}"),
    "emergency:emergency.dismiss": QT_TRANSLATE_NOOP("EventMessage", "suggestion ignored: {message_en}"),
    "emergency:incident.open": Variants("drill", {
        True: QT_TRANSLATE_NOOP("EventMessage", "DRILL: incident opened: {name_en}")},
        QT_TRANSLATE_NOOP("EventMessage", "incident opened: {name_en}")),
    "emergency:incident.tick": Variants("drill", {
        True: Variants("done", {True: QT_TRANSLATE_NOOP("EventMessage", "DRILL: ✓ {text_en}")},
                       QT_TRANSLATE_NOOP("EventMessage", "DRILL: ✗ {text_en}"))},
        Variants("done", {True: QT_TRANSLATE_NOOP("EventMessage", "✓ {text_en}")},
                 QT_TRANSLATE_NOOP("EventMessage", "✗ {text_en}"))),
    "emergency:incident.action": Variants("drill", {
        True: Variants("result", {"ok": QT_TRANSLATE_NOOP("EventMessage", "DRILL: {what_en}: done")},
                       Variants("detail", {"": QT_TRANSLATE_NOOP("EventMessage", "DRILL: {what_en}: {result!t}")},
                                QT_TRANSLATE_NOOP("EventMessage", "DRILL: {what_en}: {result!t} ({detail})")))},
        Variants("result", {"ok": QT_TRANSLATE_NOOP("EventMessage", "{what_en}: done")},
                 Variants("detail", {"": QT_TRANSLATE_NOOP("EventMessage", "{what_en}: {result!t}")},
                          QT_TRANSLATE_NOOP("EventMessage", "{what_en}: {result!t} ({detail})")))),
    "emergency:incident.close": Variants("drill", {
        True: Variants("note", {"": QT_TRANSLATE_NOOP("EventMessage", "DRILL: incident closed: {name_en}")},
                       QT_TRANSLATE_NOOP("EventMessage", "DRILL: incident closed: {name_en} — {note}"))},
        Variants("note", {"": QT_TRANSLATE_NOOP("EventMessage", "incident closed: {name_en}")},
                 QT_TRANSLATE_NOOP("EventMessage", "incident closed: {name_en} — {note}"))),
    # --- self-test
    "selftest:selftest.run": Variants("passed", {
        True: QT_TRANSLATE_NOOP("EventMessage", "self-test passed: {counts[pass]} pass, {counts[warn]} warn, "
                                                "{counts[fail]} fail, {counts[skip]} skip in {duration_s:.1f} s")},
        QT_TRANSLATE_NOOP("EventMessage", "self-test FAILED: {counts[pass]} pass, {counts[warn]} warn, "
                                          "{counts[fail]} fail, {counts[skip]} skip in {duration_s:.1f} s")),
    "selftest:selftest.check_failed": QT_TRANSLATE_NOOP("EventMessage", "{name} ({id}) failed: {value} ({detail})"),
    # --- microphone (hardware/audio worker, the meter dock)
    "mic:device_changed": QT_TRANSLATE_NOOP("EventMessage", "microphone changed from {from} to {to}"),
    "mic:device_opened": Variants("test_signal", {
        True: QT_TRANSLATE_NOOP("EventMessage", "test signal {device} opened at {samplerate} Hz, {channels} ch")},
        QT_TRANSLATE_NOOP("EventMessage", "microphone {device} opened at {samplerate} Hz, {channels} ch")),
    "mic:test_signal": QT_TRANSLATE_NOOP("EventMessage", "no microphone found ({error}); showing the built-in TEST SIGNAL"),
    "mic:lost": Variants("error", {MISSING: QT_TRANSLATE_NOOP("EventMessage", "microphone {device} lost")},
                         QT_TRANSLATE_NOOP("EventMessage", "microphone unavailable: {error}")),
    "mic:stalled": QT_TRANSLATE_NOOP("EventMessage", "microphone {device} stalled: no audio arrives"),
    "mic:recovered": QT_TRANSLATE_NOOP("EventMessage", "microphone {device} back after {outage_s:.1f} s"),
    "mic:dead_air_start": _mic(
        QT_TRANSLATE_NOOP("EventMessage", "dead air: {device} below {threshold_dbfs:g} dBFS for {seconds:.1f} s"),
        QT_TRANSLATE_NOOP("EventMessage", "dead air: {source} below {threshold_dbfs:g} dBFS for {seconds:.1f} s")),
    "mic:dead_air_end": QT_TRANSLATE_NOOP("EventMessage", "dead air over after {duration_s:.1f} s"),
    "mic:clipping": _mic(
        QT_TRANSLATE_NOOP("EventMessage", "clipping on {device}: {clipped_samples} samples at full scale"),
        QT_TRANSLATE_NOOP("EventMessage", "clipping on {source}: {clipped_samples} samples at full scale")),
    "mic:overflow": _mic(
        QT_TRANSLATE_NOOP("EventMessage", "{overflows} input overflow(s) on {device}: samples were lost (machine too busy)"),
        QT_TRANSLATE_NOOP("EventMessage", "{overflows} input overflow(s) on {source}: samples were lost (machine too busy)")),
    "mic:clip_cleared": QT_TRANSLATE_NOOP("EventMessage", "clip indicator cleared by the operator"),
    "mic:loudness": QT_TRANSLATE_NOOP(
        "EventMessage", "loudness: short-term {short_term_lufs:.1f} LUFS, integrated {integrated_lufs:.1f} LUFS"),
    # --- camera (hardware/camera feed and checks, the camera dock)
    "camera:source_opened": QT_TRANSLATE_NOOP("EventMessage", "camera source opened: {width}x{height} @ {fps:g} fps"),
    "camera:open_failed": QT_TRANSLATE_NOOP("EventMessage", "camera source cannot be opened: {error}"),
    "camera:source_lost": Variants("why", {
        "read failed or stream ended": QT_TRANSLATE_NOOP("EventMessage", "camera picture lost: read failed or stream ended")},
        Variants("no_frame_s", {MISSING: QT_TRANSLATE_NOOP("EventMessage", "camera picture lost: {why}")},
                 QT_TRANSLATE_NOOP("EventMessage", "camera picture lost: no frame for {no_frame_s:.1f} s"))),
    "camera:source_recovered": QT_TRANSLATE_NOOP("EventMessage", "camera picture back: {width}x{height}"),
    "camera:source_switched": Variants("role", {
        "backup": QT_TRANSLATE_NOOP("EventMessage", "camera switched to the backup camera: {from} → {to}")},
        QT_TRANSLATE_NOOP("EventMessage", "camera switched to the main camera: {from} → {to}")),
    "camera:focus_reference": Variants("focus_reference", {
        0: QT_TRANSLATE_NOOP("EventMessage", "camera focus reference cleared")},
        QT_TRANSLATE_NOOP("EventMessage", "camera focus reference set to {focus_reference:.1f}")),
    "camera:wb_reference": Variants("outcome", {
        "cleared": QT_TRANSLATE_NOOP("EventMessage", "camera white-balance reference cleared"),
        "no_picture": QT_TRANSLATE_NOOP("EventMessage", "camera white-balance reference not set: no picture yet"),
        "refused": QT_TRANSLATE_NOOP("EventMessage", "camera white-balance reference not set: {error}")},
        QT_TRANSLATE_NOOP("EventMessage", "camera white-balance reference set from the current picture")),
    "camera:picture_exposure": QT_TRANSLATE_NOOP(
        "EventMessage", "exposure {value!t}: mean luma {mean_luma_pct:.0f}%, {clipped_high_pct:.1f}% clipped"),
    "camera:picture_white_balance": Variants("cast", {
        MISSING: QT_TRANSLATE_NOOP("EventMessage", "white balance {value!t}")},
        QT_TRANSLATE_NOOP("EventMessage", "white balance {value!t}: {cast!t} cast")),
    "camera:picture_focus": QT_TRANSLATE_NOOP("EventMessage", "focus {value!t}: sharpness {sharpness:.0f}"),
    "camera:picture_signal": QT_TRANSLATE_NOOP("EventMessage", "picture {value!t}"),
    # --- OBS (hardware/obs link and health watch, the OBS dock)
    "obs:obs.connecting": QT_TRANSLATE_NOOP("EventMessage", "connecting to OBS at {host}:{port}"),
    "obs:obs.connected": QT_TRANSLATE_NOOP("EventMessage", "OBS {obs_version} connected at {host}:{port}"),
    "obs:obs.reconnected": QT_TRANSLATE_NOOP("EventMessage", "OBS {obs_version} reconnected at {host}:{port}"),
    "obs:obs.stopped": QT_TRANSLATE_NOOP("EventMessage", "OBS connection stopped"),
    "obs:obs.disconnected": QT_TRANSLATE_NOOP("EventMessage", "lost the connection to OBS at {host}:{port}"),
    "obs:obs.unreachable": QT_TRANSLATE_NOOP("EventMessage", "OBS at {host}:{port} cannot be reached"),
    "obs:obs.auth_failed": QT_TRANSLATE_NOOP("EventMessage", "OBS at {host}:{port} refused the password"),
    "obs:obs.unsupported_version": QT_TRANSLATE_NOOP(
        "EventMessage", "OBS at {host}:{port} does not speak obs-websocket 5 (OBS 28 or later needed)"),
    "obs:obs.frozen": QT_TRANSLATE_NOOP("EventMessage", "OBS at {host}:{port} does not answer"),
    "obs:obs.scene_changed": QT_TRANSLATE_NOOP("EventMessage", "program scene: {scene}"),
    "obs:obs.studio_mode": Variants("enabled", {
        True: QT_TRANSLATE_NOOP("EventMessage", "studio mode on"),
        False: QT_TRANSLATE_NOOP("EventMessage", "studio mode off")}),
    "obs:obs.input_muted": QT_TRANSLATE_NOOP("EventMessage", "{input} muted"),
    "obs:obs.input_unmuted": QT_TRANSLATE_NOOP("EventMessage", "{input} unmuted"),
    "obs:obs.stream_started": QT_TRANSLATE_NOOP("EventMessage", "ON AIR: streaming started"),
    "obs:obs.stream_stopped": QT_TRANSLATE_NOOP("EventMessage", "OFF AIR: streaming stopped"),
    "obs:obs.record_started": QT_TRANSLATE_NOOP("EventMessage", "recording started"),
    "obs:obs.record_stopped": QT_TRANSLATE_NOOP("EventMessage", "recording stopped"),
    "obs:obs.record_paused": QT_TRANSLATE_NOOP("EventMessage", "recording paused"),
    "obs:obs.command_failed": QT_TRANSLATE_NOOP("EventMessage", "OBS did not do {command} {target}: {error}"),
    "system:studio.listener_failed": QT_TRANSLATE_NOOP("EventMessage", "a view of the studio failed: {error}"),
    # --- the live room and remote control
    "room:room.alert": Variants("replay", {
        True: QT_TRANSLATE_NOOP("EventMessage", "[REPLAY] room alert {rule!t}: {message}")},
        QT_TRANSLATE_NOOP("EventMessage", "room alert {rule!t}: {message}")),
    "room:room.alert_cleared": QT_TRANSLATE_NOOP("EventMessage", "room alert over {rule!t}: {message}"),
    "room:room.alert_action": QT_TRANSLATE_NOOP("EventMessage", "{rule!t}: ran {action!t} automatically"),
    "room:room.rejected": QT_TRANSLATE_NOOP("EventMessage", "room data refused ({reason}, {count} so far): {detail}"),
    "room:room.stock_conflict": QT_TRANSLATE_NOOP(
        "EventMessage", "{sku} {name}: the platform says {platform_stock} left, the frozen core stock is {card_stock}; kept frozen"),
    "system:remote.on": QT_TRANSLATE_NOOP("EventMessage", "remote control on at {url}"),
    "system:remote.off": QT_TRANSLATE_NOOP("EventMessage", "remote control off"),
    "system:remote.moved": QT_TRANSLATE_NOOP("EventMessage", "remote control moved from {old_url} to {url}"),
    "system:remote.refused": Variants("kept_old", {
        True: QT_TRANSLATE_NOOP("EventMessage", "remote control: new settings not applied ({reason}); still on {url}")},
        QT_TRANSLATE_NOOP("EventMessage", "remote control not running: {reason}")),
    "room:room.endpoint_on": QT_TRANSLATE_NOOP("EventMessage", "room data endpoint on at {url}"),
    "room:room.endpoint_moved": QT_TRANSLATE_NOOP("EventMessage", "room data endpoint moved from {old_url} to {url}"),
    "room:room.endpoint_off": QT_TRANSLATE_NOOP("EventMessage", "room data endpoint off"),
    "room:room.endpoint_refused": Variants("kept_old", {
        True: QT_TRANSLATE_NOOP("EventMessage",
                                "room data endpoint: new settings not applied ({reason}); still receiving on {url}")},
        QT_TRANSLATE_NOOP("EventMessage", "room data endpoint not running: {reason}")),
    "obs:obs.record_resumed": QT_TRANSLATE_NOOP("EventMessage", "recording resumed"),
    "obs:obs.record_sync": QT_TRANSLATE_NOOP("EventMessage", "recording at {timecode}"),
    "obs:obs.frames_dropped": QT_TRANSLATE_NOOP("EventMessage", "stream dropping frames: {percent:.1f}%"),
    "obs:obs.frames_ok": QT_TRANSLATE_NOOP("EventMessage", "stream no longer dropping frames"),
    "obs:obs.render_lag": QT_TRANSLATE_NOOP("EventMessage", "OBS is missing render frames: {percent:.1f}% (CPU/GPU overloaded)"),
    "obs:obs.render_ok": QT_TRANSLATE_NOOP("EventMessage", "OBS renders every frame again"),
    "obs:obs.congestion": QT_TRANSLATE_NOOP("EventMessage", "stream congested ({congestion:.0%}): the network cannot keep up"),
    "obs:obs.congestion_cleared": QT_TRANSLATE_NOOP("EventMessage", "stream congestion cleared"),
    "obs:obs.stream_reconnecting": QT_TRANSLATE_NOOP("EventMessage", "OBS lost the streaming server and is reconnecting"),
    "obs:obs.stream_reconnected": QT_TRANSLATE_NOOP("EventMessage", "OBS stopped reconnecting to the streaming server"),
    "obs:obs.disk_low": QT_TRANSLATE_NOOP("EventMessage", "only {free_mb:,} MB free for recordings"),
    "obs:obs.disk_ok": QT_TRANSLATE_NOOP("EventMessage", "{free_mb:,} MB free for recordings"),
    "obs:obs.stats": QT_TRANSLATE_NOOP(
        "EventMessage", "OBS stats: {stream_kbps:.0f} kbps, {output_dropped_percent:.1f}% frames dropped, CPU {cpu_percent:.0f}%"),
}

# A short name of each kind for the log panel's "Event" column and the report's "kind" column.
LABELS: dict[str, str] = {
    **{f"{dev}:device.{state}": name for dev in DEVICES for state, name in _DEVICE_LABELS.items()},
    "system:app.start": QT_TRANSLATE_NOOP("EventKind", "console started"),
    "system:app.stop": QT_TRANSLATE_NOOP("EventKind", "console closed"),
    "system:settings.unreadable": QT_TRANSLATE_NOOP("EventKind", "settings unreadable"),
    "system:system.db_probe": QT_TRANSLATE_NOOP("EventKind", "database write test"),
    "show:show.open": QT_TRANSLATE_NOOP("EventKind", "show opened"),
    "show:show.load_failed": QT_TRANSLATE_NOOP("EventKind", "show not opened"),
    "cue:cue.start": QT_TRANSLATE_NOOP("EventKind", "show started"),
    "cue:cue.go": QT_TRANSLATE_NOOP("EventKind", "next segment"),
    "cue:cue.back": QT_TRANSLATE_NOOP("EventKind", "segment back"),
    "cue:cue.jump": QT_TRANSLATE_NOOP("EventKind", "segment jump"),
    "cue:cue.hold": QT_TRANSLATE_NOOP("EventKind", "timer held"),
    "cue:cue.resume": QT_TRANSLATE_NOOP("EventKind", "timer resumed"),
    "cue:cue.add_time": QT_TRANSLATE_NOOP("EventKind", "time added"),
    "cue:cue.end": QT_TRANSLATE_NOOP("EventKind", "show ended"),
    "cue:cue.phase": QT_TRANSLATE_NOOP("EventKind", "segment phase"),
    "cue:cue.resumed": QT_TRANSLATE_NOOP("EventKind", "resumed after restart"),
    "desk:desk.refused": QT_TRANSLATE_NOOP("EventKind", "action refused"),
    "desk:desk.action": QT_TRANSLATE_NOOP("EventKind", "desk action"),
    "show:card.push": QT_TRANSLATE_NOOP("EventKind", "card push"),
    "show:card.queued": QT_TRANSLATE_NOOP("EventKind", "card queued"),
    "show:card.on_shelf": QT_TRANSLATE_NOOP("EventKind", "card on shelf"),
    "show:card.explaining": QT_TRANSLATE_NOOP("EventKind", "card explaining"),
    "show:card.sold_out": QT_TRANSLATE_NOOP("EventKind", "card sold out"),
    "show:card.off_shelf": QT_TRANSLATE_NOOP("EventKind", "card off shelf"),
    "show:stock.adjust": QT_TRANSLATE_NOOP("EventKind", "stock adjusted"),
    "show:stock.low": QT_TRANSLATE_NOOP("EventKind", "stock low"),
    "show:stock.freeze": QT_TRANSLATE_NOOP("EventKind", "core stock freeze"),
    "show:message.show": QT_TRANSLATE_NOOP("EventKind", "message to anchor"),
    "show:message.hide": QT_TRANSLATE_NOOP("EventKind", "message hidden"),
    "show:compliance.override": QT_TRANSLATE_NOOP("EventKind", "compliance override"),
    "show:coupon.announce": QT_TRANSLATE_NOOP("EventKind", "coupon announced"),
    "show:coupon.drop": QT_TRANSLATE_NOOP("EventKind", "coupon drop"),
    "show:coupon.end": QT_TRANSLATE_NOOP("EventKind", "coupon over"),
    "show:coupon.blocked": QT_TRANSLATE_NOOP("EventKind", "coupon waits"),
    "show:flash.announce": QT_TRANSLATE_NOOP("EventKind", "flash sale announced"),
    "show:flash.start": QT_TRANSLATE_NOOP("EventKind", "flash sale start"),
    "show:flash.end": QT_TRANSLATE_NOOP("EventKind", "flash sale over"),
    "show:coupon.missed": QT_TRANSLATE_NOOP("EventKind", "coupon missed"),
    "show:flash.missed": QT_TRANSLATE_NOOP("EventKind", "flash sale missed"),
    "show:coupon.delay": QT_TRANSLATE_NOOP("EventKind", "coupon delayed"),
    "show:flash.delay": QT_TRANSLATE_NOOP("EventKind", "flash sale delayed"),
    "show:coupon.cancel": QT_TRANSLATE_NOOP("EventKind", "coupon cancelled"),
    "show:flash.cancel": QT_TRANSLATE_NOOP("EventKind", "flash sale cancelled"),
    "show:coupon.confirm": QT_TRANSLATE_NOOP("EventKind", "coupon confirmed"),
    "show:flash.confirm": QT_TRANSLATE_NOOP("EventKind", "flash sale confirmed"),
    "show:coupon.pause": QT_TRANSLATE_NOOP("EventKind", "coupons paused"),
    "show:coupon.resume": QT_TRANSLATE_NOOP("EventKind", "coupons resumed"),
    "cue:anchor_profile.apply": QT_TRANSLATE_NOOP("EventKind", "anchor profile applied"),
    "cue:anchor_profile.save": QT_TRANSLATE_NOOP("EventKind", "anchor profile saved"),
    "cue:anchor_profile.delete": QT_TRANSLATE_NOOP("EventKind", "anchor profile deleted"),
    "cue:anchor_profile.failed": QT_TRANSLATE_NOOP("EventKind", "anchor profile failed"),
    "cue:settings.save_failed": QT_TRANSLATE_NOOP("EventKind", "cue settings not saved"),
    "emergency:emergency.runbooks": QT_TRANSLATE_NOOP("EventKind", "runbooks loaded"),
    "emergency:emergency.runbooks_error": QT_TRANSLATE_NOOP("EventKind", "runbooks not loaded"),
    "emergency:emergency.drill": QT_TRANSLATE_NOOP("EventKind", "drill mode"),
    "emergency:emergency.suggest": QT_TRANSLATE_NOOP("EventKind", "runbook suggested"),
    "emergency:emergency.dismiss": QT_TRANSLATE_NOOP("EventKind", "suggestion ignored"),
    "emergency:incident.open": QT_TRANSLATE_NOOP("EventKind", "incident opened"),
    "emergency:incident.tick": QT_TRANSLATE_NOOP("EventKind", "checklist tick"),
    "emergency:incident.action": QT_TRANSLATE_NOOP("EventKind", "runbook action"),
    "emergency:incident.close": QT_TRANSLATE_NOOP("EventKind", "incident closed"),
    "selftest:selftest.run": QT_TRANSLATE_NOOP("EventKind", "self-test run"),
    "selftest:selftest.check_failed": QT_TRANSLATE_NOOP("EventKind", "self-test check failed"),
    "mic:device_changed": QT_TRANSLATE_NOOP("EventKind", "microphone changed"),
    "mic:device_opened": QT_TRANSLATE_NOOP("EventKind", "microphone opened"),
    "mic:test_signal": QT_TRANSLATE_NOOP("EventKind", "test signal"),
    "mic:lost": QT_TRANSLATE_NOOP("EventKind", "microphone lost"),
    "mic:stalled": QT_TRANSLATE_NOOP("EventKind", "microphone stalled"),
    "mic:recovered": QT_TRANSLATE_NOOP("EventKind", "microphone back"),
    "mic:dead_air_start": QT_TRANSLATE_NOOP("EventKind", "dead air"),
    "mic:dead_air_end": QT_TRANSLATE_NOOP("EventKind", "dead air over"),
    "mic:clipping": QT_TRANSLATE_NOOP("EventKind", "clipping"),
    "mic:overflow": QT_TRANSLATE_NOOP("EventKind", "input overflow"),
    "mic:clip_cleared": QT_TRANSLATE_NOOP("EventKind", "clip cleared"),
    "mic:loudness": QT_TRANSLATE_NOOP("EventKind", "loudness"),
    "camera:source_opened": QT_TRANSLATE_NOOP("EventKind", "camera opened"),
    "camera:open_failed": QT_TRANSLATE_NOOP("EventKind", "camera not opened"),
    "camera:source_lost": QT_TRANSLATE_NOOP("EventKind", "picture lost"),
    "camera:source_recovered": QT_TRANSLATE_NOOP("EventKind", "picture back"),
    "camera:source_switched": QT_TRANSLATE_NOOP("EventKind", "camera switched"),
    "camera:focus_reference": QT_TRANSLATE_NOOP("EventKind", "focus reference"),
    "camera:wb_reference": QT_TRANSLATE_NOOP("EventKind", "white-balance reference"),
    "camera:picture_exposure": QT_TRANSLATE_NOOP("EventKind", "exposure"),
    "camera:picture_white_balance": QT_TRANSLATE_NOOP("EventKind", "white balance"),
    "camera:picture_focus": QT_TRANSLATE_NOOP("EventKind", "focus"),
    "camera:picture_signal": QT_TRANSLATE_NOOP("EventKind", "picture signal"),
    "obs:obs.connecting": QT_TRANSLATE_NOOP("EventKind", "OBS connecting"),
    "obs:obs.connected": QT_TRANSLATE_NOOP("EventKind", "OBS connected"),
    "obs:obs.reconnected": QT_TRANSLATE_NOOP("EventKind", "OBS reconnected"),
    "obs:obs.stopped": QT_TRANSLATE_NOOP("EventKind", "OBS link stopped"),
    "obs:obs.disconnected": QT_TRANSLATE_NOOP("EventKind", "OBS disconnected"),
    "obs:obs.unreachable": QT_TRANSLATE_NOOP("EventKind", "OBS unreachable"),
    "obs:obs.auth_failed": QT_TRANSLATE_NOOP("EventKind", "OBS password refused"),
    "obs:obs.unsupported_version": QT_TRANSLATE_NOOP("EventKind", "OBS too old"),
    "obs:obs.frozen": QT_TRANSLATE_NOOP("EventKind", "OBS not answering"),
    "obs:obs.scene_changed": QT_TRANSLATE_NOOP("EventKind", "scene changed"),
    "obs:obs.studio_mode": QT_TRANSLATE_NOOP("EventKind", "studio mode"),
    "obs:obs.input_muted": QT_TRANSLATE_NOOP("EventKind", "input muted"),
    "obs:obs.input_unmuted": QT_TRANSLATE_NOOP("EventKind", "input unmuted"),
    "obs:obs.stream_started": QT_TRANSLATE_NOOP("EventKind", "stream started"),
    "obs:obs.stream_stopped": QT_TRANSLATE_NOOP("EventKind", "stream stopped"),
    "obs:obs.record_started": QT_TRANSLATE_NOOP("EventKind", "recording started"),
    "obs:obs.record_stopped": QT_TRANSLATE_NOOP("EventKind", "recording stopped"),
    "obs:obs.record_paused": QT_TRANSLATE_NOOP("EventKind", "recording paused"),
    "obs:obs.command_failed": QT_TRANSLATE_NOOP("EventKind", "OBS command failed"),
    "system:studio.listener_failed": QT_TRANSLATE_NOOP("EventKind", "studio view failed"),
    "room:room.alert": QT_TRANSLATE_NOOP("EventKind", "room alert"),
    "room:room.alert_cleared": QT_TRANSLATE_NOOP("EventKind", "room alert over"),
    "room:room.alert_action": QT_TRANSLATE_NOOP("EventKind", "room alert action"),
    "room:room.rejected": QT_TRANSLATE_NOOP("EventKind", "room data refused"),
    "room:room.stock_conflict": QT_TRANSLATE_NOOP("EventKind", "stock conflict"),
    "system:remote.on": QT_TRANSLATE_NOOP("EventKind", "remote control on"),
    "system:remote.off": QT_TRANSLATE_NOOP("EventKind", "remote control off"),
    "system:remote.moved": QT_TRANSLATE_NOOP("EventKind", "remote control moved"),
    "system:remote.refused": QT_TRANSLATE_NOOP("EventKind", "remote control settings refused"),
    "room:room.endpoint_on": QT_TRANSLATE_NOOP("EventKind", "room endpoint on"),
    "room:room.endpoint_moved": QT_TRANSLATE_NOOP("EventKind", "room endpoint moved"),
    "room:room.endpoint_off": QT_TRANSLATE_NOOP("EventKind", "room endpoint off"),
    "room:room.endpoint_refused": QT_TRANSLATE_NOOP("EventKind", "room endpoint settings refused"),
    "obs:obs.record_resumed": QT_TRANSLATE_NOOP("EventKind", "recording resumed"),
    "obs:obs.record_sync": QT_TRANSLATE_NOOP("EventKind", "recording clock"),
    "obs:obs.frames_dropped": QT_TRANSLATE_NOOP("EventKind", "frames dropped"),
    "obs:obs.frames_ok": QT_TRANSLATE_NOOP("EventKind", "frames OK"),
    "obs:obs.render_lag": QT_TRANSLATE_NOOP("EventKind", "render lag"),
    "obs:obs.render_ok": QT_TRANSLATE_NOOP("EventKind", "render OK"),
    "obs:obs.congestion": QT_TRANSLATE_NOOP("EventKind", "stream congestion"),
    "obs:obs.congestion_cleared": QT_TRANSLATE_NOOP("EventKind", "congestion cleared"),
    "obs:obs.stream_reconnecting": QT_TRANSLATE_NOOP("EventKind", "stream reconnecting"),
    "obs:obs.stream_reconnected": QT_TRANSLATE_NOOP("EventKind", "stream reconnected"),
    "obs:obs.disk_low": QT_TRANSLATE_NOOP("EventKind", "disk low"),
    "obs:obs.disk_ok": QT_TRANSLATE_NOOP("EventKind", "disk OK"),
    "obs:obs.stats": QT_TRANSLATE_NOOP("EventKind", "OBS stats"),
}

# Why the show engine refused a desk action (``desk.refused``, the status bar): the engine
# raises its errors through ``studio_app.show.events.refusal(code, **fields)``; the event
# carries ``reason_code`` and ``reason_fields`` so the reason is rendered in the reader's
# language too.
REASONS: dict[str, str] = {
    # product cards and stock (studio_app/show/cards.py, desk.py)
    "unknown_sku": QT_TRANSLATE_NOOP("EventReason", "no product with SKU {sku}"),
    "card_transition": QT_TRANSLATE_NOOP("EventReason", "{product}: cannot go from {from!t} to {to!t}"),
    "no_stock": QT_TRANSLATE_NOOP("EventReason", "{product}: no stock left (adjust the stock first)"),
    "stock_frozen": QT_TRANSLATE_NOOP("EventReason", "{product}: core stock is frozen (unfreeze it first)"),
    "stock_implausible": QT_TRANSLATE_NOOP("EventReason", "{product}: stock {value} is not plausible"),
    "stock_negative": QT_TRANSLATE_NOOP("EventReason", "{product}: stock cannot go below 0 (now {stock})"),
    "no_slot": QT_TRANSLATE_NOOP("EventReason", "segment {title} has {count} products, no number {number}"),
    "unknown_card_state": QT_TRANSLATE_NOOP(
        "EventReason", "unknown card state {state} (queued, on_shelf, explaining, sold_out, off_shelf)"),
    "no_card_explained": QT_TRANSLATE_NOOP("EventReason", "no card is being explained"),
    # coupons and flash sales (studio_app/show/coupons.py)
    "unknown_drop": QT_TRANSLATE_NOOP("EventReason", "no coupon drop or flash sale {id}"),
    "drops_already_paused": QT_TRANSLATE_NOOP("EventReason", "coupon drops are already paused"),
    "drops_not_paused": QT_TRANSLATE_NOOP("EventReason", "coupon drops are not paused"),
    "drop_already": QT_TRANSLATE_NOOP("EventReason", "{label} is already {status!t}"),
    "coupon_still_issuing": QT_TRANSLATE_NOOP(
        "EventReason", "{label} is still issuing until {left:clock} from now; end that batch first (one batch at a time)"),
    "delay_not_pending": QT_TRANSLATE_NOOP("EventReason", "{label} is {status!t}; only a pending drop can be delayed"),
    "delay_range": QT_TRANSLATE_NOOP("EventReason", "delay by 1 s to 1 h, got {seconds:g} s"),
    "nothing_to_confirm": QT_TRANSLATE_NOOP("EventReason", "nothing waiting for confirmation"),
    "not_live": QT_TRANSLATE_NOOP("EventReason", "{label} is {status!t}, not live"),
    "already_confirmed": QT_TRANSLATE_NOOP("EventReason", "{label} was already confirmed"),
    # the cue engine (studio_app/show/cues.py)
    "show_ended_go": QT_TRANSLATE_NOOP("EventReason", "the show has ended; use jump or back to return to a segment"),
    "no_segment_number": QT_TRANSLATE_NOOP("EventReason", "no segment number {number} (the rundown has {count})"),
    "nothing_to_hold": QT_TRANSLATE_NOOP("EventReason", "nothing to hold (the show is {playback!t})"),
    "nothing_on_hold": QT_TRANSLATE_NOOP("EventReason", "nothing on hold (the show is {playback!t})"),
    "no_segment_running": QT_TRANSLATE_NOOP("EventReason", "no segment is running (the show is {playback!t})"),
    "add_time_range": QT_TRANSLATE_NOOP("EventReason", "add at most {max_s:dur} at a time, got {seconds:+g} s"),
    "show_already_ended": QT_TRANSLATE_NOOP("EventReason", "the show has already ended"),
    "unknown_segment": QT_TRANSLATE_NOOP("EventReason", "no segment with id {id}"),
    # the compliance gate (studio_app/show/desk.py)
    "compliance_open": QT_TRANSLATE_NOOP(
        "EventReason", "{count} compliance findings open ({terms}): fix the script or override with a reason"),
    "override_needs_reason": QT_TRANSLATE_NOOP("EventReason", "an override needs a reason (e.g. 品牌注册商标, reviewed by legal)"),
    # a listener that cannot bind its address (studio_app/remote: the room endpoint, remote control)
    "port_in_use": QT_TRANSLATE_NOOP(
        "EventReason", "cannot listen on {where}: another program (or another console) already listens there"),
    "no_such_address": QT_TRANSLATE_NOOP(
        "EventReason", "cannot listen on {where}: no network card of this PC has the address {host}"),
    "port_needs_admin": QT_TRANSLATE_NOOP("EventReason", "cannot listen on {where}: ports below 1024 need administrator rights"),
    # the dispatcher itself (studio_app/studio/control_room.py)
    "arg_text": QT_TRANSLATE_NOOP("EventReason", "{arg}: expected text, got {got}"),
    "arg_bool": QT_TRANSLATE_NOOP("EventReason", "{arg}: expected true or false, got {got}"),
    "arg_number": QT_TRANSLATE_NOOP("EventReason", "{arg}: expected a number, got {got}"),
    "arg_whole": QT_TRANSLATE_NOOP("EventReason", "{arg}: expected a whole number, got {got}"),
    "arg_finite": QT_TRANSLATE_NOOP("EventReason", "{arg}: expected a finite number, got {got}"),
    "arg_unknown": QT_TRANSLATE_NOOP("EventReason", "{action}: unknown argument {arg} (arguments: {names})"),
    "arg_missing": QT_TRANSLATE_NOOP("EventReason", "{action}: missing argument {arg} ({description})"),
    "unknown_action": QT_TRANSLATE_NOOP("EventReason", "unknown action {action} (studio-console actions lists them)"),
    "needs_confirm": QT_TRANSLATE_NOOP("EventReason", "{action} needs confirmation: send confirm=true"),
    "drill_skipped": QT_TRANSLATE_NOOP(
        "EventReason", "演练 DRILL: {action} not sent (it would change what viewers see or hear)"),
}

ACTION_WORDS = [
    QT_TRANSLATE_NOOP("EventValue", "go"), QT_TRANSLATE_NOOP("EventValue", "next"),
    QT_TRANSLATE_NOOP("EventValue", "back"), QT_TRANSLATE_NOOP("EventValue", "previous"),
    QT_TRANSLATE_NOOP("EventValue", "jump"), QT_TRANSLATE_NOOP("EventValue", "resume"),
    QT_TRANSLATE_NOOP("EventValue", "toggle_hold"), QT_TRANSLATE_NOOP("EventValue", "add_time"),
    QT_TRANSLATE_NOOP("EventValue", "end_show"), QT_TRANSLATE_NOOP("EventValue", "card_push"),
    QT_TRANSLATE_NOOP("EventValue", "push_card"), QT_TRANSLATE_NOOP("EventValue", "explain"),
    QT_TRANSLATE_NOOP("EventValue", "card_push_slot"), QT_TRANSLATE_NOOP("EventValue", "card_state"),
    QT_TRANSLATE_NOOP("EventValue", "card_shelve"), QT_TRANSLATE_NOOP("EventValue", "card_unshelve"),
    QT_TRANSLATE_NOOP("EventValue", "card_sold_out"), QT_TRANSLATE_NOOP("EventValue", "card_stop"),
    QT_TRANSLATE_NOOP("EventValue", "stock_adjust"), QT_TRANSLATE_NOOP("EventValue", "stock_set"),
    QT_TRANSLATE_NOOP("EventValue", "stock_freeze"), QT_TRANSLATE_NOOP("EventValue", "coupon_drop_now"),
    QT_TRANSLATE_NOOP("EventValue", "flash_start_now"), QT_TRANSLATE_NOOP("EventValue", "coupon_delay"),
    QT_TRANSLATE_NOOP("EventValue", "flash_delay"), QT_TRANSLATE_NOOP("EventValue", "coupon_cancel"),
    QT_TRANSLATE_NOOP("EventValue", "flash_cancel"), QT_TRANSLATE_NOOP("EventValue", "coupon_confirm"),
    QT_TRANSLATE_NOOP("EventValue", "flash_confirm"), QT_TRANSLATE_NOOP("EventValue", "coupon_end"),
    QT_TRANSLATE_NOOP("EventValue", "flash_end"), QT_TRANSLATE_NOOP("EventValue", "coupons_pause"),
    QT_TRANSLATE_NOOP("EventValue", "coupon_pause"), QT_TRANSLATE_NOOP("EventValue", "coupons_resume"),
    QT_TRANSLATE_NOOP("EventValue", "coupon_resume"), QT_TRANSLATE_NOOP("EventValue", "message"),
    QT_TRANSLATE_NOOP("EventValue", "message_hide"), QT_TRANSLATE_NOOP("EventValue", "override_compliance"),
    # the action registry's names (branch `studio`, /work/helpers/studio-api.md) and its result codes
    QT_TRANSLATE_NOOP("EventValue", "show.go"), QT_TRANSLATE_NOOP("EventValue", "show.back"),
    QT_TRANSLATE_NOOP("EventValue", "show.hold"), QT_TRANSLATE_NOOP("EventValue", "show.jump"),
    QT_TRANSLATE_NOOP("EventValue", "show.adjust"), QT_TRANSLATE_NOOP("EventValue", "show.end"),
    QT_TRANSLATE_NOOP("EventValue", "show.override"), QT_TRANSLATE_NOOP("EventValue", "card.push"),
    QT_TRANSLATE_NOOP("EventValue", "card.stop"), QT_TRANSLATE_NOOP("EventValue", "card.shelve"),
    QT_TRANSLATE_NOOP("EventValue", "card.unshelve"), QT_TRANSLATE_NOOP("EventValue", "card.sold_out"),
    QT_TRANSLATE_NOOP("EventValue", "stock.adjust"), QT_TRANSLATE_NOOP("EventValue", "stock.freeze"),
    QT_TRANSLATE_NOOP("EventValue", "coupon.drop_now"), QT_TRANSLATE_NOOP("EventValue", "coupon.delay"),
    QT_TRANSLATE_NOOP("EventValue", "coupon.cancel"), QT_TRANSLATE_NOOP("EventValue", "coupon.confirm"),
    QT_TRANSLATE_NOOP("EventValue", "coupon.pause_all"), QT_TRANSLATE_NOOP("EventValue", "message.send"),
    QT_TRANSLATE_NOOP("EventValue", "message.blink"), QT_TRANSLATE_NOOP("EventValue", "message.blackout"),
    QT_TRANSLATE_NOOP("EventValue", "message.hide"), QT_TRANSLATE_NOOP("EventValue", "prompter.speed"),
    QT_TRANSLATE_NOOP("EventValue", "prompter.pause"), QT_TRANSLATE_NOOP("EventValue", "anchor.profile"),
    QT_TRANSLATE_NOOP("EventValue", "obs.scene"), QT_TRANSLATE_NOOP("EventValue", "obs.preview"),
    QT_TRANSLATE_NOOP("EventValue", "obs.stream.start"), QT_TRANSLATE_NOOP("EventValue", "obs.stream.stop"),
    QT_TRANSLATE_NOOP("EventValue", "obs.record.start"), QT_TRANSLATE_NOOP("EventValue", "obs.record.stop"),
    QT_TRANSLATE_NOOP("EventValue", "obs.text"), QT_TRANSLATE_NOOP("EventValue", "mic.mute"),
    QT_TRANSLATE_NOOP("EventValue", "mic.unmute"), QT_TRANSLATE_NOOP("EventValue", "camera.use_backup"),
    QT_TRANSLATE_NOOP("EventValue", "camera.use_main"), QT_TRANSLATE_NOOP("EventValue", "runbook.open"),
    QT_TRANSLATE_NOOP("EventValue", "runbook.tick"), QT_TRANSLATE_NOOP("EventValue", "runbook.close"),
    QT_TRANSLATE_NOOP("EventValue", "drill.start"), QT_TRANSLATE_NOOP("EventValue", "drill.stop"),
    QT_TRANSLATE_NOOP("EventValue", "bad_args"), QT_TRANSLATE_NOOP("EventValue", "unknown"),
    QT_TRANSLATE_NOOP("EventValue", "refused"), QT_TRANSLATE_NOOP("EventValue", "error"),
]

# Enum words that templates show through ``{x!t}`` (and readers through EventText.value).
VALUES = [
    # card states
    QT_TRANSLATE_NOOP("EventValue", "queued"), QT_TRANSLATE_NOOP("EventValue", "on_shelf"),
    QT_TRANSLATE_NOOP("EventValue", "explaining"), QT_TRANSLATE_NOOP("EventValue", "sold_out"),
    QT_TRANSLATE_NOOP("EventValue", "off_shelf"),
    # segment phases
    QT_TRANSLATE_NOOP("EventValue", "warning"), QT_TRANSLATE_NOOP("EventValue", "danger"),
    QT_TRANSLATE_NOOP("EventValue", "overtime"),
    # coupon drop statuses and cue playback
    QT_TRANSLATE_NOOP("EventValue", "announced"), QT_TRANSLATE_NOOP("EventValue", "live"),
    QT_TRANSLATE_NOOP("EventValue", "done"), QT_TRANSLATE_NOOP("EventValue", "cancelled"),
    QT_TRANSLATE_NOOP("EventValue", "missed"), QT_TRANSLATE_NOOP("EventValue", "standby"),
    QT_TRANSLATE_NOOP("EventValue", "hold"), QT_TRANSLATE_NOOP("EventValue", "ended"),
    # incident action results
    QT_TRANSLATE_NOOP("EventValue", "ok"), QT_TRANSLATE_NOOP("EventValue", "failed"),
    QT_TRANSLATE_NOOP("EventValue", "skipped"), QT_TRANSLATE_NOOP("EventValue", "pending"),
    QT_TRANSLATE_NOOP("EventValue", "running"),
    # camera verdicts and casts
    QT_TRANSLATE_NOOP("EventValue", "under"), QT_TRANSLATE_NOOP("EventValue", "over"),
    QT_TRANSLATE_NOOP("EventValue", "cast"), QT_TRANSLATE_NOOP("EventValue", "soft"),
    QT_TRANSLATE_NOOP("EventValue", "unknown"), QT_TRANSLATE_NOOP("EventValue", "black"),
    QT_TRANSLATE_NOOP("EventValue", "frozen"), QT_TRANSLATE_NOOP("EventValue", "none"),
    QT_TRANSLATE_NOOP("EventValue", "warm"), QT_TRANSLATE_NOOP("EventValue", "cool"),
    QT_TRANSLATE_NOOP("EventValue", "green"), QT_TRANSLATE_NOOP("EventValue", "magenta"),
    # severities and sources (the log panel's and the report's columns)
    QT_TRANSLATE_NOOP("EventValue", "debug"), QT_TRANSLATE_NOOP("EventValue", "info"),
    QT_TRANSLATE_NOOP("EventValue", "error"), QT_TRANSLATE_NOOP("EventValue", "critical"),
    QT_TRANSLATE_NOOP("EventValue", "desk"), QT_TRANSLATE_NOOP("EventValue", "camera"),
    QT_TRANSLATE_NOOP("EventValue", "mic"), QT_TRANSLATE_NOOP("EventValue", "obs"),
    QT_TRANSLATE_NOOP("EventValue", "selftest"), QT_TRANSLATE_NOOP("EventValue", "system"),
    QT_TRANSLATE_NOOP("EventValue", "show"), QT_TRANSLATE_NOOP("EventValue", "cue"),
    QT_TRANSLATE_NOOP("EventValue", "emergency"), QT_TRANSLATE_NOOP("EventValue", "room"),
    # who asked for a desk action (Studio.dispatch_from)
    QT_TRANSLATE_NOOP("EventValue", "key"), QT_TRANSLATE_NOOP("EventValue", "runbook"),
    QT_TRANSLATE_NOOP("EventValue", "http"), QT_TRANSLATE_NOOP("EventValue", "osc"),
    QT_TRANSLATE_NOOP("EventValue", "ws"), QT_TRANSLATE_NOOP("EventValue", "automation"),
    QT_TRANSLATE_NOOP("EventValue", "suggestion"),
    # the live room's alert rules (resources/room/rules.toml)
    QT_TRANSLATE_NOOP("EventValue", "online_drop"), QT_TRANSLATE_NOOP("EventValue", "interaction_drop"),
    QT_TRANSLATE_NOOP("EventValue", "comments_silent"), QT_TRANSLATE_NOOP("EventValue", "tech_complaints"),
    QT_TRANSLATE_NOOP("EventValue", "complaint_surge"), QT_TRANSLATE_NOOP("EventValue", "similar_comments"),
    QT_TRANSLATE_NOOP("EventValue", "sellout_eta"), QT_TRANSLATE_NOOP("EventValue", "gmv_pace"),
    # desk actions (as named in studio_app/show/desk.py ACTIONS, with their aliases)
    *ACTION_WORDS,
    # booleans shown as words
    QT_TRANSLATE_NOOP("EventValue", "on"), QT_TRANSLATE_NOOP("EventValue", "off"),
]


def register(source: str, kind: str, template: "str | Variants", label: str) -> None:
    """Add (or replace) the template and short name of one kind; their texts must also be
    wrapped in ``QT_TRANSLATE_NOOP("EventMessage" / "EventKind", ...)`` in this module so
    lupdate collects them."""
    TEMPLATES[f"{source}:{kind}"] = template
    LABELS[f"{source}:{kind}"] = label


def template_for(source: str, kind: str, payload: Mapping[str, Any]) -> str | None:
    entry = TEMPLATES.get(f"{source}:{kind}")
    if entry is None:
        return None
    return entry.pick(payload) if isinstance(entry, Variants) else entry


def all_templates() -> list[str]:
    """Every English template text (for the catalogue check)."""
    out: list[str] = []
    for entry in TEMPLATES.values():
        out += entry.templates() if isinstance(entry, Variants) else [entry]
    return list(dict.fromkeys(out))
