"""Hosts and admission (issue 14) when a room spans two server processes on one Redis.

Each test puts the host on one process and the people it acts on on the other (and sometimes on
both), so every decision has to cross Redis: a knock, an admission, a removal, a promotion, the end.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from support.processes import ParleyServer

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
CLOSE_TIMEOUT = 5.0


@pytest.fixture
def hosted_room(nodes):
    """`room, host_token = await hosted_room(lobby=..., node=...)`: POST /createRoom with a body."""

    async def make(node: ParleyServer | None = None, **body: object) -> tuple[str, str]:
        status, answer = await asyncio.to_thread((node or nodes[0]).http, "POST", "/createRoom", body)
        assert status == 201, answer
        return answer["roomId"], answer["hostToken"]

    return make


def users_as_host(node: ParleyServer, room: str, token: str) -> list[tuple[str, str]]:
    """(userId, role) of everyone in the room, as GET /room/<id>/users shows them to a host."""
    request = urllib.request.Request(f"{node.base_url}/room/{room}/users",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return [(u["userId"], u["role"]) for u in json.loads(response.read())["users"]]


async def knock(client, room: str, name: str) -> None:
    """Send a guest's join to a room with a lobby; it must be told to wait."""
    await client.send("join", {"roomId": room, "userId": client.user_id, "displayName": name})
    assert await client.recv("waiting") == {}


async def closed_with(client, code: int) -> None:
    """The server closes the client's socket with `code`."""
    await asyncio.wait_for(client.ws.wait_closed(), CLOSE_TIMEOUT)
    assert client.ws.close_code == code, (client.ws.close_code, client.ws.close_reason)


async def in_sync(clients, senders) -> list[list[dict]]:
    """What each of `clients` got before a public chat that each of `senders` sends now.

    Everything a room says to the users of one process goes through that process's one Redis
    channel, in Redis's order; a connection's own messages are handled in order; and a room's
    decisions are made one at a time, each published whole before the next. So each sender's
    chat comes after whatever its earlier messages caused, and after the whole of any decision
    the test has already seen part of; an error answered to the sender alone comes before its
    chat's echo. Chat marks the end of what the test's actions caused, so "nothing else" can be
    asserted without waiting for silence.
    """
    for sender in senders:
        await sender.send("chat", {"text": f"in sync {sender.user_id}"})
    marks = {f"in sync {sender.user_id}" for sender in senders}

    async def read(client) -> list[dict]:
        seen, left = [], set(marks)
        while left:
            message = await client.recv_any()
            if message["type"] == "chat" and message["payload"]["text"] in left:
                left.discard(message["payload"]["text"])
            else:
                seen.append(message)
        return seen

    return list(await asyncio.gather(*(read(client) for client in clients)))


