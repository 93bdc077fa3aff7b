"""``studio-console obs``: check and drive OBS Studio from the command line.

    studio-console obs status [--json]          connection, scenes, outputs, health
    studio-console obs scene NAME               put NAME on program
    studio-console obs text SOURCE TEXT         set a text source
    studio-console obs screenshot OUT.png       save the program (or --source) picture
    studio-console obs password set|clear|where the WebSocket password (keyring / private file)

Host and port come from the settings (``obs.host``, ``obs.port``) unless ``--host`` /
``--port`` are given; the password from the secret store (``STUDIO_OBS_PASSWORD``
overrides it). The password is never accepted on the command line (it would land in the
shell history and the process list): ``password set`` reads it from stdin or a prompt.

Exit codes: 0 done / connected; 1 OBS not connected (unreachable, auth_failed, frozen,
unsupported_version) or it refused the command; 2 bad usage (unknown scene or source).
"""
from __future__ import annotations

import argparse
import getpass
import sys
import time

from studio_app.commands.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CommandError, int_in, output_file, print_json, seconds_in


def register(subparsers) -> None:  # noqa: ANN001
    p = subparsers.add_parser(
        "obs",
        help="check and control OBS Studio (status, scene, text, screenshot, password)",
        description="Talk to OBS Studio over obs-websocket 5. Exit code 0: done, 1: OBS not "
        "connected or it refused, 2: bad usage.",
    )
    p.add_argument("--host", help="OBS host (default: settings obs.host)")
    p.add_argument("--port", type=int_in(1, 65535), help="OBS WebSocket port (default: settings obs.port)")
    p.add_argument("--timeout", type=seconds_in(0, 3600), default=5.0, metavar="S", help="seconds to wait for OBS (default 5)")
    sub = p.add_subparsers(dest="obs_command", metavar="ACTION", required=True)
    s = sub.add_parser("status", help="connection, scenes, outputs and health")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s = sub.add_parser("scene", help="put a scene on program")
    s.add_argument("name", metavar="NAME")
    s = sub.add_parser("text", help="set the text of a text source")
    s.add_argument("source", metavar="SOURCE")
    s.add_argument("text", metavar="TEXT")
    s = sub.add_parser("screenshot", help="save a picture of the program scene (or --source) as PNG/JPG")
    s.add_argument("out", metavar="FILE")
    s.add_argument("--source", help="scene or source to capture (default: program scene)")
    s.add_argument("--width", type=int_in(1, 16384), help="scale to this width (keeps the aspect ratio)")
    s = sub.add_parser("password", help="store, clear or locate the OBS WebSocket password", secret_args=True)
    s.add_argument("what", choices=["set", "clear", "where"])
    p.set_defaults(func=run)


# OBS's own status words, as issue 5 names them and scripts match them ("connected", not the
# supervisor's generic "ok"); ``device_state`` carries the supervisor's word beside it.
_OBS_WORDS = {"ok": "connected", "unsupported": "unsupported_version"}


def obs_status_word(state) -> str:  # noqa: ANN001 - hardware.obs.ObsState
    return _OBS_WORDS.get(state.status.value, state.status.value)


def state_dict(state) -> dict:  # noqa: ANN001 - hardware.obs.ObsState
    """The JSON form of an OBS snapshot (what ``obs status --json`` prints)."""
    h = state.health
    return {
        "status": obs_status_word(state),
        "device_state": state.status.value,
        "detail": state.detail,
        "host": state.host,
        "port": state.port,
        "obs_version": state.obs_version,
        "websocket_version": state.websocket_version,
        "scenes": list(state.scenes),
        "program_scene": state.program_scene,
        "preview_scene": state.preview_scene,
        "studio_mode": state.studio_mode,
        "streaming": state.streaming,
        "recording": state.recording,
        "inputs": [{"name": i.name, "kind": i.kind, "muted": i.muted} for i in state.inputs],
        "texts": dict(state.texts),
        "health": {
            "cpu_percent": h.cpu_percent,
            "memory_mb": h.memory_mb,
            "active_fps": h.active_fps,
            "render_skipped_frames": h.render_skipped,
            "render_total_frames": h.render_total,
            "output_skipped_frames": h.output_skipped,
            "output_total_frames": h.output_total,
            "stream_kbps": h.stream_kbps,
            "stream_congestion": h.stream_congestion,
            "stream_reconnecting": h.stream_reconnecting,
            "stream_timecode": h.stream_timecode,
            "record_timecode": h.record_timecode,
            "disk_free_mb": h.disk_free_mb,
        },
    }


