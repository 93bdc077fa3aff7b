"""Reading and writing the files a person hands the console, safely: one place for it.

Readers must never hang on a FIFO or a device node (``open()`` of a FIFO blocks until a
writer appears), and never read a file of unbounded size into memory. Writers replace
their target atomically, but only when the target is a regular file (or absent): a
rename over ``/dev/full`` or a FIFO would replace the device node itself.

Qt-free and SQLAlchemy-free, so the command line, the desk and the self-test all use it.
Every refusal is a :class:`FileRefused` (an :class:`OSError`, so existing ``except OSError``
handlers report it) whose ``str()`` is one line: ``"<path>: <reason>"``.
"""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import tomllib
from pathlib import Path
from typing import IO, Iterator

#: Default size limit of one input file (rundowns, runbooks, terms, profiles, scripts,
#: sales exports). The largest real ones are a few MB; this leaves two orders of room.
MAX_INPUT_BYTES = 256 * 1024 * 1024

#: Deepest nesting of arrays and inline tables accepted in a TOML file. Real files nest 3
#: or 4 deep; tomllib recurses per level and dies of RecursionError from about 340 (inline
#: tables) or 500 (arrays) levels, less when the stack is already deep (the desk, a thread).
MAX_TOML_DEPTH = 64

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # absent on Windows, where no FIFO sits in a folder
_NOCTTY = getattr(os, "O_NOCTTY", 0)  # a terminal device must not become our controlling tty


