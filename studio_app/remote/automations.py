"""Automations (Ontime's idea): when something happens in the show, tell the room.

A TOML file lists them; each has a trigger, an optional filter and one output::

    [[automation]]
    name = "lights warm on the coat"     # optional; shown in the Remote dock and the log
    when = "segment.start"               # the trigger (TRIGGERS below)
    segment = "coat"                     # optional filter: only this segment id
    osc = { target = "192.168.1.50:8000", address = "/lights/cue/3", args = ["{segment.title}", 1] }

    [[automation]]
    when = "coupon.t_minus"
    seconds = 30                         # T-minus triggers: how many seconds before
    http = { url = "http://192.168.1.60/api/say", method = "POST", body = '{"text": "{coupon.rule}"}' }

    [[automation]]
    when = "card.pushed"
    action = { name = "obs.text", args = { source = "Price", text = "{product.name} ¥{product.live_price}" } }

Templates are ``{field}`` with the fields of ``GET /api/v1/variables`` plus a few words of the
studio (TEMPLATE_FIELDS); ``{{`` is a literal brace. A mistake in the file is one line naming
the file, the automation (its number and line) and what is wrong.

Triggers are found by comparing each new state snapshot with the previous one. Outputs never
block the show: they run on the automations' own loop thread, OSC is one UDP datagram, HTTP
has a time-out (2 s by default) and at most 4 requests in flight per automation (a firing
beyond that is skipped and logged), actions go through the dispatcher like any remote action.
Every firing and every failure is logged, and each automation keeps its last result.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import re
import socket
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio_app.core.loop_thread import ServerLoop
from studio_app.remote.api import StudioLike, StudioLink, dispatch_as, variables
from studio_app.remote.server import HTTP_STATUS, parse_listen

log = logging.getLogger(__name__)

TRIGGERS = {
    "show.start": "the show starts (first GO)",
    "show.end": "the show ends",
    "segment.start": "a segment starts",
    "segment.end": "a segment ends",
    "phase.warning": "the segment's timer enters warning",
    "phase.danger": "the segment's timer enters danger",
    "phase.overtime": "the segment runs over",
    "coupon.t_minus": "N seconds before a coupon drop (seconds = N)",
    "coupon.start": "a coupon drop goes live",
    "flash.t_minus": "N seconds before a flash sale (seconds = N)",
    "flash.start": "a flash sale starts",
    "card.pushed": "a product card goes on 讲解",
    "sold_out": "a product sells out",
    "alarm.raised": "an alarm is raised",
    "room.alert": "a live-room alert (once the live-room link exists)",
}
# Fields a template may use besides the variables: the words of the examples.
EXTRA_FIELDS = ("trigger", "automation", "coupon.rule", "coupon.id", "alarm", "segment.phase_entered")
HTTP_TIMEOUT_S = 2.0
HTTP_IN_FLIGHT = 4
MAX_FIRINGS_PER_S = 10  # an automation whose action retriggers itself cannot spin the desk

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


class AutomationError(ValueError):
    """One line: the file, the automation (number, line) and what is wrong."""


def known_fields() -> set[str]:
    return set(variables({})) | set(EXTRA_FIELDS) | {"product.sku", "product.name", "product.live_price",
                                                      "product.stock", "segment.title", "segment.id"}


def render(template: str, values: Mapping[str, str]) -> str:
    """``{field}`` -> its value ("" when the show has none right now); ``{{``/``}}`` -> braces."""
    def sub(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        return values.get(m.group(1).strip(), "")

    return _FIELD.sub(sub, template)


def _check_template(text: str, where: str) -> None:
    known = known_fields()
    for m in _FIELD.finditer(text):
        name = m.group(1)
        if name is not None and name.strip() not in known and not name.strip().startswith("device."):
            raise AutomationError(f"{where}: unknown template field {{{name}}} "
                                  f"(fields: {', '.join(sorted(known))}, device.NAME)")


@dataclass
class Automation:
    index: int  # 1-based, as the person counts them in the file
    line: int
    name: str
    when: str
    output: str  # osc | http | action
    spec: dict[str, Any]
    segment: str = ""
    seconds: float = 0.0
    last_result: str = ""  # for the Remote dock
    last_wall: float = 0.0
    firings: int = 0
    failures: int = 0
    in_flight: int = 0
    recent: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or f"automation {self.index}"


def _lines_of_entries(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip().startswith("[[automation]]")]


def load(path: Path) -> list[Automation]:
    """Read and check an automations file; raises :class:`AutomationError` (one line)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AutomationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse(raw, str(path))


