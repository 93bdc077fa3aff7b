"""Sales figures of a show and the weighted score that compares shows.

Pure logic (no database, no Qt): the store keeps the figures (``studio_app.store.metrics``),
this module reads them from CSV and scores shows.

Figures (per segment, or for the whole show when ``segment_id`` is None)
- ``gmv``: 成交额 in the shop's currency; ``orders``: 订单数; ``viewers``: 观看 (views of the
  segment, as the platform counts them); ``conversion``: a fraction (0.035 = 3.5 %);
  ``interactions``: 互动 (comments, likes, shares... as the platform counts them).
  Any figure may be missing (None).

CSV import (one row per segment; UTF-8 with or without BOM, or GB18030 as saved by Excel on
Chinese Windows). Headers, case-insensitive, Chinese or English:

====================  ==========================================
column                headers accepted
====================  ==========================================
segment (required)    环节, 环节ID, 环节编号, segment, segment_id
GMV                   成交额, 成交金额, GMV, gmv
orders                订单, 订单数, orders
viewers               观看, 观看人数, 观看人次, viewers, views
conversion            转化率, conversion
interactions          互动, 互动数, 互动量, interactions
====================  ==========================================

Numbers may carry thousands separators (``12,345``), a currency sign (``¥``/``￥``/``$``)
and the suffix ``万`` (x 10,000). Conversion: ``3.5%`` is 3.5 %; a bare number above 1
is read as a percentage (``3.5`` = 3.5 %), one of 1 or less as a fraction (``0.035``).
Empty cells mean "not known". Errors name the file, line and column.

Score (:func:`score_shows`)
Each show's totals are compared with the *best* show of the set being compared, per metric:
``part = value / best`` (0..1; 1 for the best show). The score is
``100 * sum(weight * part) / sum(weight)`` over the metrics the show has figures for, so
the best show on every metric scores 100 and a show with half the best GMV and everything
else best scores 100 - 50 * w_gmv. Metrics: GMV (total), conversion (orders / viewers when
both are known, else the viewer-weighted mean of the entered conversions), interaction
(interactions per viewer when viewers are known; shows lacking viewers figures are compared
on raw interactions only if no compared show has them). A metric that is missing for a show
is left out of that show's score and its weight shared by the others; the result lists it
in ``missing``. Default weights: GMV 50 %, conversion 30 %, interaction 20 %.
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from studio_app.core.files import read_regular_bytes


class SalesFileError(ValueError):
    """A sales CSV cannot be used; ``str(err)`` is one line: ``file:line: column: what``."""

    def __init__(self, file: str, line: int, field_name: str, message: str) -> None:
        self.file = file
        self.line = int(line)
        self.field = field_name
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.file, self.line, self.field, self.message))


@dataclass(frozen=True)
class SalesFigures:
    """Figures for one segment (``segment_id``) or a whole show (``segment_id`` None)."""

    show_id: str
    segment_id: str | None = None
    room: str | None = None
    gmv: float | None = None
    orders: int | None = None
    viewers: int | None = None
    conversion: float | None = None
    interactions: int | None = None
    source: str = "manual"
    entered_at: float = 0.0

    def __post_init__(self) -> None:
        for name in ("gmv", "orders", "viewers", "interactions", "conversion"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, (int, float)) or math.isnan(v) or v < 0):
                raise ValueError(f"{name} must be a number >= 0, not {v!r}")
        if self.conversion is not None and self.conversion > 1:
            raise ValueError(f"conversion is a fraction between 0 and 1, not {self.conversion!r} (3.5 % is 0.035)")


COLUMNS: dict[str, tuple[str, ...]] = {
    "segment_id": ("环节", "环节id", "环节编号", "segment", "segment_id", "segment id"),
    "gmv": ("成交额", "成交金额", "gmv"),
    "orders": ("订单", "订单数", "orders"),
    "viewers": ("观看", "观看人数", "观看人次", "viewers", "views"),
    "conversion": ("转化率", "conversion"),
    "interactions": ("互动", "互动数", "互动量", "interactions"),
}
_HEADER_TO_FIELD = {h: f for f, names in COLUMNS.items() for h in names}
_NUMBER = re.compile(r"^[+]?(\d+(?:\.\d*)?|\.\d+)$")


def _norm_header(text: str) -> str:
    text = text.strip().lstrip("\ufeff").strip().lower()
    return re.sub(r"\s*[(（].*[)）]\s*$", "", text)  # "成交额 (元)" / "GMV（¥）" -> the name


#: Largest figure accepted (GMV in yuan, orders, viewers...): far above any show, and inside
#: what every database stores exactly.
MAX_FIGURE = 1e15


def parse_number(text: str, *, integer: bool = False) -> float | int | None:
    """``12,345`` / ``¥1.2万`` / ``3.5`` -> a number >= 0; empty -> None. Raises ValueError."""
    t = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    for sign in ("¥", "￥", "$", "元"):
        t = t.replace(sign, "")
    if t in {"", "-", "—"}:
        return None
    factor = 1.0
    if t.endswith("万"):
        factor, t = 10_000.0, t[:-1]
    elif t.endswith("亿"):
        factor, t = 100_000_000.0, t[:-1]
    if not _NUMBER.match(t):
        raise ValueError(f"cannot read {text.strip()!r} as a number")
    value = float(t) * factor
    if not value <= MAX_FIGURE:  # also inf; a database integer holds at most 9.2e18
        raise ValueError(f"{text.strip()!r} is beyond any sales figure (at most {MAX_FIGURE:.0e})")
    if integer:
        if abs(value - round(value)) > 1e-6:
            raise ValueError(f"{text.strip()!r} is not a whole number")
        return int(round(value))
    return value


def parse_conversion(text: str) -> float | None:
    """``3.5%`` or ``3.5`` -> 0.035; ``0.035`` -> 0.035; empty -> None. Raises ValueError."""
    t = text.strip().replace(" ", "")
    if t in {"", "-", "—"}:
        return None
    percent = t.endswith("%") or t.endswith("％")
    value = parse_number(t.rstrip("%％"))
    assert value is not None
    if percent or value > 1:
        value /= 100.0
    if value > 1:
        raise ValueError(f"conversion {text.strip()!r} is above 100 %")
    return value


def _read_text(path: Path) -> str:
    data = read_regular_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise SalesFileError(str(path), 0, "", "not UTF-8 or GB18030 text; save the sheet as CSV UTF-8") from None


def parse_sales_csv(path: str | Path, show_id: str, *, room: str | None = None) -> list[SalesFigures]:
    """One :class:`SalesFigures` per data row (source ``csv``). Raises :class:`SalesFileError`."""
    path = Path(path)
    name = str(path)
    try:
        text = _read_text(path)
    except OSError as exc:
        raise SalesFileError(name, 0, "", f"cannot read the file: {exc.strerror or exc}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise SalesFileError(name, 1, "", "the file is empty; expected a header row such as 环节,成交额,订单,观看,转化率,互动") from None
    except csv.Error as exc:
        raise SalesFileError(name, 1, "", f"not a CSV file: {exc}") from None
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    for col, h in enumerate(header, 1):
        key = _HEADER_TO_FIELD.get(_norm_header(h))
        if key and key in seen:
            raise SalesFileError(name, 1, h.strip(), f"column {col} repeats {seen[key]!r}")
        if key:
            seen[key] = h.strip()
        fields.append(key)
    if "segment_id" not in seen:
        raise SalesFileError(name, 1, "", "no segment column: name one 环节 or segment")
    if len(seen) == 1:
        known = ", ".join(f"{v[0]}/{v[-1] if v[-1] != v[0] else ''}".rstrip("/") for v in COLUMNS.values())
        raise SalesFileError(name, 1, "", f"no figure columns; use some of: {known}")
    out: list[SalesFigures] = []
    segments: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            values: dict[str, object] = {}
            for col, (key, cell) in enumerate(zip(fields, row), 1):
                if key is None:
                    continue
                label = header[col - 1].strip()
                try:
                    if key == "segment_id":
                        values[key] = cell.strip() or None
                    elif key == "conversion":
                        values[key] = parse_conversion(cell)
                    else:
                        values[key] = parse_number(cell, integer=key in {"orders", "viewers", "interactions"})
                except ValueError as exc:
                    raise SalesFileError(name, line, label, str(exc)) from None
            seg = values.get("segment_id")
            if not seg:
                raise SalesFileError(name, line, seen["segment_id"], "the segment is empty")
            if len(str(seg)) > 64:
                raise SalesFileError(name, line, seen["segment_id"], "longer than 64 characters")
            if seg in segments:
                raise SalesFileError(name, line, seen["segment_id"], f"segment {seg!r} already given on line {segments[seg]}")
            segments[str(seg)] = line
            try:
                out.append(SalesFigures(show_id=show_id, room=room, source="csv", **values))  # type: ignore[arg-type]
            except ValueError as exc:
                raise SalesFileError(name, line, "", str(exc)) from None
    except csv.Error as exc:
        raise SalesFileError(name, reader.line_num, "", f"broken CSV: {exc}") from None
    if not out:
        raise SalesFileError(name, 2, "", "no data rows under the header")
    return out


# --------------------------------------------------------------------------- totals and score
@dataclass(frozen=True)
class ShowTotals:
    """A show's figures summed over its segments (or its whole-show entry)."""

    show_id: str
    room: str | None = None
    gmv: float | None = None
    orders: int | None = None
    viewers: int | None = None
    conversion: float | None = None
    interactions: int | None = None
    started_at: float | None = None  # for ordering shows over time, when known

    @property
    def interaction_rate(self) -> float | None:
        """Interactions per viewer, when both are known and viewers > 0."""
        if self.interactions is None or not self.viewers:
            return None
        return self.interactions / self.viewers


