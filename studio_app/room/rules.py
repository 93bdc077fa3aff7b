"""Room alert rules: one engine for the live room and for a stored show (so they agree).

:func:`load_rules` reads ``resources/room/rules.toml`` and an optional user file over it
(only what it names changes; problems raise :class:`RulesError` naming file, line and key).
:class:`RoomWatch` is fed accepted messages in time order (:meth:`RoomWatch.feed`) and the
clock (:meth:`RoomWatch.advance`, for silences); both return :class:`AlertChange` records:
an alert is *raised* once per episode and *cleared* when its condition has been over for the
rule's ``clear_after``. Alerts only propose (a runbook, a dispatcher action); whoever holds a
studio runs the action only when the rule is ``automatic``.

Pure: no clock of its own, no threads, no I/O besides reading the rule files. Times are the
messages' UTC seconds. Memory is bounded by the rules' windows, not the show's length.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import math
import operator
import re
import tomllib
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from studio_app.core.heap import bulk_allocation
from studio_app.room.messages import RoomColumns, RoomMessage

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "resources" / "room" / "rules.toml"
RULES = ("online_drop", "interaction_drop", "comments_silent", "tech_complaints", "complaint_surge",
         "similar_comments", "sellout_eta", "gmv_pace")
SEVERITIES = ("info", "warning", "error")
TECH_RUNBOOKS = ("stream", "mic", "camera")  # word groups of tech_complaints = runbook ids
TICK_S = 1.0  # the clock rules see between messages
MAX_STEPS = 3600  # a longer gap is walked in coarser steps

_COMMON_KEYS = {"enabled": bool, "severity": str, "runbook": str, "action": str, "args": dict,
                "automatic": bool, "clear_after": "duration"}
_RULE_KEYS: dict[str, dict[str, Any]] = {
    "online_drop": {"window": "duration", "drop": "fraction", "min_online": "count"},
    "interaction_drop": {"window": "duration", "drop": "fraction", "min_online": "count"},
    "comments_silent": {"silence": "duration"},
    "tech_complaints": {"window": "duration", "count": "count", "ignore": "words", "words": "groups"},
    "complaint_surge": {"window": "duration", "count": "count", "ignore": "words", "words": "words"},
    "similar_comments": {"window": "duration", "count": "count", "min_length": "count", "min_share": "fraction"},
    "sellout_eta": {"window": "duration", "eta": "duration", "min_sold": "count"},
    "gmv_pace": {"after": "duration", "behind": "fraction"},
}


class RulesError(ValueError):
    """A rules file is broken; ``str()`` is one line: ``file:line: key: what``."""


@dataclass(frozen=True)
class Rule:
    name: str
    params: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    @property
    def enabled(self) -> bool:
        return bool(self.params.get("enabled", True))

    @property
    def automatic(self) -> bool:
        return bool(self.params.get("automatic", False))


def _line_of(text: str, table: str, key: str | None) -> int:
    from studio_app.show.rundown import SourceMap

    return SourceMap(text).line_of(f"{table}.{key}" if key else table)


def _check_value(kind: Any, value: Any) -> Any:
    from studio_app.show.model import parse_duration

    if kind == "duration":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value < 0:
                raise ValueError(f"must not be negative, got {value}")
            return float(value)
        return parse_duration(value)
    if kind == "fraction":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ValueError(f"expected a fraction between 0 and 1 (0.2 = 20%), got {value!r}")
        return float(value)
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"expected a whole number >= 0, got {value!r}")
        return value
    if kind == "words":
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise ValueError("expected a list of words, e.g. [\"假货\", \"退款\"]")
        return tuple(w.strip() for w in value)
    if kind == "groups":
        if not isinstance(value, dict):
            raise ValueError("expected a table of word lists: stream = [...], mic = [...], camera = [...]")
        out = {}
        for group, words in value.items():
            if group not in TECH_RUNBOOKS:
                raise ValueError(f"unknown group {group!r} (stream, mic or camera)")
            out[group] = _check_value("words", words)
        return out
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind is dict:
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, e.g. {{ text = \"...\" }}, got {value!r}")
        return dict(value)
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _read(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: TOML syntax: {exc}") from None


def _merge(into: dict[str, dict[str, Any]], path: Path) -> None:
    data, text = _read(path)
    for table, values in data.items():
        if table not in _RULE_KEYS:
            raise RulesError(f"{path}:{_line_of(text, table, None)}: [{table}]: unknown rule "
                             f"(known: {', '.join(RULES)})")
        if not isinstance(values, dict):
            raise RulesError(f"{path}:{_line_of(text, table, None)}: {table}: expected a table [{table}]")
        for key, value in values.items():
            kind = _RULE_KEYS[table].get(key, _COMMON_KEYS.get(key))
            where = f"{path}:{_line_of(text, table, key)}: {table}.{key}"
            if kind is None:
                raise RulesError(f"{where}: unknown setting")
            try:
                checked = _check_value(kind, value)
            except ValueError as exc:
                raise RulesError(f"{where}: {exc}") from None
            if key == "severity" and checked not in SEVERITIES:
                raise RulesError(f"{where}: expected one of {', '.join(SEVERITIES)}, got {checked!r}")
            into.setdefault(table, {})[key] = checked


def load_rules(user_file: str | Path | None = None, *, defaults: str | Path = DEFAULT_RULES) -> dict[str, Rule]:
    """The defaults with ``user_file`` over them; raises :class:`RulesError`."""
    params: dict[str, dict[str, Any]] = {}
    _merge(params, Path(defaults))
    if user_file is not None:
        _merge(params, Path(user_file))
    rules = {}
    for name in RULES:
        p = {"enabled": True, "severity": "warning", "runbook": "", "action": "", "args": {}, "automatic": False,
             "clear_after": 0.0, **params.get(name, {})}
        missing = [k for k in _RULE_KEYS[name] if k not in p]
        if missing:
            raise RulesError(f"{defaults}: [{name}]: missing {', '.join(missing)}")
        if p["automatic"] and not p["action"]:
            raise RulesError(f"[{name}]: automatic = true needs an action")
        rules[name] = Rule(name, p)
    return rules


# ---------------------------------------------------------------------------------------
# Words in comments


_STRIP = re.compile(r"[\s\W_]+", re.UNICODE)
_RUNS = re.compile(r"(.)\1+")
# A chunk of comments is worked as one string, texts joined by SEP: C passes over the chunk
# instead of several Python calls per comment (a busy room is 720,000 comments in 4 h). SEP
# survives every step: NFKC and lower() leave it alone and never reach across it (it is a
# starter with no case), the strip class below keeps it, runs are not collapsed over it, and
# no word matches it.
SEP = "\x00"
_STRIP_KEEP_SEP = re.compile(r"[^\w\x00]+")  # with "_" removed after: the same as _STRIP, SEP kept
_RUNS_KEEP_SEP = re.compile(r"([^\x00])(?=\1)")  # drop a character when the next one is the same
CHUNK = 4096  # texts per chunk: a few hundred kB of string


@functools.lru_cache(maxsize=8192)  # a busy room repeats itself: most texts were seen a moment ago
def normalise_comment(text: str) -> str:
    """For "near-identical": NFKC, lower case, no spaces/punctuation/emoji, runs of one
    character collapsed (好好好好 -> 好). The definition; :func:`normalise_comments` does many."""
    return _RUNS.sub(r"\1", _STRIP.sub("", unicodedata.normalize("NFKC", text).lower()))


def normalise_comments(texts: Sequence[str], chunk: int = CHUNK) -> list[str]:
    """``[normalise_comment(t) for t in texts]``, ``chunk`` texts at a time."""
    out: list[str] = []
    nfkc = unicodedata.normalize
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        # NFKC per text: its quick check passes most texts untouched, while one fullwidth ～
        # sends a whole joined chunk down the slow path.
        joined = SEP.join([nfkc("NFKC", t) for t in part])
        if joined.count(SEP) != len(part) - 1:  # a text holds SEP itself: one at a time
            out += [normalise_comment.__wrapped__(t) for t in part]
            continue
        joined = _RUNS_KEEP_SEP.sub("", _STRIP_KEEP_SEP.sub("", joined.lower()).replace("_", ""))
        out += joined.split(SEP)
    return out


_Hits = dict[int, dict[str, list[str]]]  # text position -> {word group: words found}
# (normalised text, tech word groups hit, a complaint?, long enough for similar_comments?,
# followed for similar_comments?, any of it beyond being counted: a hit, or followed and long?)
_TextRead = tuple[str, tuple[str, ...], bool, bool, bool, bool]
_NO_READ: _TextRead = ("", (), False, False, False, False)  # a message that is not a comment


class WordMatcher:
    """Which word groups a comment hits, after removing the ``ignore`` words (卡其色 is not 卡)."""

    def __init__(self, groups: Mapping[str, Iterable[str]], ignore: Iterable[str] = ()) -> None:
        self.groups = {g: tuple(sorted(set(ws), key=len, reverse=True)) for g, ws in groups.items()}
        ignore = sorted(set(ignore), key=len, reverse=True)
        self._ignore = re.compile("|".join(map(re.escape, ignore))) if ignore else None
        words = sorted({w for ws in self.groups.values() for w in ws}, key=len, reverse=True)
        self._any = re.compile("|".join(map(re.escape, words))) if words else None
        self._joinable = not any(SEP in w for w in (*words, *ignore))  # a word spanning two joined texts
        self.match = functools.lru_cache(maxsize=8192)(self._match)  # repeated texts cost a look-up

    def _match(self, text: str) -> dict[str, list[str]]:
        """{group: words found}; empty when none. The result is shared: do not change it."""
        if self._any is None or self._any.search(text) is None:  # the common case: one regex pass
            return {}
        if self._ignore is not None:
            text = self._ignore.sub(" ", text)
        return self._groups(text)

    def _groups(self, text: str) -> dict[str, list[str]]:
        """{group: words found} in a text whose ignore words are gone."""
        found: dict[str, list[str]] = {}
        for group, words in self.groups.items():
            hits = [w for w in words if w in text]
            if hits:
                found[group] = hits
        return found

    def match_many(self, texts: Sequence[str], chunk: int = CHUNK) -> _Hits:
        """``{i: match(texts[i])}`` for the texts that hit a word group: one regex pass over a
        chunk finds the few texts worth a closer look."""
        if self._any is None:
            return {}
        if not self._joinable:
            return {i: found for i, t in enumerate(texts) if (found := self._match(t))}
        out: _Hits = {}
        for start in range(0, len(texts), chunk):
            part = texts[start:start + chunk]
            # No word holds SEP, so no match spans two texts, and finditer meets every text
            # that has a word (a match ends before the next text begins).
            joined = SEP.join(part)
            if joined.count(SEP) != len(part) - 1:  # a text holds SEP itself: one at a time
                out.update({start + i: found for i, t in enumerate(part) if (found := self._match(t))})
                continue
            near: list[int] = []
            i = at = 0
            for m in self._any.finditer(joined):
                i += joined.count(SEP, at, m.start())  # the text a match is in: SEPs before it
                at = m.start()
                if not near or near[-1] != i:
                    near.append(i)
            if not near:
                continue
            # Most of these hold an ignore word only (卡其色 is not 卡): remove them in one pass.
            texts_near = [part[i] for i in near]
            if self._ignore is not None:
                texts_near = self._ignore.sub(" ", SEP.join(texts_near)).split(SEP)
            for i, text in zip(near, texts_near):
                if self._any.search(text) is not None:
                    out[start + i] = self._groups(text)
        return out


# ---------------------------------------------------------------------------------------
# Alerts


@dataclass
class Alert:
    """One episode of a rule (``key`` tells products apart)."""

    ts: float
    rule: str
    severity: str
    message: str
    message_zh: str
    runbook: str
    value: float | None
    baseline: float | None
    key: str = ""
    action: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    automatic: bool = False
    cleared_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        from studio_app.room.timefmt import iso

        return {"ts": iso(self.ts), "rule": self.rule, "severity": self.severity, "message": self.message,
                "runbook": self.runbook or None, "value": _round(self.value), "baseline": _round(self.baseline),
                "key": self.key or None, "message_zh": self.message_zh, "action": self.action or None,
                "args": self.args or None, "automatic": self.automatic,
                "cleared_at": iso(self.cleared_at) if self.cleared_at is not None else None}


def _round(v: float | None) -> float | None:
    return None if v is None else round(float(v), 4)


@dataclass(frozen=True)
class AlertChange:
    state: str  # raised | cleared
    alert: Alert
    ts: float


@dataclass
class _Condition:
    key: str
    value: float | None
    baseline: float | None
    message: str
    message_zh: str
    runbook: str | None = None  # None: the rule's own
    args: dict[str, Any] | None = None


class _Windows:
    """The last two ``width`` windows of a stream of (ts, online, interactions so far)."""

    def __init__(self, width: float) -> None:
        self.width = width
        self.recent: deque[tuple[float, float, float]] = deque()
        self.older: deque[tuple[float, float, float]] = deque()
        self.base: tuple[float, float, float] | None = None  # the last sample before ``older``
        self.sum_recent = 0.0
        self.sum_older = 0.0

    def add(self, ts: float, online: float, inter: float) -> None:
        self.recent.append((ts, online, inter))
        self.sum_recent += online
        while self.recent and self.recent[0][0] <= ts - self.width:
            s = self.recent.popleft()
            self.sum_recent -= s[1]
            self.older.append(s)
            self.sum_older += s[1]
        while self.older and self.older[0][0] <= ts - 2 * self.width:
            self.base = self.older.popleft()
            self.sum_older -= self.base[1]

    def full(self) -> bool:
        return self.base is not None and bool(self.older) and bool(self.recent)

    def online(self) -> tuple[float, float]:
        """(average of the window before, average of the last window)."""
        return self.sum_older / len(self.older), self.sum_recent / len(self.recent)

    def interaction(self) -> tuple[float, float] | None:
        """(rate before, rate now): interactions per online viewer per minute."""
        assert self.base is not None
        edge, last = self.older[-1], self.recent[-1]
        span_a, span_b = edge[0] - self.base[0], last[0] - edge[0]
        a_online, b_online = self.online()
        if span_a <= 0 or span_b <= 0 or a_online <= 0 or b_online <= 0:
            return None
        rate_a = (edge[2] - self.base[2]) / a_online / (span_a / 60.0)
        rate_b = (last[2] - edge[2]) / b_online / (span_b / 60.0)
        return rate_a, rate_b


@dataclass
class ShowPlan:
    """What the rules know of the show from its rundown (all optional)."""

    target_gmv: float | None = None
    planned_s: float | None = None  # the rundown's total planned duration
    stock: dict[str, int] = field(default_factory=dict)  # sku -> stock at the start
    names: dict[str, str] = field(default_factory=dict)  # sku -> product name

    @classmethod
    def from_show(cls, show: Any) -> "ShowPlan":
        return cls(target_gmv=getattr(show, "target_gmv", None),
                   planned_s=sum(float(s.duration) for s in show.segments) or None,
                   stock={p.sku: int(p.stock) for p in show.products if p.stock is not None},
                   names={p.sku: p.name for p in show.products})


class RoomWatch:
    """The rules over one show's room. Feed messages in time order; read ``alerts``
    (``history=False``, live: only ``active``, the changes say the rest)."""

    def __init__(self, rules: Mapping[str, Rule], plan: ShowPlan | None = None, *, history: bool = True) -> None:
        self.rules = {n: r for n, r in rules.items() if r.enabled}
        self.plan = plan or ShowPlan()
        r = rules
        self._win_online = _Windows(r["online_drop"]["window"])
        self._win_inter = _Windows(r["interaction_drop"]["window"])
        self._tech = WordMatcher(r["tech_complaints"]["words"], r["tech_complaints"]["ignore"])
        self._complaint = WordMatcher({"complaints": r["complaint_surge"]["words"]}, r["complaint_surge"]["ignore"])
        self._tech_recent: deque[tuple[float, tuple[str, ...]]] = deque()
        self._tech_groups: Counter[str] = Counter()  # comments per word group in _tech_recent
        self._complaint_recent: deque[float] = deque()
        self._similar: deque[tuple[float, str, str]] = deque()  # ts, normalised text, user
        self._similar_window: deque[float] = deque()  # every comment long enough to judge (min_share)
        # normalised text -> user -> their latest entry of it in _similar (they are in the
        # window until that entry leaves it): one store per comment, no count kept
        self._similar_users: dict[str, dict[str, tuple[float, str, str]]] = {}
        self._similar_hot: set[str] = set()  # texts with at least ``count`` users in the window
        self._similar_min = r["similar_comments"]["count"]
        self._similar_len = r["similar_comments"]["min_length"]
        self._products: dict[str, deque[tuple[float, int]]] = {}  # sku -> (ts, sold) in the window
        self._stock: dict[str, int] = dict(self.plan.stock)
        self._sold_start: dict[str, int] = {}
        self._names: dict[str, str] = dict(self.plan.names)
        self.live = True  # the show is on air (the desk sets it; offline: always)
        self.started: float | None = None  # first message
        self.now: float | None = None
        self.last_comment: float | None = None
        self._comments_total: float | None = None
        self._likes_total = 0.0
        self._comment_msgs = 0
        self.gmv = 0.0
        self.active: dict[tuple[str, str], Alert] = {}
        self._false_since: dict[tuple[str, str], float] = {}
        self.alerts: list[Alert] = []  # every episode, in time order (history)
        self._history = history

    # -- input --------------------------------------------------------------------------
    def feed(self, msg: RoomMessage) -> list[AlertChange]:
        d = msg.data
        if msg.type == "stats" and "comments" in d:
            # A rise of the counter means comments came since the last sample: known before the
            # clock moves, so a minute-level export is not "silent" between its rows.
            if self._comments_total is not None and d["comments"] > self._comments_total and self.live:
                self.last_comment = max(self.last_comment or msg.ts, msg.ts)
            self._comments_total = d["comments"]
        if msg.type == "comment":
            text = d["text"]
            [read] = self._read_texts([text])  # a chunk of one: the offline code
            return self._comment(msg.ts, str(d.get("user", "")), read)
        changes = self.advance(msg.ts)
        if self.started is None:
            self.started = msg.ts
        touched: tuple[str, ...]
        if msg.type == "stats":
            if "likes" in d:
                self._likes_total = d["likes"]
            if "gmv" in d:
                self.gmv = d["gmv"]
            inter = (self._comments_total if self._comments_total is not None else self._comment_msgs) + self._likes_total
            if "online" in d:
                self._win_online.add(msg.ts, d["online"], inter)
                self._win_inter.add(msg.ts, d["online"], inter)
            touched = ("online_drop", "interaction_drop", "gmv_pace")
        elif msg.type == "product":
            sku = str(d.get("sku") or d.get("name"))
            if "name" in d:
                self._names.setdefault(sku, d["name"])
            if "stock" in d:
                self._stock[sku] = d["stock"]
            if "sold" in d:
                hist = self._products.setdefault(sku, deque())
                if sku in self.plan.stock and "stock" not in d and sku not in self._sold_start:
                    self._sold_start[sku] = d["sold"]
                hist.append((msg.ts, d["sold"]))
                if "stock" not in d and sku in self.plan.stock:
                    self._stock[sku] = max(0, self.plan.stock[sku] - (d["sold"] - self._sold_start.get(sku, 0)))
            touched = ("sellout_eta",)
        else:
            touched = ()
        for name in touched:
            changes += self._evaluate(name, msg.ts)
        return changes

    def _read_texts(self, texts: Sequence[str], norms: Sequence[str] | None = None,
                    track: set[str] | None = None) -> list[_TextRead]:
        """What the rules read in each comment text; live calls it with one text, offline with
        every distinct text of the show. ``norms``: the texts already normalised; ``track``: the
        normalised texts that can make a similar_comments episode (None: all)."""
        if norms is None:
            norms = normalise_comments(texts)
        tech, complaint = self._tech.match_many(texts), self._complaint.match_many(texts)
        # Built in C (zip, map): an offline show has 700,000 distinct texts at worst.
        longs = list(map(self._similar_len.__le__, map(len, norms)))
        follows = [True] * len(norms) if track is None else list(map(track.__contains__, norms))
        reads = list(zip(norms, itertools.repeat(()), itertools.repeat(False), longs, follows,
                         map(operator.and_, longs, follows)))
        for i in tech.keys() | complaint.keys():
            norm, _, _, long, follow, _ = reads[i]
            reads[i] = (norm, tuple(tech.get(i, ())), i in complaint, long, follow, True)
        return reads

    def _comment(self, ts: float, user: str, read: _TextRead) -> list[AlertChange]:
        """One comment, its text already read (:meth:`_read_texts`): a run of one."""
        return self._comments((ts,), (user,), (read,), 0, 1, (read[3],), [0] if read[5] else [])

    def _comments(self, ts: Sequence[float], users: Sequence[str | None], reads: Sequence[_TextRead],
                  start: int, stop: int, longs: Sequence[bool], special: Sequence[int],
                  ordered: bool = False) -> list[AlertChange]:
        """Comments ``start:stop`` of these columns, exactly as one at a time. ``reads``: their
        texts read (:meth:`_read_texts`); ``longs``: ``reads[k][3]``; ``special``: in order,
        the positions ``k`` whose ``reads[k][5]`` is true (the others are only counted).
        ``ordered``: their times never go back, so the comments of one whole second are taken
        together: the clock can move only at a second's first comment (a busy room sends 50 a
        second; offline a show is 700,000 of them)."""
        changes: list[AlertChange] = []
        window, similar, users_of, hot, least = (self._similar_window, self._similar, self._similar_users,
                                                 self._similar_hot, self._similar_min)
        i = start
        while i < stop:
            t = ts[i]
            now = self.now
            if now is not None and t > now and int(t) == int(now):
                self.now = t  # advance()'s common case, without the call
            else:
                changes += self.advance(t)
            # A comments_silent episode is judged at every comment (when it ends); otherwise
            # the second's later comments only count: the clock stays within the second.
            if ordered and ("comments_silent", "") not in self.active:
                j = bisect.bisect_left(ts, math.floor(self.now) + 1, i + 1, stop)
            else:
                j = i + 1
            last = ts[j - 1]  # the latest of them (ordered)
            if last > self.now:
                self.now = last
            if self.live and (self.last_comment is None or last > self.last_comment):
                self.last_comment = last
            if self.started is None:
                self.started = t
            self._comment_msgs += j - i
            window.extend(itertools.compress(ts[i:j], longs[i:j]))  # similar_comments' min_share
            a = bisect.bisect_left(special, i)
            for k in special[a:bisect.bisect_left(special, j, a)]:
                norm, tech, complaint, long, track, _ = reads[k]
                if long and track:  # similar_comments: one more comment of ``norm`` by this user
                    entry = (ts[k], norm, user := users[k])
                    similar.append(entry)
                    per_user = users_of.get(norm)
                    if per_user is None:
                        per_user = users_of[norm] = {}
                    per_user[user] = entry
                    if len(per_user) >= least:
                        hot.add(norm)  # judged on the next 1 s tick, not per comment
                if tech or complaint:
                    changes += self._words(ts[k], tech, complaint)
            if j == i + 1 and ("comments_silent", "") in self.active:
                changes += self._evaluate("comments_silent", t)
            i = j
        return changes

    def _words(self, ts: float, tech: tuple[str, ...], complaint: bool) -> list[AlertChange]:
        """tech_complaints and complaint_surge, judged at the comment that says the words."""
        changes: list[AlertChange] = []
        if tech:
            self._tech_recent.append((ts, tech))
            self._tech_groups.update(tech)
            changes += self._evaluate("tech_complaints", ts)
        if complaint:
            self._complaint_recent.append(ts)
            changes += self._evaluate("complaint_surge", ts)
        return changes

    def read_comments(self, cols: RoomColumns) -> dict[str, _TextRead]:
        """Offline: what the rules read in each distinct comment text of a stored show, the
        texts a chunk at a time (a busy room repeats its questions by the thousand)."""
        with bulk_allocation():  # a whole show's texts at once: no cycles among them to collect
            sent_as = Counter(cols.texts)  # comments per distinct text, in the order first sent
            sent_as.pop(None, None)  # the messages kept whole
            sent_as.update(m.data["text"] for m in cols.others if m.type == "comment")
            distinct = list(sent_as)
            norms = normalise_comments(distinct)
            # A text that fewer than ``count`` comments in the whole show carry can never have
            # ``count`` users in one window: it need not be followed per user (it still counts
            # toward the window's min_share). Comments per normalised text, counted in C.
            sent = Counter(itertools.chain.from_iterable(map(itertools.repeat, norms, sent_as.values())))
            track = set(itertools.compress(sent.keys(), map(self._similar_min.__le__, sent.values())))
            return dict(zip(distinct, self._read_texts(distinct, norms, track)))

    def feed_columns(self, cols: RoomColumns, read: Mapping[str, _TextRead] | None = None) -> None:
        """Offline: a stored show, as :meth:`feed` would take it message by message (the same
        rule code); ``read``: :meth:`read_comments` of it, if already done."""
        read_of = self.read_comments(cols) if read is None else read
        ts, users, texts = cols.ts, cols.users, cols.texts
        with bulk_allocation():  # the windows' deques churn through 700,000 tuples, none in a cycle
            # Built in C: each comment's read (None: a message kept whole), where the others are.
            reads = list(map(read_of.get, texts, itertools.repeat(_NO_READ)))
            longs = list(map(operator.itemgetter(3), reads))
            special = list(itertools.compress(itertools.count(), map(operator.itemgetter(5), reads)))
            whole = list(itertools.compress(itertools.count(), map(operator.is_, texts, itertools.repeat(None))))
            ordered = all(map(operator.le, ts, itertools.islice(ts, 1, None)))
            start = 0
            for at, msg in zip(whole, cols.others):
                if start < at:
                    self._comments(ts, users, reads, start, at, longs, special, ordered)
                if msg.type == "comment":  # one the store could not take apart
                    self._comment(msg.ts, str(msg.data.get("user", "")), read_of[msg.data["text"]])
                else:
                    self.feed(msg)
                start = at + 1
            if start < len(ts):
                self._comments(ts, users, reads, start, len(ts), longs, special, ordered)

    def advance(self, now: float) -> list[AlertChange]:
        """The clock moved to ``now`` (UTC s): silences, windows emptying."""
        if self.now is not None and (now <= self.now or int(now) == int(self.now)):
            if now > self.now:
                self.now = now  # within the same second: nothing to judge (the common case at 50/s)
            return []
        # The windowed rules are judged on whole seconds (as the desk's 1 s timer ticks), so
        # episodes start and end at the same moments offline, live, and in a replay at any
        # speed; and a busy room's 50 comments a second cost one judgement a second, not 50.
        changes: list[AlertChange] = []
        last = math.floor(self.now) if self.now is not None else math.floor(now) - 1
        target = math.floor(now)
        step = max(TICK_S, (target - last) / MAX_STEPS)
        t = last + step
        while t <= target:
            changes += self._tick(t)
            t += step
        self.now = now
        return changes

    def _tick(self, now: float) -> list[AlertChange]:
        changes: list[AlertChange] = []
        for name in ("comments_silent", "tech_complaints", "complaint_surge", "similar_comments"):
            changes += self._evaluate(name, now)
        return changes

    def set_live(self, live: bool, now: float) -> list[AlertChange]:
        self.live = live
        if not live:  # off air: silences are not alarming, and no comment is owed
            self.last_comment = None
        return self._evaluate("comments_silent", now)

    def finish(self, end: float | None = None) -> list[AlertChange]:
        """The show ended: every open episode closes at ``end`` (default: the last time seen)."""
        end = self.now if end is None else end
        out = []
        for k, alert in list(self.active.items()):
            alert.cleared_at = end
            out.append(AlertChange("cleared", alert, end or alert.ts))
            del self.active[k]
        return out

    # -- rules --------------------------------------------------------------------------
    def _evaluate(self, name: str, now: float) -> list[AlertChange]:
        rule = self.rules.get(name)
        if rule is None:
            return []
        conditions = getattr(self, "_check_" + name)(rule, now)
        return self._episodes(rule, conditions, now)

    def _episodes(self, rule: Rule, conditions: list[_Condition], now: float) -> list[AlertChange]:
        if not conditions and not self.active:
            return []  # the common case, judged 4 times a second
        out: list[AlertChange] = []
        keys = set()
        for c in conditions:
            k = (rule.name, c.key)
            keys.add(k)
            self._false_since.pop(k, None)
            alert = self.active.get(k)
            if alert is not None:
                continue
            at = now
            if rule.name == "comments_silent" and self.last_comment is not None:
                at = self.last_comment + rule["silence"]  # the exact moment it went silent
            alert = Alert(at, rule.name, rule["severity"], c.message, c.message_zh,
                          rule["runbook"] if c.runbook is None else c.runbook, c.value, c.baseline, c.key,
                          rule["action"], dict(c.args if c.args is not None else rule["args"]), rule.automatic)
            self.active[k] = alert
            if self._history:
                self.alerts.append(alert)
            out.append(AlertChange("raised", alert, at))
        for k in [k for k in self.active if k[0] == rule.name and k not in keys]:
            since = self._false_since.setdefault(k, now)
            if now - since >= rule["clear_after"]:
                alert = self.active.pop(k)
                alert.cleared_at = since
                del self._false_since[k]
                out.append(AlertChange("cleared", alert, since))
        return out

    def _check_online_drop(self, rule: Rule, now: float) -> list[_Condition]:
        w = self._win_online
        if not w.full():
            return []
        before, last = w.online()
        if before < rule["min_online"] or (before - last) / before < rule["drop"]:
            return []
        pct = (before - last) / before
        mins = rule["window"] / 60
        return [_Condition("", last, before,
                           f"online viewers down {pct:.0%}: {last:,.0f} on average in the last {mins:g} min, "
                           f"{before:,.0f} in the {mins:g} min before",
                           f"在线人数下降 {pct:.0%}：近 {mins:g} 分钟平均 {last:,.0f}，之前 {before:,.0f}")]

    def _check_interaction_drop(self, rule: Rule, now: float) -> list[_Condition]:
        w = self._win_inter
        if not w.full():
            return []
        before_online, _ = w.online()
        rates = w.interaction()
        if rates is None or before_online < rule["min_online"]:
            return []
        before, last = rates
        if before <= 0 or (before - last) / before < rule["drop"]:
            return []
        pct = (before - last) / before
        return [_Condition("", last, before,
                           f"interaction rate down {pct:.0%}: {last:.3f} per viewer per minute, {before:.3f} before",
                           f"互动率下降 {pct:.0%}：每人每分钟 {last:.3f}，之前 {before:.3f}")]

    def _check_comments_silent(self, rule: Rule, now: float) -> list[_Condition]:
        if not self.live or self.last_comment is None:
            return []
        quiet = now - self.last_comment
        if quiet < rule["silence"]:
            return []
        return [_Condition("", quiet, rule["silence"], f"no comment for {quiet:.0f} s",
                           f"已 {quiet:.0f} 秒没有评论")]

    @staticmethod
    def _trim(dq: deque, now: float, window: float) -> None:
        while dq and (dq[0] if isinstance(dq[0], float) else dq[0][0]) <= now - window:
            dq.popleft()

    def _check_tech_complaints(self, rule: Rule, now: float) -> list[_Condition]:
        recent, groups = self._tech_recent, self._tech_groups
        while recent and recent[0][0] <= now - rule["window"]:
            groups.subtract(recent.popleft()[1])
        if len(recent) < rule["count"]:
            return []
        order = {g: i for i, g in enumerate(TECH_RUNBOOKS)}
        runbook = min((g for g in groups if groups[g] > 0), key=lambda g: (-groups[g], order.get(g, 9)))
        n = len(self._tech_recent)
        what = {"stream": ("the stream stutters", "直播卡顿"), "mic": ("no sound", "没声音"),
                "camera": ("the picture is broken", "画面异常")}[runbook]
        return [_Condition("", n, rule["count"],
                           f"{n} comments in {rule['window']:g} s say {what[0]}: open the {runbook} runbook",
                           f"{rule['window']:g} 秒内 {n} 条评论反映{what[1]}：请打开{runbook}预案", runbook=runbook)]

    def _check_complaint_surge(self, rule: Rule, now: float) -> list[_Condition]:
        self._trim(self._complaint_recent, now, rule["window"])
        n = len(self._complaint_recent)
        if n < rule["count"]:
            return []
        return [_Condition("", n, rule["count"], f"{n} complaints in {rule['window']:g} s",
                           f"{rule['window']:g} 秒内 {n} 条投诉类评论")]

    def _check_similar_comments(self, rule: Rule, now: float) -> list[_Condition]:
        edge = now - rule["window"]
        window = self._similar_window
        while window and window[0] <= edge:
            window.popleft()
        dq, users_of, hot, least = self._similar, self._similar_users, self._similar_hot, self._similar_min
        while dq and dq[0][0] <= edge:  # a busy room drops 50 a second here: locals only
            entry = dq.popleft()
            _, norm, user = entry
            per_user = users_of[norm]
            if per_user[user] is entry:  # the user's last comment of it leaves the window
                del per_user[user]
                if len(per_user) < least:
                    hot.discard(norm)
                if not per_user:
                    del users_of[norm]
        out = []
        # In a busy room the common questions repeat by the dozen: a text counts only when it is
        # also at least ``min_share`` of the window's comments.
        floor = max(rule["count"], rule["min_share"] * len(window))
        # Only texts already sent by enough users (cheap at 50/s); one user repeating themselves
        # is spam, not a crowd.
        for norm in [n for n in hot if len(users_of[n]) >= floor]:
            users = len(users_of[norm])
            out.append(_Condition(norm, users, rule["count"],
                                  f"{users} users sent the same comment \"{norm[:20]}\" in {rule['window']:g} s: "
                                  "have a person review them",
                                  f"{rule['window']:g} 秒内 {users} 位用户发送相似评论「{norm[:20]}」：请人工审核"))
        return out

    def _check_sellout_eta(self, rule: Rule, now: float) -> list[_Condition]:
        out = []
        for sku, hist in self._products.items():
            while len(hist) > 2 and hist[1][0] <= now - rule["window"]:
                hist.popleft()  # keep one sample at or before the window's start
            stock = self._stock.get(sku)
            if stock is None or stock <= 0 or len(hist) < 2:
                continue
            (t0, s0), (t1, s1) = hist[0], hist[-1]
            if t1 - t0 < 60 or s1 - s0 < rule["min_sold"]:
                continue
            rate = (s1 - s0) / (t1 - t0)  # per second
            eta = stock / rate
            if eta > rule["eta"]:
                continue
            name = self._names.get(sku, sku)
            out.append(_Condition(sku, eta, stock,
                                  f"{sku} {name}: {stock} left, sold out in ~{eta / 60:.1f} min at {rate * 60:.1f}/min: "
                                  "restock or transfer stock now",
                                  f"{name}（{sku}）剩 {stock} 件，按当前 {rate * 60:.1f} 件/分钟约 {eta / 60:.1f} 分钟售罄："
                                  "请立即补货或调拨", args={"sku": sku}))
        return out

    def _check_gmv_pace(self, rule: Rule, now: float) -> list[_Condition]:
        target, planned = self.plan.target_gmv, self.plan.planned_s
        if not target or not planned or self.started is None:
            return []
        elapsed = now - self.started
        if elapsed < rule["after"]:
            return []
        pace = target * min(1.0, elapsed / planned)
        if pace <= 0 or (pace - self.gmv) / pace <= rule["behind"]:
            return []
        short = (pace - self.gmv) / pace
        return [_Condition("", self.gmv, pace,
                           f"GMV ¥{self.gmv:,.0f} is {short:.0%} behind the pace to the target (¥{pace:,.0f} by now, "
                           f"¥{target:,.0f} in all)",
                           f"成交额 ¥{self.gmv:,.0f}，落后目标进度 {short:.0%}（此时应达 ¥{pace:,.0f}，目标 ¥{target:,.0f}）")]


def evaluate(messages: Iterable[RoomMessage] | RoomColumns, rules: Mapping[str, Rule], plan: ShowPlan | None = None,
             end: float | None = None) -> list[Alert]:
    """Offline: every alert episode over accepted ``messages`` (time order), as live would
    have raised them; episodes still open at the end keep ``cleared_at`` None."""
    watch = RoomWatch(rules, plan)
    watch.feed_columns(messages if isinstance(messages, RoomColumns) else RoomColumns.of(messages))
    if end is not None:
        watch.advance(end)
    return sorted(watch.alerts, key=lambda a: (a.ts, a.rule, a.key))
