"""Anchor profiles (主播配置): named sets of the cue screen's reading settings, so a
substitute anchor (替班主播) gets a screen they can read cold in one step.

Pure logic over :class:`~studio_app.core.settings.Settings` (no Qt). A profile lives in the
settings file as ``[cue_screen.anchor_profiles.NAME]`` with any of these keys (a key left
out leaves that setting as it is when the profile is applied):

    script_size    int, 60..200   script text size on the cue screen, percent of normal
    prompter_step  int, -10..10   teleprompter speed step (3 is the usual start)
    mirror         bool           mirror the picture for teleprompter glass
    orientation    "auto" | "landscape" | "portrait"

``cue_screen.anchor_profile`` names the profile applied last ("" for none). Applying a
profile writes its values to the live settings keys (``cue_screen.script_size`` ...);
the cue control shows them and saves the file off the GUI thread.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

from studio_app.core.cue_state import PROMPTER_DEFAULT_STEP, PROMPTER_MAX_STEP
from studio_app.core.settings import DEFAULTS

PROFILES_KEY = "cue_screen.anchor_profiles"
CURRENT_KEY = "cue_screen.anchor_profile"
ORIENTATIONS = ("auto", "landscape", "portrait")
SCRIPT_SIZE_MIN, SCRIPT_SIZE_MAX, SCRIPT_SIZE_DEFAULT = 60, 200, 100
NAME_MAX = 40
WHERE_TO_MAKE = "save one in the Cue screen panel"

# profile key -> the live settings key it sets
SETTINGS_KEYS: Mapping[str, str] = {
    "script_size": "cue_screen.script_size",
    "prompter_step": "cue_screen.prompter_step",
    "mirror": "cue_screen.mirror",
    "orientation": "cue_screen.orientation",
}
FIELDS = tuple(SETTINGS_KEYS)
DEFAULT_VALUES: Mapping[str, Any] = {
    "script_size": SCRIPT_SIZE_DEFAULT,
    "prompter_step": PROMPTER_DEFAULT_STEP,
    "mirror": False,
    "orientation": "auto",
}


class AnchorProfileError(ValueError):
    """A profile (or a reading setting) is malformed; the one-line message says where."""


class UnknownAnchorProfile(AnchorProfileError, LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no anchor profile {name!r}: {WHERE_TO_MAKE}")
        self.name = name


def _int_in(where: str, value: Any, low: int, high: int) -> int:
    # bool is an int in Python; "true" for a size is a mistake, not 1 %
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise AnchorProfileError(f"{where}: expected a whole number {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise AnchorProfileError(f"{where}: expected a whole number {low}..{high}, got {value}")
    return value


def check_value(field: str, value: Any, where: str = "") -> Any:
    """``value`` for the profile key ``field``, checked; raises :class:`AnchorProfileError`."""
    where = where or field
    if field == "script_size":
        return _int_in(where, value, SCRIPT_SIZE_MIN, SCRIPT_SIZE_MAX)
    if field == "prompter_step":
        return _int_in(where, value, -PROMPTER_MAX_STEP, PROMPTER_MAX_STEP)
    if field == "mirror":
        if not isinstance(value, bool):
            raise AnchorProfileError(f"{where}: expected true or false, got {value!r}")
        return value
    if field == "orientation":
        if value not in ORIENTATIONS:
            raise AnchorProfileError(f"{where}: expected one of {', '.join(ORIENTATIONS)}, got {value!r}")
        return value
    raise AnchorProfileError(f"{where}: unknown key (known: {', '.join(FIELDS)})")


def check_name(name: Any) -> str:
    """A profile name as typed, trimmed; raises :class:`AnchorProfileError` if unusable."""
    if not isinstance(name, str):
        raise AnchorProfileError(f"profile name: expected text, got {name!r}")
    name = name.strip()
    if not name:
        raise AnchorProfileError("profile name is empty")
    if len(name) > NAME_MAX:
        raise AnchorProfileError(f"profile name is longer than {NAME_MAX} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise AnchorProfileError("profile name contains control characters")
    return name


@dataclass(frozen=True)
class AnchorProfile:
    name: str
    values: Mapping[str, Any]  # profile key -> checked value; only the keys it sets

    def to_dict(self) -> dict[str, Any]:
        return {k: self.values[k] for k in FIELDS if k in self.values}

    def describe(self) -> str:
        """One line for the log, e.g. "script text 140 %, speed 2"."""
        v = self.values
        parts = []
        if "script_size" in v:
            parts.append(f"script text {v['script_size']} %")
        if "prompter_step" in v:
            parts.append(f"speed {v['prompter_step']}")
        if "mirror" in v:
            parts.append("mirrored" if v["mirror"] else "not mirrored")
        if "orientation" in v:
            parts.append(f"layout {v['orientation']}")
        return ", ".join(parts) or "no settings"

    def matches(self, current: Mapping[str, Any]) -> bool:
        """True when the reading settings ``current`` still are what this profile sets."""
        return all(current.get(k) == val for k, val in self.values.items())


def parse_profile(name: str, raw: Any) -> AnchorProfile:
    """A profile from the settings file's table; the error names the key and the value."""
    where = f"{PROFILES_KEY}.{name}"
    if not isinstance(raw, dict):
        raise AnchorProfileError(f"{where}: expected a table of settings, got {raw!r}")
    values = {}
    for key, value in raw.items():
        values[key] = check_value(key, value, f"{where}.{key}")
    return AnchorProfile(name, values)


