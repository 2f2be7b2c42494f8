"""What docs/protocol.md newly writes down about the server's answers, checked on a real server:
the 1000 close of POST /leaveRoom, the HTTP codes notFound and methodNotAllowed, and a session
description whose inner `sdp` is left out."""

from __future__ import annotations

from tornado_app.rooms.errors import CloseCode, ErrorCode


async def test_leave_room_closes_a_still_open_socket_with_1000_left_the_meeting(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    response = await fetch_json("POST", "/leaveRoom", {
        "roomId": alice.room_id, "userId": "bob", "resumeToken": bob.resume_token})
    assert response.status == 200
    assert await alice.recv("userLeft") == {"userId": "bob"}
    await bob.wait_closed()
    assert (bob.close_code, bob.close_reason) == (CloseCode.LEFT, "left the meeting")


async def test_an_unknown_path_is_404_not_found(fetch_json):
    response = await fetch_json("GET", "/no/such/thing")
    assert response.status == 404
    assert response.json()["code"] == ErrorCode.NOT_FOUND


async def test_a_method_the_path_does_not_take_is_405_method_not_allowed(fetch_json):
    response = await fetch_json("GET", "/createRoom")
    assert response.status == 405
    body = response.json()
    assert body["code"] == ErrorCode.METHOD_NOT_ALLOWED and body["message"]


async def test_a_description_without_its_sdp_text_is_relayed_without_it(meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send("offer", {"sdp": {"type": "rollback"}, "targetId": "bob"})
    assert await bob.recv("offer") == {"sdp": {"type": "rollback"}, "senderId": "alice"}
    alice.send("answer", {"sdp": {"type": "answer", "sdp": ""}, "targetId": "bob"})
    assert await bob.recv("answer") == {"sdp": {"type": "answer"}, "senderId": "alice"}
