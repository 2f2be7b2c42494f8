"""Joining a room and relaying signaling over `/ws`, as docs/protocol.md describes it.

"Nothing was delivered" is proved by ordering on one socket: after the step that must deliver
nothing, the same client is sent something it will surely receive, and that must come first.
"""

from __future__ import annotations

import pytest

OFFER = {"type": "offer", "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"}
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "abcd",
}


async def test_joined_describes_the_room_to_the_newcomer(meeting, create_room, ws_connect):
    room_id = await create_room()
    (alice,) = await meeting("alice", room_id=room_id)
    bob = await ws_connect()
    joined = await bob.join(room_id, "bob", displayName="Bob")
    assert joined["roomId"] == room_id
    assert joined["userId"] == "bob"
    # `users` is everyone else, with their mute state.
    assert joined["users"] == [
        {"userId": "alice", "displayName": "Guest", "audioMuted": False,
         "videoMuted": False, "handRaisedAt": None, "role": "guest", "recording": False}
    ]
    assert joined["screenSharer"] is None
    assert joined["screenStreamId"] is None
    assert joined["iceServers"] == []  # no hard-coded public STUN server
    assert isinstance(joined["resumeToken"], str) and joined["resumeToken"]


async def test_the_first_user_in_a_room_sees_nobody_else(create_room, ws_connect):
    client = await ws_connect()
    joined = await client.join(await create_room(), "alice")
    assert joined["users"] == []


async def test_everyone_else_is_told_who_joined_with_their_mute_state(meeting, joined_client):
    alice, bob = await meeting("alice", "bob")
    await joined_client(alice.room_id, "carol", displayName="Carol", audioMuted=True, videoMuted=True)
    expected = {"userId": "carol", "displayName": "Carol", "audioMuted": True,
                "videoMuted": True, "handRaisedAt": None, "role": "guest", "recording": False}
    assert await alice.recv("userJoined") == expected
    assert await bob.recv("userJoined") == expected


async def test_users_get_different_resume_tokens(meeting):
    alice, bob = await meeting("alice", "bob")
    assert alice.resume_token != bob.resume_token


@pytest.mark.parametrize("fields, shown", [
    pytest.param({}, "Guest", id="missing"),
    pytest.param({"displayName": "   "}, "Guest", id="blank"),
    pytest.param({"displayName": ""}, "Guest", id="empty"),
    pytest.param({"displayName": "  Bob  "}, "Bob", id="trimmed"),
    pytest.param({"displayName": "Zoë 🎥"}, "Zoë 🎥", id="unicode"),
    pytest.param({"displayName": "n" * 128}, "n" * 128, id="128-characters"),
    pytest.param({"displayName": " " + "n" * 128 + " "}, "n" * 128, id="128-after-trimming"),
])
async def test_display_name_is_trimmed_and_defaults_to_guest(meeting, joined_client, fields, shown):
    (alice,) = await meeting("alice")
    await joined_client(alice.room_id, "bob", **fields)
    assert (await alice.recv("userJoined"))["displayName"] == shown


STUN = {"urls": "stun:stun.example.org:3478"}
TURN = {"urls": ["turn:turn.example.org:3478?transport=udp"], "username": "u", "credential": "c"}


@pytest.mark.parametrize("ice_servers", [
    pytest.param([STUN], marks=pytest.mark.parley_settings(ice_servers=(STUN,)), id="stun"),
    pytest.param([STUN, TURN], marks=pytest.mark.parley_settings(ice_servers=(STUN, TURN)), id="turn"),
])
async def test_joined_carries_the_configured_ice_servers(create_room, ws_connect, ice_servers):
    client = await ws_connect()
    joined = await client.join(await create_room(), "alice")
    assert joined["iceServers"] == ice_servers


# --- relay -------------------------------------------------------------------------------------


@pytest.mark.parametrize("type, field, value", [
    ("offer", "sdp", OFFER),
    ("answer", "sdp", ANSWER),
    ("iceCandidate", "candidate", CANDIDATE),
])
async def test_signaling_is_relayed_to_the_target_only_with_the_senders_id(meeting, type, field, value):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.send(type, {field: value, "targetId": "bob"})
    relayed = await bob.recv(type)
    assert relayed[field] == value
    assert relayed["senderId"] == "alice"
    # Carol got nothing: the next thing she receives is Bob's offer sent after the relay.
    bob.send("offer", {"sdp": OFFER, "targetId": "carol"})
    assert (await carol.recv("offer"))["senderId"] == "bob"
    # Nothing came back to Alice either.
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


@pytest.mark.parametrize("type, field, value", [
    ("offer", "sdp", OFFER),
    ("answer", "sdp", ANSWER),
    ("iceCandidate", "candidate", CANDIDATE),
])
async def test_a_forged_sender_id_is_ignored(meeting, type, field, value):
    alice, bob, _carol = await meeting("alice", "bob", "carol")
    alice.send(type, {field: value, "targetId": "bob", "senderId": "carol"})
    assert (await bob.recv(type))["senderId"] == "alice"


