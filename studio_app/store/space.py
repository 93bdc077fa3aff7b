"""Room left on the event log's disks: the database file's and the outbox's (issue 20).

A full disk is a full disk even while SQLite's WAL still has pages to reuse: writes then
succeed for a while and fail at a random later moment. So the writer thread looks at the
free space itself (``os.statvfs``: a few microseconds, never on the GUI thread) and tells the
desk *before* a write fails, naming the disk and how much is left.

Thresholds follow the disk's size, so a small dedicated disk (a 64 MB tmpfs, a USB stick)
and a 1 TB SSD both warn at a sensible point: *almost full* under ``min(512 MB, 10 %)``
free, *full* under ``min(16 MB, 1 %)`` free (SQLite needs a few pages for a transaction).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from hardware.said import Said

MB = 1024 * 1024


@dataclass(frozen=True)
class DiskRoom:
    path: str  # the folder looked at (the nearest one that exists)
    free_mb: float  # what an unprivileged writer may still use (f_bavail)
    total_mb: float
    device: int

    def low_mb(self) -> float:
        return min(512.0, 0.10 * self.total_mb)

    def full_mb(self) -> float:
        return min(16.0, 0.01 * self.total_mb)


def room_on(path: str | os.PathLike[str]) -> DiskRoom | None:
    """Free space of the disk holding ``path`` (or its nearest existing folder); None if unknown."""
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        st = os.statvfs(p)
        device = os.stat(p).st_dev
    except OSError:
        return None
    return DiskRoom(str(p), st.f_bavail * st.f_frsize / MB, st.f_blocks * st.f_frsize / MB, device)


class SpaceWatch:
    """The tightest of the watched disks, as a status sentence ("" while all have room).

    Called by the event log's writer thread; checks at most every ``interval`` seconds. The
    sentence changes only when the level changes or the free space moved by over 10 % (1 MB
    at least), so listeners hear about a filling disk, not about every page written."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]], interval: float = 0.5) -> None:
        self.paths = [Path(p) for p in paths]
        self.interval = interval
        self.next_check = 0.0
        self.note: str = ""
        self.rooms: dict[str, DiskRoom] = {}
        self._level = ""
        self._shown_mb = 0.0

    def due(self, now: float | None = None) -> float:
        """Seconds until the next check (0: now)."""
        return max(0.0, self.next_check - (time.monotonic() if now is None else now))

    def room_of(self, path: str | os.PathLike[str]) -> DiskRoom | None:
        """A fresh reading for one path (a failed write is told with what is left now)."""
        room = room_on(path)
        if room is not None:
            self.rooms[str(path)] = room
        return room

    def check(self) -> str:
        """Look at every disk now; returns :attr:`note` (a :class:`Said`, or "")."""
        self.next_check = time.monotonic() + self.interval
        worst: tuple[int, float, DiskRoom] | None = None
        seen: set[int] = set()
        for p in self.paths:
            room = room_on(p)
            if room is None:
                continue
            self.rooms[str(p)] = room
            if room.device in seen:
                continue  # the database and the outbox on one disk: say it once
            seen.add(room.device)
            level = 2 if room.free_mb < room.full_mb() else 1 if room.free_mb < room.low_mb() else 0
            if level and (worst is None or (level, -room.free_mb) > (worst[0], -worst[1])):
                worst = (level, room.free_mb, room)
        if worst is None:
            self._level, self.note = "", ""
            return self.note
        level = "log_disk_full_soon" if worst[0] == 2 else "log_disk_low"
        free = worst[1]
        if level != self._level or abs(free - self._shown_mb) > max(1.0, 0.1 * self._shown_mb):
            self._level, self._shown_mb = level, free
            self.note = Said(level, free_mb=free, path=worst[2].path)
        return self.note
