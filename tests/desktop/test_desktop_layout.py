"""Layouts and shortcuts inside the desktop app's Qt WebEngine window.

Real key presses into the web view (QTest) switch the layout (L), mute (M) and open the shortcut
list (?), which Escape closes. Picture-in-Picture is offered only if the web view has it; full screen
puts the large tile full screen and the window with it, and Escape (which no browser UI takes in
Qt WebEngine) leaves both.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from support.polling import wait_for

from desktop_harness import TEST_UI_DIR, press

pytestmark = pytest.mark.timeout(240)


def new_room(server: str) -> str:
    """A room on the desktop app's embedded server."""
    request = urllib.request.Request(server + "createRoom", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["roomId"]


def button_named(app, name: str) -> bool:
    """The page shows a button whose accessible name is `name`."""
    return app.js("[...document.querySelectorAll('button')].some(b => "
                  f"(b.getAttribute('aria-label') || b.textContent).trim() === {json.dumps(name)})")


def test_shortcuts_layout_and_full_screen_in_the_desktop_window(start_app):
    assert (TEST_UI_DIR / "index.html").is_file(), "run `cd react-ui && npm run build:test` first"
    desk = start_app("--embedded")
    room = new_room(desk.server)
    desk.call("load", url=f"{desk.server}r/{room}?name=Desk")
    press(desk, "Join")
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30, "the desktop app in the call",
             on_timeout=lambda: desk.js("document.body.innerText"))
    press(desk, "Layout")
    menu = desk.js("[...document.querySelectorAll('[role^=menuitem]')].map(i => i.textContent.trim())")
    desk.call("key", key="Escape")
    wait_for(lambda: not desk.js("!!document.querySelector('[role=menu]')"), 10, "Escape to close the menu")

    # The keys, pressed on the keyboard: L speaker view, M mute, ? the list, Escape closes it.
    layout = "document.querySelector('.tiles').dataset.layout"
    assert desk.js(layout) == "grid"
    desk.call("key", key="l")
    wait_for(lambda: desk.js(layout) == "speaker", 10, "L to switch to speaker view")
    desk.call("key", key="m")
    wait_for(lambda: button_named(desk, "Unmute"), 10, "M to mute the microphone")
    desk.call("key", key="?")
    dialog = "!!document.querySelector('[role=dialog]')"
    wait_for(lambda: desk.js(dialog), 10, "? to open the shortcut list")
    desk.call("key", key="Escape")
    wait_for(lambda: not desk.js(dialog), 10, "Escape to close the shortcut list")

    # Picture-in-Picture only where the web view has it.
    pip = desk.js("Boolean(document.pictureInPictureEnabled)")
    assert ("Picture in picture" in menu) == pip, (menu, pip)

    # Full screen: the large tile (ourselves, alone in the call) and the window; Escape leaves both.
    assert "Full screen" in menu, menu
    press(desk, "Layout")
    press(desk, "Full screen")
    wait_for(lambda: desk.js("document.fullscreenElement ? document.fullscreenElement.dataset.large : null") == "true",
             10, "the large tile to go full screen")
    wait_for(lambda: desk.call("window")["fullScreen"], 10, "the window to go full screen")
    desk.call("key", key="Escape")
    wait_for(lambda: desk.js("document.fullscreenElement === null"), 10, "Escape to leave full screen")
    wait_for(lambda: not desk.call("window")["fullScreen"], 10, "the window to leave full screen")
    print(f"desktop web view: menu {menu}, pictureInPictureEnabled {pip}")
