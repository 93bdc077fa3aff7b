"""Advertising-law compliance check (广告法 Art. 9(3) 绝对化用语 and live-commerce
guidance) over scripts, talking points and product text.

A :class:`TermList` (``resources/compliance/terms.toml``) holds categorised terms and
context rules; :class:`ComplianceChecker` finds terms longest-first and drops hits that
lie inside an exempt phrase, an exempt pattern, or the show's own allow list (product
names, trademarks). Findings say term, category, severity, where (segment, field, file
line and column) and show a context snippet. Nothing is ever rewritten automatically.
"""
from __future__ import annotations

import heapq
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from studio_app.core.files import loads_toml, read_regular_text
from studio_app.show.errors import RundownError
from studio_app.show.model import Show

SEVERITIES = ("error", "warning")
# A line (a field's text) repeating a term a million times is one problem, not a million
# findings: list the first few, count the rest on the last one listed (``omitted``).
MAX_FINDINGS_PER_LINE = 20
MAX_FINDINGS = 10_000  # listed in all; every further one is counted the same way
_SHORT_TEXT = 4096  # up to this many characters, exempt spans are listed at once (else merged lazily)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    category: str
    severity: str = "error"
    note: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    term: str  # as written in the text
    category: str
    severity: str
    note: str
    field: str  # "segments[3].script", "products[2].selling_points", "text"
    line: int  # 1-based line in the file (spreadsheet: row)
    column: int  # 1-based character column in that line (spreadsheet: in the cell)
    context: str  # a snippet around the term
    segment: str | None = None  # segment id, when in a segment
    file: str = ""
    omitted: int = 0  # findings right after this one that are counted but not listed (caps above)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "segment": self.segment,
            "field": self.field,
            "term": self.term,
            "category": self.category,
            "severity": self.severity,
            "note": self.note,
            "context": self.context,
            "omitted": self.omitted,
        }

    def describe(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.file else f"{self.line}:{self.column}"
        seg = f" [{self.segment}]" if self.segment else ""
        return f"{where}: {self.severity}: {self.term} ({self.category}){seg} {self.field}: …{self.context}…"


@dataclass
class TermList:
    terms: list[Term]
    categories: dict[str, str] = field(default_factory=dict)
    exempt_phrases: list[str] = field(default_factory=list)
    exempt_patterns: list[re.Pattern[str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "TermList":
        """Read a term file (default: the bundled list); raises :class:`RundownError`."""
        if path is None:
            from studio_app.core.paths import resource

            path = resource("compliance", "terms.toml")
        p = Path(path)
        try:
            text = read_regular_text(p)
        except OSError as exc:
            raise RundownError(p.name, 0, "", f"cannot read the term list: {exc}") from None
        return cls.loads(text, p.name)

    @classmethod
    def loads(cls, text: str, file: str = "terms.toml") -> "TermList":
        from studio_app.show.rundown import SourceMap, toml_error

        try:
            data = loads_toml(text)
        except tomllib.TOMLDecodeError as exc:
            raise toml_error(exc, file, text) from None
        smap = SourceMap(text)

        def fail(path: str, msg: str) -> RundownError:
            return RundownError(file, smap.line_of(path), path, msg)

        cats = data.get("categories", {})
        if not isinstance(cats, dict):
            raise fail("categories", "expected a table of category = description")
        terms = []
        for i, t in enumerate(data.get("terms", []), start=1):
            path = f"terms[{i}]"
            if not isinstance(t, dict) or not isinstance(t.get("term"), str) or not t["term"].strip():
                raise fail(f"{path}.term", "expected term = \"...\"")
            cat = t.get("category", "")
            if not isinstance(cat, str) or (cats and cat not in cats):
                raise fail(f"{path}.category", f"unknown category {cat!r} (declare it under [categories])")
            sev = t.get("severity", "error")
            if sev not in SEVERITIES:
                raise fail(f"{path}.severity", f"expected \"error\" or \"warning\", got {sev!r}")
            terms.append(Term(t["term"].strip(), cat, sev, str(t.get("note", ""))))
        phrases: list[str] = []
        patterns: list[re.Pattern[str]] = []
        for i, e in enumerate(data.get("exempt", []), start=1):
            path = f"exempt[{i}]"
            if not isinstance(e, dict):
                raise fail(path, "expected a table with phrases = [...] or pattern = \"...\"")
            ph = e.get("phrases", [])
            if not isinstance(ph, list) or not all(isinstance(x, str) for x in ph):
                raise fail(f"{path}.phrases", "expected a list of texts")
            phrases += [x for x in ph if x]
            if "pattern" in e:
                try:
                    patterns.append(re.compile(str(e["pattern"]), re.IGNORECASE))
                except re.error as exc:
                    raise fail(f"{path}.pattern", f"bad regular expression: {exc}") from None
        return cls(terms, {str(k): str(v) for k, v in cats.items()}, phrases, patterns)


def _term_regex(term: str) -> str:
    body = re.escape(term)
    # ASCII terms (NO.1, TOP1, 5A) only as whole words, so SKU codes do not match
    if _ASCII_WORD.match(term[0]):
        body = r"(?<![A-Za-z0-9])" + body
    if _ASCII_WORD.match(term[-1]):
        body = body + r"(?![A-Za-z0-9])"
    return body


class ComplianceChecker:
    """Finds terms in text. Thread-safe after construction (read-only)."""

    def __init__(self, terms: TermList | None = None, allow: Iterable[str] = ()) -> None:
        self.terms = terms or TermList.load()
        ordered = sorted(self.terms.terms, key=lambda t: len(t.term), reverse=True)
        self._by_text = {t.term.lower(): t for t in ordered}
        self._regex = re.compile("|".join(_term_regex(t.term) for t in ordered), re.IGNORECASE) if ordered else None
        self._phrases = [p for p in list(self.terms.exempt_phrases) + [a for a in allow if a]]

    def with_allow(self, allow: Iterable[str]) -> "ComplianceChecker":
        c = ComplianceChecker.__new__(ComplianceChecker)
        c.terms, c._by_text, c._regex = self.terms, self._by_text, self._regex
        c._phrases = self._phrases + [a for a in allow if a]
        return c

    def _exempt_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Every exempt span of ``text``, ordered by start, produced lazily (one pending
        span per phrase and pattern), so a long line costs no memory per match."""
        low = text.lower()

        def occurrences(pl: str) -> Iterator[tuple[int, int]]:
            start = low.find(pl)
            while start >= 0:
                yield start, start + len(pl)
                start = low.find(pl, start + 1)

        streams = [occurrences(p.lower()) for p in self._phrases]
        streams += [((m.start(), m.end()) for m in pat.finditer(text) if m.end() > m.start())
                    for pat in self.terms.exempt_patterns]
        if len(text) <= _SHORT_TEXT:  # an ordinary line: a sorted list is cheaper than a lazy merge
            return iter(sorted(span for stream in streams for span in stream))
        return heapq.merge(*streams)

    def _sweep(self, text: str) -> Iterator[tuple[re.Match[str], bool, bool]]:
        """``(match, exempt, clear_after)`` for every term match in ``text``, in order.

        Linear in the text: matches come in order of start, so one sweep over the exempt
        spans (also in order of start) keeps the furthest end of those begun so far; a
        match is exempt when that end covers it. ``clear_after``: no exempt span can
        cover any later match (none is left to start, and none begun reaches further)."""
        spans: Iterator[tuple[int, int]] | None = None
        pending: tuple[int, int] | None = None
        reach = -1
        for m in self._regex.finditer(text):
            s, e = m.span()
            if spans is None:
                spans = self._exempt_spans(text)
                pending = next(spans, None)
            while pending is not None and pending[0] <= s:
                reach = max(reach, pending[1])
                pending = next(spans, None)
            yield m, reach >= e, pending is None and reach <= e

    def iter_hits(self, text: str) -> Iterator[tuple[int, int, Term]]:
        """(start, end, term) of every reported term in ``text``, in order, lazily."""
        if not text or self._regex is None:
            return
        for m, exempt, _ in self._sweep(text):
            if not exempt:
                yield m.start(), m.end(), self._by_text[m.group(0).lower()]

    def hits(self, text: str) -> list[tuple[int, int, Term]]:
        """(start, end, term) of every reported term in ``text``, in order."""
        return list(self.iter_hits(text))

    def scan(self, text: str, limit: int) -> tuple[list[tuple[int, int, Term]], int]:
        """The first ``limit`` hits of :meth:`hits` and the number of the others. Once no
        exempt span can matter any more the rest are only counted, in C, not looked at."""
        listed: list[tuple[int, int, Term]] = []
        more = 0
        if not text or self._regex is None:
            return listed, more
        for m, exempt, clear_after in self._sweep(text):
            if exempt:
                continue
            if len(listed) < limit:
                listed.append((m.start(), m.end(), self._by_text[m.group(0).lower()]))
                continue
            more += 1
            if clear_after:
                # finditer resumes at the end of the last match, as the sweep's own would
                more += sum(1 for _ in self._regex.finditer(text, m.end()))
                break
        return listed, more


class _CappedFindings:
    """Collects findings up to :data:`MAX_FINDINGS_PER_LINE` per line and
    :data:`MAX_FINDINGS` in all; the rest are only counted, on the last one listed."""

    def __init__(self, per_line: int = MAX_FINDINGS_PER_LINE, total: int = MAX_FINDINGS) -> None:
        self.per_line, self.total = max(1, per_line), max(1, total)
        self.findings: list[Finding] = []

    def add_line(self, checker: ComplianceChecker, text: str, make) -> None:  # noqa: ANN001 - make(hit) -> Finding
        hits, more = checker.scan(text, min(self.per_line, self.total - len(self.findings)))
        self.findings += [make(hit) for hit in hits]
        if more:
            last = self.findings[-1]
            self.findings[-1] = replace(last, omitted=last.omitted + more)


def count_findings(findings: Iterable[Finding]) -> int:
    """All findings, the listed ones and those only counted (``omitted``)."""
    return sum(1 + f.omitted for f in findings)


def _snippet(text: str, s: int, e: int, width: int = 12) -> str:
    a = max(0, s - width)
    b = min(len(text), e + width)
    return text[a:b].replace("\n", " ")


def _position(text: str, offset: int) -> tuple[int, int]:
    """(0-based line index, 1-based column) of ``offset`` within ``text``."""
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


class _Locator:
    """Maps a hit in a field's value to the line and column of the source file."""

    def __init__(self, source_text: str | None) -> None:
        self.lines = source_text.splitlines() if source_text else None
        self.smap = None
        if source_text is not None:
            from studio_app.show.rundown import SourceMap

            self.smap = SourceMap(source_text)

    def locate(self, path: str, value: str, offset: int, origin: tuple[int, int] | None) -> tuple[int, int]:
        li, col = _position(value, offset)
        if origin is not None:  # spreadsheet cell: row, and column within the cell text
            return origin[0], col if li == 0 else col
        if self.smap is None or self.lines is None:
            return li + 1, col
        key_line = self.smap.line_of(path)
        value_line = value.split("\n")[li]
        # the term's line of the value appears verbatim at or after the key line
        for n in range(key_line - 1, min(len(self.lines), key_line + 400)):
            pos = self.lines[n].find(value_line) if value_line else -1
            if pos >= 0:
                return n + 1, pos + col
        return key_line, 0


def _show_fields(show: Show) -> Iterable[tuple[str, str | None, str]]:
    """(field path, segment id, text) of everything the anchor says or viewers see."""
    for i, s in enumerate(show.segments, start=1):
        base = f"segments[{i}]"
        yield f"{base}.title", s.id, s.title
        yield f"{base}.script", s.id, s.script
        for j, tp in enumerate(s.talking_points, start=1):
            yield f"{base}.talking_points[{j}]", s.id, tp
        for j, o in enumerate(s.overlays, start=1):
            yield f"{base}.overlays[{j}].template", s.id, o.template
    for i, p in enumerate(show.products, start=1):
        base = f"products[{i}]"
        yield f"{base}.name", None, p.name
        for j, sp in enumerate(p.selling_points, start=1):
            yield f"{base}.selling_points[{j}]", None, sp
    for i, c in enumerate(show.coupons, start=1):
        yield f"coupons[{i}].name", None, c.name
    for i, f in enumerate(show.flash_sales, start=1):
        yield f"flash_sales[{i}].title", None, f.title


def _key_path(path: str) -> str:
    """``segments[2].talking_points[3]`` -> ``segments[2].talking_points`` (the TOML key)."""
    return re.sub(r"\[\d+\]$", "", path)


def check_show(show: Show, checker: ComplianceChecker | None = None, source_text: str | None = None,
               origins: dict[str, tuple[int, int]] | None = None,
               max_per_field: int = MAX_FINDINGS_PER_LINE, max_findings: int = MAX_FINDINGS) -> list[Finding]:
    """Findings in a show. ``source_text`` (the TOML) gives file lines and columns;
    ``origins`` (spreadsheets: field path -> (row, 0)) gives rows. At most ``max_per_field``
    are listed per field and ``max_findings`` in all; the rest are counted (``omitted``)."""
    chk = (checker or ComplianceChecker()).with_allow(show.compliance_allow)
    loc = _Locator(source_text)
    out = _CappedFindings(max_per_field, max_findings)
    for path, seg_id, text in _show_fields(show):
        origin = (origins or {}).get(path)

        def make(hit, path=path, seg_id=seg_id, text=text, origin=origin) -> Finding:  # noqa: ANN001
            s, e, term = hit
            line, col = loc.locate(_key_path(path), text, s, origin)
            return Finding(text[s:e], term.category, term.severity, term.note, path, line, col,
                           _snippet(text, s, e), seg_id, show.source)

        out.add_line(chk, text, make)
    return out.findings


def check_lines(lines: Iterable[str], checker: ComplianceChecker | None = None, file: str = "",
                max_per_line: int = MAX_FINDINGS_PER_LINE, max_findings: int = MAX_FINDINGS) -> list[Finding]:
    """Findings in a plain-text script given line by line (so a file can be streamed):
    line and column are those of the text. At most ``max_per_line`` are listed per line and
    ``max_findings`` in all; the rest are counted on the last one listed (``omitted``)."""
    chk = checker or ComplianceChecker()
    out = _CappedFindings(max_per_line, max_findings)
    for n, line in enumerate(lines, start=1):

        def make(hit, n=n, line=line) -> Finding:  # noqa: ANN001
            s, e, term = hit
            return Finding(line[s:e], term.category, term.severity, term.note, "text", n, s + 1,
                           _snippet(line, s, e), None, file)

        out.add_line(chk, line, make)
    return out.findings


def check_text(text: str, checker: ComplianceChecker | None = None, file: str = "",
               max_per_line: int = MAX_FINDINGS_PER_LINE, max_findings: int = MAX_FINDINGS) -> list[Finding]:
    """Findings in a plain-text script: line and column are those of the text."""
    return check_lines(text.splitlines(), checker, file, max_per_line, max_findings)
