"""A call of three in real Chromium: the full mesh carries everyone's video and audio, and mute shows."""

from __future__ import annotations

import time

import pytest
from e2e_harness import Call
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_three_participants_see_and_hear_each_other(call: Call) -> None:
    people = call.join_all("Alice", "Bob", "Carol")

    for person in people:
        others = [other for other in people if other is not person]
        for other in others:
            expect(person.tile(other.user_id)).to_contain_text(other.name)
        expect(person.page.locator('[data-testid="tile"][data-self="true"]')).to_contain_text(person.name)
        person.wait_media_from(others)
        assert set(person.peer_stats()) == {other.user_id for other in others}
    assert {user["userId"] for user in call.users()["users"]} == {person.user_id for person in people}


def test_mute_shows_on_the_others_tiles(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")

    alice.button("Mute").click()

    expect(alice.button("Unmute")).to_be_visible()
    for other in (bob, carol):
        indicator = other.tile(alice.user_id).get_by_test_id("muted-indicator")
        expect(indicator).to_be_visible()
        expect(indicator).to_have_attribute("aria-label", "Muted")
    # Only the one who muted is shown muted.
    expect(carol.tile(bob.user_id).get_by_test_id("muted-indicator")).to_have_count(0)
    assert [u["audioMuted"] for u in call.users()["users"] if u["userId"] == alice.user_id] == [True]

    alice.button("Unmute").click()

    expect(alice.button("Mute")).to_be_visible()
    for other in (bob, carol):
        expect(other.tile(alice.user_id).get_by_test_id("muted-indicator")).to_have_count(0)


def test_the_pre_join_meter_follows_the_microphone(call: Call) -> None:
    alice = call.open("Alice")
    meter = alice.page.get_by_role("meter", name="Microphone level")
    moving = "() => Number(document.querySelector('[role=meter]')?.getAttribute('aria-valuenow')) > 0"

    alice.page.wait_for_function(moving)  # the fake microphone's beep shows on the meter

    alice.button("Mute").click()
    expect(meter).to_have_attribute("aria-valuenow", "0")
    alice.button("Unmute").click()
    alice.page.wait_for_function(moving)


def test_a_remembered_camera_that_did_not_open_can_be_chosen_again(call: Call) -> None:
    alice = call.open("Alice", "fake_device_3")
    alice.page.reload()  # the next visit prefers fake_device_3; Chromium's fake prompt opens the first camera

    alice.choose_camera("fake_device_3")  # the preview shows it


def test_four_joining_at_once_all_see_each_other(call: Call) -> None:
    people = [call.open(name) for name in ("Alice", "Bob", "Carol", "Dave")]
    for person in people:
        person.button("Join").wait_for()

    at = time.time() * 1000 + 400  # everyone presses Join at this instant (Date.now())
    for person in people:
        person.click_at("Join", at)

    for person in people:
        person.wait_in_call()
    for person in people:
        person.wait_media_from(other for other in people if other is not person)


# Counts, per user id, how many times a tile turned data-speaking="true" on this page, and (every
# 200 ms) how often each tile was seen highlighted: the highlight holds for 1.5 s, it does not blink.
_COUNT_HIGHLIGHTS = """() => {
    window.__highlights = {};
    window.__highlightedSamples = {};
    const seen = (tile) => {
        if (tile.dataset.speaking !== 'true') return;
        const id = tile.dataset.userId;
        window.__highlights[id] = (window.__highlights[id] || 0) + 1;
    };
    new MutationObserver((records) => {
        for (const r of records) if (r.target.matches && r.target.matches('[data-testid="tile"]')) seen(r.target);
    }).observe(document.body, { attributes: true, attributeFilter: ['data-speaking'], subtree: true });
    setInterval(() => {
        for (const tile of document.querySelectorAll('[data-testid="tile"][data-speaking="true"]')) {
            const id = tile.dataset.userId;
            window.__highlightedSamples[id] = (window.__highlightedSamples[id] || 0) + 1;
        }
    }, 200);
}"""


def test_the_speaker_is_highlighted_and_a_muted_person_never_is(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    bob.button("Mute").click()
    expect(bob.button("Unmute")).to_be_visible()
    alice.page.evaluate(_COUNT_HIGHLIGHTS)

    # Chromium's fake microphone beeps twice a second: Alice's tile lights up on Bob's page (her
    # level as received) and on her own (her microphone's level), for 3 s or more in all.
    expect(bob.tile(alice.user_id)).to_have_attribute("data-speaking", "true")
    alice.page.wait_for_function(f"() => (window.__highlightedSamples['{alice.user_id}'] || 0) >= 15")

    # Meanwhile Bob, muted but beeping just the same, was never highlighted on Alice's page.
    counts = alice.page.evaluate("() => window.__highlights")
    assert counts.get(bob.user_id, 0) == 0, counts


def test_switching_camera_during_the_call_keeps_the_connection(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    bob.wait_media_from([alice])
    bob.page.evaluate("() => window.__e2e.savePeers()")
    frames_before = bob.page.evaluate("() => window.__e2e.savedPeerFrames()")[alice.user_id]["frames"]

    alice.button("Devices").click()
    alice.page.get_by_label("Camera", exact=True).select_option(label="fake_device_2")

    # Alice sends the new camera, shows it in her own tile, and remembers the choice.
    alice.wait_js("""() => [...window.__parley.peers.values()].every((pc) =>
        pc.getSenders().some((s) => s.track && s.track.kind === 'video' && s.track.label === 'fake_device_2'))""",
                  message="every connection sends fake_device_2")
    alice.wait_js("""() => { const v = document.querySelector('[data-testid="tile"][data-self="true"] video');
        const t = v && v.srcObject && v.srcObject.getVideoTracks()[0];
        return Boolean(t && t.label === 'fake_device_2' && t.readyState === 'live'); }""",
                  message="the self view shows fake_device_2")
    assert alice.page.evaluate("() => localStorage.getItem('parley.camera')")
    # Bob keeps decoding Alice's video on the very same connection (no renegotiation, no reconnect).
    bob.wait_js("""([id, before]) => window.__e2e.savedPeerFrames().then((s) =>
        s[id].current && s[id].state === 'connected' && s[id].frames > before + 20)""",
                arg=[alice.user_id, frames_before], message="Alice's video goes on on the same connection")


def test_on_a_phone_the_controls_keep_their_names_and_the_panels_open(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    alice.page.set_viewport_size({"width": 390, "height": 844})

    for name in ("Mute", "Turn camera off", "Share screen", "Participants (2)", "Devices", "Leave"):
        expect(alice.button(name)).to_be_visible()
    alice.button("Participants (2)").click()
    expect(alice.page.get_by_role("complementary", name="Participants (2)")).to_be_visible()
    alice.button("Devices").click()
    panel = alice.page.get_by_role("complementary", name="Devices")
    expect(panel).to_be_visible()
    expect(panel.get_by_label("Camera", exact=True)).to_be_visible()
    # The sheet leaves the control bar usable.
    alice.button("Mute").click()
    expect(bob.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()
