"""An asyncio loop in its own daemon thread running one network server (the cue LAN view, the
remote control): the desk's thread only waits, bounded, for the bind result and for the stop.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable

from studio_app.core.fanout import Fanout


class ServerLoop:
    """``serve(self)`` binds, then calls :meth:`ready` (or :meth:`fail` with the bind error and
    returns), then ``await self.wait_stopped()`` and closes what it opened."""

    def __init__(self, name: str, feed: Fanout | None = None) -> None:
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._feed = feed
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stopped: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, serve: Callable[["ServerLoop"], Awaitable[None]], timeout: float) -> None:
        """Run ``serve``; returns once it is ready. Raises what it passed to :meth:`fail`, or
        TimeoutError when it did not get ready within ``timeout`` seconds."""
        self._ready.clear()
        self._failure = None

        def run() -> None:
            loop = asyncio.new_event_loop()
            self.loop = loop
            if self._feed is not None:
                self._feed.bind(loop)
            try:
                loop.run_until_complete(self._run(serve))
            finally:
                if self._feed is not None:
                    self._feed.bind(None)
                loop.close()
                self._ready.set()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"did not start within {timeout:.0f} s")
        if self._failure is not None:
            self._thread.join(timeout)
            self._thread = None
            raise self._failure

    async def _run(self, serve: Callable[["ServerLoop"], Awaitable[None]]) -> None:
        self._stopped = asyncio.Event()
        try:
            await serve(self)
        except Exception as exc:  # noqa: BLE001 - a server that breaks while starting says so
            if not self._ready.is_set():
                self.fail(exc)
            else:
                raise

    def ready(self) -> None:
        self._ready.set()

    def fail(self, exc: BaseException) -> None:
        self._failure = exc
        self._ready.set()

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask ``serve`` to finish and wait for the thread (bounded). Idempotent."""
        thread, loop = self._thread, self.loop
        self._thread = None
        if thread is None or loop is None or not thread.is_alive():
            return
        try:
            loop.call_soon_threadsafe(self._stopped.set)
        except RuntimeError:  # loop already closed
            pass
        thread.join(timeout)
