"""The technician's pre-show hardware self-test (no Qt, no SQLAlchemy).

One run says what works, what does not and how to fix it: camera, microphone, OBS and the
console itself, checked against the studio's profile (:mod:`studio_app.selftest.profile`).
The CLI (``studio-console selftest``) and the desk's wizard both drive :class:`SelfTest`.
"""
from studio_app.selftest.checks import GROUPS, SPECS, SelfTestCheck, SelfTestRun, Status
from studio_app.selftest.profile import (
    Profile,
    ProfileError,
    load_profile,
    parse_host_port,
    profile_from_run,
    profile_from_settings,
    save_profile,
    with_overrides,
)
from studio_app.selftest.report import render_html
from studio_app.selftest.runner import SelfTest, parse_only, parse_only_checks, record_run

__all__ = [
    "GROUPS", "SPECS", "Profile", "ProfileError", "SelfTest", "SelfTestCheck", "SelfTestRun", "Status",
    "load_profile", "parse_host_port", "parse_only", "parse_only_checks", "profile_from_run", "profile_from_settings", "record_run",
    "render_html", "save_profile", "with_overrides",
]
