"""The live room's ingest endpoint: a bridge the studio runs posts the platform's numbers here.

    POST /room/v1/messages   body: one JSON object, an array, or NDJSON (resources/room/FORMAT.md)
    GET  /room/v1/status     counts per reason, the newest message time
    WS   /room/v1/ws         every text frame is a body as above; each gets an answer frame

Off by default; bound to the interface the user picks; ``Authorization: Bearer TOKEN`` or
``?token=`` (never logged). Answers: 200 ``{"accepted", "refused", "errors", "ignored_fields"}``
when anything was accepted or nothing was refused; 400 when nothing was acceptable (with the
reasons); 401 token; 413 body over ``max_body``; 429 over the per-client rate. Every refusal is
counted and logged through the :class:`~studio_app.room.ingest.RoomIngest` (source ``room``).

Built from the remote-control server's pieces (:mod:`studio_app.remote.server`): the asyncio
loop thread, the per-client token bucket, the quiet handling of malformed requests, and the
newest-only outboxes of :mod:`studio_app.core.fanout` for WebSocket answers (a client that stops
reading is dropped, never buffered without bound). Parsing and the rules run on one worker
thread, in arrival order, so the loop keeps answering (401, 429) while a big body is read.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any

from studio_app.core.fanout import STALL_S, Fanout
from studio_app.core.loop_thread import ServerLoop
from studio_app.remote.server import _QUIET, RateLimit, RemoteError, _BindError, bind_failure, serve_websocket
from studio_app.room.ingest import IngestResult, RoomIngest
from studio_app.room.messages import LineError
from studio_app.room.timefmt import iso

log = logging.getLogger(__name__)

API = "/room/v1"
MAX_BODY = 1024 * 1024  # ~10,000 messages of NDJSON per request
RATE_PER_S = 200.0  # requests per client; batch messages (arrays, NDJSON) to send more
BURST = 400
_JUDGED = "room_ingest_judged"  # request key: rate and token already checked


def parse_listen(text: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """``[HOST:]PORT`` (``[::1]:PORT`` for IPv6) -> (host, port); PORT 0 picks a free port
    (tests). ValueError with one line."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep:
        host, port_text = default_host, text.strip()
    host = host.strip("[]") or default_host
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"{text!r}: expected [HOST:]PORT with PORT 0..65535, e.g. 8810 or 0.0.0.0:8810")
    return host, int(port_text)


@dataclass
class RoomIngestConfig:
    host: str = "127.0.0.1"
    port: int = 8810  # 0: a free port (tests)
    token: str = ""
    max_body: int = MAX_BODY
    rate_per_s: float = RATE_PER_S
    burst: int = BURST
    stall_s: float = STALL_S

    @classmethod
    def from_settings(cls, settings: Any, token: str) -> "RoomIngestConfig":
        try:
            rate = max(1.0, float(settings.get("room.ingest_rate", RATE_PER_S)))
        except (TypeError, ValueError):
            log.warning("room ingest: settings room.ingest_rate is not a number; using %g/s", RATE_PER_S)
            rate = RATE_PER_S
        return cls(host=str(settings.get("room.ingest_host", "127.0.0.1")),
                   port=int(settings.get("room.ingest_port", 8810)), token=token, rate_per_s=rate,
                   burst=max(1, int(rate * 2)))


def wanted_sockets(config: RoomIngestConfig) -> set[tuple[str, str, int]]:
    return {("tcp", config.host, config.port)}


