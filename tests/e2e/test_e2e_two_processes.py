"""Two browsers on two server processes that share one Redis: a call and a screen-share switch."""

from __future__ import annotations

import pytest
from e2e_harness import Participant
from playwright.sync_api import expect
from support.redis_server import RedisServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def redis_url(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server.url
    server.stop()


def start_sharing(person: Participant) -> None:
    person.button("Share screen").click()
    expect(person.button("Stop sharing")).to_be_visible()


def test_a_call_and_a_share_switch_across_two_processes(start_server, make_call, redis_url):
    first = start_server("--redis-url", redis_url)
    second = start_server("--redis-url", redis_url)
    call_on_first = make_call(first)
    call_on_second = make_call(second, call_on_first.room_id)
    alice = call_on_first.join("Alice")
    bob = call_on_second.join("Bob")
    alice.wait_media_from([bob])
    bob.wait_media_from([alice])

    start_sharing(alice)
    bob.wait_stage_shows(alice)
    bob.button("Share screen").click()  # Alice presents: Bob is asked first
    bob.page.get_by_role("alertdialog", name="Alice is presenting. Share instead?").get_by_role(
        "button", name="Share instead", exact=True).click()
    expect(bob.button("Stop sharing")).to_be_visible()
    expect(alice.button("Share screen")).to_be_visible()  # Alice's share stopped by itself
    for person in (alice, bob):
        expect(person.stage).to_have_attribute("data-sharer-id", bob.user_id)
    alice.wait_stage_shows(bob)
    assert call_on_first.users()["screenSharer"] == call_on_second.users()["screenSharer"] == bob.user_id
