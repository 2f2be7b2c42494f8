"""Everyone sees who records the meeting (issue 15): `recording{active}` from the recorder,
`recording{userId, active}` to everyone, and `recording` on every user the server describes."""

from __future__ import annotations


async def test_everyone_sees_who_records_and_a_newcomer_too(meeting, joined_client, fetch_json):
    ann, bob = await meeting("ann", "bob")
    bob.send("recording", {"active": True})
    for client in (ann, bob):
        assert await client.recv("recording") == {"userId": "bob", "active": True}
    bob.send("recording", {"active": True})  # already recording: nothing is sent
    cat = await joined_client(ann.room_id, "cat")
    assert {u["userId"]: u["recording"] for u in cat.joined["users"]} == {"ann": False, "bob": True}
    assert (await ann.recv("userJoined"))["recording"] is False
    assert (await bob.recv("userJoined"))["userId"] == "cat"
    users = await fetch_json("GET", f"/room/{ann.room_id}/users")
    assert {u["userId"]: u["recording"] for u in users.json()["users"]}["bob"] is True
    bob.send("recording", {"active": False})
    for client in (ann, bob, cat):
        assert await client.recv("recording") == {"userId": "bob", "active": False}


async def test_a_recording_message_needs_a_boolean_and_a_joined_connection(ws_connect, meeting):
    (ann,) = await meeting("ann")
    ann.send("recording", {"active": "yes"})
    await ann.recv_error("invalidPayload")
    stranger = await ws_connect()
    stranger.send("recording", {"active": True})
    await stranger.recv_error("notJoined")
