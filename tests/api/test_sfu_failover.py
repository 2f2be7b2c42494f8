"""SFU rooms on several Janus instances (issue 16), against real Janus processes (signaling only):
rooms placed on the least loaded instance, an instance killed mid-call (its rooms move and everyone
gets `sfuRestart`), no instance left (`error{sfuUnavailable}` to the people in the call and to SFU
joiners, the mesh still takes people; `sfuRestart` once Janus is back), and the VideoRoom rooms a
dead Parley process left behind cleaned up by the next one that reaches the instance."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import signal
import time
from pathlib import Path

import pytest
from support.janus import JanusServer, janus_instances

from tornado_app.janus import JanusConnection, JanusSession
from tornado_app.janus.videoroom import VideoRoomAdmin

DEADLINE = 15.0  # seconds to wait for something expected (never a sleep)
PUBLISH_OFFER = (Path(__file__).parents[1] / "janus" / "fixtures" / "chromium_publish_offer.sdp").read_text()
OFFER = {"type": "offer", "sdp": PUBLISH_OFFER}
ADMIN_KEY = secrets.token_urlsafe(16)


@pytest.fixture
def janus_pair(tmp_path):
    """Two Janus instances with one admin key (killed or restarted by the tests)."""
    with janus_instances(tmp_path, 2, ADMIN_KEY) as servers:
        yield servers


@pytest.fixture
def settings(settings, janus_pair):
    """Both instances configured, or only the first when the test says `parley_settings(one_janus=...)`."""
    return dataclasses.replace(settings, janus_urls=(janus_pair[0].url, janus_pair[1].url), mesh_max=2,
                               janus_admin_key=ADMIN_KEY)


async def _rooms_on(server: JanusServer) -> list[dict]:
    """The VideoRoom rooms an instance holds (through a connection of the test's own)."""
    connection = await JanusConnection.connect(server.url)
    try:
        session = await JanusSession.create(connection)
        admin = await VideoRoomAdmin.attach(session)
        return await admin.list_rooms(admin_key=ADMIN_KEY)
    finally:
        await connection.close()


async def _names_on(server: JanusServer) -> set[str]:
    return {str(room["room"]) for room in await _rooms_on(server)}


async def _until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)  # polling a condition with a deadline


async def test_new_sfu_rooms_go_to_the_least_loaded_instance(meeting, janus_pair):
    first = await meeting("alice", "bob", "carol")
    assert first[-1].joined["topology"] == "sfu"
    first[-1].send("sfuOffer", {"pc": "publish", "sdp": OFFER})  # one publisher in the first room
    assert (await first[-1].recv("sfuAnswer", timeout=DEADLINE))["pc"] == "publish"
    second = await meeting("dan", "eve", "fay")
    assert second[-1].joined["topology"] == "sfu"
    on = [await _names_on(server) for server in janus_pair]
    # Both were empty: the first room went to the first instance, the second to the other one.
    assert on == [{first[0].room_id}, {second[0].room_id}], on
    third = await meeting("gil", "hal", "ian")
    # Equal rooms, but the first instance carries a publisher: the third room goes to the second.
    assert await _names_on(janus_pair[1]) == {second[0].room_id, third[0].room_id}


async def test_a_killed_instance_moves_its_rooms_and_everyone_restarts(meeting, joined_client, janus_pair):
    people = await meeting("alice", "bob", "carol")
    for client in people[:2]:
        assert await client.recv("topology") == {"mode": "sfu"}
    room_id = people[0].room_id
    assert await _names_on(janus_pair[0]) == {room_id}
    carol = people[2]
    carol.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert (await carol.recv("sfuAnswer", timeout=DEADLINE))["pc"] == "publish"

    janus_pair[0].kill()  # as in a crash: the WebSocket drops
    killed = time.monotonic()
    for client in people:
        assert await client.recv("sfuRestart", timeout=DEADLINE) == {}
    print(f"Janus killed -> sfuRestart to everyone: {time.monotonic() - killed:.2f} s")
    assert await _names_on(janus_pair[1]) == {room_id}
    # Publishing again goes through the other instance, and the room takes newcomers as before.
    carol.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    answer = await carol.recv("sfuAnswer", timeout=DEADLINE)
    assert answer["pc"] == "publish" and "m=video" in answer["sdp"]["sdp"]
    dan = await joined_client(room_id, "dan")
    assert dan.joined["topology"] == "sfu"


