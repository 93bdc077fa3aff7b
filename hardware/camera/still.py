"""Reading one still picture (a photo of the set, a frame grab) for the picture checks.

The header is read first, lazily (Pillow reads only the first bytes), so a picture that
would not fit in memory is refused before anything is decoded: a 20000x20000 PNG took
2.4 GB to decode. Pictures too small to judge (a 1x20000 strip) are refused too, and so
is anything OpenCV cannot decode; the error says which, in one line.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Iterator

import cv2
import numpy as np

from hardware.camera.picture import MIN_FRAME_SIDE

# 50 megapixels: 8K UHD (7680x4320, 33 MP), DCI 8K (8192x4320, 35 MP) and 45 MP camera
# stills fit; decoded as BGR that is at most 150 MB. 20000x20000 (400 MP) does not.
MAX_STILL_PIXELS = 50_000_000


class StillError(Exception):
    """A still picture cannot be checked; the message names the file and says why, in one line."""


@contextlib.contextmanager
def native_stderr_captured() -> Iterator[list[str]]:
    """Catch what C libraries print on the process's stderr (fd 2) meanwhile: libpng and
    libjpeg write "libpng error: ..." there themselves, ahead of our one-line message.
    The lines are handed back (after the block) so a caller can quote the reason.
    Redirects fd 2 of the whole process: for the command line, not for the desk."""
    lines: list[str] = []
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all: nothing to catch
        yield lines
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read(64 * 1024).decode("utf-8", "replace")
            lines += [ln.strip() for ln in text.splitlines() if ln.strip()]


def still_size(path: str) -> tuple[int, int] | None:
    """``(width, height)`` from the picture's header without decoding it; None when Pillow
    does not know the format or cannot read the header. Lifts Pillow's global pixel limit
    for the call, so it is for the command line, not for threads sharing Pillow."""
    from PIL import Image, UnidentifiedImageError

    saved = Image.MAX_IMAGE_PIXELS
    # Pillow's own bomb check (warn above 89 MP, refuse above 179 MP) would hide the size;
    # ours, below, is stricter. Only the header is read here, never the pixels.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as im:
            return im.size
    except (UnidentifiedImageError, ValueError, SyntaxError, EOFError, OSError):
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def check_still_size(path: str, width: int, height: int) -> None:
    if width * height > MAX_STILL_PIXELS:
        raise StillError(
            f"{path}: {width}x{height} is {width * height / 1e6:.0f} megapixels, more than the "
            f"{MAX_STILL_PIXELS // 1_000_000} megapixel limit (8K stills fit)"
        )
    if min(width, height) < MIN_FRAME_SIDE:
        raise StillError(f"{path}: a {width}x{height} picture cannot be judged (each side must be at least {MIN_FRAME_SIDE} pixels)")


def read_still(path: str) -> np.ndarray:
    """The picture as BGR uint8, or :class:`StillError` (missing, unreadable, too large
    or too small), checked on the header before the picture is decoded."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise StillError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if size == 0:
        raise StillError(f"{path}: empty file, not an image")
    dims = still_size(path)
    if dims is None:
        raise StillError(f"{path}: not a readable image (unknown or broken header)")
    check_still_size(path, *dims)
    try:
        # a memory map, not a copy: imdecode reads only as far as the picture goes
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as exc:
        raise StillError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    raised = ""
    with native_stderr_captured() as said:
        try:
            image = cv2.imdecode(data, cv2.IMREAD_COLOR)
        except cv2.error as exc:  # e.g. OpenCV's own size limit
            image, raised = None, str(exc).strip().splitlines()[-1]
    del data
    if image is None:
        reason = raised or next((ln for ln in reversed(said) if "error" in ln.lower()), said[-1] if said else "")
        raise StillError(f"{path}: not a readable image" + (f" ({reason})" if reason else ""))
    # the header may have lied: judge what was decoded
    check_still_size(path, image.shape[1], image.shape[0])
    return image
