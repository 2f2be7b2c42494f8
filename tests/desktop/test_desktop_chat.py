"""The chat inside the desktop window (issue 13): a browser participant and the desktop app talk,
and a link in a chat message opens in the system browser, never inside the app's window.

The desktop app hosts (embedded server) in a real Qt WebEngine window under Xvfb; the system
browser is a script behind $BROWSER that writes down the URLs it was asked to open.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from support.polling import wait_for

from desktop_harness import press
from test_desktop_bridge_guard import system_browser  # noqa: F401 - a fixture
from test_desktop_call import _web_client_built, new_room  # noqa: F401 - a fixture
from test_desktop_media import other_site  # noqa: F401 - a fixture

pytestmark = pytest.mark.timeout(240)

TYPE_MESSAGE = """
const box = document.getElementById('chat-message');
if (!box) return false;
Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(box, %s);
box.dispatchEvent(new Event('input', {bubbles: true}));
return true;
"""


def chat_texts(app) -> list[str]:
    """The messages the desktop window's chat panel shows."""
    return app.js("[...document.querySelectorAll('.chat__text')].map(p => p.textContent)") or []


def test_chat_works_in_the_desktop_window_and_a_link_opens_in_the_system_browser(
        start_app, chromium_page, other_site, system_browser):
    env, opened = system_browser
    desk = start_app("--embedded", env=env)
    room_url = f"{desk.server}r/{new_room(desk.server)}"
    desk.call("load", url=f"{room_url}?name=Desk")
    press(desk, "Join")
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30,
             "the desktop app to join the call", on_timeout=lambda: desk.js("document.body.innerText"))
    in_room = desk.call("url")

    page = chromium_page
    page.goto(f"{room_url}?name=Chrome")
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Chat", exact=True).click()
    agenda = f"{other_site}agenda"
    box = page.get_by_role("textbox", name="Message")
    box.fill(f"The agenda: {agenda}")
    box.press("Enter")

    # The desktop user sees the count on Chat, opens the panel and reads the message with its link.
    wait_for(lambda: desk.js("document.querySelector('[data-testid=\"chat-unread\"]')?.textContent") == "1",
             30, "the unread count on Chat in the desktop window",
             on_timeout=lambda: desk.js("document.body.innerText"))
    press(desk, "Chat")
    wait_for(lambda: chat_texts(desk) == [f"The agenda: {agenda}"], 30, "the message in the desktop window",
             on_timeout=lambda: chat_texts(desk))
    assert desk.js("document.querySelector('.chat__text a').href") == agenda

    # The desktop user answers with the box and the button Send.
    assert desk.js_async(TYPE_MESSAGE % json.dumps("Thanks, opening it")) == {"ok": True, "value": True}
    press(desk, "Send")
    expect(page.locator(".chat__text").last).to_have_text("Thanks, opening it", timeout=30_000)

    # Clicking the link hands it to the system browser; the window stays in the meeting.
    desk.js("document.querySelector('.chat__text a').click(); true")
    wait_for(lambda: opened.exists() and opened.read_text().strip(), 20,
             "the system browser is asked to open the link")
    assert opened.read_text().split() == [agenda]
    assert desk.call("url") == in_room
    assert chat_texts(desk) == [f"The agenda: {agenda}", "Thanks, opening it"]
