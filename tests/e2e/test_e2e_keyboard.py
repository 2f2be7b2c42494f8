"""A meeting from start to end with the keyboard alone, in real Chromium.

Alice only presses Tab, Shift+Tab, Enter and Space (and types her name): she starts a meeting on the
landing page, joins it, shares her screen, mutes, leaves and goes back home. No mouse click and no
`element.click()` on her page. At each control she presses, the test checks what a keyboard user
needs to see: that control has the focus and shows a focus ring. Bob, in the same call, joins the
usual way and sees her screen and her muted microphone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from e2e_harness import Call, Participant, ServerProcess, new_tab
from playwright.sync_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.e2e

# What the focused element is called, as a person with a screen reader would hear it (near enough:
# aria-label, else its <label>, else its text).
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '(page)';
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.textContent;
  return `${el.tagName.toLowerCase()} "${(label || '').trim()}"`;
}"""

# The focus ring a sighted keyboard user sees: the element matches :focus-visible and draws an outline.
FOCUS_RING = """(el) => {
  const style = getComputedStyle(el);
  return { focusVisible: el.matches(':focus-visible'), outlineStyle: style.outlineStyle,
           outlineWidth: style.outlineWidth, outlineColor: style.outlineColor };
}"""


@pytest.fixture
def keyboard_tab(browser: Browser) -> Iterator[Page]:
    """A tab of its own for the keyboard user; closed (with its console log printed) afterwards."""
    page = new_tab(browser)
    log: list[str] = []
    page.on("console", lambda msg: log.append(f"console.{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: log.append(f"pageerror: {err}"))
    yield page
    page.context.close()
    if log:
        print("--- keyboard user's page:\n" + "\n".join(log[-60:]))


def press_until_focused(page: Page, target: Locator, key: str = "Tab", limit: int = 25) -> list[str]:
    """Press `key` until `target` has the focus; the names focused on the way (the keyboard path)."""
    path: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        path.append(page.evaluate(FOCUSED_NAME))
        if target.evaluate("(el) => el === document.activeElement"):
            return path
    raise AssertionError(f"{key} never reached {target}; the focus went: {' -> '.join(path)}")


def assert_focus_ring(target: Locator) -> None:
    """`target` has the focus and shows a visible focus ring."""
    expect(target).to_be_focused()
    ring = target.evaluate(FOCUS_RING)
    assert ring["focusVisible"] and ring["outlineStyle"] != "none" and ring["outlineWidth"] not in ("0px", ""), (
        f"{target} has the focus but no visible focus ring: {ring}")


def focus(page: Page, target: Locator, key: str = "Tab") -> list[str]:
    """Move the focus to `target` with `key` and check that it shows; the keyboard path taken."""
    path = press_until_focused(page, target, key)
    assert_focus_ring(target)
    return path


def test_create_join_share_mute_and_leave_with_the_keyboard_only(
        keyboard_tab: Page, make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    page = keyboard_tab

    def button(name: str) -> Locator:
        return page.get_by_role("button", name=name, exact=True)

    path: list[str] = []

    # The landing page: Tab to "New meeting", Enter.
    page.goto(shared_server.base_url + "/")
    path += focus(page, button("New meeting"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{shared_server.base_url}/r/**")
    room_id = page.url.rsplit("/", 1)[1]

    # The pre-join page: Tab to the name field, type a name, Tab to Join (once the camera is in), Enter.
    expect(button("Join")).to_be_enabled()
    path += focus(page, page.get_by_label("Your name", exact=True))
    page.keyboard.type("Alice")
    path += focus(page, button("Join"))
    page.keyboard.press("Enter")
    alice = Participant("Alice", page.context, page, page.url)
    alice.wait_in_call()
    call = make_call(shared_server, room_id)
    bob = call.join("Bob")
    expect(page.locator('[data-testid="tile"]')).to_have_count(2)
    expect(bob.tile(alice.user_id)).to_contain_text("Alice")  # the name she typed

    # Share the screen: Tab to "Share screen", Space. It shows on both stages.
    path += focus(page, button("Share screen"))
    page.keyboard.press("Space")
    expect(button("Stop sharing")).to_be_focused()
    for person in (alice, bob):
        expect(person.stage).to_have_attribute("data-sharer-id", alice.user_id)
        person.wait_stage_shows(alice)

    # Mute: Shift+Tab back to "Mute", Enter. Her button and tile, and Bob's view of her, show it.
    path += focus(page, button("Mute"), key="Shift+Tab")
    page.keyboard.press("Enter")
    assert_focus_ring(button("Unmute"))
    expect(alice.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()

    # Leave: Tab to "Leave", Enter. Bob's call is down to himself; Alice's page says she left.
    path += focus(page, button("Leave"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("You left the meeting.", exact=True)).to_be_visible()
    expect(bob.page.locator('[data-testid="tile"]')).to_have_count(1)

    # Back at the start: Tab to "Home", Enter.
    path += focus(page, page.get_by_role("link", name="Home", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(shared_server.base_url + "/")
    expect(button("New meeting")).to_be_visible()
    print("keyboard path: " + " -> ".join(path))