def parse(raw: bytes, name: str = "automations.toml") -> list[Automation]:
    if len(raw) > 1_000_000:
        raise AutomationError(f"{name}: over 1 MB; an automations file is a few KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AutomationError(f"{name}:{line}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AutomationError(f"{name}: {exc}") from None
    except RecursionError:
        raise AutomationError(f"{name}: nested too deep") from None
    unknown = sorted(set(data) - {"automation"})
    if unknown:
        raise AutomationError(f"{name}: unknown table {unknown[0]!r} (expected [[automation]] entries)")
    entries = data.get("automation", [])
    if not isinstance(entries, list):
        raise AutomationError(f"{name}: 'automation' must be [[automation]] entries")
    lines = _lines_of_entries(text)
    out = []
    for i, entry in enumerate(entries, 1):
        line = lines[i - 1] if i - 1 < len(lines) else 0
        out.append(_entry(entry, i, line, name))
    return out


def _entry(entry: Any, index: int, line: int, file: str) -> Automation:
    where = f"{file}:{line}: automation {index}" if line else f"{file}: automation {index}"
    if not isinstance(entry, dict):
        raise AutomationError(f"{where}: expected a table")
    label = entry.get("name", "")
    if label:
        where += f" ({label})"
    allowed = {"name", "when", "segment", "seconds", "osc", "http", "action", "enabled"}
    extra = sorted(set(entry) - allowed)
    if extra:
        raise AutomationError(f"{where}: unknown key {extra[0]!r} (keys: {', '.join(sorted(allowed))})")
    when = entry.get("when")
    if when not in TRIGGERS:
        raise AutomationError(f"{where}: when = {when!r} is not a trigger (triggers: {', '.join(TRIGGERS)})")
    seconds = entry.get("seconds", 0)
    if when.endswith(".t_minus"):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds <= 3600:
            raise AutomationError(f"{where}: {when} needs seconds = 1..3600, got {seconds!r}")
    outputs = [k for k in ("osc", "http", "action") if k in entry]
    if len(outputs) != 1:
        raise AutomationError(f"{where}: give exactly one output: osc, http or action (got {len(outputs)})")
    kind = outputs[0]
    spec = entry[kind]
    if not isinstance(spec, dict):
        raise AutomationError(f"{where}: {kind} must be a table, e.g. {kind} = {{ ... }}")
    _check_output(kind, spec, f"{where}: {kind}")
    segment = entry.get("segment", "")
    if not isinstance(segment, str):
        raise AutomationError(f"{where}: segment must be a segment id (text)")
    return Automation(index, line, str(label), when, kind, spec, segment, float(seconds or 0))


def _check_output(kind: str, spec: dict[str, Any], where: str) -> None:
    def need_str(key: str, required: bool = True) -> None:
        if key not in spec:
            if required:
                raise AutomationError(f"{where}: missing {key}")
            return
        if not isinstance(spec[key], str) or (required and not spec[key].strip()):
            raise AutomationError(f"{where}: {key} must be text")
        _check_template(spec[key], f"{where}.{key}")

    if kind == "osc":
        need_str("target")
        need_str("address")
        try:
            parse_listen(spec["target"])
        except ValueError as exc:
            raise AutomationError(f"{where}.target: {exc}") from None
        if not spec["address"].startswith("/"):
            raise AutomationError(f"{where}.address: an OSC address starts with /")
        args = spec.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, (str, int, float, bool)) for a in args):
            raise AutomationError(f"{where}.args: a list of text, numbers or true/false")
        for a in args:
            if isinstance(a, str):
                _check_template(a, f"{where}.args")
    elif kind == "http":
        need_str("url")
        if not spec["url"].startswith(("http://", "https://")):
            raise AutomationError(f"{where}.url: must start with http:// or https://")
        method = spec.get("method", "POST")
        if method not in ("GET", "POST", "PUT"):
            raise AutomationError(f"{where}.method: GET, POST or PUT, got {method!r}")
        need_str("body", required=False)
        timeout = spec.get("timeout", HTTP_TIMEOUT_S)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 30:
            raise AutomationError(f"{where}.timeout: seconds, 0..30")
    else:
        need_str("name")
        args = spec.get("args", {})
        if not isinstance(args, dict):
            raise AutomationError(f"{where}.args: a table of arguments")
        for key, value in args.items():
            if isinstance(value, str):
                _check_template(value, f"{where}.args.{key}")


# ----------------------------------------------------------------------------- triggers
def _seg(state: Mapping[str, Any]) -> Mapping[str, Any]:
    return ((state.get("show") or {}).get("segment")) or {}


def _playback(state: Mapping[str, Any]) -> str:
    return (state.get("show") or {}).get("playback", "")


