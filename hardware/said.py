"""Device sentences that a reader can render in its own language.

A device worker describes its status in one English sentence (``DeviceStatus.detail``, the OBS
link's ``detail``): that is what the log, the command line and the tests read. A :class:`Said`
*is* that sentence (a ``str``), and also carries the code and the fields it was made from,
so the desk renders the same status in Chinese through Qt's translation
(``studio_app.ui.event_text.detail_text``), as it renders events from their kind and payload.

The templates live here, once; ``QT_TRANSLATE_NOOP`` marks them for Qt's lupdate (context
``DeviceDetail``), which collects this file into the ``.ts`` catalogue with the UI's strings.
Nothing here imports Qt or the application.
"""
from __future__ import annotations

from typing import Any

DETAIL_CONTEXT = "DeviceDetail"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


TEMPLATES: dict[str, str] = {
    # the OBS link (hardware/obs/link.py)
    "obs_connecting": QT_TRANSLATE_NOOP("DeviceDetail", "connecting to {where}"),
    "obs_connected": QT_TRANSLATE_NOOP("DeviceDetail", "connected to OBS {version} at {where}"),
    "obs_refused": QT_TRANSLATE_NOOP(
        "DeviceDetail", "nothing is listening at {where}: is OBS running with its WebSocket server enabled?"),
    "obs_no_answer": QT_TRANSLATE_NOOP("DeviceDetail", "{where} does not answer (wrong address or a firewall?)"),
    "obs_frozen": QT_TRANSLATE_NOOP("DeviceDetail", "OBS at {where} accepts connections but does not answer"),
    "obs_no_password": QT_TRANSLATE_NOOP("DeviceDetail", "OBS at {where} requires a password and none is set"),
    "obs_bad_password": QT_TRANSLATE_NOOP("DeviceDetail", "OBS at {where} rejected the password"),
    "obs_not_websocket5": QT_TRANSLATE_NOOP(
        "DeviceDetail", "{where} answers but is not an obs-websocket 5 server (OBS 28 or later)"),
    "obs_not_protocol5": QT_TRANSLATE_NOOP(
        "DeviceDetail", "{where} does not speak the obs-websocket 5 protocol (OBS 28 or later)"),
    "obs_unknown_host": QT_TRANSLATE_NOOP("DeviceDetail", "unknown host in {where}"),
    "obs_link_lost": QT_TRANSLATE_NOOP("DeviceDetail", "connection to OBS at {where} lost ({error})"),
    "obs_error": QT_TRANSLATE_NOOP("DeviceDetail", "OBS at {where}: {error}"),
    "obs_reconnecting": QT_TRANSLATE_NOOP("DeviceDetail", "OBS lost the streaming server and is reconnecting"),
    "obs_dropping": QT_TRANSLATE_NOOP("DeviceDetail", "stream dropping {percent:.1f}% of frames"),
    "obs_congestion": QT_TRANSLATE_NOOP("DeviceDetail", "stream congestion {congestion:.0%}"),
    # the microphone (hardware/audio/worker.py)
    "mic_opening": QT_TRANSLATE_NOOP("DeviceDetail", "opening {name}"),
    "mic_opening_default": QT_TRANSLATE_NOOP("DeviceDetail", "opening the default input"),
    "mic_test_signal": QT_TRANSLATE_NOOP("DeviceDetail", "TEST SIGNAL: no microphone in use"),
    "mic_dead_air": QT_TRANSLATE_NOOP("DeviceDetail", "{name}: silent for {seconds:.0f} s (below {dbfs:g} dBFS)"),
    # the camera (hardware/camera/capture.py)
    "camera_opening": QT_TRANSLATE_NOOP("DeviceDetail", "opening {source}"),
    "camera_read_failed": QT_TRANSLATE_NOOP("DeviceDetail", "{source}: read failed or stream ended"),
    "camera_no_frame": QT_TRANSLATE_NOOP("DeviceDetail", "{source}: no frame for {seconds:.1f} s"),
    # the event log's disks (studio_app/store/space.py, eventlog.py): shown as the "database" device
    "log_disk_low": QT_TRANSLATE_NOOP("DeviceDetail", "disk almost full ({free_mb:.1f} MB free on {path})"),
    "log_disk_full_soon": QT_TRANSLATE_NOOP(
        "DeviceDetail", "disk full ({free_mb:.1f} MB free on {path}): the next writes will fail"),
    "log_disk_full": QT_TRANSLATE_NOOP("DeviceDetail", "the disk is full ({free_mb:.1f} MB free on {path}): {error}"),
}


class Said(str):
    """An English sentence made from ``TEMPLATES[code]`` and ``fields``; the code and fields
    ride along for readers in another language. Everywhere else it is the plain ``str``."""

    code: str
    fields: dict[str, Any]

    def __new__(cls, code: str, **fields: Any) -> "Said":
        self = super().__new__(cls, TEMPLATES[code].format(**fields))
        self.code, self.fields = code, dict(fields)
        return self

    def __reduce__(self) -> tuple:  # pickled to a worker process and back, it stays a Said
        return (_rebuild, (self.code, self.fields))


def _rebuild(code: str, fields: dict[str, Any]) -> Said:
    return Said(code, **fields)
