"""Issue 15: background blur in the desktop app. The real app in a Qt window under Xvfb (Qt
WebEngine, its Chromium): the pre-join page offers Off, Blur and the images, and the choice is
remembered in the app's profile. Where Qt WebEngine gives the page WebGL 2 (the segmenter needs it),
Blur is what the call sends; where it does not (Qt under Xvfb here has none), the page says that
background effects cannot run, both before joining and in the call, and the raw camera goes out.
"""

from __future__ import annotations

import json

import pytest

from support.polling import wait_for

from test_desktop_call import _web_client_built, click, new_room  # noqa: F401 - a fixture

pytestmark = pytest.mark.timeout(240)

UNAVAILABLE = "Background effects cannot run here: your camera is sent as it is."
# The background radios the page shows (their labels), which one is checked, and what it says.
RADIOS = """
const radios = [...document.querySelectorAll('input[type=radio]')]
  .filter(r => r.closest('fieldset')?.querySelector('legend')?.textContent === 'Background');
return {labels: radios.map(r => r.closest('label').textContent),
        checked: radios.filter(r => r.checked).map(r => r.closest('label').textContent),
        message: document.querySelector('.background-choice__status')?.textContent ?? null};
"""
CAMERA = """
const c = window.__parley.camera();
return {status: c.status, choice: c.choice, failure: c.failure, processed: c.sent !== c.local,
        live: Boolean(c.sent && c.sent.readyState === 'live'), stats: c.stats,
        alerts: [...document.querySelectorAll('[role=alert]')].map(a => a.textContent)};
"""
WEBGL2 = "return Boolean(new OffscreenCanvas(8, 8).getContext('webgl2'));"


def choose(app, label: str) -> bool:
    """Click the background radio named `label`."""
    return app.js_async(f"""
const radio = [...document.querySelectorAll('input[type=radio]')]
  .find(r => r.closest('label')?.textContent === {json.dumps(label)});
if (!radio) return false;
radio.click();
return radio.checked;""")["value"]


def test_blur_in_the_desktop_app_runs_or_says_it_cannot_and_is_remembered(start_app):
    desk = start_app("--embedded")
    room = new_room(desk.server)
    desk.call("load", url=f"{desk.server}r/{room}?name=Desk")
    wait_for(lambda: desk.js_async(RADIOS)["value"]["labels"] == ["Off", "Blur", "Sunset", "Lagoon", "Meadow"],
             30, "the pre-join page to offer the backgrounds", on_timeout=lambda: desk.js_async(RADIOS))
    assert desk.js_async(RADIOS)["value"]["checked"] == ["Off"]
    webgl = desk.js_async(WEBGL2)["value"]
    print("WebGL 2 in the desktop app:", webgl)
    assert choose(desk, "Blur")
    if not webgl:
        # Said before joining, on the pre-join page (its preview tried and fell back).
        wait_for(lambda: desk.js_async(RADIOS)["value"]["message"] == UNAVAILABLE, 60,
                 "the pre-join page to say background effects cannot run", on_timeout=lambda: desk.js_async(RADIOS))
    wait_for(lambda: click(desk, "Join"), 30, "the desktop pre-join page to offer Join")
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30, "the desktop app to join")

    if webgl:
        # The workers run in Qt WebEngine: the sent camera is their output, and frames keep coming.
        wait_for(lambda: desk.js_async(CAMERA)["value"]["status"] == "on", 60, "blur to run in the desktop app",
                 on_timeout=lambda: desk.js_async(CAMERA))
        on = desk.js_async(CAMERA)["value"]
        assert on["processed"] and on["live"] and on["choice"] == "blur", on
        written = on["stats"]["frames"]
        wait_for(lambda: desk.js_async(CAMERA)["value"]["stats"]["frames"] > written + 10, 30,
                 "the background worker to keep writing frames", on_timeout=lambda: desk.js_async(CAMERA))
    else:
        # In the call: a banner says so, and the raw camera is what goes out.
        wait_for(lambda: UNAVAILABLE in " ".join(desk.js_async(CAMERA)["value"]["alerts"]), 60,
                 "the call to say background effects cannot run", on_timeout=lambda: desk.js_async(CAMERA))
        off = desk.js_async(CAMERA)["value"]
        assert off["status"] == "unavailable" and not off["processed"] and off["live"], off
        print("fell back:", off)

    # Remembered in the app's profile: the next pre-join page has Blur checked.
    desk.call("load", url=f"{desk.server}r/{room}?name=Desk")
    wait_for(lambda: desk.js_async(RADIOS)["value"]["checked"] == ["Blur"], 30,
             "the next pre-join page to have Blur checked", on_timeout=lambda: desk.js_async(RADIOS))
