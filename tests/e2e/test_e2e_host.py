"""Host controls and admission in real Chromium (issue 14), on a real server.

The person who presses New meeting is its host (their browser keeps the room's host token); with the
lobby on, a newcomer waits until the host admits them and then joins the call with media; one the
host denies is told so; one the host removes sees "You were removed"; a room with a password asks
for it, says when it was wrong, and lets the right one in; and when the host ends the meeting,
everyone lands on a clear end page with a way back to the start page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess, new_tab
from playwright.sync_api import Browser, Locator, expect

pytestmark = pytest.mark.e2e

WAITING = "Waiting for the host to let you in"


def host_creates(browser: Browser, make_call: Callable[..., Call], server: ServerProcess,
                 name: str = "Alice") -> tuple[Call, Participant]:
    """`name` presses New meeting on the start page and joins the room it made: the creator."""
    page = new_tab(browser)
    page.goto(f"{server.base_url}/")
    page.get_by_role("button", name="New meeting", exact=True).click()
    page.wait_for_url(re.compile(r"/r/[A-Za-z0-9_-]+$"))
    room_id = page.url.rsplit("/r/", 1)[1]
    call = make_call(server, room_id)
    host = Participant(name, page.context, page, page.url)
    call.people.append(host)
    page.get_by_label("Your name", exact=True).fill(name)
    host.join()
    return call, host


def host_menu(person: Participant) -> Locator:
    """The Host menu's panel, opened."""
    panel = person.page.get_by_role("region", name="Host controls")
    if not panel.is_visible():
        person.button("Host").click()
    expect(panel).to_be_visible()
    return panel


def participant_row(person: Participant, other: Participant) -> Locator:
    """`other`'s row in `person`'s participant list (opened)."""
    rows = person.page.locator(f'.participants__row[data-user-id="{other.user_id}"]')
    if not rows.is_visible():
        person.page.get_by_role("button", name=re.compile("^Participants")).click()
    expect(rows).to_be_visible()
    return rows


def knock_and_wait(call: Call, name: str) -> Participant:
    """`name` opens the link, presses Join and is held in the lobby."""
    person = call.open(name)
    expect(person.page.get_by_text("The host will let you in.")).to_be_visible()
    person.button("Join").click()
    expect(person.page.get_by_role("status").filter(has_text=WAITING)).to_be_visible()
    return person


def test_lobby_admit_deny_and_remove(browser: Browser, make_call: Callable[..., Call],
                                     shared_server: ServerProcess) -> None:
    call, alice = host_creates(browser, make_call, shared_server)
    # The creator is host: the Host menu is theirs, and the list says so.
    expect(alice.button("Host")).to_be_visible()
    host_menu(alice).get_by_role("checkbox", name="Lobby").click()  # the box follows the server: checked once it says the lobby is on
    expect(host_menu(alice).get_by_role("checkbox", name="Lobby")).to_be_checked()

    # Bob knocks: he waits, sees nobody, and Alice is told.
    bob = knock_and_wait(call, "Bob")
    expect(bob.button("Leave")).to_be_visible()
    expect(bob.page.get_by_test_id("tile")).to_have_count(0)
    knock = alice.page.get_by_role("alert").filter(has_text="Bob wants to join.")
    expect(knock).to_be_visible()
    knock.get_by_role("button", name="Admit", exact=True).click()

    # Let in, Bob is in the call and the two see and hear each other.
    bob.wait_in_call()
    alice.wait_media_from([bob])
    bob.wait_media_from([alice])
    # Bob, a guest, sees who the host is and has no Host menu.
    expect(participant_row(bob, alice).get_by_text("host", exact=True)).to_be_visible()
    expect(bob.button("Host")).to_have_count(0)

    # Carol knocks and is denied: she is told why, with a way back.
    carol = knock_and_wait(call, "Carol")
    alice.page.get_by_role("alert").filter(has_text="Carol wants to join.").get_by_role(
        "button", name="Deny", exact=True).click()
    expect(carol.alert).to_contain_text("The host did not let you in.")
    expect(carol.page.get_by_role("link", name="Back to the start page")).to_be_visible()
    expect(alice.page.get_by_test_id("tile")).to_have_count(2)

    # Alice removes Bob: he sees it, and stays out (no reconnect brings him back).
    participant_row(alice, bob).get_by_role("button", name="Remove", exact=True).click()
    expect(bob.alert).to_contain_text("You were removed")
    expect(bob.alert).to_contain_text("Alice removed you from the meeting.")
    expect(bob.page.get_by_role("link", name="Back to the start page")).to_be_visible()
    expect(alice.tile(bob.user_id)).to_have_count(0)
    expect(bob.button("Leave")).to_have_count(0)


