"""The desktop app hosts a protected meeting (issue 14), in the real Qt window under Xvfb.

On the start screen the host sets a password and turns the lobby on, then presses Host a meeting:
the app's own window is the meeting's host (it joins without a password and has the Host menu),
the host token never stays in the address, and a browser that opens the link is asked for the
password, waits in the lobby, and is in the call once the host presses Admit in the window.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from support.polling import wait_for

from desktop_harness import TEST_UI_DIR, _FIND, fill_in, press, start_screen_shown

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module", autouse=True)
def _web_client_built():
    assert (TEST_UI_DIR / "index.html").is_file(), (
        "the test build of the web client is missing: run `make test` or "
        "`cd react-ui && npm run build:test` (the desktop app serves it, with window.__parley)")


def tick(app, label: str) -> None:
    """Tick the checkbox labelled `label` (a click, as a user's)."""
    done = app.js_async(_FIND + f"""
const box = byLabel({json.dumps(label)});
if (!box) return false;
if (!box.checked) box.click();
return box.checked;""")
    assert done == {"ok": True, "value": True}, (label, done)


def has_button(app, label: str) -> bool:
    """Whether the window shows an enabled button named `label`."""
    return app.js_async(_FIND + f"const b = byButton({json.dumps(label)}); return !!(b && !b.disabled);")["value"]


def test_the_desktop_host_sets_a_password_and_a_lobby_and_admits_a_browser(start_app, chromium_page):
    app = start_app()
    start_screen_shown(app)
    fill_in(app, "Your name", "Ada")
    fill_in(app, "Password for the meeting (optional)", "lan-secret")
    tick(app, "Let people in one by one (lobby)")
    press(app, "Host a meeting")

    # The meeting's page: the host token was handed over and is out of the address again.
    wait_for(lambda: "/r/" in (app.js("location.pathname") or ""), 30, "the meeting page",
             on_timeout=lambda: app.js("document.body.innerText"))
    wait_for(lambda: has_button(app, "Join"), 30, "the pre-join page's Join",
             on_timeout=lambda: app.js("document.body.innerText"))
    assert "hostToken" not in app.js("location.href")
    assert app.js("document.getElementById('meeting-password')") is None  # the host needs none
    press(app, "Join")
    wait_for(lambda: app.js("window.__parley ? window.__parley.userId : null"), 30,
             "the desktop app to join the call", on_timeout=lambda: app.js("document.body.innerText"))
    wait_for(lambda: has_button(app, "Host"), 30, "the Host menu (the creator is host)",
             on_timeout=lambda: app.js("document.body.innerText"))
    room_url = app.js("location.origin + location.pathname")

    # A browser opens the link: asked for the password, told the host will let it in.
    page = chromium_page
    page.goto(f"{room_url}?name=Chrome")
    expect(page.get_by_text("The host will let you in.")).to_be_visible(timeout=30_000)
    page.get_by_label("Meeting password", exact=True).fill("lan-secret")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Waiting for the host to let you in")).to_be_visible(
        timeout=30_000)

    # The window hears the knock; Admit lets the browser in.
    wait_for(lambda: "Chrome wants to join." in app.js("document.body.innerText"), 30, "the knock",
             on_timeout=lambda: app.js("document.body.innerText"))
    press(app, "Admit")
    page.wait_for_function("() => window.__parley && window.__parley.peers.size === 1", timeout=30_000)
    wait_for(lambda: app.js("window.__parley.peers.size") == 1, 30, "the desktop to see the browser")
