"""Overlay templates: safe formatting with clear errors, and writing to a real OBS text source."""
from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.obs import ObsLink
from studio_app.show.overlays import (
    COUPON_TEMPLATE,
    PRODUCT_TEMPLATE,
    OverlayError,
    OverlayTemplate,
    apply,
    coupon_values,
    product_values,
    render,
)


def test_product_template_fills_name_and_price():
    values = product_values({"name": "保温杯", "sku": "A1", "list_price": 129.0, "live_price": 99.0})
    assert PRODUCT_TEMPLATE.render(values) == "保温杯 直播价 ¥99"
    assert render("省{saving}元", values) == "省30元"
    assert render("¥{price:.2f}", values) == "¥99.00"


def test_coupon_template():
    values = coupon_values({"id": "c1", "name": "店铺券", "rule": "满200减30", "quantity": 500})
    assert COUPON_TEMPLATE.render(values) == "店铺券 满200减30 限量500张"


def test_missing_value_names_the_template_and_the_key():
    with pytest.raises(OverlayError) as err:
        PRODUCT_TEMPLATE.render(product_values({"name": "保温杯"}))
    assert str(err.value) == "overlay 'product' needs {price} but has only: name"


@pytest.mark.parametrize(
    "template, message",
    [
        ("{name.__class__}", "is not allowed"),
        ("{0}", "is not allowed"),
        ("{}", "is not allowed"),
        ("{name[0]}", "is not allowed"),
        ("{name!r}", "!r is not allowed"),
        ("{name", "malformed template"),
        ("{price:{width}}", "nested"),
    ],
)
def test_unsafe_or_malformed_templates_are_refused(template, message):
    with pytest.raises(OverlayError, match=message):
        render(template, {"name": "x", "price": 1, "width": 3}, "t")


def test_bad_format_spec_is_an_overlay_error():
    with pytest.raises(OverlayError, match=r"cannot format \{name:.2f\}"):
        render("{name:.2f}", {"name": "保温杯"})


@given(st.text(max_size=40))
def test_any_text_either_renders_or_raises_overlay_error(template):
    try:
        out = render(template, {"name": "n", "price": 1.5})
    except OverlayError:
        return
    assert isinstance(out, str)


def test_a_bad_template_never_reaches_obs():
    sent = []

    class Target:
        def set_text(self, source, text):
            sent.append((source, text))

    with pytest.raises(OverlayError):
        apply(Target(), OverlayTemplate("product", "Title", "{name} ¥{price}"), {"name": "x"})
    assert sent == []


@pytest.mark.obs
def test_overlay_lands_in_the_obs_text_source(obs):
    link = ObsLink(obs.host, obs.port, obs.password)
    link.start()
    try:
        t0 = time.monotonic()
        while not link.state.connected and time.monotonic() - t0 < 10:
            time.sleep(0.01)
        template = OverlayTemplate("product", "Title", PRODUCT_TEMPLATE.template)
        apply(link, template, product_values({"name": "保温杯", "live_price": 99.0})).result(3)
        raw = obs.client()
        try:
            assert raw.send("GetInputSettings", {"inputName": "Title"}, raw=True)["inputSettings"]["text"] == "保温杯 直播价 ¥99"
        finally:
            raw.base_client.ws.shutdown()
    finally:
        link.stop()
