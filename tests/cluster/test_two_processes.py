"""Two server processes, one Redis: a room spans processes and nobody can tell which they reached."""

from __future__ import annotations

import asyncio

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
CANDIDATE = {"candidate": "candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host", "sdpMid": "0",
             "sdpMLineIndex": 0, "usernameFragment": "uf"}


async def test_users_on_different_processes_see_each_other_join_and_leave(
        nodes, connect, create_room):
    room = await create_room()
    ann = await connect(nodes[0], "ann")
    bob = await connect(nodes[1], "bob")
    await ann.join(room, displayName="Ann")
    joined = await bob.join(room, displayName="Bob")
    assert [u["userId"] for u in joined["users"]] == ["ann"]
    assert (await ann.recv("userJoined"))["displayName"] == "Bob"
    await bob.ws.close()
    assert await ann.recv("userLeft") == {"userId": "bob"}


async def test_offers_answers_and_candidates_cross_processes_both_ways(ann_and_bob):
    room, ann, bob = await ann_and_bob()
    await bob.send("offer", {"sdp": OFFER, "targetId": "ann", "senderId": "mallory"})
    assert await ann.recv("offer") == {"sdp": OFFER, "senderId": "bob"}
    await ann.send("answer", {"sdp": {"type": "answer", "sdp": "v=0\r\n"}, "targetId": "bob"})
    assert (await bob.recv("answer"))["senderId"] == "ann"
    for sender, receiver, target in ((ann, bob, "bob"), (bob, ann, "ann")):
        await sender.send("iceCandidate", {"candidate": CANDIDATE, "targetId": target})
        assert await receiver.recv("iceCandidate") == {"candidate": CANDIDATE,
                                                        "senderId": sender.user_id}


async def test_a_relay_to_someone_not_in_the_room_is_refused_across_processes(ann_and_bob):
    room, ann, bob = await ann_and_bob()
    await bob.send("offer", {"sdp": OFFER, "targetId": "zed"})
    error = await bob.recv("error")
    assert error["code"] == "targetNotFound"
    await bob.send("offer", {"sdp": OFFER, "targetId": "ann"})  # the connection still relays
    assert (await ann.recv("offer"))["senderId"] == "bob"


async def test_both_processes_agree_on_who_is_in_the_room(nodes, connect, create_room):
    room = await create_room(nodes[1])
    ann, bob = await connect(nodes[0], "ann"), await connect(nodes[1], "bob")
    await ann.join(room, audioMuted=True)
    await bob.join(room)
    await bob.send("startScreenShare", {"userId": "bob", "roomId": room})
    await bob.recv("screenShareActive")
    answers = [await asyncio.to_thread(node.http, "GET", f"/room/{room}/users") for node in nodes]
    assert answers[0] == answers[1]
    status, body = answers[0]
    assert status == 200 and body["screenSharer"] == "bob"
    assert [(u["userId"], u["audioMuted"]) for u in body["users"]] == [("ann", True),
                                                                       ("bob", False)]


async def test_a_screen_share_grant_reaches_every_process(ann_and_bob):
    room, ann, bob = await ann_and_bob()
    await ann.send("startScreenShare", {"userId": "ann", "roomId": room, "streamId": "s1"})
    for client in (ann, bob):
        assert await client.recv("screenShareActive") == {"sharingUserId": "ann", "streamId": "s1"}
    await bob.send("startScreenShare", {"userId": "bob", "roomId": room})
    for client in (ann, bob):
        assert (await client.recv("screenShareActive"))["sharingUserId"] == "bob"
    await bob.send("stopScreenShare", {"userId": "bob", "roomId": room})
    for client in (ann, bob):
        assert await client.recv("screenShareStopped") == {"stoppedUserId": "bob"}


async def test_a_hundred_simultaneous_starts_from_both_processes_converge(
        nodes, connect, create_room):
    room = await create_room()
    clients = [await connect(nodes[i % 2], f"user{i}") for i in range(4)]
    for i, client in enumerate(clients):
        await client.join(room)
        for earlier in clients[:i]:
            await earlier.recv("userJoined")
    # 4 users x 25 starts, all sent before any grant is read: the server orders them somehow.
    await asyncio.gather(*(client.send("startScreenShare",
                                       {"userId": client.user_id, "roomId": room})
                           for _ in range(25) for client in clients))
    last = []
    for client in clients:
        grants = [(await client.recv("screenShareActive"))["sharingUserId"] for _ in range(100)]
        last.append(grants[-1])
    assert len(set(last)) == 1, last
    for node in nodes:
        _, body = await asyncio.to_thread(node.http, "GET", f"/room/{room}/users")
        assert body["screenSharer"] == last[0]


async def test_a_resume_on_the_other_process_takes_over_silently(nodes, ann_and_bob, connect):
    room, ann, bob = await ann_and_bob()
    again = await connect(nodes[0], "bob")
    await again.join(room, resumeToken=bob.token)
    await bob.ws.wait_closed()
    assert bob.ws.close_code == 4001
    # Ann saw no leave and no join: the next thing she gets is the resumed Bob's offer.
    await again.send("offer", {"sdp": OFFER, "targetId": "ann"})
    assert (await ann.recv("offer"))["senderId"] == "bob"


async def test_a_rest_leave_on_one_process_closes_the_socket_on_the_other(nodes, ann_and_bob):
    room, ann, bob = await ann_and_bob()  # Ann on the first process, Bob on the second
    status, body = await asyncio.to_thread(nodes[0].http, "POST", "/leaveRoom", {
        "roomId": room, "userId": "bob", "resumeToken": bob.token})
    assert (status, body) == (200, {"left": True})
    assert await ann.recv("userLeft") == {"userId": "bob"}
    await bob.ws.wait_closed()
    assert (bob.ws.close_code, bob.ws.close_reason) == (1000, "left the meeting")