async def test_the_end_of_candidates_marker_is_relayed(meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send("iceCandidate", {"candidate": {"candidate": ""}, "targetId": "bob"})
    relayed = await bob.recv("iceCandidate")
    assert relayed["candidate"]["candidate"] == ""
    assert relayed["senderId"] == "alice"


async def test_messages_between_two_users_arrive_in_the_order_sent(meeting):
    alice, bob = await meeting("alice", "bob")
    for i in range(20):
        alice.send("iceCandidate", {"candidate": {**CANDIDATE, "candidate": f"c{i}"}, "targetId": "bob"})
    received = [(await bob.recv("iceCandidate"))["candidate"]["candidate"] for _ in range(20)]
    assert received == [f"c{i}" for i in range(20)]


@pytest.mark.parametrize("target", ["nobody", "alice"], ids=["unknown-user", "self"])
async def test_an_unknown_target_is_refused(meeting, target):
    alice, bob = await meeting("alice", "bob")
    alice.send("offer", {"sdp": OFFER, "targetId": target})
    await alice.recv_error("targetNotFound")
    # Nothing reached Bob, and Alice's connection still relays.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_a_target_in_another_room_is_refused_and_gets_nothing(meeting):
    alice, bob = await meeting("alice", "bob")
    mallory, = await meeting("mallory")
    for type, field, value in (("offer", "sdp", OFFER), ("iceCandidate", "candidate", CANDIDATE)):
        mallory.send(type, {field: value, "targetId": "alice"})
        await mallory.recv_error("targetNotFound")
    # Alice's first message is Bob's, sent after the refused ones were handled.
    bob.send("answer", {"sdp": ANSWER, "targetId": "alice"})
    assert (await alice.recv("answer"))["senderId"] == "bob"


# --- joining rules -----------------------------------------------------------------------------


@pytest.mark.parametrize("type, payload", [
    ("offer", {"sdp": OFFER, "targetId": "bob"}),
    ("answer", {"sdp": ANSWER, "targetId": "bob"}),
    ("iceCandidate", {"candidate": CANDIDATE, "targetId": "bob"}),
    ("startScreenShare", {"userId": "bob", "roomId": "someRoom"}),
    ("stopScreenShare", {"userId": "bob", "roomId": "someRoom"}),
    ("mediaState", {"audioMuted": True, "videoMuted": False}),
])
async def test_messages_before_join_are_refused_with_not_joined(create_room, ws_connect, type, payload):
    client = await ws_connect()
    client.send(type, payload)
    await client.recv_error("notJoined")
    joined = await client.join(await create_room(), "bob")
    assert joined["userId"] == "bob"


async def test_a_second_join_is_refused_and_the_connection_stays_in_its_room(meeting, create_room):
    alice, bob = await meeting("alice", "bob")
    other_room = await create_room()
    alice.send("join", {"roomId": other_room, "userId": "alice2"})
    await alice.recv_error("alreadyJoined")
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_joining_an_unknown_room_is_refused_and_the_client_may_try_again(create_room, ws_connect):
    client = await ws_connect()
    client.send("join", {"roomId": "noSuchRoom", "userId": "alice"})
    await client.recv_error("roomNotFound")
    joined = await client.join(await create_room(), "alice")
    assert joined["users"] == []


@pytest.mark.parley_settings(max_room_size=2)
async def test_a_full_room_refuses_one_more_until_someone_leaves(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    carol = await ws_connect()
    carol.send("join", {"roomId": alice.room_id, "userId": "carol"})
    await carol.recv_error("roomFull")
    bob.close()
    assert await alice.recv("userLeft") == {"userId": "bob"}
    joined = await carol.join(alice.room_id, "carol")
    assert [u["userId"] for u in joined["users"]] == ["alice"]
    assert (await alice.recv("userJoined"))["userId"] == "carol"


async def test_eight_people_fit_in_a_room_by_default(meeting, ws_connect):
    clients = await meeting(*(f"user{i}" for i in range(8)))
    ninth = await ws_connect()
    ninth.send("join", {"roomId": clients[0].room_id, "userId": "user8"})
    await ninth.recv_error("roomFull")


async def test_a_taken_user_id_is_refused_and_the_room_sees_nothing(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    impostor = await ws_connect()
    impostor.send("join", {"roomId": alice.room_id, "userId": "alice"})
    await impostor.recv_error("userIdTaken")
    # Bob saw no join or leave, and messages to "alice" still reach the real Alice.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"
    bob.send("answer", {"sdp": ANSWER, "targetId": "alice"})
    assert (await alice.recv("answer"))["senderId"] == "bob"
    # The refused connection may still join under another name.
    joined = await impostor.join(alice.room_id, "alice-2")
    assert {u["userId"] for u in joined["users"]} == {"alice", "bob"}


async def test_a_wrong_resume_token_does_not_take_over(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    impostor = await ws_connect()
    impostor.send("join", {"roomId": alice.room_id, "userId": "alice", "resumeToken": bob.resume_token})
    await impostor.recv_error("userIdTaken")
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


async def test_the_same_user_id_may_be_used_in_another_room(meeting):
    (alice,) = await meeting("alice")
    (other_alice,) = await meeting("alice")
    assert other_alice.joined["users"] == []
    assert alice.room_id != other_alice.room_id


# --- mute state --------------------------------------------------------------------------------


async def test_media_state_is_relayed_to_everyone_else(meeting):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.send("mediaState", {"audioMuted": True, "videoMuted": False})
    expected = {"userId": "alice", "audioMuted": True, "videoMuted": False}
    assert await bob.recv("mediaState") == expected
    assert await carol.recv("mediaState") == expected
    # Not echoed to Alice: her next message is Bob's offer.
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


async def test_media_state_is_shown_to_late_joiners_and_in_the_users_list(meeting, joined_client,
                                                                         fetch_json):
    alice, bob = await meeting("alice", "bob")
    alice.send("mediaState", {"audioMuted": False, "videoMuted": True})
    await bob.recv("mediaState")
    carol = await joined_client(alice.room_id, "carol")
    users = {u["userId"]: u for u in carol.joined["users"]}
    assert users["alice"]["videoMuted"] is True and users["alice"]["audioMuted"] is False
    assert users["bob"]["videoMuted"] is False
    listed = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()["users"]
    assert {u["userId"]: u["videoMuted"] for u in listed} == {"alice": True, "bob": False, "carol": False}