def _sum(values: Iterable[float | int | None]) -> float | int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def show_totals(figures: Sequence[SalesFigures], *, started_at: float | None = None) -> ShowTotals:
    """Totals of one show. A whole-show entry (``segment_id`` None) wins over summed segments,
    figure by figure; the newest entry per segment counts.

    Conversion: orders / viewers when both totals are known, else the entered conversions
    averaged with the segments' viewers as weights (plain mean when viewers are missing).
    """
    if not figures:
        raise ValueError("no figures")
    show_id = figures[0].show_id
    latest: dict[str | None, SalesFigures] = {}
    for f in sorted(figures, key=lambda f: f.entered_at):
        latest[f.segment_id] = f
    whole = latest.pop(None, None)
    segs = list(latest.values())
    room = (whole.room if whole else None) or next((f.room for f in segs if f.room), None)

    def pick(name: str):  # noqa: ANN202
        if whole is not None and getattr(whole, name) is not None:
            return getattr(whole, name)
        return _sum(getattr(f, name) for f in segs)

    gmv, orders, viewers, interactions = pick("gmv"), pick("orders"), pick("viewers"), pick("interactions")
    conversion = whole.conversion if whole is not None and whole.conversion is not None else None
    if conversion is None:
        if orders is not None and viewers:
            conversion = min(1.0, orders / viewers)
        else:
            convs = [(f.conversion, f.viewers) for f in segs if f.conversion is not None]
            if convs:
                if all(v for _, v in convs):
                    conversion = sum(c * v for c, v in convs) / sum(v for _, v in convs)
                else:
                    conversion = sum(c for c, _ in convs) / len(convs)
    return ShowTotals(show_id, room, gmv, orders, viewers, conversion, interactions, started_at)


