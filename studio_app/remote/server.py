"""The remote-control server: HTTP + WebSocket on one port (aiohttp), OSC over UDP on the next.

    GET  /api/v1/actions            the action registry (as ``studio-console actions --json``)
    POST /api/v1/actions/{name}     run an action; JSON object body = arguments (empty = none)
    GET  /api/v1/state              the studio snapshot
    GET  /api/v1/variables          flat {name: string} map for control surfaces
    WS   /api/v1/ws                 pushes {"type": "state"|"variables", ...} on change; takes
                                    {"type": "action", "id", "name", "args"} and answers with the id
    OSC  /studio/<action> [args…]   runs an action (UDP, port + 1, allowed source addresses only)

The token goes in ``Authorization: Bearer TOKEN`` or ``?token=``; it is never logged (aiohttp's
access log is off; our log lines name the path without its query). Every refusal is one JSON
answer ``{"ok": false, "message": …, "data": {}}`` and one log line: 401 token, 404 unknown,
400 bad arguments or body, 413 body over ``max_body`` bytes, 409 refused by the dispatcher,
429 over the per-client rate.

Threads: the server runs its own asyncio loop in a daemon thread and never touches the studio
there. Every studio call goes through ``call`` (default: one worker thread; the desk passes a
function that runs it on the GUI thread), so an action is never half-done by a second thread.
State changes arrive through ``Studio.subscribe``; each WebSocket client has a bounded
newest-only outbox (:mod:`studio_app.core.fanout`) and is dropped after ``stall_s`` unread.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import ipaddress
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from studio_app.core.fanout import STALL_S, Fanout
from studio_app.core.loop_thread import ServerLoop
from studio_app.remote.api import HTTP_STATUS, StudioLike, StudioLink, dispatch_as, variables

log = logging.getLogger(__name__)

API = "/api/v1"
MAX_BODY = 64 * 1024  # an action's arguments are a few hundred bytes
RATE_PER_S = 250.0  # per client; above what any control surface sends (Companion: a few/s)
BURST = 100
LAST_ACTIONS = 50


class _QuietBadRequests(logging.Filter):
    """aiohttp logs a malformed request with its raw bytes (and a traceback): they may hold a
    token. Keep one line naming only the kind of error."""

    def filter(self, record: logging.LogRecord) -> bool:
        from aiohttp.http_exceptions import HttpProcessingError

        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):  # other errors keep their traceback: they are bugs
            record.msg = "remote: malformed HTTP request refused (%s)"
            record.args = (type(exc).__name__,)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_QUIET = _QuietBadRequests()


class RemoteError(RuntimeError):
    """The remote server cannot run; one line saying what and where (never the token).
    ``reason_code``/``reason_fields``: the same as a code (``event_kinds.REASONS``) when the
    cause is known, so the desk can say it in its reader's language."""

    def __init__(self, message: str, reason_code: str = "", reason_fields: dict | None = None) -> None:
        super().__init__(message)
        self.reason_code, self.reason_fields = reason_code, dict(reason_fields or {})


class _BindError(RemoteError):
    pass


_BIND_REASONS = {"EADDRINUSE": "port_in_use", "EADDRNOTAVAIL": "no_such_address", "EACCES": "port_needs_admin"}


def bind_failure(what: str, host: str, port: int | str, exc: OSError) -> _BindError:
    """A socket that could not be bound, in words a 场控 can act on (errno names the cause)."""
    import errno

    text = exc.strerror or str(exc)
    hint = {errno.EADDRINUSE: "another program (or another console) already listens there",
            errno.EADDRNOTAVAIL: "no network card of this PC has that address",
            errno.EACCES: "ports below 1024 need administrator rights"}.get(exc.errno or 0)
    where = f"{host}:{port}"
    code = _BIND_REASONS.get(errno.errorcode.get(exc.errno or 0, ""), "")
    return _BindError(f"{what} cannot listen on {where}: {text} ({hint})" if hint else
                      f"{what} cannot listen on {where}: {text}", code, {"where": where, "host": host})


