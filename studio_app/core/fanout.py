"""Pushing state to network clients without letting one slow client grow the console's memory.

A phone asleep on Wi-Fi can finish the WebSocket handshake and then never read. Writing every
published state into its socket buffer (what ``websockets.broadcast`` does: it has no
backpressure) grew the console by ~1.8 GB in 40 s with ten such phones. Here each client gets a
:class:`ClientOutbox`:

- a slot per *kind* of message ("state", "variables", ...) holding only the newest one: a view
  needs only the latest state, so a newer one replaces an unsent older one;
- a short bounded queue for replies that must not be dropped (answers to a client's requests);
  a client that asks faster than it reads overflows it and is dropped;
- one sender task that writes one message at a time and waits for the library's drain, so at most
  one message plus the library's write buffer (``websockets``: 32 KiB high-water mark, aiohttp:
  64 KiB) is in flight per client;
- a client whose write has not completed for ``stall_s`` seconds has stopped reading: its
  connection is aborted and the drop is logged.

:class:`Fanout` keeps the outboxes of one server. Everything here runs on the server's asyncio
loop; :meth:`Fanout.publish_threadsafe` is the entry point from other threads (the desk).
The piece knows nothing about the WebSocket library: it is given a ``send`` coroutine and an
``abort`` function per client (the cue view uses websockets, the remote control aiohttp).
"""
from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

STALL_S = 4.0  # a write pending this long means the client stopped reading: drop it
REPLY_QUEUE = 64  # unsent replies per client before it counts as not reading


@dataclass(frozen=True)
class Drop:
    """Why a client was dropped (for the log and the Remote dock)."""

    client: str
    reason: str


class ClientOutbox:
    """One client's outgoing messages: the newest per kind plus a bounded reply queue.

    ``send(text)`` must wait while the library's write buffer is over its high-water mark (both
    websockets and aiohttp do) and raise ``ConnectionError`` once the connection is closed;
    ``abort()`` closes the connection at once without a closing
    handshake (the client is not reading it anyway).
    """

    def __init__(
        self,
        name: str,
        send: Callable[[str], Awaitable[None]],
        abort: Callable[[], None],
        *,
        stall_s: float = STALL_S,
        reply_queue: int = REPLY_QUEUE,
        on_drop: Callable[[Drop], None] | None = None,
    ) -> None:
        self.name = name
        self._send = send
        self._abort = abort
        self.stall_s = stall_s
        self._latest: dict[str, str] = {}  # kind -> newest unsent text (insertion order = first offered)
        self._replies: deque[str] = deque()
        self._reply_limit = reply_queue
        self._wake = asyncio.Event()
        self._on_drop = on_drop
        self.dropped: Drop | None = None

    def offer(self, text: str, kind: str) -> None:
        """Queue ``text`` as the newest message of ``kind`` (replaces an unsent older one)."""
        if self.dropped is not None:
            return
        if kind in self._latest:
            del self._latest[kind]  # re-insert: kinds go out in the order they changed
        self._latest[kind] = text
        self._wake.set()

    def reply(self, text: str) -> None:
        """Queue an answer that must arrive; a client that lets too many pile up is dropped."""
        if self.dropped is not None:
            return
        if len(self._replies) >= self._reply_limit:
            self.drop(f"{len(self._replies)} replies unread")
            return
        self._replies.append(text)
        self._wake.set()

    def _next(self) -> str | None:
        if self._replies:
            return self._replies.popleft()
        if self._latest:
            kind = next(iter(self._latest))
            return self._latest.pop(kind)
        return None

    async def run(self) -> None:
        """Send until the client is dropped or the task is cancelled (the connection closed)."""
        while self.dropped is None:
            await self._wake.wait()
            self._wake.clear()
            while self.dropped is None and (text := self._next()) is not None:
                try:
                    await asyncio.wait_for(self._send(text), self.stall_s)
                except asyncio.TimeoutError:
                    self.drop(f"not reading for {self.stall_s:g} s")
                    return
                except (ConnectionError, OSError) as exc:
                    # The connection is closing or gone (adapters turn their library's "closed"
                    # errors into ConnectionError): nothing more to send.
                    self.dropped = Drop(self.name, f"connection closed ({type(exc).__name__})")
                    return

    def drop(self, reason: str) -> None:
        """Abort the connection, forget what was queued and log why (once)."""
        if self.dropped is not None:
            return
        self.dropped = Drop(self.name, reason)
        self._latest.clear()
        self._replies.clear()
        self._wake.set()
        log.warning("dropped client %s: %s", self.name, reason)
        try:
            self._abort()
        except Exception as exc:  # noqa: BLE001 - a transport already gone is dropped anyway
            log.debug("abort of %s failed: %s", self.name, exc)
        if self._on_drop is not None:
            self._on_drop(self.dropped)


class Fanout:
    """The outboxes of one server's clients, fed from the desk through :meth:`publish_threadsafe`.

    ``latest`` keeps the newest message of each kind so a client that connects gets it at once.
    """

    def __init__(self, *, stall_s: float = STALL_S, on_drop: Callable[[Drop], None] | None = None) -> None:
        self.stall_s = stall_s
        self._outboxes: set[ClientOutbox] = set()
        self.latest: dict[str, str] = {}
        self._on_drop = on_drop
        self._loop: asyncio.AbstractEventLoop | None = None
        self.drops: deque[Drop] = deque(maxlen=50)

    def __len__(self) -> int:
        return len(self._outboxes)

    def bind(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """The loop that owns the clients (``None`` when the server stops)."""
        self._loop = loop

    def open(self, name: str, send: Callable[[str], Awaitable[None]], abort: Callable[[], None]) -> ClientOutbox:
        """A new client's outbox, primed with the newest message of every kind (loop thread)."""
        outbox = ClientOutbox(name, send, abort, stall_s=self.stall_s, on_drop=self._dropped)
        for kind, text in self.latest.items():
            outbox.offer(text, kind)
        self._outboxes.add(outbox)
        return outbox

    def close(self, outbox: ClientOutbox) -> None:
        self._outboxes.discard(outbox)

    def _dropped(self, drop: Drop) -> None:
        self.drops.append(drop)
        if self._on_drop is not None:
            self._on_drop(drop)

    def publish(self, text: str, kind: str = "state") -> None:
        """Offer ``text`` to every client (loop thread; never waits)."""
        self.latest[kind] = text
        for outbox in list(self._outboxes):
            outbox.offer(text, kind)

    def publish_threadsafe(self, text: str, kind: str = "state") -> None:
        """:meth:`publish` from any thread; before the loop runs it only updates ``latest``."""
        loop = self._loop
        if loop is None:
            self.latest[kind] = text
            return
        try:
            loop.call_soon_threadsafe(self.publish, text, kind)
        except RuntimeError:  # loop closed while stopping
            self.latest[kind] = text

    async def serve(self, outbox: ClientOutbox, receive: Awaitable[None]) -> None:
        """Run ``outbox``'s sender alongside ``receive`` (the client's read loop) until either
        ends; then forget the client. Used by each server's connection handler."""
        sender = asyncio.ensure_future(outbox.run())
        reader = asyncio.ensure_future(receive)
        try:
            await asyncio.wait({sender, reader}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sender, reader):
                task.cancel()
            await asyncio.gather(sender, reader, return_exceptions=True)
            self.close(outbox)