@dataclass(frozen=True)
class ScoreWeights:
    """Relative weights (any non-negative numbers; they are normalised to sum to 1)."""

    gmv: float = 0.5
    conversion: float = 0.3
    interaction: float = 0.2

    def __post_init__(self) -> None:
        for name in ("gmv", "conversion", "interaction"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or math.isnan(v) or v < 0:
                raise ValueError(f"weight {name} must be a number >= 0, not {v!r}")
        if self.gmv + self.conversion + self.interaction <= 0:
            raise ValueError("at least one weight must be above 0")

    @classmethod
    def parse(cls, text: str) -> "ScoreWeights":
        """``gmv=50,conversion=30,interaction=20`` (also 成交额/转化率/互动; % signs allowed)."""
        aliases = {"gmv": "gmv", "成交额": "gmv", "conversion": "conversion", "转化率": "conversion",
                   "interaction": "interaction", "interactions": "interaction", "互动": "interaction"}
        values: dict[str, float] = {"gmv": 0.0, "conversion": 0.0, "interaction": 0.0}
        if not text.strip():
            raise ValueError("empty weights: use e.g. gmv=50,conversion=30,interaction=20")
        for part in re.split(r"[,，;]", text):
            if not part.strip():
                continue
            if "=" not in part:
                raise ValueError(f"cannot read weight {part.strip()!r}: use name=number, e.g. gmv=50")
            k, v = (s.strip() for s in part.split("=", 1))
            key = aliases.get(k.lower())
            if key is None:
                raise ValueError(f"unknown weight {k!r} (gmv, conversion, interaction)")
            try:
                values[key] = float(v.rstrip("%％"))
            except ValueError:
                raise ValueError(f"weight {k}: cannot read {v!r} as a number") from None
        return cls(**values)

    def normalised(self) -> dict[str, float]:
        total = self.gmv + self.conversion + self.interaction
        return {"gmv": self.gmv / total, "conversion": self.conversion / total, "interaction": self.interaction / total}


@dataclass(frozen=True)
class ShowScore:
    show_id: str
    score: float  # 0..100
    parts: dict[str, float] = field(default_factory=dict)  # metric -> value / best (0..1)
    missing: tuple[str, ...] = ()  # metrics without figures for this show
    totals: ShowTotals | None = None


def score_shows(shows: Sequence[ShowTotals], weights: ScoreWeights | None = None) -> list[ShowScore]:
    """Score each show against the best of ``shows`` (see module docstring); same order as given."""
    weights = weights or ScoreWeights()
    w = weights.normalised()
    use_rate = any(s.interaction_rate is not None for s in shows)

    def metric(s: ShowTotals, name: str) -> float | None:
        if name == "gmv":
            return s.gmv
        if name == "conversion":
            return s.conversion
        return s.interaction_rate if use_rate else (float(s.interactions) if s.interactions is not None else None)

    names = ("gmv", "conversion", "interaction")
    best = {n: max((v for s in shows if (v := metric(s, n)) is not None), default=None) for n in names}
    out = []
    for s in shows:
        parts: dict[str, float] = {}
        missing = []
        for n in names:
            v = metric(s, n)
            if v is None:
                missing.append(n)
                continue
            b = best[n]
            parts[n] = (v / b) if b else 0.0
        weight_sum = sum(w[n] for n in parts)
        score = 100.0 * sum(w[n] * p for n, p in parts.items()) / weight_sum if weight_sum > 0 else 0.0
        out.append(ShowScore(s.show_id, round(score, 2), parts, tuple(missing), s))
    return out
