"""Who gets into a meeting (issue 14), decided by the server: hosts, the lock, the password, the lobby.

Real server, real WebSockets, the memory store (the same rules on Redis: tests/unit/test_hosting_store.py
and tests/cluster/).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

PASSWORD = "open sesame"


@pytest.fixture
def protected_room(fetch_json):
    """`room_id, host_token = await protected_room(lobby=..., password=...)`."""

    async def create(**body: Any) -> tuple[str, str]:
        response = await fetch_json("POST", "/createRoom", body)
        assert response.status == 201, response
        return response.json()["roomId"], response.json()["hostToken"]

    return create


@pytest.fixture
def host_of(protected_room, joined_client):
    """`room_id, token, host = await host_of(lobby=...)`: a new room with its creator in it as host."""

    async def start(**body: Any):
        room_id, token = await protected_room(**body)
        host = await joined_client(room_id, "host", displayName="Hana", hostToken=token)
        return room_id, token, host

    return start


async def settings_of(fetch_json, room_id: str) -> dict[str, Any]:
    response = await fetch_json("POST", "/joinRoom", {"roomId": room_id})
    assert response.status == 200, response
    body = response.json()
    return {k: body[k] for k in ("passwordRequired", "lobby", "locked")}


async def knock(ws_connect, host, room_id: str, user_id: str, **fields: Any):
    """`user_id` joins the lobby on a new connection: it gets `waiting`, `host` the knock."""
    client = await ws_connect()
    client.send("join", {"roomId": room_id, "userId": user_id, **fields})
    assert await client.recv("waiting") == {}
    assert (await host.recv("knock"))["userId"] == user_id
    return client


# --- hosts -----------------------------------------------------------------------------------


async def test_the_creator_with_the_host_token_is_host_and_everyone_sees_the_roles(host_of, joined_client):
    room_id, _token, host = await host_of()
    assert host.joined["role"] == "host"
    assert host.joined["room"] == {"lobby": False, "locked": False, "passwordRequired": False}
    assert host.joined["waiting"] == []
    guest = await joined_client(room_id, "gus", displayName="Gus")
    assert guest.joined["role"] == "guest"
    assert [(u["userId"], u["role"]) for u in guest.joined["users"]] == [("host", "host")]
    assert (await host.recv("userJoined"))["role"] == "guest"


async def test_a_wrong_host_token_makes_a_guest(protected_room, joined_client):
    room_id, token = await protected_room()
    client = await joined_client(room_id, "eve", hostToken=token[:-2] + "xx")
    assert client.joined["role"] == "guest"


async def test_a_resume_keeps_the_host_role(host_of, ws_connect):
    room_id, _token, host = await host_of()
    again = await ws_connect()
    joined = await again.join(room_id, "host", resumeToken=host.resume_token)  # no host token this time
    assert joined["role"] == "host"
    await host.wait_closed()
    assert host.close_code == 4001


async def test_rest_users_show_roles_and_need_the_host_token_when_protected(host_of, joined_client, fetch_json):
    room_id, token, _host = await host_of(lobby=True)
    refused = await fetch_json("GET", f"/room/{room_id}/users")
    assert refused.status == 403 and refused.json()["code"] == "notAllowed"
    allowed = await fetch_json("GET", f"/room/{room_id}/users", headers={"Authorization": f"Bearer {token}"})
    assert allowed.status == 200
    assert [(u["userId"], u["role"]) for u in allowed.json()["users"]] == [("host", "host")]


# --- the lock --------------------------------------------------------------------------------


async def test_a_locked_room_refuses_guests_but_not_hosts_nor_a_resume(host_of, joined_client, ws_connect, fetch_json):
    room_id, token, host = await host_of()
    guest = await joined_client(room_id, "gus")
    await host.recv("userJoined")
    host.send("roomSettings", {"locked": True})
    expected = {"lobby": False, "locked": True, "passwordRequired": False}
    assert await host.recv("roomSettings") == expected
    assert await guest.recv("roomSettings") == expected
    assert await settings_of(fetch_json, room_id) == expected

    late = await ws_connect()
    late.send("join", {"roomId": room_id, "userId": "late"})
    await late.recv_error("roomLocked")
    # The refusal leaves the connection open: once unlocked, the same connection gets in.
    back = await ws_connect()
    assert (await back.join(room_id, "gus", resumeToken=guest.resume_token))["role"] == "guest"
    cohost = await ws_connect()
    assert (await cohost.join(room_id, "cohost", hostToken=token))["role"] == "host"
    assert (await host.recv("userJoined"))["userId"] == "cohost"
    host.send("roomSettings", {"locked": False})
    assert (await host.recv("roomSettings"))["locked"] is False
    assert (await late.join(room_id, "late"))["role"] == "guest"


# --- the password ----------------------------------------------------------------------------


async def test_a_password_room_asks_for_it_refuses_a_wrong_one_and_lets_the_right_one_in(
        host_of, ws_connect, fetch_json):
    room_id, _token, host = await host_of(password=PASSWORD)
    assert host.joined["room"]["passwordRequired"] is True  # the host needed none
    assert (await settings_of(fetch_json, room_id))["passwordRequired"] is True
    guest = await ws_connect()
    guest.send("join", {"roomId": room_id, "userId": "gus"})
    await guest.recv_error("passwordRequired")
    guest.send("join", {"roomId": room_id, "userId": "gus", "password": "open sesame!"})
    await guest.recv_error("wrongPassword")
    joined = await guest.join(room_id, "gus", password=PASSWORD)
    assert joined["role"] == "guest" and [u["userId"] for u in joined["users"]] == ["host"]
    assert (await host.recv("userJoined"))["userId"] == "gus"


async def test_more_than_five_wrong_passwords_a_minute_are_refused_unchecked(host_of, ws_connect):
    room_id, _token, _host = await host_of(password=PASSWORD)
    guesser = await ws_connect()
    for attempt in range(5):
        guesser.send("join", {"roomId": room_id, "userId": "eve", "password": f"guess {attempt}"})
        await guesser.recv_error("wrongPassword")
    guesser.send("join", {"roomId": room_id, "userId": "eve", "password": "guess 6"})
    await guesser.recv_error("rateLimited")
    # Not even the right one is checked now, from this address or for this room.
    guesser.send("join", {"roomId": room_id, "userId": "eve", "password": PASSWORD})
    await guesser.recv_error("rateLimited")


async def test_the_host_changes_and_removes_the_password(host_of, ws_connect):
    room_id, _token, host = await host_of()
    host.send("roomSettings", {"password": "x" * 129})
    await host.recv_error("invalidPayload")
    host.send("roomSettings", {"password": "new secret"})
    assert (await host.recv("roomSettings"))["passwordRequired"] is True
    guest = await ws_connect()
    guest.send("join", {"roomId": room_id, "userId": "gus", "password": PASSWORD})
    await guest.recv_error("wrongPassword")
    assert (await guest.join(room_id, "gus", password="new secret"))["role"] == "guest"
    await host.recv("userJoined")
    host.send("roomSettings", {"password": None})
    assert (await host.recv("roomSettings"))["passwordRequired"] is False
    assert (await (await ws_connect()).join(room_id, "pat"))["role"] == "guest"


# --- the lobby -------------------------------------------------------------------------------


async def test_the_lobby_holds_a_guest_until_a_host_admits_them(host_of, ws_connect, joined_client):
    room_id, _token, host = await host_of(lobby=True)
    member = await joined_client(room_id, "mia", hostToken=_token)  # a second host, to see the news
    await host.recv("userJoined")
    guest = await ws_connect()
    guest.send("join", {"roomId": room_id, "userId": "gus", "displayName": "Gus", "audioMuted": True})
    assert await guest.recv("waiting") == {}
    assert await host.recv("knock") == {"userId": "gus", "displayName": "Gus"}
    assert await member.recv("knock") == {"userId": "gus", "displayName": "Gus"}
    # While waiting it is not in the room: nothing but join is answered, and join is refused.
    guest.send("chat", {"text": "let me in"})
    await guest.recv_error("notJoined")
    guest.send("join", {"roomId": room_id, "userId": "gus"})
    await guest.recv_error("alreadyJoined")
    host.send("offer", {"targetId": "gus", "sdp": {"type": "offer", "sdp": "v=0"}})
    await host.recv_error("targetNotFound")

    host.send("admit", {"userId": "gus"})
    joined = await guest.recv("joined")
    assert joined["role"] == "guest" and joined["waiting"] == []
    assert {u["userId"]: u["role"] for u in joined["users"]} == {"host": "host", "mia": "host"}
    news = await host.recv("userJoined")
    assert news["userId"] == "gus" and news["audioMuted"] is True and news["role"] == "guest"
    assert (await member.recv("userJoined"))["userId"] == "gus"
    # Now in the call: offers reach the admitted user, and it may send its own.
    host.send("offer", {"targetId": "gus", "sdp": {"type": "offer", "sdp": "v=0"}})
    assert (await guest.recv("offer"))["senderId"] == "host"
    guest.send("answer", {"targetId": "host", "sdp": {"type": "answer", "sdp": "v=0"}})
    assert (await host.recv("answer"))["senderId"] == "gus"
    # Admitting twice: the second answer finds nobody waiting.
    member.send("admit", {"userId": "gus"})
    await member.recv_error("targetNotFound")


async def test_a_denied_guest_is_told_why_and_closed_with_4003(host_of, ws_connect, joined_client):
    room_id, token, host = await host_of(lobby=True)
    cohost = await joined_client(room_id, "co", hostToken=token)
    await host.recv("userJoined")
    guest = await knock(ws_connect, host, room_id, "cal", displayName="Cal")
    await cohost.recv("knock")
    host.send("deny", {"userId": "cal"})
    before = await guest.wait_closed()
    assert [m["type"] for m in before] == ["error"] and before[0]["payload"]["code"] == "admissionDenied"
    assert guest.close_code == 4003
    assert await cohost.recv("knockCancelled") == {"userId": "cal"}
    cohost.send("admit", {"userId": "cal"})  # too late: the other host answered
    await cohost.recv_error("targetNotFound")


async def test_two_hosts_answering_at_once_give_one_outcome(host_of, ws_connect, joined_client):
    room_id, token, host = await host_of(lobby=True)
    cohost = await joined_client(room_id, "co", hostToken=token)
    await host.recv("userJoined")
    guest = await knock(ws_connect, host, room_id, "gus")
    await cohost.recv("knock")
    host.send("admit", {"userId": "gus"})
    cohost.send("deny", {"userId": "gus"})
    # Whichever the server took first decides, and everyone sees that one outcome; the other
    # answer finds nobody waiting.
    outcome = await guest.recv_any()
    if outcome["type"] == "joined":
        assert (await host.recv("userJoined"))["userId"] == "gus"
        assert (await cohost.recv("userJoined"))["userId"] == "gus"
        await cohost.recv_error("targetNotFound")
    else:
        assert outcome["type"] == "error" and outcome["payload"]["code"] == "admissionDenied"
        await guest.wait_closed()
        assert guest.close_code == 4003
        assert await host.recv("knockCancelled") == {"userId": "gus"}
        await host.recv_error("targetNotFound")
    print(f"two hosts at once: {outcome['type']} won")


async def test_a_waiting_guest_who_leaves_disappears_from_the_hosts_list(host_of, ws_connect):
    room_id, _token, host = await host_of(lobby=True)
    guest = await knock(ws_connect, host, room_id, "gus")
    guest.close()
    assert await host.recv("knockCancelled") == {"userId": "gus"}
    host.send("admit", {"userId": "gus"})
    await host.recv_error("targetNotFound")


@pytest.mark.parley_settings(join_timeout=1)
async def test_with_no_host_people_wait_and_the_first_host_sees_them(protected_room, ws_connect):
    room_id, token = await protected_room(lobby=True)
    idle = await ws_connect()  # opened with the others, never joins: closed after the join time
    waiting = []
    for name in ("ann", "bob"):
        client = await ws_connect()
        client.send("join", {"roomId": room_id, "userId": name, "displayName": name.title()})
        await client.recv("waiting")
        waiting.append(client)
    await idle.wait_closed()
    assert idle.close_code == 1008
    # Waiting people have no join time: still there for the first host, long after it.
    host = await ws_connect()
    joined = await host.join(room_id, "host", hostToken=token)
    assert joined["users"] == []
    assert joined["waiting"] == [{"userId": "ann", "displayName": "Ann"}, {"userId": "bob", "displayName": "Bob"}]
    host.send("admit", {"userId": "bob"})
    assert (await waiting[1].recv("joined"))["userId"] == "bob"


async def test_a_guest_never_sees_the_lobby(host_of, ws_connect, joined_client):
    room_id, token, host = await host_of(lobby=True)
    knocking = await knock(ws_connect, host, room_id, "gus")
    host.send("admit", {"userId": "gus"})
    joined = await knocking.recv("joined")
    assert joined["waiting"] == []
    other = await ws_connect()
    other.send("join", {"roomId": room_id, "userId": "oli"})
    await other.recv("waiting")
    assert (await host.recv("userJoined"))["userId"] == "gus"
    assert (await host.recv("knock"))["userId"] == "oli"
    # Gus (a guest) got no knock: the next thing he sees is what the test sends.
    host.send("chat", {"text": "hi"})
    assert (await knocking.recv("chat"))["text"] == "hi"


async def test_turning_the_lobby_off_lets_the_waiting_people_in(host_of, ws_connect):
    room_id, _token, host = await host_of(lobby=True)
    guest = await knock(ws_connect, host, room_id, "gus")
    host.send("roomSettings", {"lobby": False})
    assert (await host.recv("roomSettings"))["lobby"] is False
    assert (await guest.recv("joined"))["room"]["lobby"] is False
    assert (await host.recv("userJoined"))["userId"] == "gus"


async def test_a_reloaded_waiting_page_replaces_its_earlier_wait(host_of, ws_connect):
    room_id, _token, host = await host_of(lobby=True)
    first = await knock(ws_connect, host, room_id, "gus")
    second = await ws_connect()
    second.send("join", {"roomId": room_id, "userId": "gus"})
    await second.recv("waiting")
    await first.wait_closed()
    assert first.close_code == 4001
    await host.recv("knock")  # the same person again (clients keep one entry per user id)
    host.send("admit", {"userId": "gus"})
    assert (await second.recv("joined"))["userId"] == "gus"


async def test_lobby_and_password_together_ask_the_password_first(host_of, ws_connect):
    room_id, _token, host = await host_of(lobby=True, password=PASSWORD)
    guest = await ws_connect()
    guest.send("join", {"roomId": room_id, "userId": "gus", "password": "nope"})
    await guest.recv_error("wrongPassword")
    guest.send("join", {"roomId": room_id, "userId": "gus", "password": PASSWORD})
    await guest.recv("waiting")
    assert (await host.recv("knock"))["userId"] == "gus"
