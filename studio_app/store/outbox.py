"""The local outbox: events the database has not confirmed, kept in files on this PC.

When the central database (or the SQLite file) cannot take a write, the event log appends
the waiting events to a JSON-lines file here *at once* (flushed and fsynced), so a crash,
a power cut or a restart during the outage loses nothing. When the database is back the
log sends them, oldest first, then deletes the file and closes it: between outages the
console holds no outbox file open (its descriptors are back to what they were).

Layout: the outbox is ``<folder>/<base>.jsonl`` (the log's ``spool_path``), holding whole
rows (with their ``uid``) in the order they were logged. A running console holds an
exclusive lock (``flock``) on it; a second console on the same PC and database finds it
locked and uses ``<base>.<session>.jsonl`` instead. At start a console *adopts* every file
of that base nobody holds (its own main file included), oldest first. Rows may be written
twice (a crash after the commit but before the outbox was emptied) and are then skipped by
``uid`` when replayed, so the database gets each event once.

Not thread-safe: only the log's writer thread uses an outbox.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, BinaryIO

try:  # POSIX; on Windows files are adopted without locks (one console per data folder)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_log = logging.getLogger(__name__)


def _lock(f: BinaryIO) -> bool:
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _encode(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False, default=str, separators=(",", ":")) + "\n").encode("utf-8")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of one outbox file; a torn last line (crash mid-write) is skipped, not fatal."""
    rows = []
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                _log.warning("outbox %s line %d is damaged and skipped", path, number)
                continue
            if isinstance(row, dict) and row.get("uid"):
                rows.append(row)
    return rows


class Outbox:
    """Durable local keeping of unwritten event rows (see module docstring)."""

    def __init__(self, folder: Path, base: str, session: str) -> None:
        self.folder = Path(folder)
        self.base = base
        self.session = session
        self.main_path = self.folder / f"{base}.jsonl"
        self.path = self.main_path  # becomes <base>.<session>.jsonl if another console holds the main file
        self._own: BinaryIO | None = None
        self._adopted: list[tuple[Path, BinaryIO]] = []

    # ------------------------------------------------------------------ start
    def adopt(self) -> list[dict[str, Any]]:
        """Take over the files of earlier runs nobody holds; their rows, oldest run first.

        Rows are de-duplicated by ``uid``. The files stay (locked) until :meth:`clear`.
        """
        if not self.folder.is_dir():
            return []
        found: list[tuple[float, Path, BinaryIO, list[dict[str, Any]]]] = []
        candidates = sorted(set(self.folder.glob(f"{self.base}.*.jsonl")) | set(self.folder.glob(f"{self.base}.jsonl")))
        for path in candidates:
            if path.name.endswith(".rejected.jsonl"):
                continue
            try:
                f = path.open("rb+")
            except OSError as exc:
                _log.error("cannot open outbox %s: %s", path, exc)
                continue
            if not _lock(f):  # another running console owns it
                f.close()
                continue
            try:
                rows = read_rows(path)
            except OSError as exc:
                _log.error("cannot read outbox %s: %s", path, exc)
                f.close()
                continue
            first = min((float(r.get("wall_time") or 0.0) for r in rows), default=0.0)
            found.append((first, path, f, rows))
        found.sort(key=lambda item: (item[0], str(item[1])))
        seen: set[str] = set()
        out: list[dict[str, Any]] = []
        for _first, path, f, rows in found:
            if path == self.main_path:
                self._own = f  # ours now: new rows are appended after the adopted ones
            else:
                self._adopted.append((path, f))
            for r in rows:
                if r["uid"] not in seen:
                    seen.add(r["uid"])
                    out.append(r)
        if out:
            _log.warning("outbox: %d events of earlier runs to send", len(out))
        return out

    # ------------------------------------------------------------------ writer
    def _open_own(self) -> BinaryIO:
        if self._own is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            f = self.main_path.open("ab+")
            # Take the main file only if it is free and empty: rows another console left in it
            # since our start are not in our memory, and emptying it later would lose them.
            if _lock(f) and os.fstat(f.fileno()).st_size == 0:
                self.path = self.main_path
            else:  # another console on this PC holds (or left rows in) the main file
                f.close()
                self.path = self.folder / f"{self.base}.{self.session}.jsonl"
                # Lock under a temporary name, then rename: nobody can adopt it before we hold it.
                tmp = self.path.with_suffix(".tmp")
                f = tmp.open("ab+")
                _lock(f)
                os.replace(tmp, self.path)
            self._own = f
        return self._own

    def append(self, rows: list[dict[str, Any]]) -> None:  # noqa: D417
        """Append and fsync. Raises OSError (disk full, read-only...); then call :meth:`rewrite`."""
        if not rows:
            return
        f = self._open_own()
        f.write(b"".join(_encode(r) for r in rows))
        f.flush()
        os.fsync(f.fileno())

    def rewrite(self, rows: list[dict[str, Any]]) -> None:
        """Replace the own file's content by ``rows`` (after a torn append). Raises OSError."""
        f = self._open_own()
        f.seek(0)
        f.truncate()
        f.write(b"".join(_encode(r) for r in rows))
        f.flush()
        os.fsync(f.fileno())

    def clear(self) -> None:
        """Everything kept here is in the database: empty the own file and let it go (deleted,
        its lock and descriptor released, as after an outage the console is back to what it
        held before it), delete adopted ones. The next outage opens it again."""
        if self._own is not None:
            try:
                self._own.seek(0)
                self._own.truncate()
            except OSError as exc:
                _log.error("cannot empty outbox %s: %s", self.path, exc)
            else:
                self._release_own()
        for path, f in self._adopted:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                _log.error("cannot delete outbox %s: %s", path, exc)
            f.close()
        self._adopted = []

    def _release_own(self) -> None:
        """Close the own file, deleting it first when empty (while still locked, so no other
        console adopts an empty file); a non-empty one waits for the next start."""
        if self._own is None:
            return
        try:
            if os.fstat(self._own.fileno()).st_size == 0:
                self.path.unlink(missing_ok=True)
        except OSError:
            pass
        self._own.close()
        self._own = None

    def close(self) -> None:
        """Release the locks; an empty own file is deleted, a non-empty one waits for the next start."""
        self._release_own()
        for _path, f in self._adopted:
            f.close()
        self._adopted = []

    def files(self) -> list[Path]:
        """Outbox files of this base currently on disk (for status and tests)."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{self.base}.*.jsonl"))
