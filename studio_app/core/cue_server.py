"""The cue screen, read-only, for phones and tablets on the studio LAN.

One self-contained HTML page (``resources/web/cue.html``) at ``/cue?token=...`` and a
WebSocket at ``/ws?token=...`` that pushes the JSON of every :class:`CueScreenState`
(the newest one at once to a client that connects). A wrong or missing token gets 403.

Each phone has a bounded outbox keeping only the newest state (:mod:`studio_app.core.fanout`);
a phone that stops reading for ``stall_s`` seconds is dropped and logged, so a sleeping phone
never grows the console's memory.

Threads: the server runs an asyncio loop in its own daemon thread. :meth:`publish` may be
called from any thread and never waits on a socket; :meth:`start` waits only for the
bind result (bounded), :meth:`stop` for the loop to finish (bounded).
"""
from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from websockets.asyncio.server import Server, ServerConnection
    from websockets.http11 import Request, Response

from studio_app.core.cue_state import (
    BLINK_PERIOD_S,
    FLASH_SECONDS,
    PHASE_COLORS,
    PROMPTER_BASE_LINES_PER_S,
    PROMPTER_CURVATURE,
    CueScreenState,
)
from studio_app.core.fanout import STALL_S, Fanout
from studio_app.core.loop_thread import ServerLoop
from studio_app.core.paths import resource

PAGE_PATH = "/cue"
SOCKET_PATH = "/ws"


class CueServerError(RuntimeError):
    """The LAN view cannot run; the message says what and where (one line)."""


def new_token() -> str:
    """A fresh per-show access token (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def cue_page_html() -> str:
    """The page with the shared constants (phase colours, prompter curve) filled in."""
    path = resource("web", "cue.html")
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CueServerError(f"cue page {path} is unreadable: {exc.strerror or exc}") from exc
    config = {
        "phaseColors": PHASE_COLORS,
        "flashSeconds": FLASH_SECONDS,
        "blinkPeriod": BLINK_PERIOD_S,
        "prompterBase": PROMPTER_BASE_LINES_PER_S,
        "prompterCurvature": PROMPTER_CURVATURE,
        "socketPath": SOCKET_PATH,
    }
    return html.replace("/*CUE_CONFIG*/{}", json.dumps(config, ensure_ascii=False))


class CueServer:
    """Serves the cue view on ``host:port`` (``port=0`` picks a free one).

    ``url`` is what the desk shows (and encodes as a QR code, later) for the phones.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 8765, token: str | None = None, *, stall_s: float = STALL_S,
    ) -> None:
        self.host = host
        self.port = port
        self.token = token or new_token()
        self._html = cue_page_html()
        self._server: Server | None = None
        self._feed = Fanout(stall_s=stall_s)
        self._thread = ServerLoop("cue-lan-server", self._feed)

    # -- life cycle ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread.running

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{PAGE_PATH}?token={quote(self.token)}"

    @property
    def client_count(self) -> int:
        return len(self._feed)

    @property
    def drops(self) -> list:
        """The latest clients dropped for not reading (:class:`~studio_app.core.fanout.Drop`)."""
        return list(self._feed.drops)

    def start(self, timeout: float = 5.0) -> "CueServer":
        """Bind and serve; raises :class:`CueServerError` (address in use, bad interface)."""
        if self.running:
            return self
        try:
            self._thread.start(self._serve, timeout)
        except TimeoutError:
            raise CueServerError(f"cue LAN view on {self.host}:{self.port} did not start within {timeout:.0f} s") from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CueServerError(f"cue LAN view cannot listen on {self.host}:{self.port}: {reason}") from None
        return self

    async def _serve(self, loop: ServerLoop) -> None:
        try:
            from websockets.asyncio.server import serve  # loaded when the LAN view is turned on

            server = await serve(
                self._handle, self.host, self.port,
                process_request=self._process_request,
                ping_interval=5, ping_timeout=5,  # a phone that walks away is dropped within ~10 s
                max_size=4096,  # clients never send anything that matters
                max_queue=4,  # ...so unread incoming frames stay few (the reader discards them)
                server_header=None,
            )
        except OSError as exc:
            loop.fail(exc)
            return
        self._server = server
        self.port = server.sockets[0].getsockname()[1] if server.sockets else self.port
        loop.ready()
        await loop.wait_stopped()
        server.close()
        await server.wait_closed()

    def stop(self, timeout: float = 5.0) -> None:
        """Close every client and the listening socket. Idempotent."""
        self._thread.stop(timeout)

    # -- publishing ------------------------------------------------------------------------
    def publish(self, state: CueScreenState | str) -> None:
        """Push a state to every connected page (any thread; never blocks). A page that has
        not taken the previous state yet gets only this newest one."""
        text = state if isinstance(state, str) else state.to_json()
        self._feed.publish_threadsafe(text)

    # -- HTTP and WebSocket ----------------------------------------------------------------
    def _authorised(self, query: str) -> bool:
        given = parse_qs(query).get("token", [""])[0]
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        if parts.path not in (PAGE_PATH, SOCKET_PATH):
            return connection.respond(404, "Not found\n")
        if not self._authorised(parts.query):
            return connection.respond(403, "Forbidden: this cue view needs the link with the show's token\n")
        if parts.path == PAGE_PATH:
            response = connection.respond(200, self._html)
            del response.headers["Content-Type"]  # Headers is multi-valued: replace, don't add
            response.headers["Content-Type"] = "text/html; charset=utf-8"
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
            return response
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return connection.respond(426, "WebSocket upgrade required\n")
        return None

    async def _handle(self, connection: ServerConnection) -> None:
        from websockets.exceptions import ConnectionClosed

        async def send(text: str) -> None:
            try:
                await connection.send(text)
            except ConnectionClosed as exc:
                raise ConnectionError("closed") from exc

        async def discard_incoming() -> None:  # read-only view: ignore what the page sends
            try:
                async for _ in connection:
                    pass
            except ConnectionClosed:
                pass

        peer = connection.remote_address
        name = f"cue view {peer[0]}:{peer[1]}" if peer else "cue view"
        outbox = self._feed.open(name, send, connection.transport.abort)
        await self._feed.serve(outbox, discard_incoming())
