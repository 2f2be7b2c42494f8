"""Resuming with the `resumeToken`: a new connection silently takes over from the old one."""

from __future__ import annotations

import pytest

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


async def test_resume_takes_over_silently_and_closes_the_old_socket_with_4001(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    new_alice = await ws_connect()
    joined = await new_alice.join(alice.room_id, "alice", resumeToken=alice.resume_token)
    assert joined["userId"] == "alice"
    assert [u["userId"] for u in joined["users"]] == ["bob"]
    # The old connection is told it was replaced, and must not reconnect.
    assert await alice.wait_closed() == []
    assert alice.close_code == 4001
    # Bob saw neither a leave nor a join: his next message is the resumed Alice's offer.
    new_alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_messages_for_a_resumed_user_reach_the_new_connection(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    new_alice = await ws_connect()
    await new_alice.join(alice.room_id, "alice", resumeToken=alice.resume_token)
    await alice.wait_closed()
    bob.send("answer", {"sdp": {"type": "answer", "sdp": "v=0\r\n"}, "targetId": "alice"})
    assert (await new_alice.recv("answer"))["senderId"] == "bob"


async def test_resume_gives_a_fresh_token_that_works_for_the_next_resume(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    second = await ws_connect()
    await second.join(alice.room_id, "alice", resumeToken=alice.resume_token)
    assert second.resume_token != alice.resume_token
    third = await ws_connect()
    await third.join(alice.room_id, "alice", resumeToken=second.resume_token)
    await second.wait_closed()
    assert second.close_code == 4001
    third.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_others_see_only_the_mute_change_of_a_resumed_user(create_room, ws_connect,
                                                                               joined_client):
    room_id = await create_room()
    alice = await joined_client(room_id, "alice", displayName="Alice")
    bob = await joined_client(room_id, "bob")
    await alice.recv("userJoined")
    new_alice = await ws_connect()
    # A real client's resume repeats its display name (a missing one would mean "Guest").
    await new_alice.join(room_id, "alice", displayName="Alice", resumeToken=alice.resume_token,
                         audioMuted=True)
    # Bob's first message is the mute change, not a leave or a join.
    assert await bob.recv("mediaState") == {"userId": "alice", "audioMuted": True, "videoMuted": False}
    late = await joined_client(room_id, "dave")
    users = {u["userId"]: u for u in late.joined["users"]}
    assert users["alice"] == {"userId": "alice", "displayName": "Alice", "audioMuted": True,
                              "videoMuted": False, "handRaisedAt": None, "role": "guest", "recording": False}


async def test_resume_does_not_tell_the_room_about_an_unchanged_mute_state(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    new_alice = await ws_connect()
    await new_alice.join(alice.room_id, "alice", resumeToken=alice.resume_token)
    new_alice.send("iceCandidate", {"candidate": {"candidate": ""}, "targetId": "bob"})
    assert (await bob.recv("iceCandidate"))["senderId"] == "alice"


@pytest.mark.parley_settings(max_room_size=2)
async def test_resume_into_a_full_room_is_allowed(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    new_bob = await ws_connect()
    joined = await new_bob.join(alice.room_id, "bob", resumeToken=bob.resume_token)
    assert [u["userId"] for u in joined["users"]] == ["alice"]


async def test_resume_of_the_screen_sharer_keeps_the_share(meeting, ws_connect, fetch_json):
    alice, bob = await meeting("alice", "bob")
    alice.send("startScreenShare", {"userId": "alice", "roomId": alice.room_id, "streamId": "s1"})
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    new_alice = await ws_connect()
    joined = await new_alice.join(alice.room_id, "alice", resumeToken=alice.resume_token)
    assert joined["screenSharer"] == "alice"
    assert joined["screenStreamId"] == "s1"
    # Bob saw no screenShareStopped: his next message is the resumed Alice's offer.
    new_alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_resume_after_a_clean_leave_is_an_ordinary_join(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    token = alice.resume_token
    alice.close()
    assert await bob.recv("userLeft") == {"userId": "alice"}
    again = await ws_connect()
    joined = await again.join(alice.room_id, "alice", resumeToken=token)
    assert [u["userId"] for u in joined["users"]] == ["bob"]
    assert (await bob.recv("userJoined"))["userId"] == "alice"


async def test_resume_after_a_network_drop_within_the_grace_is_unnoticed(meeting, raw_ws_connect,
                                                                         ws_connect):
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    token = (await raw.join(bob.room_id, "alice"))["resumeToken"]
    await bob.recv("userJoined")
    raw.drop()
    back = await ws_connect()
    joined = await back.join(bob.room_id, "alice", resumeToken=token)
    assert [u["userId"] for u in joined["users"]] == ["bob"]
    back.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_a_user_who_dropped_cannot_be_taken_over_without_the_token(meeting, raw_ws_connect,
                                                                          ws_connect):
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    await raw.join(bob.room_id, "alice")
    await bob.recv("userJoined")
    raw.drop()
    impostor = await ws_connect()
    impostor.send("join", {"roomId": bob.room_id, "userId": "alice"})
    await impostor.recv_error("userIdTaken")


async def test_a_resume_keeps_the_name_the_others_know(create_room, joined_client, ws_connect, fetch_json):
    room_id = await create_room()
    alice = await joined_client(room_id, "alice", displayName="Alice")
    again = await ws_connect()
    await again.join(room_id, "alice", resumeToken=alice.resume_token)  # no displayName
    await alice.wait_closed()
    users = (await fetch_json("GET", f"/room/{room_id}/users")).json()["users"]
    assert [(u["userId"], u["displayName"]) for u in users] == [("alice", "Alice")]
    bob = await ws_connect()
    joined = await bob.join(room_id, "bob", displayName="Bob")
    assert [(u["userId"], u["displayName"]) for u in joined["users"]] == [("alice", "Alice")]
