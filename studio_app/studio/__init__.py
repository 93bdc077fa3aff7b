"""The studio core (Qt-free): :class:`Studio`, the one action dispatcher and its registry,
and the immutable snapshot every view renders. See the README's Architecture section."""
from studio_app.studio.actions import REGISTRY, ActionResult, ActionSpec, Arg, action_list
from studio_app.studio.control_room import CameraSwitch, Studio
from studio_app.studio.state import StudioState

__all__ = ["REGISTRY", "ActionResult", "ActionSpec", "Arg", "CameraSwitch", "Studio", "StudioState", "action_list"]