async def test_a_host_on_one_process_admits_a_guest_waiting_on_the_other(nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    host = await connect(nodes[0], "host")
    joined = await host.join(room, hostToken=token, displayName="Hana")
    assert joined["role"] == "host" and joined["room"]["lobby"] is True and joined["waiting"] == []
    guest = await connect(nodes[1], "gus")
    await knock(guest, room, "Gus")
    assert await host.recv("knock") == {"userId": "gus", "displayName": "Gus"}

    await host.send("admit", {"userId": "gus"})
    admitted = await guest.recv("joined")
    assert admitted["role"] == "guest" and admitted["waiting"] == []
    assert [(u["userId"], u["displayName"], u["role"]) for u in admitted["users"]] == [
        ("host", "Hana", "host")]
    news = await host.recv("userJoined")
    assert (news["userId"], news["displayName"], news["role"]) == ("gus", "Gus", "guest")
    # The admitted connection really is Gus's on its own process: offers reach it and leave it.
    await host.send("offer", {"sdp": OFFER, "targetId": "gus"})
    assert await guest.recv("offer") == {"sdp": OFFER, "senderId": "host"}
    await guest.send("offer", {"sdp": OFFER, "targetId": "host"})
    assert await host.recv("offer") == {"sdp": OFFER, "senderId": "gus"}
    for node in nodes:
        assert await asyncio.to_thread(users_as_host, node, room, token) == [("host", "host"),
                                                                              ("gus", "guest")]


async def test_a_guest_denied_across_processes_is_told_and_closed_with_4003(nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    guest = await connect(nodes[1], "gus")
    await knock(guest, room, "Gus")
    await host.recv("knock")

    await host.send("deny", {"userId": "gus"})
    assert (await guest.recv("error"))["code"] == "admissionDenied"
    await closed_with(guest, 4003)
    assert await host.recv("knockCancelled") == {"userId": "gus"}
    assert await asyncio.to_thread(users_as_host, nodes[1], room, token) == [("host", "host")]


async def test_remove_user_across_processes_closes_the_right_socket_and_bans_the_user(
        nodes, connect, hosted_room):
    room, token = await hosted_room()
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    bob, cat = await connect(nodes[1], "bob"), await connect(nodes[1], "cat")
    await bob.join(room)
    await host.recv("userJoined")
    await cat.join(room)
    await host.recv("userJoined")
    await bob.recv("userJoined")

    await host.send("removeUser", {"targetId": "bob"})
    assert await bob.recv("removed") == {"by": "host"}
    await closed_with(bob, 4003)
    for client in (host, cat):
        assert await client.recv("userLeft") == {"userId": "bob"}
    # Cat, on the same process as Bob, is still connected and still in the meeting.
    await cat.send("offer", {"sdp": OFFER, "targetId": "host"})
    assert await host.recv("offer") == {"sdp": OFFER, "senderId": "cat"}
    assert cat.ws.close_code is None
    # Bob cannot come back with his resume token, on either process.
    for node in nodes:
        again = await connect(node, "bob")
        await again.send("join", {"roomId": room, "userId": "bob", "resumeToken": bob.token})
        assert (await again.recv("error"))["code"] == "admissionDenied"
    assert await asyncio.to_thread(users_as_host, nodes[0], room, token) == [("host", "host"),
                                                                              ("cat", "guest")]
    assert await in_sync([host, cat], [cat]) == [[], []]  # nobody heard of the refused comebacks


async def test_two_hosts_on_two_processes_admit_the_same_guest_at_once(nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    hosts = [await connect(nodes[0], "h1"), await connect(nodes[1], "h2")]
    await hosts[0].join(room, hostToken=token)
    await hosts[1].join(room, hostToken=token)
    await hosts[0].recv("userJoined")
    guest = await connect(nodes[1], "gus")
    await knock(guest, room, "Gus")
    for host in hosts:
        assert await host.recv("knock") == {"userId": "gus", "displayName": "Gus"}

    await asyncio.gather(*(host.send("admit", {"userId": "gus"}) for host in hosts))
    *seen, after_admission = await in_sync([*hosts, guest], hosts)
    errors = [[m["payload"]["code"] for m in s if m["type"] == "error"] for s in seen]
    assert sorted(errors) == [[], ["targetNotFound"]], seen
    for messages in seen:  # each host, winner and loser alike, heard of one newcomer
        assert [m["payload"]["userId"] for m in messages if m["type"] == "userJoined"] == ["gus"], messages
        assert {m["type"] for m in messages} <= {"userJoined", "error"}, messages
    assert [m["type"] for m in after_admission] == ["joined"]  # one joined, not two
    assert sorted(u["userId"] for u in after_admission[0]["payload"]["users"]) == ["h1", "h2"]
    for node in nodes:
        assert sorted(await asyncio.to_thread(users_as_host, node, room, token)) == [
            ("gus", "guest"), ("h1", "host"), ("h2", "host")]


async def test_the_last_host_leaving_promotes_the_longest_present_once_on_both_processes(
        nodes, connect, hosted_room):
    room, token = await hosted_room()
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    guests = [await connect(nodes[i % 2], name) for i, name in enumerate(("ann", "bob", "cat"), start=1)]
    present = [host]
    for guest in guests:  # Ann (process 2) first, then Bob (process 1), then Cat (process 2)
        await guest.join(room)
        for earlier in present:
            assert (await earlier.recv("userJoined"))["userId"] == guest.user_id
        present.append(guest)
    # A lobby from now on, and someone waiting in it: the new host must hear of them.
    await host.send("roomSettings", {"lobby": True})
    for client in present:
        assert await client.recv("roomSettings") == {"lobby": True, "locked": False, "passwordRequired": False}
    dan = await connect(nodes[1], "dan")
    await knock(dan, room, "Dan")
    assert (await host.recv("knock"))["userId"] == "dan"

    await host.ws.close()  # a clean close: the host leaves for good at once
    for guest in guests:
        assert await guest.recv("userLeft") == {"userId": "host"}
        assert await guest.recv("role") == {"userId": "ann", "role": "host"}
    # The role was given once; the new host alone hears who waits.
    assert await in_sync(guests, guests) == [
        [{"type": "knock", "payload": {"userId": "dan", "displayName": "Dan"}}], [], []]
    for node in nodes:
        status, body = await asyncio.to_thread(node.http, "GET", f"/room/{room}/users")
        assert status == 403  # a lobby room: only a host token shows who is in
        assert await asyncio.to_thread(users_as_host, node, room, token) == [
            ("ann", "host"), ("bob", "guest"), ("cat", "guest")]
    # Ann's powers are real on her process: she lets Dan in.
    await guests[0].send("admit", {"userId": "dan"})
    assert (await dan.recv("joined"))["role"] == "guest"


async def test_end_meeting_closes_every_socket_on_both_processes_and_the_room_lives_on(
        nodes, connect, hosted_room):
    room, token = await hosted_room()
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    ann, bob = await connect(nodes[1], "ann"), await connect(nodes[0], "bob")
    await ann.join(room)
    await host.recv("userJoined")
    await bob.join(room)
    for client in (host, ann):
        await client.recv("userJoined")
    await ann.send("chat", {"text": "before the end"})
    for client in (host, ann, bob):
        assert (await client.recv("chat"))["text"] == "before the end"
    # Only now: sent at once from two processes, the chat and the settings may come in either
    # order (the same for everyone), and recv() takes the next message.
    await host.send("roomSettings", {"lobby": True})
    for client in (host, ann, bob):
        assert (await client.recv("roomSettings"))["lobby"] is True
    dan = await connect(nodes[1], "dan")
    await knock(dan, room, "Dan")
    await host.recv("knock")

    await host.send("endMeeting", {})
    for client in (host, ann, bob, dan):
        assert await client.recv("meetingEnded") == {"by": "host"}
        await closed_with(client, 4004)
    # The room id starts a new meeting, with the same settings and nothing of the old one.
    again = await connect(nodes[1], "host")
    joined = await again.join(room, hostToken=token)
    assert (joined["role"], joined["users"], joined["waiting"], joined["chat"]) == ("host", [], [], [])
    assert joined["room"] == {"lobby": True, "locked": False, "passwordRequired": False}
    eve = await connect(nodes[0], "eve")
    await knock(eve, room, "Eve")
    assert await again.recv("knock") == {"userId": "eve", "displayName": "Eve"}


async def test_a_guest_leaving_the_lobby_on_one_process_is_gone_from_the_host_on_the_other(
        nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    guest = await connect(nodes[1], "gus")
    await knock(guest, room, "Gus")
    await host.recv("knock")

    await guest.ws.close()
    assert await host.recv("knockCancelled") == {"userId": "gus"}
    await host.send("admit", {"userId": "gus"})  # too late: nobody waits
    assert (await host.recv("error"))["code"] == "targetNotFound"
    other = await connect(nodes[1], "co")
    assert (await other.join(room, hostToken=token))["waiting"] == []


async def test_a_reloaded_page_in_the_lobby_replaces_its_wait_on_the_other_process(
        nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    first = await connect(nodes[1], "gus")
    await knock(first, room, "Gus")
    assert (await host.recv("knock"))["userId"] == "gus"

    again = await connect(nodes[0], "gus")  # the same person, reloaded, reaching the other process
    await knock(again, room, "Gus")
    await closed_with(first, 4001)
    assert await host.recv("knock") == {"userId": "gus", "displayName": "Gus"}
    await host.send("admit", {"userId": "gus"})
    assert (await again.recv("joined"))["role"] == "guest"
    # The old wait's close took nobody out: Gus is in, once, and the host heard nothing else.
    assert await in_sync([host, again], [host]) == [
        [{"type": "userJoined", "payload": {"userId": "gus", "displayName": "Gus", "audioMuted": False,
                                            "videoMuted": False, "handRaisedAt": None, "role": "guest",
                                            "recording": False}}], []]
    assert await asyncio.to_thread(users_as_host, nodes[1], room, token) == [("host", "host"), ("gus", "guest")]


async def test_turning_the_lobby_off_lets_in_everyone_waiting_on_either_process(nodes, connect, hosted_room):
    room, token = await hosted_room(lobby=True)
    host = await connect(nodes[0], "host")
    await host.join(room, hostToken=token)
    waiting = [await connect(nodes[1], "ann"), await connect(nodes[0], "bob")]
    for client in waiting:
        await knock(client, room, client.user_id.title())
        assert (await host.recv("knock"))["userId"] == client.user_id

    await host.send("roomSettings", {"lobby": False})
    assert await host.recv("roomSettings") == {"lobby": False, "locked": False, "passwordRequired": False}
    assert [(await host.recv("userJoined"))["userId"] for _ in waiting] == ["ann", "bob"]
    ann, bob = [await client.recv("joined") for client in waiting]
    assert [u["userId"] for u in ann["users"]] == ["host"] and ann["room"]["lobby"] is False
    assert [u["userId"] for u in bob["users"]] == ["host", "ann"]
    assert (await waiting[0].recv("userJoined"))["userId"] == "bob"
    assert await in_sync([host, *waiting], [host]) == [[], [], []]
