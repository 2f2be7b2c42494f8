"""What hosts can do to a meeting (issue 14), and that guests cannot: remove, ask to mute, lower a
hand, change roles and room settings, end the meeting; the hand-over when the last host leaves."""

from __future__ import annotations

import pytest

HOST_MESSAGES = [
    ("roomSettings", {"locked": True}),
    ("roomSettings", {"password": "secret"}),
    ("admit", {"userId": "nobody"}),
    ("deny", {"userId": "nobody"}),
    ("removeUser", {"targetId": "host"}),
    ("muteRequest", {"targetId": "host"}),
    ("muteRequest", {}),
    ("lowerHand", {"targetId": "host"}),
    ("setRole", {"targetId": "gus", "role": "host"}),
    ("endMeeting", {}),
]


@pytest.fixture
def hosted(fetch_json, joined_client, ws_connect):
    """`room_id, token, host, guest1, ... = await hosted("gus", ...)`: the host first, then guests
    (admitted by the host when the room has a lobby), everyone quiet (each has read the
    userJoined of those after them)."""

    async def start(*guests: str, **body):
        response = await fetch_json("POST", "/createRoom", body)
        room_id, token = response.json()["roomId"], response.json()["hostToken"]
        host = await joined_client(room_id, "host", displayName="Hana", hostToken=token)
        people = [host]
        for name in guests:
            if body.get("lobby"):
                newcomer = await ws_connect()
                newcomer.send("join", {"roomId": room_id, "userId": name, "displayName": name.title()})
                await newcomer.recv("waiting")
                assert (await host.recv("knock"))["userId"] == name
                host.send("admit", {"userId": name})
                newcomer.joined = await newcomer.recv("joined")
            else:
                newcomer = await joined_client(room_id, name, displayName=name.title())
            for present in people:
                assert (await present.recv("userJoined"))["userId"] == name
            people.append(newcomer)
        return (room_id, token, *people)

    return start


@pytest.mark.parametrize("type_, payload", HOST_MESSAGES, ids=[f"{t}-{i}" for i, (t, _) in enumerate(HOST_MESSAGES)])
async def test_a_guest_gets_not_allowed_for_every_host_message_and_nothing_changes(
        hosted, fetch_json, type_, payload):
    room_id, token, host, gus = await hosted("gus")
    host.send("hand", {"raised": True})
    await host.recv("hand")
    await gus.recv("hand")
    gus.send(type_, payload)
    await gus.recv_error("notAllowed")
    # Nothing changed: same people, roles, hand and settings; the host heard nothing.
    users = await fetch_json("GET", f"/room/{room_id}/users")
    assert {(u["userId"], u["role"], u["handRaisedAt"] is not None) for u in users.json()["users"]} == {
        ("host", "host", True), ("gus", "guest", False)}
    settings = (await fetch_json("POST", "/joinRoom", {"roomId": room_id})).json()
    assert (settings["locked"], settings["passwordRequired"]) == (False, False)
    host.send("chat", {"text": "still here"})
    assert (await host.recv("chat"))["text"] == "still here"
    assert (await gus.recv("chat"))["text"] == "still here"


async def test_a_removed_user_is_told_closed_with_4003_and_cannot_come_back(hosted, ws_connect):
    room_id, token, host, gus, ivy = await hosted("gus", "ivy")
    gus.send("startScreenShare", {"userId": "gus", "roomId": room_id})
    for client in (host, gus, ivy):
        await client.recv("screenShareActive")
    host.send("removeUser", {"targetId": "gus"})
    before = await gus.wait_closed()
    assert before[-1] == {"type": "removed", "payload": {"by": "host"}}
    assert gus.close_code == 4003
    for client in (host, ivy):
        assert await client.recv("screenShareStopped") == {"stoppedUserId": "gus"}
        assert await client.recv("userLeft") == {"userId": "gus"}
    # Neither the resume token nor a fresh join with the same user id gets back in.
    back = await ws_connect()
    back.send("join", {"roomId": room_id, "userId": "gus", "resumeToken": gus.resume_token})
    await back.recv_error("admissionDenied")
    back.send("join", {"roomId": room_id, "userId": "gus"})
    await back.recv_error("admissionDenied")


async def test_removing_someone_absent_or_oneself_is_refused(hosted):
    _room, _token, host, _gus = await hosted("gus")
    host.send("removeUser", {"targetId": "nobody"})
    await host.recv_error("targetNotFound")
    host.send("removeUser", {"targetId": "host"})
    await host.recv_error("notAllowed")


async def test_mute_requests_go_to_the_target_or_to_every_guest(hosted, joined_client):
    room_id, token, host, gus, ivy = await hosted("gus", "ivy")
    cohost = await joined_client(room_id, "co", hostToken=token)
    for client in (host, gus, ivy):
        await client.recv("userJoined")
    host.send("muteRequest", {"targetId": "ivy"})
    assert await ivy.recv("muteRequest") == {"by": "host"}
    host.send("muteRequest", {})
    assert await gus.recv("muteRequest") == {"by": "host"}
    assert await ivy.recv("muteRequest") == {"by": "host"}
    # The other host was not asked; what it gets next is the chat below.
    host.send("chat", {"text": "thanks"})
    assert (await cohost.recv("chat"))["text"] == "thanks"
    # A mute request mutes nobody by itself: the users' state changes only when they say so.
    ivy.send("mediaState", {"audioMuted": True, "videoMuted": False})
    assert (await host.recv("chat"))["text"] == "thanks"
    assert await host.recv("mediaState") == {"userId": "ivy", "audioMuted": True, "videoMuted": False}


