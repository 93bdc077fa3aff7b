"""Anchor profiles (named cue-screen reading settings), pure logic over the settings file:
the shipped substitute profile, save and apply, unknown names, and hand-edited files
with bad values giving one clear line instead of a crash."""
from __future__ import annotations

import pytest

from studio_app.core import anchor_profiles as ap
from studio_app.core.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(tmp_path / "settings.toml")


def write(tmp_path, text: str) -> Settings:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    s = Settings(path)
    assert s.problem is None  # valid TOML: only the profile values are wrong
    return s


def test_the_shipped_substitute_profile_enlarges_and_slows_the_script_and_leaves_the_rig(settings):
    settings.set("cue_screen.mirror", True)
    settings.set("cue_screen.orientation", "portrait")
    before = ap.current_values(settings)
    profile, changed = ap.apply_profile(settings, "substitute")
    after = ap.current_values(settings)
    assert after["script_size"] > before["script_size"] and after["prompter_step"] < before["prompter_step"]
    assert after["mirror"] is True and after["orientation"] == "portrait"  # the teleprompter glass stays
    assert changed == {"cue_screen.script_size": after["script_size"], "cue_screen.prompter_step": after["prompter_step"]}
    assert ap.current_name(settings) == "substitute"
    assert profile.matches(after) and profile.describe() == f"script text {after['script_size']} %, speed {after['prompter_step']}"
    assert ap.problems(settings) == []


def test_a_saved_profile_survives_the_file_and_brings_the_settings_back(settings, tmp_path):
    settings.set("cue_screen.script_size", 120)
    settings.set("cue_screen.mirror", True)
    profile = ap.capture(settings, "  李 Lily ", {"prompter_step": 5})
    assert profile.name == "李 Lily"
    assert ap.save_profile(settings, profile) is False
    settings.save()

    again = Settings(tmp_path / "settings.toml")
    assert ap.current_name(again) == "李 Lily"
    assert set(ap.profile_names(again)) == {"substitute", "李 Lily"}
    ap.apply_profile(again, "substitute")
    again.set("cue_screen.mirror", False)
    assert not ap.get_profile(again, "李 Lily").matches(ap.current_values(again))
    _, changed = ap.apply_profile(again, "李 Lily")
    assert ap.current_values(again) == {"script_size": 120, "prompter_step": 5, "mirror": True, "orientation": "auto"}
    assert changed == {"cue_screen.script_size": 120, "cue_screen.prompter_step": 5, "cue_screen.mirror": True}

    # saving under the same name replaces it
    again.set("cue_screen.script_size", 90)
    assert ap.save_profile(again, ap.capture(again, "李 Lily")) is True
    assert ap.get_profile(again, "李 Lily").values["script_size"] == 90


def test_an_unknown_profile_says_where_profiles_are_made_and_changes_nothing(settings):
    before = settings.as_dict()
    with pytest.raises(ap.UnknownAnchorProfile) as err:
        ap.apply_profile(settings, "nobody")
    assert str(err.value) == "no anchor profile 'nobody': save one in the Cue screen panel"
    assert settings.as_dict() == before
    with pytest.raises(ap.UnknownAnchorProfile):
        ap.delete_profile(settings, "nobody")


def test_bad_values_in_a_hand_edited_file_are_named_and_nothing_half_applies(tmp_path):
    s = write(tmp_path, """
[cue_screen]
script_size = "big"
anchor_profile = "lily"

[cue_screen.anchor_profiles.lily]
prompter_step = 2
script_size = 500

[cue_screen.anchor_profiles.bob]
mirror = "yes"

[cue_screen.anchor_profiles.typo]
font_size = 150

[cue_screen.anchor_profiles.flat]
orientation = "sideways"
""")
    wrong = ap.problems(s)
    assert "cue_screen.anchor_profiles.lily.script_size: expected a whole number 60..200, got 500" in wrong
    assert "cue_screen.anchor_profiles.bob.mirror: expected true or false, got 'yes'" in wrong
    assert any(w.startswith("cue_screen.anchor_profiles.typo.font_size: unknown key") for w in wrong)
    assert any(w.startswith("cue_screen.anchor_profiles.flat.orientation: expected one of auto, landscape")
               for w in wrong)
    assert "cue_screen.script_size: expected a whole number 60..200, got 'big'" in wrong
    assert all("\n" not in w for w in wrong)
    # the broken live value reads as its default; the good profile still applies
    assert ap.current_values(s)["script_size"] == ap.SCRIPT_SIZE_DEFAULT
    before = s.as_dict()
    with pytest.raises(ap.AnchorProfileError, match=r"lily\.script_size.*got 500"):
        ap.apply_profile(s, "lily")
    assert s.as_dict() == before  # prompter_step = 2 was not applied on its own
    ap.apply_profile(s, "substitute")
    assert ap.current_name(s) == "substitute"


def test_a_profiles_entry_that_is_not_a_table_is_reported_and_a_save_repairs_it(tmp_path):
    s = write(tmp_path, '[cue_screen]\nanchor_profiles = "oops"\nprompter_step = true\n')
    assert ap.problems(s) == ["cue_screen.anchor_profiles: expected a table of profiles, got 'oops'",
                              "cue_screen.prompter_step: expected a whole number -10..10, got True"]
    assert ap.profile_names(s) == []
    with pytest.raises(ap.AnchorProfileError, match="expected a table of profiles"):
        ap.apply_profile(s, "substitute")
    ap.save_profile(s, ap.capture(s, "new"))
    assert ap.profile_names(s) == ["new"] and ap.get_profile(s, "new").values["prompter_step"] == 3


@pytest.mark.parametrize("name, why", [("", "empty"), ("   ", "empty"), ("a\tb", "control characters"),
                                       ("x" * 41, "longer than 40"), (None, "expected text")])
def test_unusable_profile_names_are_refused(settings, name, why):
    with pytest.raises(ap.AnchorProfileError, match=why):
        ap.capture(settings, name)


def test_capture_checks_live_values(settings):
    with pytest.raises(ap.AnchorProfileError, match="prompter_step: expected a whole number"):
        ap.capture(settings, "fast", {"prompter_step": 11})


def test_deleting_a_profile_clears_it_as_current_but_the_shipped_one_stays(settings):
    ap.save_profile(settings, ap.capture(settings, "lily"))
    ap.delete_profile(settings, "lily")
    assert "lily" not in ap.profile_names(settings) and ap.current_name(settings) == ""
    with pytest.raises(ap.AnchorProfileError, match="ships with the console"):
        ap.delete_profile(settings, "substitute")
    assert "substitute" in ap.profile_names(settings)