class FileRefused(OSError):
    """A file the console will not read or write; ``str()`` is ``"<path>: <reason>"``."""

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int = errno.EINVAL) -> None:
        super().__init__(code, reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def kind_of(mode: int) -> str:
    """What a non-regular ``st_mode`` is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(path: str | os.PathLike[str], exc: OSError, doing: str) -> FileRefused:
    """One line for an OSError of ``open``/``stat``/``rename`` on ``path``."""
    if isinstance(exc, FileRefused):
        return exc
    if exc.errno == errno.ENAMETOOLONG:
        return FileRefused(path, "file name too long", errno.ENAMETOOLONG)
    if exc.errno == errno.ENOENT:
        return FileRefused(path, "no such file" if doing == "read" else "no such folder", errno.ENOENT)
    return FileRefused(path, exc.strerror or exc.__class__.__name__, exc.errno or errno.EIO)


def open_regular(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open ``path`` for binary reading if, and only if, it is a regular file.

    Opens with ``O_NONBLOCK`` (a FIFO without a writer then opens at once instead of
    blocking) and checks ``fstat`` of the descriptor actually opened, so nothing can be
    swapped in between the check and the read. Raises :class:`FileRefused`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY | getattr(os, "O_BINARY", 0))
    except ValueError:  # a NUL in the name
        raise FileRefused(repr(os.fspath(path)), "a file name cannot contain a NUL character") from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:  # Windows: a folder cannot be opened at all
            raise FileRefused(path, "is a folder, not a file") from None
        raise _refusal(path, exc, "read") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(path, f"is {kind_of(st.st_mode)}, not a regular file")
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular_bytes(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes; raises
    :class:`FileRefused` for anything else (missing, a folder, a FIFO, a device, too large)."""
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise FileRefused(path, f"is {_mb(size)}, larger than the {_mb(limit)} this file may have",
                              errno.EFBIG)
        try:
            data = f.read(limit + 1)  # +1: a file that grew while we read is caught too
        except OSError as exc:
            raise _refusal(path, exc, "read") from None
    if len(data) > limit:
        raise FileRefused(path, f"is larger than the {_mb(limit)} this file may have", errno.EFBIG)
    return data


def read_regular_text(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> str:
    """UTF-8 text (a BOM is dropped) of the regular file ``path``; a file that is not UTF-8
    raises :class:`FileRefused` naming the line of the first bad byte."""
    raw = read_regular_bytes(path, limit=limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileRefused(path, f"line {line}: not UTF-8 text (save the file as UTF-8)") from None


def check_output_target(path: str | os.PathLike[str]) -> Path:
    """Refuse an output ``path`` that exists but is not a regular file (a device node,
    a FIFO, a folder, a socket): an atomic rename would replace it. Symbolic links are
    followed, so a link to ``/dev/full`` is refused too. Returns the path."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return p
    except ValueError:  # a NUL in the name
        raise FileRefused(repr(str(p)), "a file name cannot contain a NUL character") from None
    except OSError as exc:
        raise _refusal(p, exc, "write") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(p, f"is {kind_of(st.st_mode)}; refusing to replace it with a file")
    return p


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], *, text: bool = True, encoding: str = "utf-8",
                  newline: str | None = None, private: bool = False, make_parents: bool = False) -> Iterator[IO]:
    """Write ``path`` atomically: yields a file in the same folder; when the block ends
    without an exception it is flushed, synced and renamed over ``path``; otherwise it is
    removed and ``path`` is untouched.

    The target must be a regular file or absent (:func:`check_output_target`). The
    temporary file gets a fresh unique name (never a pre-existing ``.part`` that could
    be a FIFO). ``private`` keeps it owner-only (0600, for secrets); otherwise it gets the
    usual permissions under the umask. Raises :class:`FileRefused` for a refused target,
    a missing folder or a name too long."""
    p = check_output_target(path)
    if make_parents:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _refusal(p.parent, exc, "create the folder") from None
    fd, tmp = _create_part_file(p, 0o600 if private else 0o666)
    try:
        mode = "w" if text else "wb"
        with os.fdopen(fd, mode, encoding=encoding if text else None, newline=newline if text else None) as f:
            fd = -1
            yield f
            f.flush()
            os.fsync(f.fileno())
        check_output_target(p)  # the check again, right before the rename
        try:
            os.replace(tmp, p)
        except OSError as exc:
            raise _refusal(p, exc, "write") from None
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_part_file(target: Path, mode: int) -> tuple[int, str]:
    """A new, uniquely named file beside ``target`` (``O_EXCL``: never an existing one,
    which could be a FIFO); ``mode`` is reduced by the umask as for any new file (no
    process-wide umask juggling, other threads may be creating files)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(target.parent, f".{target.name[:32]}.{secrets.token_hex(4)}.part")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise _refusal(target, exc, "write") from None
    raise FileRefused(target, "cannot create a temporary file beside it", errno.EEXIST)


def write_atomically(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8",
                     private: bool = False, make_parents: bool = False) -> Path:
    """Write ``data`` (text as ``encoding``, or bytes) to ``path`` through :func:`atomic_output`."""
    text = isinstance(data, str)
    with atomic_output(path, text=text, encoding=encoding, newline="" if text else None, private=private,
                       make_parents=make_parents) as f:
        f.write(data)
    return Path(path)


def loads_toml(text: str) -> dict:
    """:func:`tomllib.loads` that refuses nesting deeper than :data:`MAX_TOML_DEPTH` with a
    :class:`tomllib.TOMLDecodeError` (``"... (at line L, column C)"``, as tomllib's own)
    instead of a ``RecursionError``."""
    _check_toml_depth(text)
    try:
        return tomllib.loads(text)
    except RecursionError:  # the scan below missed a case: still one line, never a traceback
        raise tomllib.TOMLDecodeError(f"nested more than {MAX_TOML_DEPTH} levels deep") from None


def _check_toml_depth(text: str) -> None:
    """Linear scan of the brackets outside strings and comments."""
    depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                line = text.count("\n", 0, i) + 1
                col = i - (text.rfind("\n", 0, i) + 1) + 1
                raise tomllib.TOMLDecodeError(
                    f"arrays or inline tables nested more than {MAX_TOML_DEPTH} levels deep (at line {line}, column {col})")
        elif c in "]}":
            depth = max(0, depth - 1)
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c in "\"'":
            quote = text[i:i + 3] if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n:
                if text.startswith(quote, i):
                    break
                if c == '"' and text[i] == "\\":
                    i += 1  # an escape: skip the escaped character
                elif len(quote) == 1 and text[i] == "\n":
                    break  # an unterminated one-line string: tomllib reports it
                i += 1
            i += len(quote)
            continue
        i += 1


def _mb(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"
