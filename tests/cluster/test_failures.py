"""A process killed outright, and Redis restarted mid-meeting: the meeting goes on."""

from __future__ import annotations

import asyncio
import signal
import time

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


async def test_users_of_a_killed_process_leave_the_room_within_30_seconds(nodes, ann_and_bob):
    room, ann, bob = await ann_and_bob()
    await bob.send("startScreenShare", {"userId": "bob", "roomId": room})
    await ann.recv("screenShareActive")
    killed_at = time.monotonic()
    nodes[1].stop(signal.SIGKILL)  # no goodbye: no close frames, no cleanup
    assert await ann.recv("screenShareStopped", timeout=30) == {"stoppedUserId": "bob"}
    assert await ann.recv("userLeft", timeout=30) == {"userId": "bob"}
    assert time.monotonic() - killed_at < 30
    _, body = await asyncio.to_thread(nodes[0].http, "GET", f"/room/{room}/users")
    assert [u["userId"] for u in body["users"]] == ["ann"] and body["screenSharer"] is None


async def test_signaling_recovers_after_redis_restarts(nodes, ann_and_bob, connect, redis_server):
    room, ann, bob = await ann_and_bob()

    redis_server.stop()
    # While Redis is away the servers answer at once with an error, and keep the socket open.
    await bob.send("offer", {"sdp": OFFER, "targetId": "ann"})
    assert (await bob.recv("error"))["code"] == "unavailable"
    status, health = await asyncio.to_thread(nodes[0].http, "GET", "/healthz")
    assert (status, health["status"]) == (503, "unavailable")  # load balancers can tell

    redis_server.start()
    # The servers reconnect with backoff by themselves: keep offering until one arrives.
    deadline = time.monotonic() + 20
    while True:
        await bob.send("offer", {"sdp": OFFER, "targetId": "ann"})
        try:
            message = await ann.recv_any(timeout=0.5)
        except TimeoutError:
            message = None
        if message is not None:
            assert message == {"type": "offer", "payload": {"sdp": OFFER, "senderId": "bob"}}
            break
        assert time.monotonic() < deadline, "signaling did not come back within 20 s"
        while True:  # drop the `unavailable` errors Bob got while the servers were reconnecting
            try:
                assert (await bob.recv("error", timeout=0.05))["code"] == "unavailable"
            except TimeoutError:
                break
    # Nothing was lost: the room and both users are still there, and a newcomer can join.
    for node in nodes:
        _, body = await asyncio.to_thread(node.http, "GET", f"/room/{room}/users")
        assert [u["userId"] for u in body["users"]] == ["ann", "bob"]
    cat = await connect(nodes[1], "cat")
    await cat.join(room)
    assert (await ann.recv("userJoined"))["userId"] == "cat"


async def test_people_waiting_on_a_killed_process_leave_the_hosts_list(nodes, connect):
    status, body = await asyncio.to_thread(nodes[0].http, "POST", "/createRoom", {"lobby": True})
    assert status == 201
    room, token = body["roomId"], body["hostToken"]
    host = await connect(nodes[0], "hana")
    assert (await host.join(room, hostToken=token))["role"] == "host"
    guest = await connect(nodes[1], "gus")
    await guest.send("join", {"roomId": room, "userId": "gus", "displayName": "Gus"})
    assert await guest.recv("waiting") == {}
    assert await host.recv("knock") == {"userId": "gus", "displayName": "Gus"}
    nodes[1].stop(signal.SIGKILL)  # no close frame: only the reaper can tell
    assert await host.recv("knockCancelled", timeout=30) == {"userId": "gus"}
    await host.send("admit", {"userId": "gus"})
    error = await host.recv("error")
    assert error["code"] == "targetNotFound"
