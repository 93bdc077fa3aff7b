"""Studio profiles: the sample reads, mistakes are located, settings fill in, save-as-profile round-trips."""
from __future__ import annotations

import pytest

from studio_app.core.paths import resource
from studio_app.core.settings import Settings
from studio_app.selftest import (
    ProfileError,
    SelfTestRun,
    load_profile,
    parse_host_port,
    profile_from_settings,
    save_profile,
    with_overrides,
)
from studio_app.selftest.checks import Status, make
from studio_app.selftest.profile import parse_profile


def test_the_sample_profile_reads():
    p = load_profile(resource("profiles", "sample_studio.toml"))
    assert p.camera.source == "0" and (p.camera.width, p.camera.height, p.camera.fps) == (1920, 1080, 30)
    assert p.mic.device == "" and p.mic.noise_floor_max_dbfs == -50
    assert p.obs.scenes == ("Opening", "Product", "BRB") and p.obs.text_sources == ("Title", "BRB Text")
    assert p.obs.min_free_disk_gb == 20 and p.console.screens == 2 and p.loudness_target_lufs == -16


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("[camera]\nsource = '0'\nwidth = 'wide'\nheight = 720\n", ":3:", "[camera] width"),
        ("[mic]\ndevice = 'x'\n\nlevel_min_dbfs = 'loud'\n", ":4:", "[mic] level_min_dbfs"),
        ("[obs]\nhost = 'h'\nscenes = 'Opening'\n", ":3:", "list of names"),
        ("[obs]\nport = 70000\n", ":2:", "outside"),
        ("[camera]\nsource = '0'\nshutter = 5\n", ":3:", "unknown key"),
        ("[camra]\nsource = '0'\n", ":1:", "unknown key 'camra'"),
        ("[mic]\nlevel_min_dbfs = -6\nlevel_max_dbfs = -40\n", ":2:", "must be below"),
        ("[camera\nsource = 0\n", "studio.toml", "not valid TOML"),
    ],
)
def test_mistakes_are_reported_with_file_and_line(text, where, words):
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "studio.toml")
    msg = str(err.value)
    assert msg.startswith("studio.toml") and where in msg and words in msg
    assert "\n" not in msg


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(ProfileError, match="no such profile file"):
        load_profile(tmp_path / "nope.toml")


def test_sections_left_out_are_not_tested():
    p = parse_profile("[console]\nscreens = 1\n", "x.toml")
    assert p.camera.source == "" and p.mic.device is None and p.obs.host is None


def test_settings_give_devices_but_no_studio_thresholds(tmp_path):
    s = Settings(tmp_path / "settings.toml")
    s.set("camera.source", "udp://10.0.0.5:5000")
    s.set("camera.focus_references", {"udp://10.0.0.5:5000": 321.5})
    s.set("mic.device", "USB Audio")
    s.set("obs.port", 4460)
    p = profile_from_settings(s)
    assert p.camera.source == "udp://10.0.0.5:5000" and p.camera.focus_reference == 321.5
    assert p.mic.device == "USB Audio" and (p.obs.host, p.obs.port) == ("127.0.0.1", 4460)
    assert p.obs.scenes is None and p.obs.min_free_disk_gb is None and p.path is None
    o = with_overrides(p, camera="3", mic="pulse", obs=("10.1.1.1", 4455))
    assert (o.camera.source, o.mic.device, o.obs.host) == ("3", "pulse", "10.1.1.1")


@pytest.mark.parametrize(("text", "expected"), [("127.0.0.1:4455", ("127.0.0.1", 4455)), ("obs-pc", ("obs-pc", 4455)),
                                                ("[::1]:4460", ("::1", 4460))])
def test_host_port(text, expected):
    assert parse_host_port(text) == expected


@pytest.mark.parametrize("bad", ["a:b", "h:99999", "a b:1", ""])
def test_bad_host_port(bad):
    with pytest.raises(ValueError):
        parse_host_port(bad)


def test_save_as_profile_writes_what_was_found(tmp_path):
    found = SelfTestRun(checks=[
        make("camera.opens", Status.PASS, source="udp://127.0.0.1:5000"),
        make("camera.resolution", Status.PASS, width=1280, height=720),
        make("camera.fps", Status.PASS, fps=29.97),
        make("camera.focus", Status.SKIP, sharpness=412.25),
        make("mic.device", Status.PASS, device="pulse"),
        make("mic.noise_floor", Status.PASS, noise_floor_dbfs=-68.0),
        make("obs.reachable", Status.PASS, host="127.0.0.1", port=4455),
        make("obs.scenes", Status.SKIP, found=["Opening", "直播"]),
        make("obs.sources", Status.SKIP, found=["Title"]),
        make("obs.output", Status.SKIP, output_width=1920, output_height=1080, fps=30.0, bitrate_kbps=6000),
        make("obs.disk", Status.PASS, record_directory="/rec"),
        make("console.screens", Status.PASS, screens=2),
    ])
    path = save_profile(found, tmp_path / "new" / "studio.toml")
    p = load_profile(path)
    assert p.camera.source == "udp://127.0.0.1:5000" and (p.camera.width, p.camera.height, p.camera.fps) == (1280, 720, 30)
    assert p.camera.focus_reference == 412.25  # tonight's picture becomes the focus reference
    assert p.mic.device == "pulse" and p.mic.noise_floor_max_dbfs == -58.0
    assert p.obs.scenes == ("Opening", "直播") and p.obs.text_sources == ("Title",)
    assert (p.obs.output_width, p.obs.output_height, p.obs.bitrate_kbps) == (1920, 1080, 6000)
    assert p.obs.recording_path == "/rec" and p.obs.min_free_disk_gb == 10.0 and p.console.screens == 2
    assert "自检" in path.read_text(encoding="utf-8")


def test_white_balance_reference_from_settings_a_file_and_a_saved_run(tmp_path):
    from hardware.camera.whitebalance import WhiteBalanceReference, read_white_balance
    from tests.harness.wb_casts import photo

    reading = read_white_balance(photo("coffee"))
    stored = WhiteBalanceReference.from_reading(reading).to_dict()
    s = Settings(tmp_path / "settings.toml")
    s.set("camera.source", "0")
    s.set("camera.wb_references", {"0": stored, "1": {"gray_world": "damaged"}})
    assert profile_from_settings(s).camera.wb_reference == stored
    s.set("camera.source", "1")
    assert profile_from_settings(s).camera.wb_reference is None  # damaged: judged without one
    # Save as profile: tonight's white becomes the reference, and the file reads back.
    found = SelfTestRun(checks=[make("camera.opens", Status.PASS, source="0"),
                                make("camera.white_balance", Status.SKIP, reading=reading.to_dict())])
    path = save_profile(found, tmp_path / "studio.toml")
    assert "[camera.wb_reference]" in path.read_text(encoding="utf-8")
    assert load_profile(path).camera.wb_reference == stored
    # A cast tonight is not taken as the reference.
    cast = SelfTestRun(checks=[make("camera.opens", Status.PASS, source="0"),
                               make("camera.white_balance", Status.WARN, reading=reading.to_dict())])
    assert load_profile(save_profile(cast, tmp_path / "cast.toml")).camera.wb_reference is None
    # A hand-edited mistake says where.
    bad = tmp_path / "bad.toml"
    bad.write_text('[camera]\nsource = "0"\nwb_reference = { gray_world = [1.0, 2.0] }\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad.toml:3: \[camera\] wb_reference: white-balance reference: shades_of_gray"):
        load_profile(bad)
