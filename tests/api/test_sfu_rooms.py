"""SFU rooms (issue 16) on real sockets against a real Janus (Debian's janus 1.1.2, started with a
generated configuration): the move from mesh to SFU at person mesh_max+1 (--mesh-max 2 here), the
sfu* messages' validation, a publish offer answered through Janus, the Janus room made at the
switch and destroyed when the meeting ends, and a Janus that cannot be reached."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from pathlib import Path

import pytest
from support.janus import JanusServer

from tornado_app.janus import JanusConnection, JanusSession
from tornado_app.janus.videoroom import VideoRoomAdmin

DEADLINE = 15.0  # seconds to wait for something expected (never a sleep)
PUBLISH_OFFER = (Path(__file__).parents[1] / "janus" / "fixtures" / "chromium_publish_offer.sdp").read_text()
OFFER = {"type": "offer", "sdp": PUBLISH_OFFER}
ANSWER = {"type": "answer", "sdp": "v=0\r\n"}


@pytest.fixture(scope="module")
def janus_server(tmp_path_factory):
    """One Janus for the module (fails, never skips, when janus is missing)."""
    server = JanusServer(tmp_path_factory.mktemp("janus"))
    server.start()
    yield server
    assert server.stop() == 0, f"Janus did not shut down cleanly:\n{server.log_tail()}"


@pytest.fixture
def settings(settings, janus_server):
    """The server with SFU rooms on (mesh_max 2), unless the test names its own Janus URL."""
    if settings.janus_urls:
        return dataclasses.replace(settings, mesh_max=2)
    return dataclasses.replace(settings, janus_urls=(janus_server.url,), mesh_max=2,
                               janus_admin_key=janus_server.admin_key)


@pytest.fixture
def janus_rooms(io_loop, janus_server):
    """`await exists(room_id)`: whether Janus has a VideoRoom room of that id (its own connection)."""
    opened: list[JanusConnection] = []

    async def exists(room_id: str) -> bool:
        if not opened:
            opened.append(await JanusConnection.connect(janus_server.url))
        session = await JanusSession.create(opened[0])
        admin = await VideoRoomAdmin.attach(session)
        try:
            return await admin.room_exists(room_id)
        finally:
            await session.destroy()

    yield exists
    for connection in opened:
        io_loop.run_sync(connection.close)


async def _until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)  # polling a condition with a deadline


async def test_the_third_person_moves_the_room_to_the_sfu_for_everyone(meeting, joined_client, janus_rooms):
    alice, bob = await meeting("alice", "bob")
    assert alice.joined["topology"] == bob.joined["topology"] == "mesh"
    assert not await janus_rooms(alice.room_id)  # a mesh needs no Janus room
    carol = await joined_client(alice.room_id, "carol")
    assert carol.joined["topology"] == "sfu"
    for client in (alice, bob):
        assert (await client.recv("userJoined"))["userId"] == "carol"
        assert await client.recv("topology") == {"mode": "sfu"}
    assert await janus_rooms(alice.room_id)
    # It stays an SFU room: Carol leaving brings it back to two people, but not to a mesh.
    carol.close()
    for client in (alice, bob):
        assert await client.recv("userLeft") == {"userId": "carol"}
    dave = await joined_client(alice.room_id, "dave")
    assert dave.joined["topology"] == "sfu"
    assert (await alice.recv("userJoined"))["userId"] == "dave"  # and no second topology message
    alice.send("chat", {"text": "still here"})
    assert (await alice.recv("chat"))["text"] == "still here"


async def test_the_janus_room_goes_when_the_last_person_leaves(meeting, joined_client, janus_rooms):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    room_id = alice.room_id
    assert await janus_rooms(room_id)
    for client in (alice, bob, carol):
        client.close()
        await client.wait_closed()

    async def gone() -> bool:
        return not await janus_rooms(room_id)

    await _until(gone, "the Janus room outlived the meeting")
    # A new meeting in the same Parley room starts as a mesh again.
    erin = await joined_client(room_id, "erin")
    assert erin.joined["topology"] == "mesh"


async def test_end_meeting_destroys_the_janus_room(fetch_json, joined_client, janus_rooms):
    response = await fetch_json("POST", "/createRoom", {})
    room_id, token = response.json()["roomId"], response.json()["hostToken"]
    host = await joined_client(room_id, "host", hostToken=token)
    guests = [await joined_client(room_id, name) for name in ("gus", "ivy")]
    assert guests[-1].joined["topology"] == "sfu" and await janus_rooms(room_id)
    host.send("endMeeting", {})
    await host.wait_closed()

    async def gone() -> bool:
        return not await janus_rooms(room_id)

    await _until(gone, "endMeeting left the Janus room behind")


async def test_someone_let_in_from_the_lobby_moves_the_room_too(fetch_json, joined_client, ws_connect, janus_rooms):
    response = await fetch_json("POST", "/createRoom", {"lobby": True})
    room_id, token = response.json()["roomId"], response.json()["hostToken"]
    host = await joined_client(room_id, "host", hostToken=token)
    cohost = await joined_client(room_id, "co", hostToken=token)
    await host.recv("userJoined")
    guest = await ws_connect()
    guest.send("join", {"roomId": room_id, "userId": "gus"})
    assert await guest.recv("waiting") == {}
    for client in (host, cohost):
        assert (await client.recv("knock"))["userId"] == "gus"
    host.send("admit", {"userId": "gus"})
    assert (await guest.recv("joined"))["topology"] == "sfu"
    for client in (host, cohost):
        assert await client.recv("topology") == {"mode": "sfu"}
    assert await janus_rooms(room_id)


async def test_sfu_messages_in_a_mesh_room_are_refused_with_a_clear_error(meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert "mesh" in (await alice.recv_error("notSfu"))["message"]
    alice.send("sfuCandidate", {"pc": "subscribe", "candidate": {"candidate": ""}})
    await alice.recv_error("notSfu")
    alice.send("sfuOffer", {"pc": "sideways", "sdp": OFFER})
    assert "pc" in (await alice.recv_error("invalidPayload"))["message"]
    # Nothing was lost: the mesh still relays.
    alice.send("offer", {"sdp": {"type": "offer", "sdp": "v=0\r\n"}, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_sfu_messages_before_joining_are_refused(ws_connect):
    client = await ws_connect()
    client.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    await client.recv_error("notJoined")


def subscribe_answer_of_size(size: int) -> str:
    """An `sfuAnswer{pc: "subscribe"}` frame of exactly `size` bytes."""
    shell = json.dumps({"type": "sfuAnswer", "payload": {"pc": "subscribe", "sdp": {"type": "answer", "sdp": ""}}})
    frame = shell.replace('"sdp": ""', '"sdp": "' + "a" * (size - len(shell)) + '"')
    assert len(frame.encode()) == size
    return frame


async def test_a_subscribe_answer_as_large_as_a_room_of_fifty_makes_is_taken(meeting):
    # About 100 m-lines (two per other person and a screen) of up to 2 KiB each: over the mesh's
    # 64 KiB (which closed an aiortc subscriber of a 30-person room with 1009), within 256 KiB.
    alice, bob, carol = await meeting("alice", "bob", "carol")
    carol.send_raw(subscribe_answer_of_size(256 * 1024))
    assert "sfuOffer" in (await carol.recv_error("notSfu"))["message"]  # read and judged, not too big
    carol.send_raw(subscribe_answer_of_size(256 * 1024 + 1))
    await carol.wait_closed()
    assert carol.close_code == 1009


async def test_a_publish_offer_is_answered_through_janus_and_wrong_pcs_are_refused(meeting):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    for client in (alice, bob):
        assert await client.recv("topology") == {"mode": "sfu"}
    carol.send("sfuAnswer", {"pc": "subscribe", "sdp": ANSWER})  # no subscribe offer yet
    assert "sfuOffer" in (await carol.recv_error("notSfu"))["message"]
    carol.send("sfuOffer", {"pc": "subscribe", "sdp": OFFER})
    assert '"publish"' in (await carol.recv_error("notSfu"))["message"]
    carol.send("sfuAnswer", {"pc": "publish", "sdp": ANSWER})
    assert '"subscribe"' in (await carol.recv_error("notSfu"))["message"]
    carol.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    answer = await carol.recv("sfuAnswer", timeout=DEADLINE)
    assert answer["pc"] == "publish" and answer["sdp"]["type"] == "answer"
    assert "m=video" in answer["sdp"]["sdp"] and "m=audio" in answer["sdp"]["sdp"]
    carol.send("sfuCandidate", {"pc": "publish", "candidate": {"candidate": ""}})  # end of candidates
    carol.send("chat", {"text": "after the candidate"})  # the candidate raised nothing
    assert (await carol.recv("chat"))["text"] == "after the candidate"


@pytest.mark.parley_settings(janus_urls=("ws://127.0.0.1:1",))
async def test_with_janus_unreachable_the_third_person_is_refused_and_the_mesh_goes_on(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    carol = await ws_connect()
    carol.send("join", {"roomId": alice.room_id, "userId": "carol"})
    refusal = await carol.recv_error("sfuUnavailable")
    assert "media server" in refusal["message"]
    alice.send("offer", {"sdp": {"type": "offer", "sdp": "v=0\r\n"}, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"
    assert alice.joined["topology"] == "mesh"


async def test_a_layer_choice_is_refused_in_a_mesh_before_receiving_anything_and_when_malformed(meeting, joined_client):
    alice, bob = await meeting("alice", "bob")
    alice.send("sfuLayer", {"userId": "bob", "layer": "low"})
    assert "mesh" in (await alice.recv_error("notSfu"))["message"]
    alice.send("sfuLayer", {"userId": "bob", "layer": "medium"})
    assert "layer" in (await alice.recv_error("invalidPayload"))["message"]
    carol = await joined_client(alice.room_id, "carol")
    for client in (alice, bob):
        assert (await client.recv("userJoined"))["userId"] == "carol"
        assert await client.recv("topology") == {"mode": "sfu"}
    # An SFU room now, but Carol receives nothing yet: there is no layer to choose.
    carol.send("sfuLayer", {"userId": "alice", "layer": "high"})
    assert "sfuOffer" in (await carol.recv_error("notSfu"))["message"]
    carol.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert (await carol.recv("sfuAnswer", timeout=DEADLINE))["pc"] == "publish"
    carol.send("sfuLayer", {"userId": "alice", "layer": "paused"})  # nobody else publishes yet
    await carol.recv_error("notSfu")
    carol.send("chat", {"text": "still here"})  # nothing was lost
    assert (await carol.recv("chat"))["text"] == "still here"
