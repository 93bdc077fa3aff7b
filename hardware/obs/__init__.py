"""OBS Studio control over obs-websocket 5: a supervised connection, immutable state
snapshots, stream health. No Qt; callbacks run on the worker thread; status, events,
retry and stop follow :mod:`hardware.supervisor`."""
from hardware.obs.health import HealthEvent, HealthLimits, HealthWatch
from hardware.obs.link import ObsCommandError, ObsLink, ObsTiming, ObsUnavailable, classify, stream_trouble
from hardware.obs.state import InputInfo, ObsHealth, ObsState, SceneItem

__all__ = [
    "HealthEvent", "HealthLimits", "HealthWatch", "InputInfo", "ObsCommandError", "ObsHealth", "ObsLink",
    "ObsState", "ObsTiming", "ObsUnavailable", "SceneItem", "classify", "stream_trouble",
]