def _print_status(state) -> None:  # noqa: ANN001
    print(f"OBS {state.host}:{state.port}: {obs_status_word(state)}" + (f" ({state.detail})" if state.detail else ""))
    if not state.connected:
        return
    print(f"  OBS {state.obs_version}, obs-websocket {state.websocket_version}")
    for name in state.scenes:
        mark = "PGM" if name == state.program_scene else ("PVW" if name == state.preview_scene else "   ")
        print(f"  {mark} {name}")
    h = state.health
    live = f"ON AIR {h.stream_timecode}" if state.streaming else "off air"
    rec = f"REC {h.record_timecode}" if state.recording else "not recording"
    cpu = f"{h.cpu_percent:.0f}%" if h.cpu_percent is not None else "?"
    disk = f"{h.disk_free_mb / 1024:.1f} GB" if h.disk_free_mb is not None else "?"
    print(f"  {live}, {rec}, CPU {cpu}, disk free {disk}")


def _connect(args: argparse.Namespace):
    from hardware.obs import ObsLink
    from hardware.supervisor import DeviceState
    from studio_app.core.secrets import obs_password
    from studio_app.core.settings import Settings

    settings = Settings()
    host = args.host or str(settings.get("obs.host", "127.0.0.1"))
    port = args.port or int(settings.get("obs.port", 4455))
    link = ObsLink(host, port, obs_password)  # the password is read on the worker thread
    link.start()
    deadline = time.monotonic() + max(0.5, args.timeout)
    while time.monotonic() < deadline and link.state.status in (DeviceState.CONNECTING, DeviceState.STOPPED):
        time.sleep(0.02)
    return link


def run(args: argparse.Namespace, db_url: str) -> int:  # noqa: ARG001 - the log is not needed here
    if args.obs_command == "password":
        return _password(args.what)
    from hardware.obs import ObsCommandError, ObsUnavailable

    if args.obs_command == "screenshot":
        output_file(args.out, "program.png", "screenshot")
    link = _connect(args)
    try:
        state = link.state
        if args.obs_command == "status":
            if args.json:
                print_json(state_dict(state))
            else:
                _print_status(state)
            return EXIT_OK if state.connected else EXIT_FINDINGS
        if not state.connected:
            raise CommandError(f"OBS at {state.host}:{state.port} is {obs_status_word(state)}: {state.detail}", EXIT_FINDINGS)
        try:
            if args.obs_command == "scene":
                link.switch_scene(args.name).result(args.timeout)
                print(f"program scene: {args.name}")
            elif args.obs_command == "text":
                link.set_text(args.source, args.text).result(args.timeout)
                print(f"{args.source}: {args.text}")
            elif args.obs_command == "screenshot":
                return _screenshot(link, args)
        except ObsUnavailable as exc:
            raise CommandError(str(exc), EXIT_FINDINGS) from None
        except ObsCommandError as exc:
            code = EXIT_FINDINGS if str(exc).startswith("OBS refused") else EXIT_USAGE
            raise CommandError(str(exc), code) from None
        except TimeoutError:
            raise CommandError(f"OBS did not answer within {args.timeout:g} s", EXIT_FINDINGS) from None
        return EXIT_OK
    finally:
        link.stop()


def _screenshot(link, args: argparse.Namespace) -> int:  # noqa: ANN001
    import cv2
    import numpy as np

    from studio_app.core.files import write_atomically

    width = args.width
    height = None
    if width:
        # obs-websocket keeps the aspect ratio only when given both; 16:9 base canvas assumed
        height = max(8, round(width * 9 / 16))
    frame = link.screenshot(args.source, width, height).result(args.timeout)
    ext = "." + args.out.rsplit(".", 1)[-1].lower() if "." in args.out else ".png"
    ok, buf = cv2.imencode(ext if ext in (".png", ".jpg", ".jpeg", ".bmp") else ".png", frame)
    if not ok:
        raise CommandError(f"{args.out}: cannot encode the picture", EXIT_USAGE)
    try:
        write_atomically(args.out, np.asarray(buf).tobytes())
    except OSError as exc:
        raise CommandError(f"{args.out}: cannot write ({exc.strerror})", EXIT_USAGE) from None
    print(f"{args.out}: {frame.shape[1]}x{frame.shape[0]}")
    return EXIT_OK


def _password(what: str) -> int:
    from studio_app.core.secrets import SecretStore, SecretStoreError, save_obs_password

    store = SecretStore()
    if what == "where":
        print(store.backend)
        return EXIT_OK
    if what == "clear":
        save_obs_password("", store)
        print("OBS password cleared")
        return EXIT_OK
    if sys.stdin.isatty():
        password = getpass.getpass("OBS WebSocket password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("empty password (use 'obs password clear' to remove it)", EXIT_USAGE)
    try:
        where = save_obs_password(password, store)
    except SecretStoreError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    print(f"OBS password saved ({'OS keyring' if where == 'keyring' else store.path})")
    return EXIT_OK
