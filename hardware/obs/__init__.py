"""OBS Studio control over obs-websocket 5: a supervised connection, immutable state
snapshots, stream health. No Qt; callbacks run on the worker thread."""
from hardware.obs.health import HealthEvent, HealthLimits, HealthWatch
from hardware.obs.link import ObsCommandError, ObsLink, ObsTiming, ObsUnavailable, classify
from hardware.obs.state import InputInfo, ObsHealth, ObsState, ObsStatus, SceneItem

__all__ = [
    "HealthEvent", "HealthLimits", "HealthWatch", "InputInfo", "ObsCommandError", "ObsHealth", "ObsLink",
    "ObsState", "ObsStatus", "ObsTiming", "ObsUnavailable", "SceneItem", "classify",
]
