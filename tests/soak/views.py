"""What surrounds the console in a soak: the views on an X display, the room feed and the
remote clients (issue 20 with issues 15 and 16).

In the console's process, on the soak's Qt loop (a QApplication on its own Xvfb):
- the anchor's cue screen: the desk's real :class:`CueScreenControl` opening the real
  :class:`CueScreen` window full screen, its prompter kept scrolling, so the loop whose
  lateness is measured really paints the prompter;
- the 数据大屏 dock (:class:`RoomPanel`) with its live ingest endpoint on (token, loopback),
  recording into ``room_messages`` as the desk does; its DATA STALE label is what the room
  fault is judged by;
- the studio's LAN view (the cue page for phones) and the remote-control server (HTTP,
  WebSocket, OSC), as the desk turns them on.

In other processes (:class:`Child`): the room bridge posting the sample show's room data
(``room_bridge.py``), a Stream Deck and a WebSocket subscriber (``remote_client.py``) and the
phone view in headless Chromium (``phone.py``). Each takes commands on stdin and prints JSON
lines; the faults below tell them to misbehave.

What the console did is put on the soak's fault timeline (``Logs._note``) as it is seen:
room refusals (``room.rejected`` events), DATA STALE shown and cleared, the remote server's
log lines (refused token, malformed JSON or OSC, rate-limited, a client dropped), the
well-behaved deck's actions answered, the phone page connected or gone.
"""
from __future__ import annotations

import contextlib
import heapq
import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any, Callable, ContextManager

ROOT = Path(__file__).resolve().parents[2]
BAD_HOST = "127.0.0.2"  # the misbehaving remote client (the room ingest's refusals of 127.0.0.1 share the logger)
BAD_PEER = "0200007F"  # 127.0.0.2 as /proc/net/tcp writes it: the misbehaving client's address


def start_display() -> Any:
    """An Xvfb of the views' own (1920x1080), started on the main thread (it dies with the
    thread that started it); the Qt application made after this paints on it."""
    from tests.harness.xvfb import Xvfb

    xvfb = Xvfb(first_display=140)
    os.environ["DISPLAY"] = xvfb.start(1920, 1080)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return xvfb


def favour_display(xvfb: Any, choice: str) -> str:
    """The views' Xvfb stands in for the studio's display server. ``realtime``: every thread of
    it at SCHED_RR 1, as KWin runs itself on Wayland (the lowest real-time priority, since
    Plasma 5.11: "all input and rendering needs to go through the windowing system"). Returns
    what it did, one line."""
    if choice == "normal" or xvfb is None or getattr(xvfb, "proc", None) is None:
        return "normal"
    pid = xvfb.proc.pid
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            os.sched_setscheduler(int(tid), os.SCHED_RR | os.SCHED_RESET_ON_FORK, os.sched_param(1))
    except OSError as exc:
        return f"normal ({exc.strerror or exc})"
    return "realtime (SCHED_RR 1)"


