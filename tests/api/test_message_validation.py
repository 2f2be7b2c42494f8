"""Malformed messages on `/ws` get the protocol's error codes and never break the connection.

Each test proves the connection still works after the error with a message that succeeds.
"""

from __future__ import annotations

import json

import pytest

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
CANDIDATE = {"candidate": "candidate:1 1 udp 1 10.0.0.1 9 typ host", "sdpMid": "0", "sdpMLineIndex": 0}

NOT_AN_ENVELOPE = [
    pytest.param("{not json", id="not-json"),
    pytest.param("", id="empty"),
    pytest.param("[]", id="array"),
    pytest.param('"join"', id="string"),
    pytest.param("42", id="number"),
    pytest.param("null", id="null"),
    pytest.param('{"payload": {}}', id="no-type"),
    pytest.param('{"type": 7, "payload": {}}', id="type-not-a-string"),
    pytest.param('{"type": "join"}', id="no-payload"),
    pytest.param('{"type": "join", "payload": []}', id="payload-not-an-object"),
    pytest.param('{"type": "join", "payload": "x"}', id="payload-a-string"),
    pytest.param('{"type": "join", "payload": null}', id="payload-null"),
]


@pytest.mark.parametrize("raw", NOT_AN_ENVELOPE)
async def test_a_frame_that_is_not_a_message_is_a_bad_message_before_join(create_room, ws_connect, raw):
    client = await ws_connect()
    client.send_raw(raw)
    await client.recv_error("badMessage")
    await client.join(await create_room(), "alice")


@pytest.mark.parametrize("raw", NOT_AN_ENVELOPE)
async def test_a_frame_that_is_not_a_message_is_a_bad_message_after_join(meeting, raw):
    alice, bob = await meeting("alice", "bob")
    alice.send_raw(raw)
    await alice.recv_error("badMessage")
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


@pytest.mark.parametrize("type", ["hello", "Join", "userJoined", "joined", "screenShareActive", ""])
async def test_an_unknown_type_is_refused_with_unknown_type(meeting, type):
    alice, bob = await meeting("alice", "bob")
    alice.send(type, {})
    await alice.recv_error("unknownType")
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_extra_fields_are_ignored(create_room, ws_connect):
    room_id = await create_room()
    client = await ws_connect()
    client.send_raw(json.dumps({
        "type": "join", "id": 1,
        "payload": {"roomId": room_id, "userId": "alice", "colour": "blue", "future": {"x": [1]}},
    }))
    assert (await client.recv("joined"))["userId"] == "alice"


# --- join payloads -----------------------------------------------------------------------------

ROOM = "<room>"  # replaced by the real room id


@pytest.mark.parametrize("payload, field", [
    pytest.param({"userId": "bob"}, "roomId", id="roomId-missing"),
    pytest.param({"roomId": ROOM}, "userId", id="userId-missing"),
    pytest.param({"roomId": 12, "userId": "bob"}, "roomId", id="roomId-a-number"),
    pytest.param({"roomId": ROOM, "userId": None}, "userId", id="userId-null"),
    pytest.param({"roomId": ROOM, "userId": ""}, "userId", id="userId-empty"),
    pytest.param({"roomId": ROOM, "userId": "b" * 65}, "userId", id="userId-65-chars"),
    pytest.param({"roomId": ROOM, "userId": "bob smith"}, "userId", id="userId-with-space"),
    pytest.param({"roomId": ROOM, "userId": "bob/1"}, "userId", id="userId-with-slash"),
    pytest.param({"roomId": ROOM, "userId": "böb"}, "userId", id="userId-non-ascii"),
    pytest.param({"roomId": "r" * 65, "userId": "bob"}, "roomId", id="roomId-65-chars"),
    pytest.param({"roomId": "room.1", "userId": "bob"}, "roomId", id="roomId-with-dot"),
    pytest.param({"roomId": ROOM, "userId": "bob", "displayName": "n" * 129}, "displayName",
                 id="displayName-129-chars"),
    pytest.param({"roomId": ROOM, "userId": "bob", "displayName": 5}, "displayName",
                 id="displayName-a-number"),
    pytest.param({"roomId": ROOM, "userId": "bob", "audioMuted": "yes"}, "audioMuted",
                 id="audioMuted-a-string"),
    pytest.param({"roomId": ROOM, "userId": "bob", "videoMuted": 1}, "videoMuted",
                 id="videoMuted-a-number"),
    pytest.param({"roomId": ROOM, "userId": "bob", "resumeToken": 5}, "resumeToken",
                 id="resumeToken-a-number"),
])
async def test_an_invalid_join_is_refused_naming_the_field(meeting, ws_connect, payload, field):
    (alice,) = await meeting("alice")
    payload = {k: alice.room_id if v == ROOM else v for k, v in payload.items()}
    bob = await ws_connect()
    bob.send("join", payload)
    error = await bob.recv_error("invalidPayload")
    assert field in error["message"]
    # Alice saw nothing; Bob may now join properly.
    joined = await bob.join(alice.room_id, "bob")
    assert [u["userId"] for u in joined["users"]] == ["alice"]
    assert (await alice.recv("userJoined"))["userId"] == "bob"


@pytest.mark.parametrize("user_id", ["a", "b" * 64, "A-z_0-9", "0f8fad5b-d9cb-469f-a165-70867728950e"])
async def test_user_ids_within_the_rules_are_accepted(create_room, ws_connect, user_id):
    client = await ws_connect()
    assert (await client.join(await create_room(), user_id))["userId"] == user_id


