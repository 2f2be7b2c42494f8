"""Finding 14: `POST /joinRoom` handed 12-hour TURN credentials to anyone who knew a room id. They
now come only with a WebSocket `joined` (and `refreshIceServers`), and live 1 hour by default (the
client renews them at half life)."""

from __future__ import annotations

import time

import pytest

from tornado_app.config import Settings, load_settings

TURN = {"turn_uris": ("turn:turn.example.org:3478",), "turn_secret": "north"}


@pytest.mark.parley_settings(**TURN)
async def test_the_pre_flight_gives_no_ice_servers(fetch_json, create_room):
    room_id = await create_room()
    response = await fetch_json("POST", "/joinRoom", {"roomId": room_id})
    assert response.status == 200
    body = response.json()
    assert "iceServers" not in body, body
    assert "credential" not in response.body.decode()
    assert body["wsUrl"].endswith("/ws") and body["users"] == []


@pytest.mark.parley_settings(**TURN)
async def test_a_websocket_join_gets_one_hour_credentials(create_room, joined_client):
    room_id = await create_room()
    before = time.time()
    alice = await joined_client(room_id, "alice")
    (turn,) = alice.joined["iceServers"]
    expiry = int(turn["username"].split(":")[0])
    assert before + 3600 - 5 <= expiry <= time.time() + 3600 + 1, expiry - before
    assert turn["credential"] and turn["urls"] == ["turn:turn.example.org:3478"]


def test_the_default_lifetime_is_one_hour_and_still_configurable():
    assert Settings().turn_ttl == 3600
    assert load_settings([], env={}).turn_ttl == 3600
    assert load_settings(["--turn-ttl", "7200"], env={}).turn_ttl == 7200
