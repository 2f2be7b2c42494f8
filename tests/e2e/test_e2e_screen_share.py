"""Screen sharing in real Chromium: one share per room, the server's choice, shown on every stage."""

from __future__ import annotations

import time

import pytest
from e2e_harness import Call, Participant, eventually
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def start_sharing(person: Participant) -> None:
    """Press Share screen and wait for the app to show that it shares."""
    person.button("Share screen").click()
    expect(person.button("Stop sharing")).to_be_visible()
    person.page.evaluate("() => { window.__e2eSameDocument = true; }")


def take_over(person: Participant, presenter: Participant) -> None:
    """Press Share screen while `presenter` shares: asked first, answer Share instead; wait until sharing."""
    person.button("Share screen").click()
    question = person.page.get_by_role("alertdialog", name=f"{presenter.name} is presenting. Share instead?")
    question.get_by_role("button", name="Share instead", exact=True).click()
    expect(person.button("Stop sharing")).to_be_visible()
    person.page.evaluate("() => { window.__e2eSameDocument = true; }")


def wait_screen_ended(person: Participant) -> None:
    """Wait until the person's latest screen capture has been stopped (the browser stops capturing).

    If the app loaded another document meanwhile (`__e2eSameDocument` is gone), the old document's
    capture ended with it.
    """
    person.wait_js(
        """() => { const s = window.__e2e.screen();
                   return !window.__e2eSameDocument || (s !== null && s.readyState === 'ended'); }""",
        describe=person.screen, message="the screen capture track is ended")


def test_shared_screen_shows_on_everyone_stage(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    expect(bob.stage).to_have_attribute("data-sharer-id", "")

    start_sharing(alice)

    # The fake screen of headless Chromium is 1280x720.
    assert alice.screen() == {"readyState": "live", "width": 1280, "height": 720, "count": 1}
    for person in (alice, bob, carol):
        expect(person.stage).to_have_attribute("data-sharer-id", alice.user_id)
        person.wait_stage_shows(alice)
    assert call.users()["screenSharer"] == alice.user_id


def test_new_share_stops_the_current_one(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    start_sharing(alice)
    carol.wait_stage_shows(alice)

    take_over(bob, alice)

    expect(alice.button("Share screen")).to_be_visible()
    wait_screen_ended(alice)
    for person in (alice, bob, carol):
        expect(person.stage).to_have_attribute("data-sharer-id", bob.user_id)
        person.wait_stage_shows(bob)
    assert call.users()["screenSharer"] == bob.user_id


def test_simultaneous_shares_leave_the_one_the_server_names(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    sharers = (alice, carol)

    at = time.time() * 1000 + 300  # both press Share screen at this instant (Date.now())
    for person in sharers:
        person.click_at("Share screen", at)

    def settled() -> tuple[bool, object]:
        # A click that came after the other's share reached its page asks first (on a loaded machine
        # the two clicks may be that far apart): the person answers Share instead, the same race.
        for person in sharers:
            answer = person.page.get_by_role("alertdialog").get_by_role("button", name="Share instead", exact=True)
            if answer.count():
                answer.click()
        server = call.users()["screenSharer"]
        screens = {p.name: p.screen() for p in sharers}
        stages = {p.name: p.stage.get_attribute("data-sharer-id") for p in (alice, bob, carol)}
        # Both got a screen capture; exactly one still captures, and it is the server's sharer.
        live = [p for p in sharers if (screens[p.name] or {}).get("readyState") == "live"]
        ended = [p for p in sharers if (screens[p.name] or {}).get("readyState") == "ended"]
        ok = (len(live) == 1 and len(ended) == 1 and live[0].user_id == server
              and all(stage == server for stage in stages.values()))
        return ok, {"server": server, "screens": screens, "stages": stages}

    eventually(settled, message="exactly one of the simultaneous shares survives")
    winner = next(p for p in sharers if p.user_id == call.users()["screenSharer"])
    loser = carol if winner is alice else alice
    expect(winner.button("Stop sharing")).to_be_visible()
    expect(loser.button("Share screen")).to_be_visible()
    for person in (alice, bob, carol):
        person.wait_stage_shows(winner)
        expect(person.stage).to_have_attribute("data-sharer-id", winner.user_id)
    assert call.users()["screenSharer"] == winner.user_id


def test_late_joiner_sees_the_current_share(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    start_sharing(alice)
    bob.wait_stage_shows(alice)

    carol = call.join("Carol")

    expect(carol.stage).to_have_attribute("data-sharer-id", alice.user_id)
    carol.wait_stage_shows(alice)


def test_sharer_leaving_clears_everyone_stage(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    start_sharing(alice)
    for person in (bob, carol):
        person.wait_stage_shows(alice)

    alice.button("Leave").click()

    wait_screen_ended(alice)
    for person in (bob, carol):
        expect(person.stage).to_have_attribute("data-sharer-id", "")
        person.wait_js(
            """() => [...document.querySelectorAll('[data-testid="stage"] video')]
                      .every((v) => !v.srcObject || v.offsetParent === null)""",
            describe=person.stage_state, message="the stage shows no screen any more")
        expect(person.tile(alice.user_id)).to_have_count(0)
    assert call.users()["screenSharer"] is None