async def test_a_64_character_unknown_room_id_is_valid_but_not_found(ws_connect):
    client = await ws_connect()
    client.send("join", {"roomId": "r" * 64, "userId": "bob"})
    await client.recv_error("roomNotFound")


# --- payloads of joined users ------------------------------------------------------------------


@pytest.mark.parametrize("type, payload, field", [
    pytest.param("offer", {"targetId": "bob"}, "sdp", id="offer-no-sdp"),
    pytest.param("offer", {"sdp": OFFER}, "targetId", id="offer-no-target"),
    pytest.param("offer", {"sdp": "v=0", "targetId": "bob"}, "sdp", id="offer-sdp-a-string"),
    pytest.param("offer", {"sdp": {"type": "bogus", "sdp": "v=0"}, "targetId": "bob"}, "type",
                 id="offer-sdp-bad-type"),
    pytest.param("offer", {"sdp": {"type": "offer", "sdp": 1}, "targetId": "bob"}, "sdp",
                 id="offer-sdp-not-text"),
    pytest.param("offer", {"sdp": OFFER, "targetId": 3}, "targetId", id="offer-target-a-number"),
    pytest.param("offer", {"sdp": OFFER, "targetId": "b" * 65}, "targetId", id="offer-target-too-long"),
    pytest.param("answer", {"sdp": None, "targetId": "bob"}, "sdp", id="answer-sdp-null"),
    pytest.param("answer", {"sdp": OFFER, "targetId": ["bob"]}, "targetId", id="answer-target-a-list"),
    pytest.param("iceCandidate", {"targetId": "bob"}, "candidate", id="ice-no-candidate"),
    pytest.param("iceCandidate", {"candidate": {"sdpMid": "0"}, "targetId": "bob"}, "candidate",
                 id="ice-candidate-missing-inside"),
    pytest.param("iceCandidate", {"candidate": "candidate:1", "targetId": "bob"}, "candidate",
                 id="ice-candidate-a-string"),
    pytest.param("iceCandidate", {"candidate": {**CANDIDATE, "sdpMLineIndex": "0"}, "targetId": "bob"},
                 "sdpMLineIndex", id="ice-mline-a-string"),
    pytest.param("iceCandidate", {"candidate": {**CANDIDATE, "sdpMid": 0}, "targetId": "bob"},
                 "sdpMid", id="ice-mid-a-number"),
    pytest.param("startScreenShare", {"roomId": "<room>"}, "userId", id="start-no-userId"),
    pytest.param("startScreenShare", {"userId": "alice"}, "roomId", id="start-no-roomId"),
    pytest.param("startScreenShare", {"userId": "alice", "roomId": "<room>", "streamId": "s" * 129},
                 "streamId", id="start-streamId-129-chars"),
    pytest.param("startScreenShare", {"userId": "alice", "roomId": "<room>", "streamId": "a b"},
                 "streamId", id="start-streamId-with-space"),
    pytest.param("startScreenShare", {"userId": "alice", "roomId": "<room>", "streamId": 9},
                 "streamId", id="start-streamId-a-number"),
    pytest.param("stopScreenShare", {"userId": "alice"}, "roomId", id="stop-no-roomId"),
    pytest.param("mediaState", {"audioMuted": True}, "videoMuted", id="media-no-video"),
    pytest.param("mediaState", {"videoMuted": True}, "audioMuted", id="media-no-audio"),
    pytest.param("mediaState", {"audioMuted": "true", "videoMuted": False}, "audioMuted",
                 id="media-audio-a-string"),
    pytest.param("mediaState", {"audioMuted": False, "videoMuted": None}, "videoMuted",
                 id="media-video-null"),
])
async def test_an_invalid_payload_is_refused_naming_the_field(meeting, type, payload, field):
    alice, bob = await meeting("alice", "bob")
    payload = {k: alice.room_id if v == "<room>" else v for k, v in payload.items()}
    alice.send(type, payload)
    error = await alice.recv_error("invalidPayload")
    assert field in error["message"]
    # Nothing reached Bob; the next thing he gets is a good offer, and Alice still works.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_a_stream_id_in_braces_is_accepted(meeting):
    alice, bob = await meeting("alice", "bob")
    stream_id = "{0f8fad5b-d9cb-469f-a165-70867728950e}"
    alice.send("startScreenShare", {"userId": "alice", "roomId": alice.room_id, "streamId": stream_id})
    assert (await bob.recv("screenShareActive"))["streamId"] == stream_id


async def test_an_ice_candidate_with_only_the_candidate_line_is_relayed(meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send("iceCandidate", {"candidate": {"candidate": CANDIDATE["candidate"]}, "targetId": "bob"})
    relayed = await bob.recv("iceCandidate")
    assert relayed["candidate"]["candidate"] == CANDIDATE["candidate"]
    # Absent optional members may come back as null, which RTCIceCandidateInit accepts.
    for key in ("sdpMid", "sdpMLineIndex", "usernameFragment"):
        assert relayed["candidate"].get(key) is None


@pytest.mark.parametrize("sdp_type", ["offer", "answer", "pranswer", "rollback"])
async def test_every_session_description_type_is_relayed(meeting, sdp_type):
    alice, bob = await meeting("alice", "bob")
    sdp = {"type": sdp_type, "sdp": "v=0\r\n"} if sdp_type != "rollback" else {"type": "rollback"}
    alice.send("offer", {"sdp": sdp, "targetId": "bob"})
    relayed = await bob.recv("offer")
    assert relayed["sdp"]["type"] == sdp_type
    assert relayed["sdp"].get("sdp", "") == sdp.get("sdp", "")
