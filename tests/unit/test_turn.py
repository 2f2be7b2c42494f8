"""TURN REST API credentials: the username and password coturn's use-auth-secret accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac

from tornado_app.rooms import protocol as p
from tornado_app.rooms.service import RoomService
from tornado_app.turn import ice_servers_factory, turn_credential

SECRET = "north"


def test_credential_is_base64_hmac_sha1_of_the_username():
    username = "1700000000:alice"
    expected = base64.b64encode(hmac.new(b"north", username.encode(), hashlib.sha1).digest())
    assert turn_credential(SECRET, username) == expected.decode()


def test_each_user_gets_an_expiring_username_of_their_own():
    ice = ice_servers_factory(stun_uris=["stun:turn.example.org:3478"],
                              turn_uris=["turn:turn.example.org:3478?transport=udp"],
                              turn_secret=SECRET, ttl=600, clock=lambda: 1_700_000_000.9)
    stun, turn = ice("alice")
    assert stun == {"urls": ["stun:turn.example.org:3478"]}
    assert turn["urls"] == ["turn:turn.example.org:3478?transport=udp"]
    assert turn["username"] == "1700000600:alice"
    assert turn["credential"] == turn_credential(SECRET, "1700000600:alice")
    assert ice("bob")[1]["username"] == "1700000600:bob"


def test_default_ttl_is_twelve_hours():
    ice = ice_servers_factory(turn_uris=["turn:t.example:3478"], turn_secret=SECRET,
                              clock=lambda: 1000.0)
    assert ice("u")[0]["username"] == f"{1000 + 12 * 3600}:u"


def test_without_turn_or_stun_the_list_is_empty():
    assert ice_servers_factory()("alice") == []


async def test_joined_carries_the_joiners_own_credentials(store):
    service = RoomService(store, max_room_size=4, ice_servers_for=ice_servers_factory(
        turn_uris=["turn:t.example:3478"], turn_secret=SECRET, clock=lambda: 0.0, ttl=60))
    room = await service.create_room()
    outcome = await service.join("c1", p.Join(roomId=room, userId="carol"))
    assert outcome.reply.iceServers[0]["username"] == "60:carol"
