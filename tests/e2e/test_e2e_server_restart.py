"""A call outlives a restart of the signaling server: media flows on, signaling comes back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

RECONNECTING = "Reconnecting to the meeting service"


def saved_peer_frames(person: Participant) -> dict[str, dict]:
    """Per saved peer connection: frames decoded, state, and whether the app still uses it."""
    return person.page.evaluate("() => window.__e2e.savedPeerFrames()")


def wait_frames_grow(person: Participant, since: dict[str, dict], frames: int = 10) -> dict[str, dict]:
    """Wait until every saved peer connection decoded `frames` more video frames; returns the new counts."""
    person.wait_js(
        """async ([since, more]) => { const now = await window.__e2e.savedPeerFrames();
            return Object.keys(since).every((id) => now[id] && now[id].current
                                                   && now[id].frames >= since[id].frames + more); }""",
        [since, frames], lambda: saved_peer_frames(person),
        f"{frames} more frames decoded on the same peer connections as before the restart")
    return saved_peer_frames(person)


def test_call_survives_server_restart(start_server: Callable[..., ServerProcess],
                                      make_call: Callable[..., Call]) -> None:
    server = start_server()
    call = make_call(server)
    people = call.join_all("Alice", "Bob", "Carol")
    alice, bob, carol = people
    for person in people:
        person.wait_media_from(o for o in people if o is not person)
    before = {}
    for person in people:
        expect(person.page.get_by_role("status").filter(has_text=RECONNECTING)).to_have_count(0)
        person.page.evaluate("() => window.__e2e.savePeers()")
        before[person.name] = saved_peer_frames(person)

    assert server.stop() == 0  # SIGTERM: a graceful shutdown, every WebSocket closed with 1001

    for person in people:
        expect(person.page.get_by_role("status").filter(has_text=RECONNECTING)).to_be_visible()
    # With no server at all, the peer connections keep decoding video.
    during = {person.name: wait_frames_grow(person, before[person.name]) for person in people}

    server.start()  # same port, same data dir

    for person in people:
        expect(person.page.get_by_role("status").filter(has_text=RECONNECTING)).to_have_count(0)
        wait_frames_grow(person, during[person.name])
    assert {u["userId"] for u in call.users()["users"]} == {p.user_id for p in people}

    alice.button("Mute").click()

    for other in (bob, carol):
        expect(other.tile(alice.user_id).get_by_test_id("muted-indicator")).to_be_visible()
