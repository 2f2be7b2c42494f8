"""Layouts and shortcuts in real Chromium: grid and speaker view, pins, and the single-key shortcuts.

Switching the layout (the Layout menu, the L key) and pinning only restyle the tiles: the test marks
the <video> of the other person's tile and checks that the very same element keeps playing new frames
afterwards, and that no connection was renegotiated (its local description is unchanged). The
shortcuts act on the call page (M mutes, and the other person sees it; ? lists the keys) and never
while the focus is in a form field.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant
from playwright.sync_api import Locator, Page, expect

# The axe-core fixtures and check of the accessibility test, on this feature's controls.
from test_e2e_accessibility import assert_accessible, axe_js, axe_tab  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.e2e

# Marks the <video> of `userId`'s tile and counts the frames it presents from now on.
WATCH_VIDEO = """(userId) => {
  const video = document.querySelector(`[data-testid="tile"][data-user-id="${userId}"] video`);
  video.__layoutMark = 'the same element';
  video.__frames = 0;
  video.__maxGap = 0;  // the longest wait between two presented frames, in ms (a figure for the log)
  let last = null;
  const count = (now) => {
    video.__frames += 1;
    if (last !== null) video.__maxGap = Math.max(video.__maxGap, now - last);
    last = now;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
}"""

# The watched video: still the same element, playing, its frame count, and the connection's SDP.
VIDEO_STATE = """(userId) => {
  const video = document.querySelector(`[data-testid="tile"][data-user-id="${userId}"] video`);
  const pc = window.__parley.peers.get(userId);
  return { mark: video.__layoutMark ?? null, frames: video.__frames ?? 0, maxGap: video.__maxGap, paused: video.paused,
           readyState: video.readyState, sdp: pc.localDescription && pc.localDescription.sdp };
}"""


def layout_of(person: Participant) -> Locator:
    """The tile area, whose data-layout says grid or speaker."""
    return person.page.locator(".tiles")


def area(locator: Locator) -> float:
    """The on-screen area of `locator`, in CSS pixels."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    return box["width"] * box["height"]


def assert_large(person: Participant, large: Participant, small: Participant) -> None:
    """On `person`'s page, `large`'s tile is the large one, several times the size of `small`'s."""
    expect(person.tile(large.user_id)).to_have_attribute("data-large", "true")
    expect(person.tile(small.user_id)).to_have_attribute("data-large", "false")
    big, little = area(person.tile(large.user_id)), area(person.tile(small.user_id))
    assert big > 4 * little, f"{large.name}'s tile ({big:.0f} px²) is not large beside {small.name}'s ({little:.0f} px²)"


def state_once_gathered(person: Participant, other: Participant) -> dict:
    """`other`'s video state on `person`'s page once the connection has gathered all its ICE candidates.

    Candidates join the local description as they are gathered, so its SDP is only a fixed point to compare
    against (to tell whether the connection was renegotiated) once gathering is complete."""
    person.wait_js("(id) => window.__parley.peers.get(id).iceGatheringState === 'complete'", other.user_id,
                   lambda: person.page.evaluate(f"window.__parley.peers.get({other.user_id!r}).iceGatheringState"),
                   f"the connection to {other.name} gathers its ICE candidates")
    return person.page.evaluate(VIDEO_STATE, other.user_id)


def wait_frames_after(person: Participant, other: Participant, frames_before: int) -> dict:
    """Wait until `other`'s tile video on `person`'s page shows 10 more frames; its state then."""
    person.wait_js(
        "([id, n]) => { const v = document.querySelector(`[data-testid=\"tile\"][data-user-id=\"${id}\"] video`);"
        " return v.__frames >= n + 10; }",
        [other.user_id, frames_before],
        lambda: person.page.evaluate(VIDEO_STATE, other.user_id),
        f"{other.name}'s video keeps playing new frames")
    return person.page.evaluate(VIDEO_STATE, other.user_id)


def test_layout_menu_and_l_switch_to_speaker_view_without_restarting_the_video(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob", own_cameras=True)
    alice.wait_media_from([bob])
    expect(layout_of(alice)).to_have_attribute("data-layout", "grid")
    alice.page.evaluate(WATCH_VIDEO, bob.user_id)
    before = state_once_gathered(alice, bob)

    # The Layout menu: speaker view puts Bob (the other person) large.
    alice.button("Layout").click()
    expect(alice.page.get_by_role("menuitemradio", name="Grid", exact=True)).to_have_attribute("aria-checked", "true")
    alice.page.get_by_role("menuitemradio", name="Speaker view", exact=True).click()
    expect(layout_of(alice)).to_have_attribute("data-layout", "speaker")
    assert_large(alice, bob, alice)
    expect(alice.page.get_by_role("status").filter(has_text="Layout: Speaker view")).to_have_count(1)

    after = wait_frames_after(alice, bob, before["frames"])
    assert after["mark"] == "the same element" and not after["paused"] and after["readyState"] >= 2, after
    assert after["sdp"] == before["sdp"], "switching the layout renegotiated the connection"

    # L goes back to the grid (the focus is on the Layout button, not in a text field).
    alice.page.keyboard.press("l")
    expect(layout_of(alice)).to_have_attribute("data-layout", "grid")
    expect(alice.tile(bob.user_id)).to_have_attribute("data-large", "false")
    after_grid = wait_frames_after(alice, bob, after["frames"])
    assert after_grid["mark"] == "the same element" and after_grid["sdp"] == before["sdp"], after_grid
    print(f"Bob's video on Alice's page across two layout switches: {after_grid['frames']} frames, "
          f"longest gap between frames {after_grid['maxGap']:.0f} ms")
    expect(bob.page.locator(".tiles")).to_have_attribute("data-layout", "grid")  # a layout is one's own

    # The choice is remembered: after L again and a new visit, Alice is back in speaker view.
    alice.page.keyboard.press("l")
    expect(layout_of(alice)).to_have_attribute("data-layout", "speaker")
    alice.open()
    alice.join()
    expect(layout_of(alice)).to_have_attribute("data-layout", "speaker")
    assert_large(alice, bob, alice)


def test_a_pinned_tile_is_large_and_unpinning_returns_to_the_speaker(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob", own_cameras=True)
    alice.wait_media_from([bob])
    alice.page.evaluate(WATCH_VIDEO, bob.user_id)
    before = state_once_gathered(alice, bob)

    # In the grid, pinning Bob shows him large.
    alice.tile(bob.user_id).hover()
    alice.button("Pin Bob").click()
    expect(layout_of(alice)).to_have_attribute("data-layout", "speaker")
    assert_large(alice, bob, alice)
    expect(alice.button("Unpin Bob")).to_be_visible()

    # In speaker view Bob is large anyway; pinning herself puts Alice large instead.
    alice.button("Unpin Bob").click()
    expect(layout_of(alice)).to_have_attribute("data-layout", "grid")
    alice.page.keyboard.press("l")
    assert_large(alice, bob, alice)
    alice.button("Pin yourself").click()
    assert_large(alice, alice, bob)

    # Unpinned, the speaker (the other person) is large again; Bob's video never restarted.
    alice.button("Unpin yourself").click()
    assert_large(alice, bob, alice)
    after = wait_frames_after(alice, bob, before["frames"])
    assert after["mark"] == "the same element" and after["sdp"] == before["sdp"], after


def test_m_v_s_act_for_everyone_and_question_mark_lists_the_keys(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    page = alice.page
    page.locator("body").click(position={"x": 5, "y": 5})  # the focus on the page, as after a click on it

    page.keyboard.press("m")
    expect(alice.button("Unmute")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Microphone off")).to_have_count(1)  # said aloud
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()
    page.keyboard.press("m")
    expect(alice.button("Mute")).to_be_visible()
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_have_count(0)

    page.keyboard.press("v")
    expect(alice.button("Turn camera on")).to_be_visible()
    page.keyboard.press("v")
    expect(alice.button("Turn camera off")).to_be_visible()

    # S shares the screen (a key press is the user gesture getDisplayMedia needs), and S stops it.
    page.keyboard.press("s")
    expect(alice.button("Stop sharing")).to_be_visible()
    bob.wait_stage_shows(alice)
    page.keyboard.press("s")
    expect(alice.button("Share screen")).to_be_visible()
    expect(bob.stage).to_have_attribute("data-sharer-id", "")

    # ? lists the keys; Escape closes the list and the focus goes back to where it was.
    layout_button = alice.button("Layout")
    layout_button.focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for key, action in (("M", "Turn the microphone on or off"), ("V", "Turn the camera on or off"),
                        ("S", "Share your screen or stop sharing"), ("L", "Switch between grid and speaker view"),
                        ("?", "Show this list")):
        expect(dialog.get_by_role("row", name=f"{key} {action}", exact=True)).to_be_visible()
    expect(dialog.get_by_role("button", name="Close", exact=True)).to_be_focused()
    page.keyboard.press("m")  # behind the list, keys do nothing
    expect(alice.button("Mute")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(layout_button).to_be_focused()


def test_shortcuts_are_ignored_while_the_focus_is_in_a_form_field(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    alice.button("Devices").click()
    camera = alice.page.get_by_label("Camera", exact=True)
    camera.focus()

    for key in ("m", "v", "l", "?", "s"):
        alice.page.keyboard.press(key)

    expect(alice.button("Mute")).to_be_visible()
    expect(alice.button("Turn camera off")).to_be_visible()
    expect(alice.button("Share screen")).to_be_visible()
    expect(layout_of(alice)).to_have_attribute("data-layout", "grid")
    expect(alice.page.get_by_role("dialog")).to_have_count(0)
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_have_count(0)
    # Out of the field, the same key acts.
    alice.button("Devices").focus()
    alice.page.keyboard.press("m")
    expect(alice.button("Unmute")).to_be_visible()
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()


def test_the_layout_controls_have_no_serious_accessibility_violation(
        call: Call, axe_tab: Callable[[], Page]) -> None:
    # axe-core as test_e2e_accessibility.py runs it, on the call page with this feature's controls:
    # speaker view with a pin, the Layout menu open, then the shortcut list open.
    alice = call.join("Alice", tab=axe_tab())
    bob = call.join("Bob")
    alice.wait_media_from([bob])
    alice.button("Pin Bob").click()
    alice.button("Layout").click()
    expect(alice.page.get_by_role("menu", name="Layout")).to_be_visible()
    assert_accessible(alice.page, "the call page (speaker view, a pin, the Layout menu open)")

    alice.page.get_by_role("menuitem", name="Keyboard shortcuts", exact=True).click()
    expect(alice.page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    assert_accessible(alice.page, "the call page (the shortcut list open)")


def test_picture_in_picture_and_full_screen_show_what_is_large(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob", own_cameras=True)
    alice.wait_media_from([bob])
    page = alice.page
    alice.button("Pin Bob").click()
    assert_large(alice, bob, alice)

    def menu_item(name: str) -> Locator:
        alice.button("Layout").click()
        return page.get_by_role("menuitem", name=name, exact=True)

    # Picture-in-Picture of the large tile (Bob's camera), and closed again.
    menu_item("Picture in picture").click()
    page.wait_for_function("(id) => document.pictureInPictureElement?.closest('[data-testid=tile]')?.dataset.userId === id",
                           arg=bob.user_id)
    menu_item("Close picture in picture").click()
    page.wait_for_function("() => document.pictureInPictureElement === null")

    # Full screen of the large tile; Escape leaves it.
    menu_item("Full screen").click()
    page.wait_for_function("(id) => document.fullscreenElement?.dataset.userId === id", arg=bob.user_id)
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null")

    # While a screen is shared, full screen shows the stage.
    alice.button("Share screen").click()
    alice.wait_stage_shows(alice)
    menu_item("Full screen").click()
    page.wait_for_function("() => document.fullscreenElement?.dataset.testid === 'stage'")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.fullscreenElement === null")