def test_password_room_asks_for_the_password(browser: Browser, make_call: Callable[..., Call],
                                             shared_server: ServerProcess) -> None:
    call, alice = host_creates(browser, make_call, shared_server)
    menu = host_menu(alice)
    menu.get_by_label("New password").fill("correct horse")
    menu.get_by_role("button", name="Set password").click()
    expect(menu.get_by_text("This meeting has a password.")).to_be_visible()

    dave = call.open("Dave")
    field = dave.page.get_by_label("Meeting password", exact=True)
    expect(field).to_be_visible()
    field.fill("wrong guess")
    dave.button("Join").click()
    expect(dave.page.get_by_role("alert")).to_contain_text("That password is wrong.")
    dave.page.get_by_label("Meeting password", exact=True).fill("correct horse")
    dave.join()
    alice.wait_media_from([dave])
    expect(alice.tile(dave.user_id)).to_be_visible()


def test_end_meeting_sends_everyone_to_the_end_page(browser: Browser, make_call: Callable[..., Call],
                                                    shared_server: ServerProcess) -> None:
    call, alice = host_creates(browser, make_call, shared_server)
    bob = call.join("Bob")
    expect(alice.tile(bob.user_id)).to_be_visible()

    menu = host_menu(alice)
    menu.get_by_role("button", name="End meeting", exact=True).click()
    menu.get_by_role("group", name="End the meeting for everyone?").get_by_role(
        "button", name="End meeting", exact=True).click()

    for person in (alice, bob):
        expect(person.alert).to_contain_text("The meeting has ended")
        expect(person.button("Leave")).to_have_count(0)
        expect(person.page.get_by_role("link", name="Back to the start page")).to_be_visible()
    expect(bob.alert).to_contain_text("Alice ended the meeting for everyone.")
    # Back to the start page: the start page, not a reconnect.
    bob.page.get_by_role("link", name="Back to the start page").click()
    expect(bob.page.get_by_role("button", name="New meeting")).to_be_visible()


def test_ask_to_mute_mutes_the_guest_who_alone_can_unmute(browser: Browser, make_call: Callable[..., Call],
                                                           shared_server: ServerProcess) -> None:
    call, alice = host_creates(browser, make_call, shared_server)
    bob = call.join("Bob")
    expect(alice.tile(bob.user_id)).to_be_visible()
    participant_row(alice, bob).get_by_role("button", name="Ask to mute", exact=True).click()

    # Bob's microphone is muted and he is told by whom; Alice sees him muted.
    expect(bob.page.get_by_text("Alice muted your microphone.")).to_be_visible()
    expect(bob.button("Unmute")).to_be_visible()
    expect(alice.tile(bob.user_id).get_by_test_id("muted-indicator")).to_be_visible()
    bob.page.wait_for_function(
        "() => [...window.__parley.peers.values()].every((pc) => pc.getSenders().every("
        "(s) => !s.track || s.track.kind !== 'audio' || !s.track.enabled))")
    # Only Bob can unmute himself.
    bob.button("Unmute").click()
    expect(alice.tile(bob.user_id).get_by_test_id("muted-indicator")).to_have_count(0)