class Child:
    """A client in its own process: commands on stdin, JSON lines back (read on a soak thread)."""

    def __init__(self, name: str, argv: list[str], log_dir: Path,
                 on_event: Callable[[dict], None] | None = None) -> None:
        self.name = name
        self._err = open(log_dir / f"{name}.stderr", "w")  # noqa: SIM115 - closed in close()
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("DISPLAY", None)  # headless clients: never on the views' display
        # A session of its own, as a control surface or a bridge is a program of its own (the
        # kernel's autogroup would count its CPU against the console's share, GUI thread included).
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._err, text=True, bufsize=1, start_new_session=True)
        self.last: dict[str, dict] = {}
        self.seen: Counter = Counter()
        self.events: deque = deque(maxlen=200)
        self._cond = threading.Condition()
        self._on_event = on_event
        self._send_lock = threading.Lock()  # commands come from the hands thread and the probe's timer
        self._thread = threading.Thread(target=self._read, name=f"soak-child-{name}", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            event = obj.get("event", "")
            obj["at"] = time.monotonic()
            with self._cond:
                self.last[event] = obj
                self.seen[event] += 1
                self.events.append(obj)
                self._cond.notify_all()
            if self._on_event is not None:
                self._on_event(obj)
        with self._cond:
            self.seen["exit"] += 1
            self._cond.notify_all()

    def send(self, command: str) -> None:
        with self._send_lock:
            try:
                self.proc.stdin.write(command + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass

    def wait_for(self, event: str, count: int = 1, timeout: float = 30.0) -> dict | None:
        """The ``count``-th ``event`` (or None after ``timeout`` or if the child ended)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.seen[event] < count:
                left = deadline - time.monotonic()
                if left <= 0 or self.seen["exit"]:
                    return None
                self._cond.wait(left)
            return self.last[event]

    def report(self, timeout: float = 15.0) -> dict:
        n = self.seen["report"]
        self.send("report")
        return self.wait_for("report", n + 1, timeout) or {}

    def close(self) -> int | None:
        self.send("quit")
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._thread.join(5)
        self._err.close()
        return self.proc.returncode


class _RemoteLogWatch(logging.Handler):
    """The remote server's and the outboxes' log lines, onto the fault timeline."""

    KINDS = (("no token or a wrong one", "refused_token"), ("is not JSON", "malformed_json"),
             ("malformed OSC", "malformed_osc"), ("rate-limited " + BAD_HOST, "rate_limited"),
             ("dropped client", "dropped"),
             ("remote ws 127.0.0.2:", "gone"))

    def __init__(self, note: Callable[[str, str], None]) -> None:
        super().__init__(logging.INFO)
        self.note = note
        self.counts: Counter = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001
            return
        for needle, kind in self.KINDS:
            if needle in text:
                if kind == "dropped" and "remote ws" not in text:
                    kind = "dropped_other"  # the cue page's or the room socket's outbox
                if kind == "gone":  # the unread WebSocket: closed by the server's heartbeat (5 s ping)
                    if not text.endswith(" left"):
                        return
                    kind = "dropped"
                self.counts[kind] += 1
                self.note("remote", kind)
                return


class Views:
    def __init__(self, studio: Any, logs: Any, base: Path, speed: float, seed: int) -> None:
        self.studio, self.logs, self.base, self.speed, self.seed = studio, logs, base, speed, seed
        # Ids of the room messages the console accepted, kept on disk: 50,000 of them a
        # 30-minute run held ~5 MB in the very process whose RSS growth the soak measures.
        self._room_ids = open(base / "room-accepted-ids.txt", "w", encoding="utf-8")  # noqa: SIM115 - closed in room_check
        self.room_accepted = 0
        self.remote_by_via: Counter = Counter()  # actions the remote server ran, by http/ws/osc
        self.remote_status: Counter = Counter()
        # The good deck's press-to-answer times (ms): all of them, and while a client misbehaved
        # (injection to the deck served with the bad client gone): was it ever held up?
        self.deck_ms: list[float] = []
        self.deck_ms_misbehaving: list[float] = []
        self.deck_slowest: list[tuple[float, float, str]] = []  # (ms, pressed at (monotonic), via), 5 slowest
        # Presses are timed while the show runs; after it the soak's own end work (its census of
        # every object, a full collection) holds the interpreter lock for hundreds of ms.
        self.counting = True
        self._misbehaving = False
        self.stale = False
        self.stale_seen = 0
        self.phone_clients = 0
        self.children: dict[str, Child] = {}
        self._probes = 0  # probes of the deck left after a misbehaving client (0: none running)
        self._lock = threading.Lock()
        self.panel = self.cue = self.window = self.remote = None
        self.watch: _RemoteLogWatch | None = None
        self.room_show_id = ""
        self.shots: list[str] = []  # pictures of what the views showed (looked at by a person)
        self.shot_dir: Path | None = None
        # Wraps the soak's own work on the GUI thread (a screenshot: no desk does it), so the
        # stall probe keeps it apart from the desk's stalls.
        self.own_work: Callable[[str], ContextManager[None]] = lambda what: contextlib.nullcontext()

    def note(self, source: str, kind: str) -> None:
        self.logs._note(time.monotonic(), source, kind)  # noqa: SLF001

    # -- set-up (GUI thread) -------------------------------------------------------------
    def start(self, say: Callable[[str], None]) -> "Views":
        from PySide6.QtCore import QCoreApplication, QTimer

        from studio_app.core.settings import Settings
        from studio_app.remote.server import RemoteConfig, RemoteServer
        from studio_app.ui.cue_control import CueScreenControl
        from studio_app.ui.room_panel import RoomPanel

        room_token, remote_token = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        os.environ["STUDIO_ROOM_TOKEN"] = room_token  # as a studio sets it; never logged
        settings = Settings(self.base / "settings.toml")
        for key, value in (("room.ingest_enabled", True), ("room.ingest_host", "127.0.0.1"), ("room.ingest_port", 0)):
            settings.set(key, value)
        app = QCoreApplication.instance()

        def pump(until: Callable[[], bool], timeout: float, what: str) -> None:
            deadline = time.monotonic() + timeout
            while not until():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")
                app.processEvents()
                time.sleep(0.02)

        say("opening the anchor's cue screen (Xvfb) and the live-room dock with its ingest endpoint")
        self.cue = CueScreenControl(settings, log=self.logs, studio=self.studio)
        self.window = self.cue.open_screen()
        self.window.prompter_run(True)
        self.panel = RoomPanel(self.studio, log=self.logs, settings=settings)
        self.panel.resize(1200, 700)
        self.panel.setWindowTitle("数据大屏 (soak)")
        self.panel.show()
        self.panel.start_ingest()
        pump(lambda: self.panel.server is not None, 20, "the room ingest endpoint")
        self.room_show_id = self.panel.server.ingest.show_id
        self.panel.server.ingest.listen(self._room_accepted)
        lan_url = self.studio.open_lan("127.0.0.1", 0, secrets.token_urlsafe(16))
        self.remote = RemoteServer(self.studio, RemoteConfig(
            host="127.0.0.1", port=0, token=remote_token, osc_allow=("127.0.0.0/8",)),  # the studio's LAN range
            on_action=self._remote_action).start()
        self.watch = _RemoteLogWatch(self.note)
        # INFO for the clients that leave; only warnings go on to stderr (a line per action would not).
        loud = logging.StreamHandler(sys.stderr)
        loud.setLevel(logging.WARNING)
        loud.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
        for name in ("studio_app.remote.server", "studio_app.core.fanout"):
            logger = logging.getLogger(name)
            logger.addHandler(self.watch)
            logger.addHandler(loud)
            logger.setLevel(logging.INFO)
            logger.propagate = False
        say("starting the room bridge, the Stream Deck and WebSocket client, the phone view in Chromium")
        py = sys.executable
        self.children["room"] = Child("room-bridge", [py, str(ROOT / "tests/soak/room_bridge.py"),
                                                      f"{self.panel.server.url}/messages", room_token,
                                                      str(self.speed)], self.base)
        self.children["remote"] = Child("remote-client", [py, str(ROOT / "tests/soak/remote_client.py"),
                                                          self.remote.url, remote_token, str(self.remote.osc_port),
                                                          str(self.seed)], self.base, self._remote_event)
        self.children["phone"] = Child("phone", [py, "-m", "tests.soak.phone", lan_url], self.base)
        for child in self.children.values():
            if child.wait_for("ready", timeout=60) is None:
                raise RuntimeError(f"{child.name} did not start (see {self.base / (child.name + '.stderr')})")
        pump(lambda: self.studio.lan.client_count >= 1, 30, "the phone view's WebSocket")
        self.phone_clients = self.studio.lan.client_count
        self._timer = QTimer()
        self._timer.timeout.connect(self._poll)
        self._timer.start(250)
        return self

    # -- what the console did (any thread) ----------------------------------------------------
    def _room_accepted(self, msg: Any) -> None:
        with self._lock:
            self.room_accepted += 1
            if msg.id is not None:
                self._room_ids.write(msg.id + "\n")

    def _remote_action(self, record: Any) -> None:  # the server's loop thread
        with self._lock:
            self.remote_by_via[record.via] += 1
            self.remote_status[f"{record.via}_{record.code}"] += 1

    def _remote_event(self, event: dict) -> None:  # the remote client's reader thread
        if (event.get("event") == "pressed" and event.get("via") in ("http", "ws") and "ms" in event
                and self.counting):
            self.deck_ms.append(event["ms"])
            # the slowest answers, with when they were asked, to set beside the faults then
            with self._lock:
                heapq.heappush(self.deck_slowest, (event["ms"], time.monotonic() - event["ms"] / 1000.0, event["via"]))
                if len(self.deck_slowest) > 5:
                    heapq.heappop(self.deck_slowest)
            if self._misbehaving:
                self.deck_ms_misbehaving.append(event["ms"])
        # The well-behaved deck's press answered, and nothing of the misbehaving client's left.
        if (event.get("event") == "pressed" and event.get("via") in ("http", "ws") and event.get("status") == 200
                and self.bad_sockets() == 0):
            self.note("remote", "deck_ok")
        elif event.get("event") == "probe" and self._probes > 0:
            if event.get("status") == 200 and self.bad_sockets() == 0:
                self._probes = 0
                self._misbehaving = False
                self.note("remote", "deck_ok")
            else:  # not yet: ask again shortly (bounded), rather than wait for the deck's next press
                self._probes -= 1
                threading.Timer(0.1, self.children["remote"].send, ("probe",)).start()

    def bad_sockets(self) -> int:
        """Connections from the misbehaving client's address still open on the remote server."""
        if self.remote is None:
            return 0
        port = f"{self.remote.port:04X}"
        n = 0
        try:
            with open("/proc/net/tcp") as f:
                for line in f.readlines()[1:]:
                    cols = line.split()
                    local, peer, state, inode = cols[1], cols[2], cols[3], cols[9]
                    if local.endswith(":" + port) and peer.startswith(BAD_PEER) and inode != "0" and state != "0A":
                        n += 1
        except OSError:
            return 0
        return n

    def _poll(self) -> None:
        """GUI thread, 4 times a second: what the dock and the LAN view show; the prompter runs."""
        stale = self.panel.stale_label.isVisible()
        if stale != self.stale:
            self.stale = stale
            self.stale_seen += stale
            self.note("room", "stale" if stale else "fresh")
            if stale and self.stale_seen == 1:
                self._shot(self.panel, "soak-room-stale.png")
                self._shot(self.window, "soak-cue-screen.png")
        clients = self.studio.lan.client_count if self.studio.lan is not None else 0
        if (clients == 0) != (self.phone_clients == 0):
            self.note("phone", "gone" if clients == 0 else "back")
        self.phone_clients = clients
        if not self.window.prompter.running:  # the script ended or a new segment's began
            self.window.prompter_run(True)

    def _shot(self, widget: Any, name: str) -> None:
        if self.shot_dir is not None:
            path = self.shot_dir / name
            with self.own_work(f"screenshot {name}"):
                widget.grab().save(str(path))
            self.shots.append(str(path))

    # -- faults (the soak's hands thread) -----------------------------------------------------
    def room_flood(self) -> None:
        self.children["room"].send("flood")

    def room_resume(self) -> None:
        self.children["room"].send("resume")

    def remote_misbehave(self) -> None:
        child = self.children["remote"]
        self._bad_ends = child.seen["unread_ws_end"]
        self._misbehaving = True
        child.send("misbehave")

    def remote_probe(self) -> None:
        """Right after the misbehaving client left: is the deck served, and are its sockets gone?
        (Its own presses come every 2-4 s, and a press the dispatcher refuses (409) says nothing:
        waiting for the next good one measured the deck's rhythm, up to ~8 s, not the server.)"""
        self._probes = 300
        self.children["remote"].send("probe")

    def remote_client_gone(self) -> None:
        """The misbehaving client leaves once its unread WebSocket was dropped (or gave up)."""
        child = self.children["remote"]
        child.wait_for("unread_ws_end", self._bad_ends + 1, timeout=70)

    def phone_kill(self) -> None:
        self.children["phone"].send("kill")

    def phone_restart(self) -> None:
        child = self.children["phone"]
        n = child.seen["restarted"]
        child.send("restart")
        child.wait_for("restarted", n + 1, timeout=60)

    def working(self, device: str) -> bool:
        if device == "room":
            return not self.stale
        if device == "phone":
            return self.phone_clients >= 1
        return self.bad_sockets() == 0

    # -- the end ---------------------------------------------------------------------------
    def close(self) -> dict:
        """Stop the clients and the servers; flush the dock's recorder. Returns the reports."""
        from PySide6.QtCore import QCoreApplication

        reports = {name: child.report() for name, child in self.children.items() if name != "phone"}
        phone = self.children["phone"]
        page = phone.last.get("page", {})
        reports["phone"] = {"messages": page.get("m"), "connects": page.get("c"),
                            "page_errors": phone.seen["page_error"], "restarts": phone.seen["restarted"]}
        reports["exit_codes"] = {}
        for name, child in self.children.items():
            rc = child.close()
            reports["exit_codes"][name] = rc
            if rc:  # a client that died mid-run explains a fault it left unrecovered
                err = (self.base / f"{child.name}.stderr").read_text(errors="replace")[-1500:]
                print(f"[soak] {child.name} exited with {rc}:\n{err}", file=sys.stderr, flush=True)
        self._timer.stop()
        if self.watch is not None:
            for name in ("studio_app.remote.server", "studio_app.core.fanout"):
                logging.getLogger(name).removeHandler(self.watch)
        self.remote.stop()
        reports["cue_screen_paints"] = self.window.paint_count
        self._refused = self.refusals()
        self.cue.stop()
        self.panel.stop()  # the ingest endpoint, the rules' ticker, the recorder (flushed)
        self.panel.close()
        QCoreApplication.processEvents()
        return reports

    def room_check(self, url: str) -> dict:
        """The room messages the console accepted against what ``room_messages`` holds."""
        from sqlalchemy import func, select

        from studio_app.store.db import open_engine
        from studio_app.store.models import RoomMessageRow

        engine = open_engine(url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(select(RoomMessageRow.msg_id, func.count())
                                    .where(RoomMessageRow.show_id == self.room_show_id)
                                    .group_by(RoomMessageRow.msg_id)).all()
        finally:
            engine.dispose()
        stored = {mid: n for mid, n in rows}
        with self._lock:
            self._room_ids.close()
        accepted = set(Path(self._room_ids.name).read_text(encoding="utf-8").splitlines())
        return {"accepted": self.room_accepted, "stored": sum(stored.values()),
                "lost": sum(1 for mid in accepted if mid not in stored),
                "duplicated": sum(n - 1 for n in stored.values() if n > 1),
                "stored_not_accepted": sum(1 for mid in stored if mid not in accepted)}

    def refusals(self) -> dict[str, int]:
        """The ingest's refusals by reason (rate_limited, too_large, ...) as it counted them."""
        server = self.panel.server if self.panel is not None else None
        return getattr(self, "_refused", {}) if server is None else {k: v for k, v in server.ingest.counts().items() if k != "accepted"}
