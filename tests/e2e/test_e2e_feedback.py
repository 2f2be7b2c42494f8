"""The call tells people what happens (issue 17): toasts, clear states, panels and focus that a keyboard can follow.

Toasts are read as a screen reader hears them: text in a `role="status"` live region. Each test
also checks what a sighted user notices (a button that does not move, a badge that stands out).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import Locator, expect
from support.screenshots import save_at_both_sizes

pytestmark = pytest.mark.e2e

RECONNECTING = "Reconnecting to the meeting service — your call continues"
SHARE_REASON = "Screen sharing is back as soon as the meeting service is reachable again"


def toast(person: Participant, text: str) -> Locator:
    """The live region (role="status") that says `text`."""
    return person.page.get_by_role("status").filter(has_text=text)


def focused_inside(locator: Locator) -> bool:
    """Whether the focus is on `locator` or inside it."""
    return locator.evaluate("(el) => el.contains(document.activeElement)")


def test_joins_and_leaves_are_told_in_toasts(call: Call) -> None:
    alice = call.join("Alice")
    bob = call.join("Bob")
    expect(toast(alice, "Bob joined")).to_be_visible()
    save_at_both_sizes(alice.page, "toast-joined")
    # Bob is not told that the people already there "joined".
    expect(bob.page.get_by_test_id("toast")).to_have_count(0)

    bob.button("Leave").click()
    expect(toast(alice, "Bob left")).to_be_visible()
    # Toasts go away by themselves.
    expect(alice.page.get_by_test_id("toast")).to_have_count(0, timeout=15_000)


def test_a_copied_link_is_a_toast_and_the_button_stays_put(call: Call) -> None:
    alice = call.join("Alice")
    alice.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = alice.button("Copy invite link")
    before = copy.bounding_box()

    copy.click()

    expect(toast(alice, "Link copied")).to_be_visible()
    assert copy.bounding_box() == before
    expect(copy).to_be_focused()  # the toast took no focus
    assert alice.page.evaluate("() => navigator.clipboard.readText()") == f"{call.server.base_url}/r/{call.room_id}"


def test_the_focus_goes_to_the_toolbar_after_join_and_to_rejoin_after_leave(call: Call) -> None:
    alice = call.join("Alice")
    expect(alice.button("Mute")).to_be_focused()

    alice.button("Leave").click()

    expect(alice.button("Rejoin")).to_be_focused()


def test_a_presenter_whose_share_is_taken_over_is_told_who_presents(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    alice.button("Share screen").click()
    expect(alice.button("Stop sharing")).to_be_visible()
    bob.wait_stage_shows(alice)

    bob.button("Share screen").click()
    bob.page.get_by_role("alertdialog", name="Alice is presenting. Share instead?").get_by_role(
        "button", name="Share instead", exact=True).click()

    expect(toast(alice, "Your share stopped: Bob is presenting")).to_be_visible()
    expect(alice.button("Share screen")).to_be_visible()
    expect(bob.page.get_by_role("status").filter(has_text="Your share stopped")).to_have_count(0)


def call_panels(person: Participant) -> dict[str, Locator]:
    """The call's panels by the name of the control-bar button that opens each (two people in the call)."""
    page = person.page
    return {
        "Participants (2)": page.get_by_role("complementary", name="Participants (2)"),
        "Devices": page.get_by_role("complementary", name="Devices"),
        "Chat": page.get_by_role("complementary", name="Chat"),
    }


def test_panels_close_with_escape_and_give_the_focus_back(call: Call) -> None:
    alice, _bob = call.join_all("Alice", "Bob")
    for button, panel in call_panels(alice).items():
        # Keyboard only: focus the button, Enter, Escape.
        alice.button(button).focus()
        alice.page.keyboard.press("Enter")
        expect(panel).to_be_visible()
        alice.page.keyboard.press("Escape")
        expect(panel).to_have_count(0)
        expect(alice.button(button)).to_be_focused()


