"""Reading a plain-text script (.txt/.md) whose encoding nobody wrote down.

A compliance check must never pass text it could not read, so the encoding is
detected from the bytes, or the file is refused:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) decides;
2. NUL bytes mean UTF-16 or UTF-32 (text never contains NUL): their positions say
   which width and byte order (ASCII and newlines in UTF-16LE put a NUL at every odd
   offset); a NUL pattern that fits none of them is not text;
3. bytes that are valid UTF-8 are UTF-8;
4. bytes that read as UTF-16 into (almost) only Chinese, ASCII and CJK punctuation
   are UTF-16 without a BOM and without any ASCII;
5. bytes that decode as GB18030 into (almost) only ASCII and the GB2312 repertoire
   (the 6,763 common hanzi and their punctuation; emoji and symbols allowed) are
   GB18030. Other text misread as GB18030 comes out as rare hanzi and control
   characters, and fails this.

Detection looks at the first :data:`SAMPLE_BYTES`; the whole file is then decoded
strictly, line by line (memory is bounded by the longest line, not the file), and a
line that does not decode, holds control characters, or (for guessed encodings) stops
looking like text refuses the file with its line number.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Iterator

from studio_app.core.files import open_regular
from studio_app.show.errors import RundownError

SAMPLE_BYTES = 64 * 1024  # enough for the detection to see hundreds of lines of a script
PLAUSIBLE_FRACTION = 0.9  # guessed encodings: at least this share of characters must be ordinary text
WINDOW_CHARS = 4096  # guessed encodings are re-judged on every window of this many characters

_BOMS = (  # UTF-32 first: its LE mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32BE"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16BE"),
)
# C0 controls other than tab, newlines, form feed and the DOS end-of-file mark; DEL; C1 controls
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# what Chinese scripts are written in: ASCII, Latin-1 punctuation, general punctuation and symbols,
# CJK punctuation, kana, CJK unified ideographs, fullwidth forms, emoji
_ORDINARY = re.compile(
    "[\t\n\r\x0c -~\u00a0-\u00ff\u2000-\u27bf\u3000-\u30ff\u3200-\u33ff\u4e00-\u9fff\uff00-\uffef"
    "\U0001f000-\U0001faff]"
)
_NOT_GB2312_BUT_ORDINARY = re.compile("[\u2000-\u27bf\U0001f000-\U0001faff]")


def _ordinary_unicode(text: str) -> int:
    return len(_ORDINARY.findall(text))


def _ordinary_gb(text: str) -> int:
    """Characters in the GB2312 repertoire (plus emoji and symbols): real GB18030 scripts
    are >99% of them; other bytes misread as GB18030 give rare GBK hanzi."""
    in_gb2312 = len(text.encode("gb2312", "ignore").decode("gb2312"))
    return in_gb2312 + len(_NOT_GB2312_BUT_ORDINARY.findall(text))


_JUDGES = {"utf-16-le": _ordinary_unicode, "utf-16-be": _ordinary_unicode, "utf-32-le": _ordinary_unicode,
           "utf-32-be": _ordinary_unicode, "gb18030": _ordinary_gb}
_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE", "utf-32-le": "UTF-32LE",
          "utf-32-be": "UTF-32BE", "gb18030": "GB18030"}


def _decode_sample(sample: bytes, encoding: str, complete: bool) -> str | None:
    """The sample decoded strictly (a character cut at the sample's end is allowed), or None."""
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _plausible(text: str, encoding: str) -> bool:
    if not text:
        return True
    if _CONTROL.search(text):
        return False
    judge = _JUDGES.get(encoding)
    return judge is None or judge(text) >= PLAUSIBLE_FRACTION * len(text)


def _nul_candidates(sample: bytes) -> list[str]:
    """Encodings the NUL bytes point to, likeliest first. In UTF-16LE, ASCII and newlines
    put a NUL at odd offsets, and the hanzi U+xx00 (最 is U+6700) one at even offsets, so
    the lane with more NULs leads and the decode and plausibility check decide."""
    n = len(sample) - len(sample) % 4
    lanes = [sample[i:n:4].count(0) for i in range(4)]
    quads = n // 4
    out = []
    if quads and lanes[2] == lanes[3] == quads:
        out.append("utf-32-le")  # every code point below U+10000: the top two bytes are NUL
    if quads and lanes[0] == lanes[1] == quads:
        out.append("utf-32-be")
    even, odd = lanes[0] + lanes[2], lanes[1] + lanes[3]
    out += ["utf-16-le", "utf-16-be"] if odd >= even else ["utf-16-be", "utf-16-le"]
    return out


def detect_encoding(sample: bytes, complete: bool, file: str = "") -> tuple[str, str]:
    """``(codec for reading, name for people)`` of a script from its first bytes
    (``complete``: the sample is the whole file); raises :class:`RundownError` when
    the bytes are not text in an encoding it can tell."""
    for bom, codec, name in _BOMS:
        if sample.startswith(bom):
            return codec, name
    if b"\x00" in sample:
        for encoding in _nul_candidates(sample):
            text = _decode_sample(sample, encoding, complete)
            if text is not None and _plausible(text, encoding):
                return encoding, _NAMES[encoding]
        raise RundownError(file, 0, "", "contains NUL bytes but is not UTF-16 or UTF-32 text: not a text script")
    text = _decode_sample(sample, "utf-8", complete)
    if text is not None:
        bad = _CONTROL.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise RundownError(file, line, "", f"control character U+{ord(bad.group()):04X} in UTF-8 text: not a text script")
        return "utf-8", "UTF-8"
    for encoding in ("utf-16-le", "utf-16-be", "gb18030"):
        if encoding.startswith("utf-16") and len(sample) % 2 and complete:
            continue
        text = _decode_sample(sample, encoding, complete)
        if text is not None and _plausible(text, encoding):
            return encoding, _NAMES[encoding]
    raise RundownError(file, 0, "", "cannot tell the text encoding (not UTF-8, UTF-16 or GB18030 text): save it as UTF-8")


CHUNK_BYTES = 64 * 1024  # read and decoded this much at a time


def _decoded_chunks(raw, decoder, chunk_bytes: int) -> Iterator[tuple[str, int | None]]:  # noqa: ANN001
    """``(text, None)`` for each decoded chunk; at a byte that does not decode,
    ``(the text decoded before it, -1)`` once and stop."""
    while True:
        chunk = raw.read(chunk_bytes)
        state = decoder.getstate()
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            # exc.start counts the bytes the decoder held back from the previous chunk too
            decoder.setstate(state)
            good = chunk[: max(0, exc.start - len(state[0]))]
            try:
                text = decoder.decode(good)
            except UnicodeDecodeError:
                text = ""
            yield text, -1
            return
        yield text, None
        if not chunk:
            return


def script_lines(path: Path) -> Iterator[str]:
    """The lines of a plain-text script (without line ends; ``\\n``, ``\\r\\n`` and ``\\r`` end a
    line, as in an editor), decoded as :func:`detect_encoding` says, read a chunk at a time.
    Raises :class:`RundownError` naming the line of anything that is not readable text;
    lines before it have already been yielded."""
    name = path.name
    try:
        raw = open_regular(path)  # a FIFO or a device is refused, never read (a hang)
    except OSError as exc:
        raise RundownError(name, 0, "", f"cannot read: {exc.strerror or exc}") from None
    with raw:
        try:
            sample = raw.read(SAMPLE_BYTES + 1)
            raw.seek(0)
        except OSError as exc:
            raise RundownError(name, 0, "", f"cannot read: {exc.strerror or exc}") from None
        complete = len(sample) <= SAMPLE_BYTES
        codec, label = detect_encoding(sample[:SAMPLE_BYTES], complete, name)
        judge = _JUDGES.get(codec)  # only guessed encodings are re-judged as the file goes on
        decoder = codecs.getincrementaldecoder(codec)("strict")
        no = 0
        window_chars = window_ordinary = 0
        pending: list[str] = []  # the current line's text so far

        def finished(line: str) -> str:
            nonlocal no, window_chars, window_ordinary
            no += 1
            if _CONTROL.search(line):
                raise RundownError(name, no, "", f"control characters in {label} text: not a text script")
            if judge is not None:
                window_chars += len(line)
                window_ordinary += judge(line)
                if window_chars >= WINDOW_CHARS:
                    if window_ordinary < PLAUSIBLE_FRACTION * window_chars:
                        raise RundownError(name, no, "", f"does not read as {label} text from about here (save it as UTF-8)")
                    window_chars = window_ordinary = 0
            return line

        held_cr = False  # a chunk ending in \r may be the first half of \r\n
        try:
            for text, bad in _decoded_chunks(raw, decoder, CHUNK_BYTES):
                if held_cr:
                    text = "\r" + text
                held_cr = bad is None and text.endswith("\r") and bool(text)
                if held_cr:
                    text = text[:-1]
                parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                for part in parts[:-1]:
                    pending.append(part)
                    yield finished("".join(pending))
                    pending = []
                pending.append(parts[-1])
                if bad is not None:
                    raise RundownError(name, no + 1, "", f"not valid {label} text (save the file as UTF-8)")
        except OSError as exc:
            raise RundownError(name, no + 1, "", f"cannot read: {exc.strerror or exc}") from None
        last = "".join(pending)
        if last:
            yield finished(last)
        # the last, short window (the sample already judged files up to SAMPLE_BYTES)
        if judge is not None and not complete and window_chars >= 200 and window_ordinary < PLAUSIBLE_FRACTION * window_chars:
            raise RundownError(name, no, "", f"does not read as {label} text from about here (save it as UTF-8)")