def events(prev: Mapping[str, Any], cur: Mapping[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """The triggers between two snapshots, each with the extra template fields it brings."""
    out: list[tuple[str, dict[str, str]]] = []
    was, now = _playback(prev), _playback(cur)
    if was in ("", "standby") and now in ("running", "hold"):
        out.append(("show.start", {}))
    ps, cs = _seg(prev), _seg(cur)
    live = now in ("running", "hold")
    if ps.get("id") != cs.get("id") or (live and was in ("", "standby")):
        if ps.get("id") and was in ("running", "hold"):
            out.append(("segment.end", {"segment.title": str(ps.get("title", "")), "segment.id": str(ps.get("id"))}))
        if cs.get("id") and live:
            out.append(("segment.start", {}))
    elif live and cs.get("phase") != ps.get("phase") and cs.get("phase") in ("warning", "danger", "overtime"):
        out.append((f"phase.{cs['phase']}", {"segment.phase_entered": str(cs["phase"])}))
    if now == "ended" and was != "ended":
        if ps.get("id") and was in ("running", "hold"):
            out.append(("segment.end", {}))
        out.append(("show.end", {}))
    before = {c.get("id"): c for c in prev.get("coupons") or () if isinstance(c, Mapping)}
    for c in cur.get("coupons") or ():
        if not isinstance(c, Mapping):
            continue
        old = before.get(c.get("id"))
        kind = "flash" if c.get("kind") == "flash" else "coupon"
        fields = {"coupon.rule": str(c.get("label", "")), "coupon.id": str(c.get("id", ""))}
        if old is not None and old.get("status") != c.get("status") and c.get("status") == "live":
            out.append((f"{kind}.start", fields))
        s_old, s_new = (old or {}).get("seconds"), c.get("seconds")
        if isinstance(s_old, (int, float)) and isinstance(s_new, (int, float)) and s_new < s_old:
            out.append((f"{kind}.t_minus", {**fields, "_from": str(s_old), "_to": str(s_new)}))
    pc, cc = prev.get("card") or {}, cur.get("card") or {}
    if cc.get("sku") and cc.get("sku") != pc.get("sku"):
        out.append(("card.pushed", {}))
    sold_before = {c.get("sku") for c in prev.get("cards") or () if isinstance(c, Mapping) and c.get("state") == "sold_out"}
    if pc.get("state") == "sold_out":
        sold_before.add(pc.get("sku"))
    sold_now = {c.get("sku"): c for c in cur.get("cards") or () if isinstance(c, Mapping) and c.get("state") == "sold_out"}
    if cc.get("state") == "sold_out":
        sold_now[cc.get("sku")] = cc
    for sku, c in sold_now.items():
        if sku not in sold_before:
            out.append(("sold_out", {"product.sku": str(sku), "product.name": str(c.get("name", ""))}))
    old_alarms = set(map(str, prev.get("alarms") or ()))
    for alarm in cur.get("alarms") or ():
        if str(alarm) not in old_alarms:
            out.append(("alarm.raised", {"alarm": str(alarm)}))
    return out


# ----------------------------------------------------------------------------- the runner
class AutomationRunner:
    """Watches the studio and fires automations on their own loop thread."""

    def __init__(self, studio: StudioLike, automations: list[Automation], *,
                 call: Callable[[Callable[[], Any]], concurrent.futures.Future] | None = None,
                 on_result: Callable[[Automation], None] | None = None) -> None:
        self.studio = studio
        self.automations = automations
        self._on_result = on_result
        self._loop = ServerLoop("automations")
        self._link = StudioLink(studio, self._loop, self._compare, "automations", call)
        self._call = self._link.call
        self._prev: dict[str, Any] | None = None
        self._sock: socket.socket | None = None
        self._session: Any = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def last_state(self) -> dict[str, Any] | None:
        """The newest snapshot compared (its loop thread writes it; read it for tests and views)."""
        return self._prev

    def start(self) -> "AutomationRunner":
        self._loop.start(self._serve, 10.0)
        self._link.watch()
        log.info("automations: %d loaded", len(self.automations))
        return self

    async def _serve(self, loop: ServerLoop) -> None:
        import aiohttp

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.setblocking(False)
        self._session = aiohttp.ClientSession()
        loop.ready()
        await loop.wait_stopped()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._session.close()
        self._sock.close()

    def stop(self) -> None:
        self._link.close()
        self._loop.stop()
        self._link.shutdown()

    def _compare(self, state: dict[str, Any]) -> None:
        prev, self._prev = self._prev, state
        if prev is None:
            return  # the first snapshot is the baseline: nothing has happened yet
        found = events(prev, state)
        if not found:
            return
        values = variables(state)
        for trigger, extra in found:
            for auto in self.automations:
                if auto.when != trigger or not self._matches(auto, state, extra):
                    continue
                fields = {**values, **{k: v for k, v in extra.items() if not k.startswith("_")},
                          "trigger": trigger, "automation": auto.label}
                self._fire(auto, fields)

    @staticmethod
    def _matches(auto: Automation, state: Mapping[str, Any], extra: Mapping[str, str]) -> bool:
        if auto.segment and auto.segment != str(extra.get("segment.id") or _seg(state).get("id", "")):
            return False
        if auto.when.endswith(".t_minus"):
            return float(extra["_to"]) <= auto.seconds < float(extra["_from"])
        return True

    def _fire(self, auto: Automation, fields: dict[str, str]) -> None:
        now = time.monotonic()
        auto.recent = [t for t in auto.recent if now - t < 1.0]
        if len(auto.recent) >= MAX_FIRINGS_PER_S:
            self._done(auto, False, f"skipped: fired {MAX_FIRINGS_PER_S} times within 1 s")
            return
        auto.recent.append(now)
        auto.firings += 1
        log.info("automation %s: %s fired (%s)", auto.label, auto.when, auto.output)
        if auto.output == "osc":
            self._osc(auto, fields)
        else:
            if auto.output == "http" and auto.in_flight >= HTTP_IN_FLIGHT:
                self._done(auto, False, f"skipped: {auto.in_flight} requests still waiting on the target")
                return
            task = asyncio.ensure_future(self._http(auto, fields) if auto.output == "http" else self._action(auto, fields))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _done(self, auto: Automation, ok: bool, result: str) -> None:
        auto.last_result = ("ok: " if ok else "failed: ") + result
        auto.last_wall = time.time()
        if not ok:
            auto.failures += 1
            log.warning("automation %s (%s): %s", auto.label, auto.when, result)
        else:
            log.info("automation %s (%s): %s", auto.label, auto.when, result)
        if self._on_result is not None:
            try:
                self._on_result(auto)
            except Exception as exc:  # noqa: BLE001 - a view's problem never stops the show
                log.debug("automations: on_result failed: %s", exc)

    def _osc(self, auto: Automation, fields: dict[str, str]) -> None:
        from pythonosc.osc_message_builder import OscMessageBuilder

        spec = auto.spec
        target = parse_listen(spec["target"])
        builder = OscMessageBuilder(address=render(spec["address"], fields))
        for arg in spec.get("args", []):
            builder.add_arg(render(arg, fields) if isinstance(arg, str) else arg)
        try:
            self._sock.sendto(builder.build().dgram, target)
        except OSError as exc:  # UDP: a full buffer or no route; never waits
            self._done(auto, False, f"OSC to {spec['target']}: {exc.strerror or exc}")
            return
        self._done(auto, True, f"OSC {render(spec['address'], fields)} to {spec['target']}")

    async def _http(self, auto: Automation, fields: dict[str, str]) -> None:
        import aiohttp

        spec = auto.spec
        url = render(spec["url"], fields)
        shown = url.split("?", 1)[0]  # a query may hold a target's key: not in the log
        body = render(spec["body"], fields) if "body" in spec else None
        auto.in_flight += 1
        try:
            timeout = aiohttp.ClientTimeout(total=float(spec.get("timeout", HTTP_TIMEOUT_S)))
            headers = {"Content-Type": "application/json"} if body and body.lstrip().startswith(("{", "[")) else {}
            async with self._session.request(spec.get("method", "POST"), url, data=body, timeout=timeout,
                                             headers=headers) as resp:
                await resp.read()
                ok = resp.status < 400
                self._done(auto, ok, f"HTTP {spec.get('method', 'POST')} {shown}: {resp.status}")
        except asyncio.TimeoutError:
            self._done(auto, False, f"HTTP {shown}: no answer within {spec.get('timeout', HTTP_TIMEOUT_S):g} s")
        except aiohttp.ClientError as exc:
            self._done(auto, False, f"HTTP {shown}: {type(exc).__name__}: {str(exc)[:120]}")
        except ValueError as exc:  # a rendered URL that is not one
            self._done(auto, False, f"HTTP {shown}: {exc}")
        finally:
            auto.in_flight -= 1

    async def _action(self, auto: Automation, fields: dict[str, str]) -> None:
        spec = auto.spec
        name = render(spec["name"], fields)
        args = {k: render(v, fields) if isinstance(v, str) else v for k, v in spec.get("args", {}).items()}
        try:
            result = await asyncio.wrap_future(self._call(lambda: dispatch_as(self.studio, "automation", name, args)))
        except Exception as exc:  # noqa: BLE001 - the dispatcher never raises; this is the guard
            self._done(auto, False, f"action {name}: {type(exc).__name__}")
            return
        status = HTTP_STATUS.get(getattr(result, "code", "error"), 500)
        self._done(auto, bool(result.ok), f"action {name}: {status} {result.message}".rstrip())
