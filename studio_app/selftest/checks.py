"""What a self-test produces: one :class:`SelfTestCheck` per thing tested, and the run.

A check has an id (``group.name``, e.g. ``camera.opens``), a status (pass, warn, fail,
skip), the measured value, the threshold it was held to, one line of detail and, when
something is wrong, a fix hint in plain words in Chinese and English. Everything here is
plain data, JSON-able through :meth:`SelfTestCheck.to_dict` / :meth:`SelfTestRun.to_dict`;
no Qt, no database, no devices.
"""
from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field, replace
from typing import Any, Mapping


class Status(str, enum.Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


GROUPS = ("camera", "mic", "obs", "console")


@dataclass(frozen=True)
class CheckSpec:
    """A check the self-test knows, with its names for people."""

    id: str
    name_en: str
    name_zh: str

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]


# The order here is the order of the report.
SPECS: tuple[CheckSpec, ...] = (
    CheckSpec("camera.opens", "Camera opens", "摄像头能打开"),
    CheckSpec("camera.resolution", "Camera resolution", "摄像头分辨率"),
    CheckSpec("camera.fps", "Camera frame rate", "摄像头帧率"),
    CheckSpec("camera.signal", "Picture not black or frozen", "画面无黑屏/冻结"),
    CheckSpec("camera.exposure", "Exposure", "曝光"),
    CheckSpec("camera.focus", "Focus against the reference", "对焦(与参考值比较)"),
    CheckSpec("camera.white_balance", "White balance", "白平衡"),
    CheckSpec("mic.device", "Microphone present", "麦克风设备存在"),
    CheckSpec("mic.stream", "Audio stream runs", "音频流正常回调"),
    CheckSpec("mic.noise_floor", "Noise floor in silence", "静音底噪"),
    CheckSpec("mic.level", "Level while speaking / test tone", "说话/测试音电平"),
    CheckSpec("mic.clipping", "No clipping", "无削波(爆音)"),
    CheckSpec("obs.reachable", "OBS reachable", "OBS 可连接"),
    CheckSpec("obs.auth", "OBS password accepted", "OBS 密码正确"),
    CheckSpec("obs.version", "OBS version supported", "OBS 版本受支持"),
    CheckSpec("obs.scenes", "Required scenes", "必需场景"),
    CheckSpec("obs.sources", "Required text sources", "必需文字源"),
    CheckSpec("obs.output", "Output settings", "输出设置"),
    CheckSpec("obs.disk", "Recording path and free disk", "录像路径与剩余空间"),
    CheckSpec("obs.recording", "3 s test recording", "3 秒试录"),
    CheckSpec("console.db", "Database writable and migrated", "数据库可写且已迁移"),
    CheckSpec("console.screens", "Cue screens present", "提词屏数量"),
    CheckSpec("console.clock", "Clock monotonic", "时钟单调"),
)
SPEC_BY_ID: dict[str, CheckSpec] = {s.id: s for s in SPECS}


def specs_of(group: str) -> list[CheckSpec]:
    return [s for s in SPECS if s.group == group]


@dataclass(frozen=True)
class SelfTestCheck:
    """The result of one check. ``value``/``threshold`` are short texts for people
    ("-62.3 dBFS", "<= -50 dBFS"); ``data`` holds the raw measured numbers (for the
    JSON report and "save as profile"). ``fix`` is {"zh_CN": ..., "en": ...} or None."""

    id: str
    status: Status
    value: str | None = None
    threshold: str | None = None
    detail: str = ""
    fix: Mapping[str, str] | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0
    finished_at: float = 0.0  # wall clock (UTC seconds)

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        spec = SPEC_BY_ID.get(self.id)
        return spec.name_en if spec else self.id

    @property
    def name_zh(self) -> str:
        spec = SPEC_BY_ID.get(self.id)
        return spec.name_zh if spec else self.id

    def fix_text(self, lang: str = "zh_CN") -> str:
        if not self.fix:
            return ""
        return self.fix.get(lang) or self.fix.get("en") or ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_zh": self.name_zh,
            "group": self.group,
            "status": self.status.value,
            "value": self.value,
            "threshold": self.threshold,
            "detail": self.detail,
            "fix": dict(self.fix) if self.fix else None,
            "data": dict(self.data),
            "duration_s": round(self.duration_s, 3),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SelfTestCheck":
        return cls(
            id=str(d["id"]), status=Status(d["status"]), value=d.get("value"), threshold=d.get("threshold"),
            detail=str(d.get("detail") or ""), fix=dict(d["fix"]) if d.get("fix") else None,
            data=dict(d.get("data") or {}), duration_s=float(d.get("duration_s") or 0.0),
        )


def hint(zh: str, en: str) -> dict[str, str]:
    return {"zh_CN": zh, "en": en}


def make(check_id: str, status: Status, value: Any = None, threshold: Any = None, detail: str = "",
         fix: Mapping[str, str] | None = None, **data: Any) -> SelfTestCheck:
    """A check result; ``fix`` is dropped for a pass (nothing to fix)."""
    if check_id not in SPEC_BY_ID:
        raise KeyError(f"unknown self-test check {check_id!r}")
    return SelfTestCheck(
        id=check_id, status=status,
        value=None if value is None else str(value),
        threshold=None if threshold is None else str(threshold),
        detail=detail, fix=None if status is Status.PASS else (dict(fix) if fix else None),
        data=data, finished_at=time.time(),
    )


def skipped(check_id: str, reason: str, fix: Mapping[str, str] | None = None) -> SelfTestCheck:
    return make(check_id, Status.SKIP, detail=reason, fix=fix)


@dataclass
class SelfTestRun:
    """One whole run (or the latest result of every check after re-runs)."""

    checks: list[SelfTestCheck] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)
    duration_s: float = 0.0
    group_s: dict[str, float] = field(default_factory=dict)  # seconds per group
    profile: str | None = None  # the profile file, or None (the console's settings)
    targets: dict[str, Any] = field(default_factory=dict)  # what was tested (source, device, host:port)

    @property
    def passed(self) -> bool:
        return not any(c.status is Status.FAIL for c in self.checks)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for c in self.checks:
            out[c.status.value] += 1
        return out

    def get(self, check_id: str) -> SelfTestCheck | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def replace_check(self, check: SelfTestCheck) -> None:
        for i, c in enumerate(self.checks):
            if c.id == check.id:
                self.checks[i] = check
                return
        self.checks.append(check)
        self.sort()

    def sort(self) -> None:
        order = {s.id: i for i, s in enumerate(SPECS)}
        self.checks.sort(key=lambda c: order.get(c.id, len(order)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "counts": self.counts(),
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 3),
            "group_s": {k: round(v, 3) for k, v in self.group_s.items()},
            "profile": self.profile,
            "targets": dict(self.targets),
            "checks": [c.to_dict() for c in self.checks],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SelfTestRun":
        run = cls(
            checks=[SelfTestCheck.from_dict(c) for c in d.get("checks", [])],
            started_at=float(d.get("started_at") or 0.0), duration_s=float(d.get("duration_s") or 0.0),
            group_s=dict(d.get("group_s") or {}), profile=d.get("profile"), targets=dict(d.get("targets") or {}),
        )
        return run

    def copy(self) -> "SelfTestRun":
        return replace(self, checks=list(self.checks), group_s=dict(self.group_s), targets=dict(self.targets))