def _table(settings: Any) -> dict[str, Any]:
    raw = settings.get(PROFILES_KEY, {})
    if not isinstance(raw, dict):
        raise AnchorProfileError(f"{PROFILES_KEY}: expected a table of profiles, got {raw!r}")
    return raw


def profile_names(settings: Any) -> list[str]:
    """Every profile in the settings, good or broken, sorted (an unusable table: none)."""
    try:
        return sorted(_table(settings), key=str.casefold)
    except AnchorProfileError:
        return []


def problems(settings: Any) -> list[str]:
    """What is wrong with the profiles and reading settings in the file, one line each."""
    out = []
    try:
        table = _table(settings)
    except AnchorProfileError as exc:
        out.append(str(exc))
        table = {}
    for name in sorted(table, key=str.casefold):
        try:
            parse_profile(name, table[name])
        except AnchorProfileError as exc:
            out.append(str(exc))
    for field, key in SETTINGS_KEYS.items():
        raw = settings.get(key, DEFAULT_VALUES[field])
        try:
            check_value(field, raw, key)
        except AnchorProfileError as exc:
            out.append(str(exc))
    return out


def get_profile(settings: Any, name: str) -> AnchorProfile:
    """The profile called ``name``: :class:`UnknownAnchorProfile` when there is none,
    :class:`AnchorProfileError` when its table in the file is malformed."""
    table = _table(settings)
    if name not in table:
        raise UnknownAnchorProfile(name)
    return parse_profile(name, table[name])


def current_values(settings: Any) -> dict[str, Any]:
    """The reading settings now; a malformed value counts as its default (see ``problems``)."""
    out = {}
    for field, key in SETTINGS_KEYS.items():
        try:
            out[field] = check_value(field, settings.get(key, DEFAULT_VALUES[field]), key)
        except AnchorProfileError:
            out[field] = DEFAULT_VALUES[field]
    return out


def current_name(settings: Any) -> str:
    name = settings.get(CURRENT_KEY, "")
    return name if isinstance(name, str) else ""


def capture(settings: Any, name: str, live: Mapping[str, Any] | None = None) -> AnchorProfile:
    """A profile of every reading setting as it is now (``live`` overrides, e.g. the
    teleprompter speed the anchor just set with the clicker)."""
    values = current_values(settings)
    for key, value in (live or {}).items():
        values[key] = check_value(key, value)
    return AnchorProfile(check_name(name), values)


def save_profile(settings: Any, profile: AnchorProfile) -> bool:
    """Store ``profile`` under its name and make it the current one; True when it
    replaced a profile of that name. A malformed profiles table is replaced."""
    try:
        table = _table(settings)
    except AnchorProfileError:
        table = {}
    replaced = profile.name in table
    table[profile.name] = profile.to_dict()
    settings.set(PROFILES_KEY, table)
    settings.set(CURRENT_KEY, profile.name)
    return replaced


def shipped(name: str) -> bool:
    """A profile the console ships (the emergency runbooks rely on it): it comes back
    from the defaults at every start, so it can be saved over but not deleted."""
    return name in DEFAULTS.get("cue_screen", {}).get("anchor_profiles", {})


def delete_profile(settings: Any, name: str) -> None:
    table = _table(settings)
    if name not in table:
        raise UnknownAnchorProfile(name)
    if shipped(name):
        raise AnchorProfileError(f"anchor profile {name!r} ships with the console (the emergency runbooks "
                                 "use it): save over it to change it")
    del table[name]
    settings.set(PROFILES_KEY, table)
    if current_name(settings) == name:
        settings.set(CURRENT_KEY, "")


def apply_profile(settings: Any, name: str) -> tuple[AnchorProfile, dict[str, Any]]:
    """Write the profile's values onto the live settings and make it current. Returns
    the profile and the settings that changed, ``{settings key: new value}``. Nothing is
    changed when the profile is unknown or malformed (the error says why)."""
    profile = get_profile(settings, name)
    changed = {}
    for field, value in profile.values.items():
        key = SETTINGS_KEYS[field]
        if settings.get(key) != value:
            changed[key] = value
        settings.set(key, value)
    settings.set(CURRENT_KEY, profile.name)
    return profile, changed