async def test_with_no_instance_left_people_are_told_and_the_room_comes_back_with_janus(
        meeting, joined_client, ws_connect, janus_pair):
    people = await meeting("alice", "bob", "carol")
    for client in people[:2]:
        assert await client.recv("topology") == {"mode": "sfu"}
    room_id = people[0].room_id
    for server in janus_pair:
        server.kill()
    for client in people:
        notice = await client.recv_error("sfuUnavailable", timeout=DEADLINE)
        assert "media server" in notice["message"] and "come back" in notice["message"]
    # Publishing is refused with the same clear error; chat goes on.
    people[2].send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    await people[2].recv_error("sfuUnavailable", timeout=DEADLINE)
    people[0].send("chat", {"text": "can you hear me?"})
    for client in people:
        assert (await client.recv("chat"))["text"] == "can you hear me?"
    # A newcomer to the SFU room is refused clearly; a mesh room still takes people up to --mesh-max.
    dan = await ws_connect()
    dan.send("join", {"roomId": room_id, "userId": "dan"})
    assert "media server" in (await dan.recv_error("sfuUnavailable", timeout=DEADLINE))["message"]
    mesh = await meeting("eve", "fay")
    assert [c.joined["topology"] for c in mesh] == ["mesh", "mesh"]

    janus_pair[1].start()  # one instance is back: the room goes there, everyone restarts
    for client in people:
        assert await client.recv("sfuRestart", timeout=DEADLINE) == {}
    assert await _names_on(janus_pair[1]) == {room_id}
    people[2].send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert (await people[2].recv("sfuAnswer", timeout=DEADLINE))["pc"] == "publish"
    again = await joined_client(room_id, "gus")
    assert again.joined["topology"] == "sfu"


async def test_rooms_a_dead_process_left_behind_are_destroyed_by_the_next_one(meeting, janus_pair):
    # What a Parley process that died mid-meeting leaves: Parley's rooms nobody records any more.
    connection = await JanusConnection.connect(janus_pair[0].url)
    try:
        admin = await VideoRoomAdmin.attach(await JanusSession.create(connection))
        await admin.create_room("left-behind", publishers=4, admin_key=ADMIN_KEY, description="parley")
        await admin.create_room("someone-elses", publishers=4, admin_key=ADMIN_KEY, description="not ours")
    finally:
        await connection.close()
    people = await meeting("alice", "bob", "carol")
    assert people[-1].joined["topology"] == "sfu"

    async def cleaned() -> bool:
        return "left-behind" not in await _names_on(janus_pair[0])

    await _until(cleaned, "the orphaned Parley room is still on Janus")
    assert await _names_on(janus_pair[0]) == {"someone-elses"}  # a room Parley did not make stays
    # The leftovers counted as load when the meeting's room was placed: it went to the other instance.
    assert await _names_on(janus_pair[1]) == {people[0].room_id}


async def test_someone_coming_back_while_no_instance_is_left_gets_back_in(meeting, ws_connect, janus_pair):
    people = await meeting("alice", "bob", "carol")
    assert await people[0].recv("topology") == {"mode": "sfu"}
    room_id, token = people[0].room_id, people[0].joined["resumeToken"]
    for server in janus_pair:
        server.kill()
    await people[0].recv_error("sfuUnavailable", timeout=DEADLINE)
    # Alice's network changes: her new connection resumes her place (a newcomer would be refused).
    again = await ws_connect()
    joined = await again.join(room_id, "alice", resumeToken=token)
    assert joined["topology"] == "sfu" and {u["userId"] for u in joined["users"]} == {"bob", "carol"}
    again.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert "media server" in (await again.recv_error("sfuUnavailable", timeout=DEADLINE))["message"]


async def test_a_hung_instance_does_not_hold_up_new_rooms(meeting, ws_connect, janus_pair):
    first = await meeting("alice", "bob", "carol")  # both instances reached; the room on the first
    assert await _names_on(janus_pair[0]) == {first[0].room_id}
    janus_pair[0].signal(signal.SIGSTOP)  # it keeps its sockets open but answers nothing
    dan, _ = await meeting("dan", "eve")
    fay = await ws_connect()
    started = time.monotonic()
    fay.send("join", {"roomId": dan.room_id, "userId": "fay"})
    assert (await fay.recv("joined", timeout=DEADLINE))["topology"] == "sfu"
    # The load query's 2 s for the hung one, not a 10 s request timeout (or worse) per SFU join.
    assert time.monotonic() - started < 6.0
    assert await _names_on(janus_pair[1]) == {dan.room_id}
    janus_pair[0].signal(signal.SIGCONT)
