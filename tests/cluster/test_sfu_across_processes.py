"""Issue 16 with two Parley processes on one Redis and two real Janus instances (signaling only):
people connected to different processes in one SFU room publish in the same VideoRoom room, both processes agree on the instance that holds it, and the room is
destroyed once when the meeting ends, also when the process of the last person in it was killed."""

from __future__ import annotations

import asyncio
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support.janus import JanusServer, janus_instances
from support.processes import ParleyServer

from tornado_app.janus import JanusConnection, JanusSession
from tornado_app.janus.videoroom import VideoRoomAdmin

DEADLINE = 30.0  # the presence reaper takes up to 30 s to notice a killed process
OFFER = {"type": "offer", "sdp": (Path(__file__).parents[1] / "janus" / "fixtures" / "chromium_publish_offer.sdp").read_text()}
ADMIN_KEY = secrets.token_urlsafe(16)


@pytest.fixture
def janus_pair(tmp_path):
    with janus_instances(tmp_path, 2, ADMIN_KEY) as servers:
        yield servers


@pytest.fixture
def nodes(redis_server, tmp_path, janus_pair):
    """Two server processes sharing the Redis and both Janus instances (SFU from the third person)."""
    options = ("--redis-url", redis_server.url, "--log-level", "info", "--mesh-max", "2",
               "--janus-url", janus_pair[0].url, "--janus-url", janus_pair[1].url, f"--janus-admin-key={ADMIN_KEY}")
    made = [ParleyServer(tmp_path / f"node{i}", tmp_path / f"node{i}.log", options) for i in range(2)]
    for node in made:
        node.start()
    yield made
    for node in made:
        node.stop()


async def _rooms_on(server: JanusServer) -> set[str]:
    connection = await JanusConnection.connect(server.url)
    try:
        admin = await VideoRoomAdmin.attach(await JanusSession.create(connection))
        return {str(room["room"]) for room in await admin.list_rooms(admin_key=ADMIN_KEY)}
    finally:
        await connection.close()


async def _participants(server: JanusServer, room: str) -> list[dict]:
    connection = await JanusConnection.connect(server.url)
    try:
        admin = await VideoRoomAdmin.attach(await JanusSession.create(connection))
        return await admin.list_participants(room)
    finally:
        await connection.close()


async def _next(client, kind: str) -> dict:
    """The payload of `client`'s next `kind` message; the SFU negotiation's others may come first."""
    deadline = time.monotonic() + DEADLINE
    skipped = []
    while True:
        try:
            message = await client.recv_any(timeout=max(0.1, deadline - time.monotonic()))
        except TimeoutError:
            raise AssertionError(f"no {kind} for {client.user_id}; came instead: {skipped}") from None
        skipped.append({**message, "payload": "..."} if message["type"] == "sfuCandidate" else message["type"])
        if message["type"] == kind:
            return message["payload"]
        assert message["type"] in ("sfuOffer", "sfuAnswer", "sfuCandidate", "userJoined", "topology"), message


async def _until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)  # polling a condition with a deadline


async def test_people_on_two_processes_share_one_janus_room(nodes, connect, create_room, janus_pair):
    room = await create_room()
    ann, bob, cat = await connect(nodes[0], "ann"), await connect(nodes[1], "bob"), await connect(nodes[1], "cat")
    await ann.join(room)
    await bob.join(room)
    assert (await cat.join(room))["topology"] == "sfu"  # on the second process, the third person
    on = [await _rooms_on(server) for server in janus_pair]
    assert sorted(map(len, on)) == [0, 1] and room in on[0] | on[1]  # one instance, the same for both

    await ann.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert (await _next(ann, "sfuAnswer"))["pc"] == "publish"
    await bob.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
    assert (await _next(bob, "sfuAnswer"))["pc"] == "publish"
    # Both publish in the one VideoRoom room, whichever process they reached. (Janus announces a
    # publisher to the others once its media flows, which needs a browser: tests/e2e does that.)
    holder = janus_pair[0] if room in on[0] else janus_pair[1]
    assert {p["id"] for p in await _participants(holder, room)} == {"ann", "bob"}

    # The meeting ends on the second process after the first lost its people: destroyed once.
    await ann.ws.close()
    await bob.ws.close()
    await cat.ws.close()

    async def gone() -> bool:
        return all([room not in await _rooms_on(server) for server in janus_pair])

    await _until(gone, "the Janus room outlived the meeting")
    destroyed = [node.log().count("destroyed the Janus room") for node in nodes]
    assert sum(destroyed) == 1, destroyed


async def test_the_janus_room_of_a_killed_process_is_destroyed_by_the_other(nodes, connect, create_room, janus_pair):
    room = await create_room()
    ann, bob, cat = await connect(nodes[0], "ann"), await connect(nodes[1], "bob"), await connect(nodes[1], "cat")
    for client in (ann, bob, cat):
        await client.join(room)
    assert room in (await _rooms_on(janus_pair[0])) | (await _rooms_on(janus_pair[1]))
    await ann.ws.close()
    nodes[1].stop(signal.SIGKILL)  # Bob and Cat were the last: their process dies without a goodbye

    async def gone() -> bool:
        return all([room not in await _rooms_on(server) for server in janus_pair])

    await _until(gone, "the dead process's Janus room was never destroyed")
    assert "destroyed the Janus room" in nodes[0].log()


def _cut_links(node: ParleyServer, janus: JanusServer) -> int:
    """Close `node`'s TCP connections to `janus` from outside (`ss -K`), as a network fault between
    that one process and the instance would; the other process's connections stay up."""
    listed = subprocess.run(["ss", "-tnpH", "dst", f"127.0.0.1:{janus.port}"], capture_output=True, text=True,
                            check=True).stdout
    ports = [line.split()[3].rsplit(":", 1)[1] for line in listed.splitlines() if f"pid={node.pid}," in line]
    for port in ports:
        subprocess.run(["ss", "-K", "-t", "dst", f"127.0.0.1:{janus.port}", "sport", f"= :{port}"],
                       capture_output=True, check=True)
    return len(ports)


async def test_a_process_that_loses_its_janus_moves_the_room_and_the_other_process_follows(
        nodes, connect, create_room, janus_pair):
    room = await create_room()
    ann, bob, cat = await connect(nodes[0], "ann"), await connect(nodes[1], "bob"), await connect(nodes[1], "cat")
    for client in (ann, bob, cat):
        await client.join(room)
    for client in (ann, bob):
        await client.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
        assert (await _next(client, "sfuAnswer"))["pc"] == "publish"
    holder, spare = janus_pair if room in await _rooms_on(janus_pair[0]) else janus_pair[::-1]
    assert {p["id"] for p in await _participants(holder, room)} == {"ann", "bob"}

    # Only the first process loses its link to the instance; the second still reaches it.
    assert _cut_links(nodes[0], holder) >= 1
    # The first moves the room to the spare, and everyone, on both processes, starts again.
    for client in (ann, bob, cat):
        await _next(client, "sfuRestart")
    for client in (ann, bob):
        await client.send("sfuOffer", {"pc": "publish", "sdp": OFFER})
        assert (await _next(client, "sfuAnswer"))["pc"] == "publish"
    # One meeting in one VideoRoom room: the second process followed the store to the spare
    # (before, Bob stayed on the old instance and never met Ann again), and left nothing behind.
    assert {p["id"] for p in await _participants(spare, room)} == {"ann", "bob"}

    async def left_behind_gone() -> bool:
        return room not in await _rooms_on(holder)

    await _until(left_behind_gone, "the room stayed on the instance everyone left")
    assert "another process moved it" in nodes[1].log()
