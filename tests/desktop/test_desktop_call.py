"""A meeting between the desktop app and a browser: camera, microphone and the real screen cross over.

The desktop app hosts (embedded server); a Chromium participant joins the same room; inside the
desktop window the web client gets the camera and microphone and shares the screen through the
native picker; Chromium must decode both the camera and the Xvfb screen (1280x800).
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from support.polling import wait_for

from desktop_harness import TEST_UI_DIR

pytestmark = pytest.mark.timeout(240)

CLICK = """
const label = %s;
const button = [...document.querySelectorAll('button')]
  .find(b => (b.getAttribute('aria-label') || b.textContent).trim() === label);
if (!button || button.disabled) return false;
button.click();
return true;
"""

# What the Chromium participant decodes, per remote video track, from its peer connection's stats.
DECODED = """
async () => {
  const pc = [...window.__parley.peers.values()][0];
  const stats = await pc.getStats();
  return [...stats.values()]
    .filter(s => s.type === 'inbound-rtp' && s.kind === 'video')
    .map(s => ({frames: s.framesDecoded || 0, width: s.frameWidth || 0, height: s.frameHeight || 0}));
}
"""


def click(app, label: str) -> bool:
    """Press a button of the web client inside the desktop window, as a user would."""
    result = app.js_async(CLICK % json.dumps(label))
    return result["ok"] and result["value"]


def new_room(server: str) -> str:
    """A room on the desktop app's embedded server."""
    request = urllib.request.Request(server + "createRoom", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["roomId"]


@pytest.fixture(scope="module", autouse=True)
def _web_client_built():
    assert (TEST_UI_DIR / "index.html").is_file(), (
        "the test build of the web client is missing: run `make test` or "
        "`cd react-ui && npm run build:test` (the desktop app serves it, with window.__parley)")


def test_browser_sees_the_desktop_users_camera_and_real_screen(start_app, chromium_page):
    desk = start_app("--embedded")
    room = new_room(desk.server)
    room_url = f"{desk.server}r/{room}"

    desk.call("load", url=f"{room_url}?name=Desk")
    wait_for(lambda: click(desk, "Join"), 30, "the desktop pre-join page to offer Join")
    desk_id = wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30,
                       "the desktop app to join the call",
                       on_timeout=lambda: desk.js("document.body.innerText"))

    page = chromium_page
    page.goto(f"{room_url}?name=Chrome")
    page.get_by_role("button", name="Join").click()
    page.wait_for_function("() => window.__parley && window.__parley.peers.size === 1",  # a function:
                           timeout=30_000)  # the page's CSP forbids eval'd strings
    chrome_id = page.evaluate("window.__parley.userId")

    connected = "[...window.__parley.peers.values()].some(pc => pc.connectionState === 'connected')"
    wait_for(lambda: desk.js(connected), 30, "the desktop's peer connection")
    page.wait_for_function(f"() => {connected}", timeout=30_000)

    # Inside the desktop window the client sends a live camera and microphone.
    def sending():
        senders = desk.js_async(
            f"return window.__parley.peers.get({json.dumps(chrome_id)}).getSenders()"
            ".filter(s => s.track).map(s => s.track.kind + ':' + s.track.readyState).sort();")
        return senders["value"] == ["audio:live", "video:live"]
    wait_for(sending, 30, "the desktop to send a live camera and microphone")

    # Share the screen: the web client's button, then the native picker's Share.
    assert click(desk, "Share screen")
    picked = desk.call("pick_screen")
    assert picked["screens"] >= 1
    page.wait_for_function(f"() => window.__parley.sharer === {json.dumps(desk_id)}", timeout=30_000)

    # Chromium decodes two video tracks from the desktop: the fake camera and the real 1280x800 screen.
    def both_decoding():
        tracks = page.evaluate(DECODED)
        screen = [t for t in tracks if (t["width"], t["height"]) == (1280, 800) and t["frames"] > 5]
        camera = [t for t in tracks if t not in screen and t["frames"] > 5 and t["width"] > 0]
        return (screen and camera) and tracks
    tracks = wait_for(both_decoding, 40, "Chromium to decode the desktop's camera and screen")
    assert len(tracks) == 2, tracks

    stage = f'[data-testid="stage"][data-sharer-id="{desk_id}"] video'
    page.wait_for_function(f"() => (v => v && v.videoWidth === 1280 && v.videoHeight === 800)"
                           f"(document.querySelector({json.dumps(stage)}))", timeout=30_000)
    tile = f'[data-testid="tile"][data-user-id="{desk_id}"] video'
    page.wait_for_function(f"() => (v => v && v.videoWidth > 0 && v.currentTime > 0)"
                           f"(document.querySelector({json.dumps(tile)}))", timeout=30_000)