class RoomIngestServer:
    """Start with :meth:`start` (raises :class:`RemoteError` with one line), end with :meth:`stop`."""

    def __init__(self, ingest: RoomIngest, config: RoomIngestConfig) -> None:
        if not config.token:
            raise RemoteError("the room ingest endpoint needs a token (STUDIO_ROOM_TOKEN or the secrets store)")
        self.ingest = ingest
        self.config = config
        self.port = config.port
        self._feed = Fanout(stall_s=config.stall_s)
        self._limit = RateLimit(config.rate_per_s, config.burst)
        self._thread = ServerLoop("room-ingest", self._feed)
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="room-ingest-work")
        self.requests = 0

    @property
    def running(self) -> bool:
        return self._thread.running

    @property
    def url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}{API}"

    def claims(self) -> set[tuple[str, str, int]]:
        """The socket it has bound (see :mod:`studio_app.remote.relisten`)."""
        return {("tcp", self.config.host, self.port)}

    def start(self, timeout: float = 10.0) -> "RoomIngestServer":
        if self.running:
            return self
        for name in ("aiohttp.server", "aiohttp.web", "aiohttp.access"):
            if _QUIET not in logging.getLogger(name).filters:
                logging.getLogger(name).addFilter(_QUIET)
        where = f"{self.config.host}:{self.config.port}"
        try:
            self._thread.start(self._serve, timeout)
        except TimeoutError:
            raise RemoteError(f"room ingest on {where} did not start within {timeout:.0f} s") from None
        except _BindError as exc:
            raise RemoteError(str(exc), exc.reason_code, exc.reason_fields) from None
        except Exception as exc:  # noqa: BLE001 - one line, whatever broke
            raise RemoteError(f"room ingest on {where} could not start: {type(exc).__name__}: {exc}") from None
        log.info("room ingest listening on %s", self.url)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._thread.stop(timeout)
        self._worker.shutdown(wait=True, cancel_futures=False)

    async def _serve(self, loop: ServerLoop) -> None:
        from aiohttp import web

        @web.middleware
        async def guard(request: Any, handler: Any) -> Any:
            return await self._guard(request, handler)

        app = web.Application(client_max_size=self.config.max_body, middlewares=[guard])
        app.router.add_post(f"{API}/messages", self._post, expect_handler=self._expect)
        app.router.add_get(f"{API}/status", self._status)
        app.router.add_get(f"{API}/ws", self._websocket)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.config.host, self.config.port, backlog=128)
            await site.start()
            sockets = site._server.sockets if site._server else ()  # noqa: SLF001 - the chosen port
            self.port = sockets[0].getsockname()[1] if sockets else self.config.port
        except OSError as exc:
            await runner.cleanup()
            loop.fail(bind_failure("room ingest", self.config.host, self.config.port, exc))
            return
        loop.ready()
        await loop.wait_stopped()
        await runner.cleanup()

    # -- HTTP --------------------------------------------------------------------------------
    def _refuse(self, status: int, reason: str, message: str, client: str) -> Any:
        from aiohttp import web

        self.ingest.refuse(LineError("request", message, reason), f"http {client}")
        return web.json_response({"accepted": 0, "refused": 1, "errors": [
            {"where": "request", "reason": reason, "message": message}]}, status=status,
            dumps=lambda o: json.dumps(o, ensure_ascii=False))

    def _authorised(self, request: Any) -> bool:
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header[:7].lower() == "bearer " else request.query.get("token", "")
        return hmac.compare_digest(given.encode("utf-8", "replace"), self.config.token.encode())

    def _admit(self, request: Any) -> Any:
        """The refusal (429, 401) of a request before its body is read, or None. Once per
        request: an ``Expect: 100-continue`` request is judged before it is asked for its body."""
        if request.get(_JUDGED):
            return None
        request[_JUDGED] = True
        client = request.remote or "?"
        self.requests += 1
        if not self._limit.allow(client):
            return self._refuse(429, "rate_limited", f"too many requests from {client}: at most "
                                f"{self.config.rate_per_s:g}/s (send arrays or NDJSON)", client)
        if not self._authorised(request):
            log.warning("room ingest: refused %s %s from %s: no token or a wrong one", request.method, request.path,
                        client)
            return self._refuse(401, "unauthorised", "no token or a wrong one: send Authorization: Bearer TOKEN",
                                client)
        return None

    def _too_large(self, client: str) -> Any:
        resp = self._refuse(413, "too_large", f"request body over {self.config.max_body} bytes: send smaller "
                            "batches", client)
        resp.force_close()  # the rest of an unread body is not a next request
        return resp

    async def _expect(self, request: Any) -> Any:
        """``Expect: 100-continue``: refuse (rate, token, a declared size over the limit)
        instead of inviting the body, so a client that asks first never sends megabytes that
        would be read only to be thrown away. aiohttp's own handler says 100 to everything."""
        from aiohttp import web

        if request.headers.get("Expect", "").lower() != "100-continue":
            raise web.HTTPExpectationFailed(text=f"unknown Expect: {request.headers.get('Expect', '')}")
        refusal = self._admit(request)
        if refusal is None and request.content_length is not None and request.content_length > self.config.max_body:
            refusal = self._too_large(request.remote or "?")
        if refusal is not None:
            refusal.force_close()
            return refusal
        if request.version >= (1, 1):
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            request.writer.output_size = 0  # the answer's own size starts after the interim one
        return None

    async def _guard(self, request: Any, handler: Any) -> Any:
        from aiohttp import web

        client = request.remote or "?"
        refusal = self._admit(request)
        if refusal is not None:
            return refusal
        try:
            return await handler(request)
        except web.HTTPRequestEntityTooLarge:
            return self._too_large(client)
        except web.HTTPNotFound:
            return web.json_response({"ok": False, "message": f"no such path {request.path}; the endpoint is "
                                      f"{API}/messages"}, status=404)
        except web.HTTPMethodNotAllowed as exc:
            return web.json_response({"ok": False, "message": f"{request.method} is not allowed on {request.path} "
                                      f"(allowed: {', '.join(sorted(exc.allowed_methods))})"}, status=405)

    async def _submit(self, body: bytes, via: str) -> IngestResult:
        def work() -> IngestResult:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                err = LineError("body", f"not UTF-8 (byte {exc.start})", "malformed")
                self.ingest.refuse(err, via)
                return IngestResult(refused=[err])
            return self.ingest.submit_text(text, via)

        return await asyncio.wrap_future(self._worker.submit(work))

    @staticmethod
    def _status_of(result: IngestResult) -> int:
        return 400 if result.refused and not result.accepted else 200

    async def _post(self, request: Any) -> Any:
        from aiohttp import web

        client = request.remote or "?"
        if request.content_length is not None and request.content_length > self.config.max_body:
            raise web.HTTPRequestEntityTooLarge(max_size=self.config.max_body, actual_size=request.content_length)
        body = await request.read()
        result = await self._submit(body, f"http {client}")
        return web.json_response(result.to_json(), status=self._status_of(result),
                                 dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def _status(self, request: Any) -> Any:
        from aiohttp import web

        last = self.ingest.last_accepted_ts
        return web.json_response({"counts": self.ingest.counts(), "newest": iso(last) if last else None,
                                  "show": self.ingest.show_id}, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    # -- WebSocket ---------------------------------------------------------------------------
    async def _websocket(self, request: Any) -> Any:
        async def answer(peer: str, text: str | None) -> str:
            if text is None:
                return json.dumps({"status": 400, "accepted": 0, "refused": 1, "errors": [
                    {"where": "frame", "reason": "malformed", "message": "send JSON text frames"}]})
            if not self._limit.allow(peer):
                message = f"too many frames from {peer}: at most {self.config.rate_per_s:g}/s"
                self.ingest.refuse(LineError("frame", message, "rate_limited"), f"ws {peer}")
                return json.dumps({"status": 429, "accepted": 0, "refused": 1, "errors": [
                    {"where": "frame", "reason": "rate_limited", "message": message}]}, ensure_ascii=False)
            result = await self._submit(text.encode("utf-8", "surrogatepass"), f"ws {peer}")
            return json.dumps({"status": self._status_of(result), **result.to_json()}, ensure_ascii=False)

        return await serve_websocket(request, self._feed, "room ws", self.config.max_body, answer)