def test_an_opened_panel_takes_the_focus_follows_the_control_bar_and_has_close(call: Call) -> None:
    alice, _bob = call.join_all("Alice", "Bob")
    page = alice.page
    panels = call_panels(alice)
    for button, panel in panels.items():
        alice.button(button).click()
        expect(panel).to_be_visible()
        alice.wait_js("(el) => el.contains(document.activeElement)", panel.element_handle(),
                      message=f"the focus is in the {button} panel")

    # From the Devices panel, Tab goes on to its camera select (the panel follows the control bar).
    alice.button("Devices").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(panels["Devices"].get_by_label("Camera", exact=True)).to_be_focused()
    alice.wait_js("() => { const v = document.querySelector('video.devices__preview'); return Boolean(v && v.currentTime > 0); }",
                  message="the panel's camera preview plays")
    save_at_both_sizes(page, "devices-panel")
    assert page.evaluate("""() => {
        const bar = document.querySelector('nav.controlbar'), panel = document.querySelector('.panel');
        return Boolean(bar.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING); }""")

    # The Close button closes it too, and the focus goes back to Devices.
    panels["Devices"].locator("xpath=..").get_by_role("button", name="Close", exact=True).click()
    expect(panels["Devices"]).to_have_count(0)
    expect(alice.button("Devices")).to_be_focused()


def test_off_buttons_are_solid_red(call: Call) -> None:
    _alice, bob = call.join_all("Alice", "Bob")
    bob.button("Mute").click()
    bob.button("Turn camera off").click()

    # Bob's off buttons are solid red.
    for name in ("Unmute", "Turn camera on"):
        colour = bob.button(name).evaluate("(b) => getComputedStyle(b).backgroundColor")
        rgb = [float(x) for x in colour[colour.index("(") + 1:-1].split(",")]
        assert len(rgb) == 3 or rgb[3] == 1, f"{name} is not solid: {colour}"
        assert rgb[0] > 150 and rgb[1] < 90 and rgb[2] < 90, f"{name} is not red: {colour}"


def test_a_muted_person_has_a_badge_in_the_tile_corner(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    bob.button("Mute").click()

    # On Alice's page Bob's tile has a high-contrast badge in its corner, outside the name pill.
    tile = alice.tile(bob.user_id)
    badge = tile.get_by_test_id("muted-indicator")
    expect(badge).to_be_visible()
    seen = badge.evaluate("""(b) => { const t = b.closest('[data-testid="tile"]').getBoundingClientRect();
        const r = b.getBoundingClientRect(); const s = getComputedStyle(b);
        return { w: r.width, h: r.height, right: t.right - r.right, bottom: t.bottom - r.bottom,
                 inCaption: b.closest('figcaption') !== null, background: s.backgroundColor }; }""")
    assert seen["w"] >= 24 and seen["h"] >= 24, seen
    assert 0 <= seen["right"] <= 16 and 0 <= seen["bottom"] <= 16, seen
    assert not seen["inCaption"], seen
    assert seen["background"].startswith("rgb("), seen  # opaque
    save_at_both_sizes(alice.page, "muted-badge")


def test_the_speaking_tile_shows_a_level(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    bob.button("Mute").click()

    # Alice's fake microphone beeps: her tile on Bob's page is highlighted with a level indicator.
    expect(bob.tile(alice.user_id)).to_have_attribute("data-speaking", "true")
    expect(bob.tile(alice.user_id).get_by_test_id("speaking-level")).to_be_visible()
    save_at_both_sizes(bob.page, "speaking-level")
    expect(alice.tile(bob.user_id).get_by_test_id("speaking-level")).to_have_count(0)


def test_a_server_restart_is_explained_and_its_end_told(start_server: Callable[..., ServerProcess],
                                                        make_call: Callable[..., Call]) -> None:
    server = start_server()
    call = make_call(server)
    alice, bob = call.join_all("Alice", "Bob")
    alice.wait_media_from([bob])
    expect(alice.button("Share screen")).to_be_enabled()

    assert server.stop() == 0

    expect(toast(alice, RECONNECTING)).to_be_visible()
    share = alice.button("Share screen")
    expect(share).to_be_disabled()
    expect(share).to_have_accessible_description(SHARE_REASON)

    server.start()

    expect(toast(alice, "Reconnected")).to_be_visible()
    expect(toast(alice, RECONNECTING)).to_have_count(0)
    expect(share).to_be_enabled()
