"""`refreshIceServers`: a long call renews its TURN credentials without leaving."""

from __future__ import annotations

import pytest

from tornado_app.turn import turn_credential

TURN = ("turn:127.0.0.1:3478",)


@pytest.mark.parley_settings(turn_uris=TURN, turn_secret="north", turn_ttl=600)
async def test_refresh_answers_fresh_credentials_for_the_sender(create_room, joined_client):
    room_id = await create_room()
    alice = await joined_client(room_id, "alice", displayName="Alice")
    (joined_turn,) = alice.joined["iceServers"]
    alice.send("refreshIceServers", {})
    (fresh,) = (await alice.recv("iceServers"))["iceServers"]
    assert fresh["urls"] == list(TURN)
    expiry, user = fresh["username"].split(":")
    assert user == "alice"
    assert int(expiry) >= int(joined_turn["username"].split(":")[0])
    assert fresh["credential"] == turn_credential("north", fresh["username"])


async def test_refresh_without_turn_is_an_empty_list(meeting):
    (alice,) = await meeting("alice")
    alice.send("refreshIceServers", {})
    assert (await alice.recv("iceServers")) == {"iceServers": []}


async def test_refresh_before_join_is_refused(ws_connect):
    client = await ws_connect()
    client.send("refreshIceServers", {})
    assert (await client.recv("error"))["code"] == "notJoined"
