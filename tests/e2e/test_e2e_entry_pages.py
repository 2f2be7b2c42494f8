"""Issue 17, the entry pages and the Devices panel as a new user meets them in Chromium: an unknown
path's own "page not found" page (JSON for API clients), a link to an unknown meeting that offers
another code and a way home, the name field first and an empty name said to be Guest, Open only with
something to open, a labelled microphone meter that the fake microphone visibly fills, and a Devices
panel with a speaker choice, a camera preview and a microphone meter."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, ServerProcess, new_tab
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.e2e

# What share of the meter the fake microphone's beep (twice a second) keeps filled, in samples taken
# every 100 ms over 2 s: the old meter showed a 20 ms beep in a tenth of its readings at best.
VISIBLE = 0.15


def test_an_unknown_path_shows_the_page_not_found_page_and_answers_json_to_api_clients(
        browser: Browser, shared_server: ServerProcess) -> None:
    page = new_tab(browser)
    try:
        response = page.goto(f"{shared_server.base_url}/anything")
        assert response is not None and response.status == 404
        expect(page.get_by_text("There is no page here.")).to_be_visible()
        page.get_by_role("link", name="Go to the start page").click()
        expect(page.get_by_role("button", name="New meeting")).to_be_visible()

        api = page.request.get(f"{shared_server.base_url}/anything", headers={"Accept": "application/json"})
        assert api.status == 404
        assert api.json()["code"] == "notFound"
    finally:
        page.context.close()


def test_a_link_to_an_unknown_meeting_offers_the_code_field_and_a_way_home(
        make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    lost = make_call(shared_server, room_id="no-such-room-0123456789").open("Ann")
    expect(lost.alert).to_be_visible()
    expect(lost.page.get_by_role("link", name="Home")).to_have_attribute("href", "/")
    code = lost.page.get_by_label("Meeting link or code")
    expect(code).to_be_visible()
    expect(lost.button("Open")).to_be_disabled()

    real_room = shared_server.create_room()
    code.fill(real_room)
    lost.button("Open").click()

    expect(lost.button("Join")).to_be_visible()
    assert lost.page.url.endswith(f"/r/{real_room}")


def test_the_name_field_is_focused_and_an_empty_name_is_said_to_appear_as_guest(
        browser: Browser, shared_server: ServerProcess) -> None:
    page = new_tab(browser)
    try:
        page.goto(f"{shared_server.base_url}/r/{shared_server.create_room()}")
        name = page.get_by_label("Your name")
        expect(name).to_be_focused()
        expect(name).to_have_value("")
        hint = page.get_by_text("You will appear as Guest")
        expect(hint).to_be_visible()

        page.keyboard.type("Ann")  # typed straight away, into the focused field

        expect(name).to_have_value("Ann")
        expect(hint).to_have_count(0)
    finally:
        page.context.close()


def test_open_on_the_landing_page_is_disabled_while_the_field_is_empty(
        browser: Browser, shared_server: ServerProcess) -> None:
    page = new_tab(browser)
    try:
        page.goto(shared_server.base_url)
        open_button = page.get_by_role("button", name="Open", exact=True)
        expect(open_button).to_be_disabled()
        page.get_by_label("Meeting link or code").fill("abc123")
        expect(open_button).to_be_enabled()
        page.get_by_label("Meeting link or code").fill("")
        expect(open_button).to_be_disabled()
    finally:
        page.context.close()


def test_the_pre_join_meter_is_labelled_and_the_fake_microphone_visibly_fills_it(call: Call) -> None:
    alice = call.open("Alice")
    meter = alice.page.get_by_role("meter", name="Microphone level")
    expect(meter).to_be_visible()
    expect(alice.page.get_by_test_id("level-meter")).to_have_text("Microphone")
    box = meter.bounding_box()
    assert box is not None and box["height"] >= 10, box

    # The meter is visibly filled most of the time, not in a flash now and then.
    alice.wait_js("() => Number(document.querySelector('[role=meter]').getAttribute('aria-valuenow')) > 0",
                  message="the meter moves")
    filled = alice.page.evaluate("""async () => {
        const meter = document.querySelector('[role=meter]');
        const fill = meter.firstElementChild;
        const shares = [];
        for (let i = 0; i < 20; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          shares.push(fill.getBoundingClientRect().width / meter.getBoundingClientRect().width);
        }
        return shares; }""")
    visible = [share for share in filled if share >= VISIBLE]
    assert len(visible) >= 0.8 * len(filled), filled


def test_the_devices_panel_has_a_speaker_choice_a_camera_preview_and_a_meter(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    alice.wait_media_from([bob])

    alice.button("Devices").click()
    panel = alice.page.get_by_role("complementary", name="Devices")
    preview = panel.get_by_label("Your camera")
    expect(preview).to_be_visible()
    alice.wait_js("""() => { const v = document.querySelector('video.devices__preview');
        return Boolean(v && v.videoWidth > 0 && v.srcObject && v.srcObject.getVideoTracks()[0].readyState === 'live'); }""",
                  message="the panel's camera preview plays")
    meter = panel.get_by_role("meter", name="Microphone level")
    expect(meter).to_be_visible()
    alice.wait_js("() => Number(document.querySelector('aside [role=meter]').getAttribute('aria-valuenow')) > 0",
                  message="the panel's meter follows the microphone")

    speaker = panel.get_by_label("Speaker", exact=True)
    expect(speaker).to_be_visible()
    chosen = speaker.locator("option", has_text="Fake Audio Output 1").get_attribute("value")
    assert chosen not in (None, "", "default")
    speaker.select_option(label="Fake Audio Output 1")
    expect(speaker).to_have_value(chosen)
    sink_of = """(id) => { const v = document.querySelector(`[data-testid="tile"][data-user-id="${id}"] video`);
        return v ? v.sinkId : null; }"""
    alice.wait_js(f"([id, chosen]) => ({sink_of})(id) === chosen", [bob.user_id, chosen],
                  message="Bob's sound plays through the chosen speaker")
    expect(speaker).to_have_attribute("title", "Fake Audio Output 1")

    # Someone who joins later plays through it too, and the choice is remembered for next time.
    carol = call.join("Carol")
    alice.wait_js(f"([id, chosen]) => ({sink_of})(id) === chosen", [carol.user_id, chosen],
                  message="Carol's sound plays through the chosen speaker")
    assert alice.page.evaluate("() => localStorage.getItem('parley.speaker')") == chosen