async def test_a_host_lowers_someone_elses_hand_for_everyone(hosted):
    _room, _token, host, gus = await hosted("gus")
    gus.send("hand", {"raised": True})
    await host.recv("hand")
    await gus.recv("hand")
    host.send("lowerHand", {"targetId": "gus"})
    expected = {"userId": "gus", "raised": False, "raisedAt": None}
    assert await host.recv("hand") == expected
    assert await gus.recv("hand") == expected
    host.send("lowerHand", {"targetId": "gus"})  # already down: nothing happens
    host.send("lowerHand", {"targetId": "nobody"})
    await host.recv_error("targetNotFound")


async def test_make_host_and_back_and_a_new_host_sees_the_lobby(hosted, ws_connect):
    room_id, _token, host, gus = await hosted("gus", lobby=True)
    waiting = await ws_connect()
    waiting.send("join", {"roomId": room_id, "userId": "wes", "displayName": "Wes"})
    await waiting.recv("waiting")
    await host.recv("knock")
    host.send("setRole", {"targetId": "gus", "role": "host"})
    assert await host.recv("role") == {"userId": "gus", "role": "host"}
    assert await gus.recv("role") == {"userId": "gus", "role": "host"}
    assert await gus.recv("knock") == {"userId": "wes", "displayName": "Wes"}
    gus.send("admit", {"userId": "wes"})  # now gus may
    assert (await waiting.recv("joined"))["userId"] == "wes"
    await host.recv("userJoined")
    await gus.recv("userJoined")
    gus.send("setRole", {"targetId": "host", "role": "guest"})
    assert await host.recv("role") == {"userId": "host", "role": "guest"}
    assert await gus.recv("role") == {"userId": "host", "role": "guest"}
    host.send("endMeeting", {})
    await host.recv_error("notAllowed")
    gus.send("setRole", {"targetId": "gus", "role": "guest"})
    await gus.recv_error("notAllowed")


async def test_when_the_last_host_leaves_the_longest_present_takes_over_once(hosted, joined_client):
    room_id, _token, host, gus, ivy = await hosted("gus", "ivy")
    host.close()
    for client in (gus, ivy):
        assert await client.recv("userLeft") == {"userId": "host"}
        assert await client.recv("role") == {"userId": "gus", "role": "host"}
    # Gus is host now, and only once: Ivy leaving changes no role.
    gus.send("muteRequest", {"targetId": "ivy"})
    assert await ivy.recv("muteRequest") == {"by": "gus"}
    ivy.close()
    assert await gus.recv("userLeft") == {"userId": "ivy"}
    late = await joined_client(room_id, "late")
    assert {u["userId"]: u["role"] for u in late.joined["users"]} == {"gus": "host"}


@pytest.mark.parley_settings(reconnect_grace=30)
async def test_a_host_who_drops_inside_the_grace_stays_host(hosted, raw_ws_connect, joined_client, ws_connect):
    room_id, token, host, gus = await hosted("gus")
    # A second host on a raw socket that vanishes without a close frame (a laptop losing Wi-Fi).
    raw = await raw_ws_connect()
    joined = await raw.join(room_id, "roamer", hostToken=token)
    for client in (host, gus):
        await client.recv("userJoined")
    host.close()
    assert await gus.recv("userLeft") == {"userId": "host"}
    raw.drop()
    back = await ws_connect()
    again = await back.join(room_id, "roamer", resumeToken=joined["resumeToken"])
    assert again["role"] == "host"
    # Nobody was promoted meanwhile: Gus is still a guest.
    assert {u["userId"]: u["role"] for u in again["users"]} == {"gus": "guest"}


async def test_ending_the_meeting_closes_everyone_with_4004_and_the_room_starts_afresh(
        hosted, ws_connect, joined_client, fetch_json):
    room_id, token, host, gus = await hosted("gus", lobby=True)
    waiting = await ws_connect()
    waiting.send("join", {"roomId": room_id, "userId": "wes"})
    await waiting.recv("waiting")
    await host.recv("knock")
    gus.send("chat", {"text": "before the end"})
    await host.recv("chat")
    await gus.recv("chat")
    host.send("endMeeting", {})
    for client in (host, gus, waiting):
        before = await client.wait_closed()
        assert before[-1] == {"type": "meetingEnded", "payload": {"by": "host"}}, before
        assert client.close_code == 4004
    # The room id stays valid with its settings; the chat, lobby and people are gone.
    users = await fetch_json("GET", f"/room/{room_id}/users", headers={"Authorization": f"Bearer {token}"})
    assert users.json()["users"] == []
    again = await joined_client(room_id, "host", hostToken=token)
    assert again.joined["chat"] == [] and again.joined["waiting"] == [] and again.joined["room"]["lobby"] is True