def parse_listen(text: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """``[HOST:]PORT`` (``[::1]:PORT`` for IPv6) -> (host, port); ValueError with one line.

    PORT + 1 is OSC's, so PORT is at most 65534."""
    text = text.strip()
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = default_host, text
    host = host.strip("[]") or default_host
    if not port_text.isdigit():
        raise ValueError(f"{text!r}: expected [HOST:]PORT, e.g. 8800 or 0.0.0.0:8800")
    port = int(port_text)
    if not 1 <= port <= 65534:
        raise ValueError(f"{text!r}: PORT must be 1..65534 (OSC uses PORT+1)")
    return host, port


@dataclass
class RemoteConfig:
    host: str = "127.0.0.1"
    port: int = 8800  # HTTP + WebSocket; OSC on port + 1 (0: both free ports, for tests)
    token: str = ""
    osc: bool = True
    osc_host: str = "127.0.0.1"  # loopback unless the user picks an interface
    osc_port: int | None = None  # default port + 1
    osc_allow: tuple[str, ...] = ("127.0.0.1", "::1")  # addresses or networks (CIDR)
    osc_targets: tuple[str, ...] = ()  # "host:port" that get variables on change
    rate_per_s: float = RATE_PER_S
    burst: int = BURST
    max_body: int = MAX_BODY
    stall_s: float = STALL_S


def wanted_sockets(config: RemoteConfig) -> set[tuple[str, str, int]]:
    """The sockets a config would bind: HTTP/WebSocket on TCP, OSC on UDP (port + 1)."""
    out = {("tcp", config.host, config.port)}
    if config.osc:
        osc_port = config.osc_port if config.osc_port is not None else (config.port + 1 if config.port else 0)
        out.add(("udp", config.osc_host, osc_port))
    return out


@dataclass(frozen=True)
class ActionRecord:
    """One remote action, for the Remote dock and the tests."""

    wall: float
    via: str  # http | ws | osc
    client: str
    name: str
    ok: bool
    code: str
    message: str
    reason_code: str = ""  # a refusal's reason as a code and fields (event_kinds.REASONS), for the
    reason_fields: dict | None = None  # dock to show in its reader's language; "" when uncoded


class RateLimit:
    """Token bucket per client (loop thread only): ``rate`` per second, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self.refused: dict[str, int] = {}
        self._last_refused: dict[str, float] = {}  # client -> when it was last refused

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            count = self.refused.get(client, 0) + 1
            self.refused[client] = count
            last = self._last_refused.get(client)
            self._last_refused[client] = now
            # One line per flood (the first refusal after 10 s without one), not one per packet.
            if last is None or now - last >= 10.0 or count % 1000 == 0:
                log.warning("remote: rate-limited %s (over %g requests/s; %d refused)", client, self.rate, count)
            return False
        self._buckets[client] = (tokens - 1, now)
        if len(self._buckets) > 4096:  # forget idle clients so spoofed sources cannot grow it
            for key in list(self._buckets)[:2048]:
                del self._buckets[key]
                self._last_refused.pop(key, None)
        return True


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for entry in entries:
        try:
            out.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            log.warning("remote: OSC allow-list entry %r is not an address or network; ignored", entry)
    return out


def _coded_reason(result: Any) -> dict[str, Any]:
    """A refusal's reason code and fields: the dispatcher's own (``data``), else the show
    engine's (its refusal event's payload); {} when the refusal is not coded."""
    data = getattr(result, "data", None) or {}
    if data.get("reason_code"):
        return data
    events = getattr(result, "events", None) or ()
    payload = getattr(events[-1], "payload", None) if events else None
    return payload if isinstance(payload, dict) and payload.get("reason_code") else {}


def _result_dict(result: Any) -> dict[str, Any]:
    return {"ok": bool(result.ok), "message": str(result.message), "data": dict(result.data or {})}


class RemoteServer:
    """Start with :meth:`start` (raises :class:`RemoteError`), end with :meth:`stop`."""

    def __init__(
        self,
        studio: StudioLike,
        config: RemoteConfig,
        *,
        call: Callable[[Callable[[], Any]], concurrent.futures.Future] | None = None,
        on_action: Callable[[ActionRecord], None] | None = None,
    ) -> None:
        if not config.token:
            raise RemoteError("remote control needs a token (STUDIO_REMOTE_TOKEN or the secrets store)")
        self.studio = studio
        self.config = config
        self._on_action = on_action
        self.port = config.port
        self.osc_port: int | None = None
        self.last_actions: deque[ActionRecord] = deque(maxlen=LAST_ACTIONS)
        self.peers: dict[str, float] = {}  # client -> last seen (wall), HTTP and OSC
        self._feed = Fanout(stall_s=config.stall_s)
        self._limit = RateLimit(config.rate_per_s, config.burst)
        self._allowed = _networks(config.osc_allow)
        self._targets: list[tuple[str, int]] = []
        for target in config.osc_targets:
            try:
                self._targets.append(parse_listen(target))
            except ValueError as exc:
                log.warning("remote: OSC target ignored: %s", exc)
        self._vars: dict[str, str] = {}
        self._state_text = ""  # "" until the first snapshot arrives
        self._vars_text = "{}"
        self._thread = ServerLoop("remote-server", self._feed)
        self._link = StudioLink(studio, self._thread, self._publish, "remote", call)
        self._call = self._link.call
        self._osc_transport: asyncio.DatagramTransport | None = None

    # -- life cycle --------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread.running

    @property
    def url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}{API}"

    def claims(self) -> set[tuple[str, str, int]]:
        """The sockets it has bound (see :mod:`studio_app.remote.relisten`)."""
        out = {("tcp", self.config.host, self.port)}
        if self.osc_port is not None:
            out.add(("udp", self.config.osc_host, self.osc_port))
        return out

    @property
    def ws_clients(self) -> int:
        return len(self._feed)

    @property
    def drops(self) -> list:
        return list(self._feed.drops)

    def start(self, timeout: float = 10.0) -> "RemoteServer":
        if self.running:
            return self
        for name in ("aiohttp.server", "aiohttp.web", "aiohttp.access"):
            if _QUIET not in logging.getLogger(name).filters:
                logging.getLogger(name).addFilter(_QUIET)
        try:
            self._thread.start(self._serve, timeout)
        except TimeoutError:
            raise RemoteError(f"remote control on {self.config.host}:{self.config.port} did not start "
                              f"within {timeout:.0f} s") from None
        except _BindError as exc:
            raise RemoteError(str(exc), exc.reason_code, exc.reason_fields) from None
        except Exception as exc:  # noqa: BLE001 - one line for the dock, whatever broke
            raise RemoteError(f"remote control on {self.config.host}:{self.config.port} could not start: "
                              f"{type(exc).__name__}: {exc}") from None
        self._link.watch()
        log.info("remote control listening on %s (OSC %s:%s)", self.url, self.config.osc_host, self.osc_port)
        return self

    async def _serve(self, loop: ServerLoop) -> None:
        from aiohttp import web

        @web.middleware
        async def guard(request: Any, handler: Any) -> Any:
            return await self._guard(request, handler)

        app = web.Application(client_max_size=self.config.max_body, middlewares=[guard])
        app.router.add_get(f"{API}/actions", self._get_actions)
        app.router.add_post(f"{API}/actions/{{name}}", self._post_action)
        app.router.add_get(f"{API}/state", self._get_state)
        app.router.add_get(f"{API}/variables", self._get_variables)
        app.router.add_get(f"{API}/ws", self._websocket)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        where = f"{self.config.host}:{self.config.port}"
        try:
            site = web.TCPSite(runner, self.config.host, self.config.port, backlog=64)
            await site.start()
            sockets = site._server.sockets if site._server else ()  # noqa: SLF001 - the chosen port
            self.port = sockets[0].getsockname()[1] if sockets else self.config.port
            if self.config.osc:
                osc_port = self.config.osc_port if self.config.osc_port is not None else (
                    self.port + 1 if self.config.port else 0)
                where = f"OSC {self.config.osc_host}:{osc_port}"
                transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
                    lambda: _OscProtocol(self), local_addr=(self.config.osc_host, osc_port))
                self._osc_transport = transport
                self.osc_port = transport.get_extra_info("sockname")[1]
        except OSError as exc:
            await runner.cleanup()
            host, _, port = where.removeprefix("OSC ").rpartition(":")
            loop.fail(bind_failure("remote control OSC" if where.startswith("OSC ") else "remote control", host,
                                   port, exc))
            return
        loop.ready()
        await loop.wait_stopped()
        if self._osc_transport is not None:
            self._osc_transport.close()
        await runner.cleanup()

    def stop(self, timeout: float = 5.0) -> None:
        """Close every client and both sockets. Idempotent; bounded."""
        self._link.close()
        self._thread.stop(timeout)
        self._link.shutdown()

    # -- state out ---------------------------------------------------------------------------
    def _publish(self, state: dict[str, Any]) -> None:
        text = json.dumps(state, ensure_ascii=False, default=str)
        if text != self._state_text:
            self._state_text = text
            self._feed.publish(f'{{"type":"state","state":{text}}}', "state")
        flat = variables(state)
        if flat != self._vars:
            changed = {k: v for k, v in flat.items() if self._vars.get(k) != v}
            self._vars = flat
            self._vars_text = json.dumps(flat, ensure_ascii=False)
            self._feed.publish(f'{{"type":"variables","variables":{self._vars_text}}}', "variables")
            self._osc_feedback(changed)

    def _osc_feedback(self, changed: dict[str, str]) -> None:
        transport = self._osc_transport
        if transport is None or not self._targets or not changed:
            return
        from pythonosc.osc_message_builder import OscMessageBuilder

        for name, value in changed.items():
            builder = OscMessageBuilder(address="/studio/var/" + name.replace(".", "/"))
            # Whole numbers go as OSC ints: Companion's generic OSC feedback compares numbers only.
            if value.lstrip("-").isdigit() and len(value) < 10:
                builder.add_arg(int(value), "i")
            else:
                builder.add_arg(value, "s")
            dgram = builder.build().dgram
            for target in self._targets:
                try:
                    transport.sendto(dgram, target)  # UDP: never waits on the target
                except OSError as exc:
                    log.warning("remote: OSC feedback to %s:%s failed: %s", *target, exc)

    # -- actions -----------------------------------------------------------------------------
    async def run_action(self, via: str, client: str, name: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Through the dispatcher on the studio's thread; (HTTP status, answer). Never raises."""
        def dispatch() -> Any:
            result = dispatch_as(self.studio, via, name, args)
            # The snapshot right after the action, so a GET after this answer never sees the
            # state from before it (the change notification may come a moment later).
            return result, (self.studio.state_dict() if getattr(result, "ok", False) else None)

        try:
            result, state = await asyncio.wrap_future(self._call(dispatch))
            if state is not None:
                self._publish(state)
            status = HTTP_STATUS.get(getattr(result, "code", "error"), 500)
            answer = _result_dict(result)
            code = str(result.code)
            why = _coded_reason(result)
        except Exception as exc:  # noqa: BLE001 - the dispatcher never raises; this is the guard
            log.error("remote: %s %s from %s failed: %s", via, name, client, type(exc).__name__)
            status, code, why = 500, "error", {}
            answer = {"ok": False, "message": f"{name}: internal error ({type(exc).__name__})", "data": {}}
        record = ActionRecord(time.time(), via, client, name, answer["ok"], code, answer["message"],
                              str(why.get("reason_code") or ""), why.get("reason_fields"))
        self.last_actions.append(record)
        if status == 200:
            log.info("remote: %s %s from %s: ok", via, name, client)
        else:
            log.warning("remote: %s %s from %s: %s %s", via, name, client, status, answer["message"])
        if self._on_action is not None:
            try:
                self._on_action(record)
            except Exception as exc:  # noqa: BLE001 - a view's problem never fails the action
                log.debug("remote: on_action failed: %s", exc)
        return status, answer

    # -- HTTP --------------------------------------------------------------------------------
    def _authorised(self, request: Any) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else request.query.get("token", "")
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.config.token.encode())

    @staticmethod
    def _refuse(status: int, message: str) -> Any:
        from aiohttp import web

        return web.json_response({"ok": False, "message": message, "data": {}}, status=status)

    async def _guard_impl(self, request: Any, handler: Any) -> Any:
        from aiohttp import web

        client = request.remote or "?"
        where = f"{request.method} {request.path}"  # never the query: it may hold the token
        self.seen(client)
        if not self._limit.allow(client):
            return self._refuse(429, f"too many requests from {client}: at most {self.config.rate_per_s:g}/s")
        if not self._authorised(request):
            log.warning("remote: refused %s from %s: no token or a wrong one", where, client)
            return self._refuse(401, "no token or a wrong one: send Authorization: Bearer TOKEN or ?token=TOKEN")
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            log.warning("remote: refused %s from %s: body over %d bytes", where, client, self.config.max_body)
            return self._refuse(413, f"request body over {self.config.max_body} bytes")
        except web.HTTPNotFound:
            log.warning("remote: %s from %s: no such path", where, client)
            return self._refuse(404, f"no such path {request.path}; the API is under {API}/")
        except web.HTTPMethodNotAllowed as exc:
            log.warning("remote: refused %s from %s: method not allowed", where, client)
            return self._refuse(405, f"{request.method} is not allowed on {request.path} "
                                     f"(allowed: {', '.join(sorted(exc.allowed_methods))})")

    async def _guard(self, request: Any, handler: Any) -> Any:
        """Every request: rate, token, the handler, then the answer written within ``stall_s``
        (a client that stops reading its answers is dropped, as WebSocket clients are)."""
        response = await self._guard_impl(request, handler)
        if response.prepared:  # the WebSocket: its own outbox watches it
            return response
        try:
            await asyncio.wait_for(self._write(request, response), self.config.stall_s)
        except asyncio.TimeoutError:
            log.warning("dropped client %s: not reading its HTTP answers for %g s", request.remote,
                        self.config.stall_s)
            transport = request.transport
            if transport is not None:
                transport.abort()
        return response

    @staticmethod
    async def _write(request: Any, response: Any) -> None:
        await response.prepare(request)
        await response.write_eof()

    async def _get_actions(self, request: Any) -> Any:
        from aiohttp import web

        actions = await asyncio.wrap_future(self._call(self.studio.actions))
        return web.json_response(actions, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _snapshot(self) -> None:
        if not self._state_text:  # asked before the first snapshot arrived: take it now
            self._publish(await asyncio.wrap_future(self._call(self.studio.state_dict)))

    async def _get_state(self, request: Any) -> Any:
        from aiohttp import web

        await self._snapshot()
        return web.Response(text=self._state_text, content_type="application/json")

    async def _get_variables(self, request: Any) -> Any:
        from aiohttp import web

        await self._snapshot()
        return web.Response(text=self._vars_text, content_type="application/json")

    async def _post_action(self, request: Any) -> Any:
        from aiohttp import web

        name = request.match_info["name"]
        client = request.remote or "?"
        if request.content_length is not None and request.content_length > self.config.max_body:
            raise web.HTTPRequestEntityTooLarge(max_size=self.config.max_body, actual_size=request.content_length)
        body = await request.read()
        args, problem = parse_args(body)
        if problem:
            log.warning("remote: refused POST %s from %s: %s", request.path, client, problem)
            return self._refuse(400, f"{name}: {problem}")
        status, answer = await self.run_action("http", client, name, args)
        return web.json_response(answer, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    # -- WebSocket ---------------------------------------------------------------------------
    async def _websocket(self, request: Any) -> Any:
        async def answer(peer: str, text: str | None) -> str:
            if text is None:
                return json.dumps({"type": "error", "message": "send JSON text frames"})
            return await self._ws_message(peer, text)

        return await serve_websocket(request, self._feed, "remote ws", self.config.max_body, answer)

    async def _ws_message(self, peer: str, text: str) -> str:
        """One client message -> the reply's JSON (same ``id``)."""
        def error(message: str, msg_id: Any = None, status: int = 400) -> str:
            log.warning("remote: ws message from %s refused: %s", peer, message)
            return json.dumps({"type": "result", "id": msg_id, "status": status, "ok": False,
                               "message": message, "data": {}}, ensure_ascii=False)

        if not self._limit.allow(peer):
            return error(f"too many requests from {peer}: at most {self.config.rate_per_s:g}/s", status=429)
        try:
            msg = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            return error(f"not JSON: {exc}" if isinstance(exc, json.JSONDecodeError) else "JSON nested too deep")
        if not isinstance(msg, dict):
            return error("expected a JSON object like {\"type\": \"action\", \"id\": 1, \"name\": \"show.go\"}")
        msg_id = msg.get("id")
        if msg.get("type") != "action":
            return error(f"unknown message type {msg.get('type')!r} (expected \"action\")", msg_id)
        name, args = msg.get("name"), msg.get("args", {})
        if not isinstance(name, str) or not name:
            return error("\"name\" must be an action name such as \"show.go\"", msg_id)
        if args is None:
            args = {}
        if not isinstance(args, dict):
            return error(f"{name}: \"args\" must be a JSON object", msg_id)
        status, answer = await self.run_action("ws", peer, name, args)
        return json.dumps({"type": "result", "id": msg_id, "status": status, **answer}, ensure_ascii=False,
                          default=str)

    # -- OSC ---------------------------------------------------------------------------------
    def seen(self, client: str) -> None:
        """Note a client for the dock; the oldest are forgotten beyond 256 (loop thread)."""
        self.peers.pop(client, None)
        self.peers[client] = time.time()
        if len(self.peers) > 256:
            del self.peers[next(iter(self.peers))]

    def osc_allowed(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return False
        return any(address in net for net in self._allowed if net.version == address.version)


async def serve_websocket(request: Any, feed: Fanout, label: str, max_msg: int,
                          answer: Callable[[str, str | None], Awaitable[str]]) -> Any:
    """One WebSocket client on ``feed``: every text frame gets ``await answer(peer, text)`` as a
    reply through the client's bounded outbox (``text`` None: a binary frame); a client that stops
    reading is dropped by the outbox. Returns the response when the client has gone."""
    from aiohttp import WSMsgType, web

    ws = web.WebSocketResponse(heartbeat=5.0, max_msg_size=max_msg)
    transport = request.transport
    await ws.prepare(request)
    peer = request.remote or "?"
    port = transport.get_extra_info("peername")[1] if transport is not None else 0
    name = f"{label} {peer}:{port}"

    async def send(text: str) -> None:
        if ws.closed:
            raise ConnectionError("closed")
        await ws.send_str(text)

    def abort() -> None:
        if transport is not None:
            transport.abort()

    outbox = feed.open(name, send, abort)
    log.info("%s connected", name)

    async def receive() -> None:
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                outbox.reply(await answer(peer, msg.data))
            elif msg.type == WSMsgType.BINARY:
                outbox.reply(await answer(peer, None))

    await feed.serve(outbox, receive())
    log.info("%s left", name)
    if not ws.closed:
        try:  # a dropped client's transport is gone; a closing handshake may never finish
            await asyncio.wait_for(ws.close(), 1.0)
        except (ConnectionError, asyncio.TimeoutError):
            pass
    return ws


def parse_args(body: bytes) -> tuple[dict[str, Any], str]:
    """An action's arguments from a request body: ({}, "") when empty; else (args, problem)."""
    if not body.strip():
        return {}, ""
    try:
        args = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "the body is not UTF-8 JSON"
    except json.JSONDecodeError as exc:
        return {}, f"the body is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return {}, "the body's JSON is nested too deep"
    if not isinstance(args, dict):
        return {}, f"the body must be a JSON object of arguments, not {type(args).__name__}"
    return args, ""


class _OscProtocol(asyncio.DatagramProtocol):
    """``/studio/<action name> [args…]`` (or ``/studio/show/go``). Arguments fill the action's
    declared arguments in order, or come as name/value pairs (``/studio/card.push slot 3``)."""

    def __init__(self, server: RemoteServer) -> None:
        self.server = server
        self._arg_names: dict[str, list[str]] | None = None
        self._refused_logged: dict[str, float] = {}

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        host = str(addr[0])
        client = f"osc {host}:{addr[1]}"
        server = self.server
        if not server.osc_allowed(host):
            now = time.monotonic()
            if now - self._refused_logged.get(host, -60.0) >= 10.0:  # a line per 10 s, not per packet
                self._refused_logged[host] = now
                log.warning("remote: OSC from %s refused: not an allowed source address", host)
            return
        server.seen(client)
        if not server._limit.allow(host):  # noqa: SLF001
            return
        from pythonosc.osc_packet import OscPacket

        try:
            messages = [timed.message for timed in OscPacket(data).messages]
        except Exception as exc:  # noqa: BLE001 - ParseError, and RecursionError on nested bundles
            log.warning("remote: malformed OSC from %s (%d bytes): %s", client, len(data), str(exc)[:120] or type(exc).__name__)
            return
        if not messages:  # python-osc reads a broken bundle as an empty one (found by the soak)
            log.warning("remote: malformed OSC from %s (%d bytes): no message in it", client, len(data))
            return
        for message in messages:
            asyncio.ensure_future(self._run(client, message.address, list(message.params)))

    async def _names(self) -> dict[str, list[str]]:
        if self._arg_names is None:
            actions = await asyncio.wrap_future(self.server._call(self.server.studio.actions))  # noqa: SLF001
            self._arg_names = {a["name"]: [x["name"] for x in a.get("args", ())] for a in actions}
            for a in actions:
                for alias in a.get("aliases", ()):
                    self._arg_names.setdefault(alias, self._arg_names[a["name"]])
        return self._arg_names

    async def _run(self, client: str, address: str, params: list[Any]) -> None:
        if not address.startswith("/studio/") or address.startswith("/studio/var/"):
            log.warning("remote: OSC from %s: address %r is not /studio/<action>", client, address[:80])
            return
        name = address[len("/studio/"):]
        names = await self._names()
        if name not in names and name.replace("/", ".") in names:
            name = name.replace("/", ".")
        declared = names.get(name, [])
        keys = params[0::2]
        if params and len(params) % 2 == 0 and all(isinstance(k, str) and (k in declared or k == "confirm")
                                                    for k in keys):
            args = dict(zip(keys, params[1::2]))
        elif len(params) > len(declared):
            log.warning("remote: OSC %s from %s: %d arguments, the action takes %d (%s)", name, client,
                        len(params), len(declared), ", ".join(declared) or "none")
            self.server.last_actions.append(ActionRecord(time.time(), "osc", client, name, False, "bad_args",
                                                         "too many arguments"))
            return
        else:
            args = dict(zip(declared, params))
        # OSC blobs and odd types become text the dispatcher can judge (and refuse) by itself.
        args = {k: (v if isinstance(v, (str, int, float, bool)) or v is None else repr(v)[:60]) for k, v in args.items()}
        await self.server.run_action("osc", client, name, args)
