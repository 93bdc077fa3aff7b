"""The show desk drives a real OBS: GO switches the segment's scene and sets its overlay
text; pushing a product card puts the product text on the overlay (headless OBS)."""
from __future__ import annotations

import pytest

from hardware.obs import ObsLink
from studio_app.core.paths import sample_show_path
from studio_app.ui.obs_panel import ObsConnection
from tests.harness.desk import Desk

pytestmark = pytest.mark.obs


def obs_text(obs, source: str) -> str:
    cl = obs.client()
    try:
        return cl.send("GetInputSettings", {"inputName": source}, raw=True)["inputSettings"]["text"]
    finally:
        cl.base_client.ws.shutdown()


def program_scene(obs) -> str:
    cl = obs.client()
    try:
        return cl.send("GetCurrentProgramScene", raw=True)["currentProgramSceneName"]
    finally:
        cl.base_client.ws.shutdown()


def test_go_and_card_push_reach_obs_scene_and_text_source(obs, qtbot, tmp_path):
    d = Desk(qtbot, tmp_path)
    conn = ObsConnection(ObsLink(obs.host, obs.port, obs.password), log=d.log)
    d.studio.obs = conn.link  # as create_obs_connection wires it
    conn.start()
    try:
        qtbot.waitUntil(lambda: conn.last_state.connected and "Title" in conn.last_state.texts, timeout=15000)
        desk = d.load(sample_show_path())
        d.panel.dispatch("go")  # 开场暖场: scene Opening, title "{show.title} · {segment.title}"
        qtbot.waitUntil(lambda: obs_text(obs, "Title") == "暖冬好物专场 · 开场暖场", timeout=5000)

        d.panel.dispatch("go")  # 羊绒围巾讲解: scene Product; its overlay waits for a product
        qtbot.waitUntil(lambda: program_scene(obs) == "Product", timeout=5000)
        assert obs_text(obs, "Title") == "暖冬好物专场 · 开场暖场"  # never "{product.name}" on air

        result = d.panel.dispatch("card_push_slot", slot=1)
        assert result.ok and desk.cards.explaining.sku == "SK-2001"
        qtbot.waitUntil(lambda: obs_text(obs, "Title") == "云朵羊绒围巾 直播价 ¥259", timeout=5000)
        assert ("set_text", "Title", "云朵羊绒围巾 直播价 ¥259") in d.panel.obs_sent
        assert d.cue_state().product.name == "云朵羊绒围巾"
    finally:
        conn.stop()
        d.close()
