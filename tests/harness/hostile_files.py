"""Files that lie, written at test time (tests and benchmarks of issue 21)."""
from __future__ import annotations

import struct
import zlib
from typing import Iterable


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int, height: int, rows: Iterable[bytes] | None = None) -> bytes:
    """An 8-bit RGB PNG with this header size; ``rows`` (each ``3 * width`` bytes) for real
    pixel data, compressed as it goes, else a few bytes of IDAT (a PNG that claims more
    than it holds)."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if rows is None:
        idat = zlib.compress(b"\x00" * 10)
    else:
        z = zlib.compressobj(9)
        idat = b"".join(z.compress(b"\x00" + r) for r in rows) + z.flush()
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
