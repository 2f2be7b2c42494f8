"""Rooms one cannot join: a link to a room that does not exist, and a full room, say so clearly."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def try_to_join(person: Participant) -> None:
    """Do what a person would: if the page offers Join rather than an error, press it."""
    join = person.button("Join")
    expect(person.alert.or_(join).first).to_be_visible()
    if not person.alert.is_visible():
        join.click()


def test_nonexistent_room_shows_an_alert(make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server, room_id="no-such-room-0123456789")
    person = call.open("Alice")

    try_to_join(person)

    expect(person.alert).to_be_visible()
    expect(person.alert).to_contain_text(re.compile(r"does ?n[o']t exist|not found|no such", re.IGNORECASE))
    expect(person.button("Leave")).to_have_count(0)


def test_full_room_shows_an_alert(start_server: Callable[..., ServerProcess],
                                  make_call: Callable[..., Call]) -> None:
    server = start_server("--max-room-size", "2")
    call = make_call(server)
    alice, bob = call.join_all("Alice", "Bob")
    carol = call.open("Carol")

    try_to_join(carol)

    expect(carol.alert).to_be_visible()
    expect(carol.alert).to_contain_text(re.compile(r"full", re.IGNORECASE))
    expect(carol.button("Leave")).to_have_count(0)
    assert {u["userId"] for u in call.users()["users"]} == {alice.user_id, bob.user_id}
    expect(alice.page.get_by_test_id("tile")).to_have_count(2)
