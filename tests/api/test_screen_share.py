"""Screen sharing: one sharer per room, the last start in server order wins (docs/protocol.md)."""

from __future__ import annotations

import pytest

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


def start(client, stream_id: str | None = None, **override) -> None:
    payload = {"userId": client.user_id, "roomId": client.room_id, **override}
    if stream_id is not None:
        payload["streamId"] = stream_id
    client.send("startScreenShare", payload)


def stop(client, **override) -> None:
    client.send("stopScreenShare", {"userId": client.user_id, "roomId": client.room_id, **override})


async def screen_sharer(fetch_json, room_id: str) -> str | None:
    return (await fetch_json("GET", f"/room/{room_id}/users")).json()["screenSharer"]


async def test_screen_share_active_goes_to_everyone_including_the_sharer(meeting, fetch_json):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    start(alice, "{screen-1}")
    expected = {"sharingUserId": "alice", "streamId": "{screen-1}"}
    for client in (alice, bob, carol):
        assert await client.recv("screenShareActive") == expected
    assert await screen_sharer(fetch_json, alice.room_id) == "alice"


async def test_screen_share_without_a_stream_id_announces_null(meeting):
    alice, bob = await meeting("alice", "bob")
    start(alice)
    assert await bob.recv("screenShareActive") == {"sharingUserId": "alice", "streamId": None}


async def test_a_late_joiner_sees_who_is_sharing_and_which_stream(meeting, joined_client):
    alice, bob = await meeting("alice", "bob")
    start(bob, "screen-b")
    await alice.recv("screenShareActive")
    carol = await joined_client(alice.room_id, "carol")
    assert carol.joined["screenSharer"] == "bob"
    assert carol.joined["screenStreamId"] == "screen-b"


async def test_the_sharers_stop_tells_everyone(meeting, fetch_json):
    alice, bob = await meeting("alice", "bob")
    start(alice, "s1")
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    stop(alice)
    for client in (alice, bob):
        assert await client.recv("screenShareStopped") == {"stoppedUserId": "alice"}
    assert await screen_sharer(fetch_json, alice.room_id) is None


async def test_a_later_start_takes_over_the_share(meeting, fetch_json):
    alice, bob = await meeting("alice", "bob")
    start(alice, "sa")
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    start(bob, "sb")
    for client in (alice, bob):
        assert await client.recv("screenShareActive") == {"sharingUserId": "bob", "streamId": "sb"}
    assert await screen_sharer(fetch_json, alice.room_id) == "bob"


async def test_the_sharer_can_switch_to_another_stream(meeting, joined_client):
    alice, bob = await meeting("alice", "bob")
    start(alice, "window-1")
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    start(alice, "window-2")
    assert await bob.recv("screenShareActive") == {"sharingUserId": "alice", "streamId": "window-2"}
    carol = await joined_client(alice.room_id, "carol")
    assert carol.joined["screenStreamId"] == "window-2"


async def test_a_stop_from_someone_not_sharing_does_nothing(meeting, fetch_json):
    alice, bob = await meeting("alice", "bob")
    start(alice, "sa")
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    stop(bob)
    # No error for Bob and no screenShareStopped for anyone: the next messages are the offers.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"
    assert await screen_sharer(fetch_json, alice.room_id) == "alice"


async def test_a_stop_when_nobody_is_sharing_does_nothing(meeting):
    alice, bob = await meeting("alice", "bob")
    stop(alice)
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


@pytest.mark.parametrize("override", [
    pytest.param({"userId": "bob"}, id="another-user"),
    pytest.param({"userId": "nobody"}, id="unknown-user"),
    pytest.param({"roomId": "someOtherRoom"}, id="another-room"),
])
async def test_starting_a_share_in_someone_elses_name_is_not_allowed(meeting, fetch_json, override):
    alice, bob = await meeting("alice", "bob")
    start(alice, "sa", **override)
    await alice.recv_error("notAllowed")
    assert await screen_sharer(fetch_json, alice.room_id) is None
    # Bob got no screenShareActive: his next message is Alice's offer.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_starting_a_share_in_another_real_room_is_not_allowed(meeting, fetch_json):
    alice, bob = await meeting("alice", "bob")
    (carol,) = await meeting("carol")
    start(alice, "sa", roomId=carol.room_id)
    await alice.recv_error("notAllowed")
    assert await screen_sharer(fetch_json, carol.room_id) is None
    start(carol, "sc")
    assert (await carol.recv("screenShareActive"))["sharingUserId"] == "carol"


@pytest.mark.parametrize("override", [
    pytest.param({"userId": "alice"}, id="the-sharers-name"),
    pytest.param({"roomId": "someOtherRoom"}, id="another-room"),
])
async def test_nobody_can_stop_someone_elses_share(meeting, fetch_json, override):
    alice, bob = await meeting("alice", "bob")
    start(alice, "sa")
    await alice.recv("screenShareActive")
    await bob.recv("screenShareActive")
    stop(bob, **override)
    await bob.recv_error("notAllowed")
    assert await screen_sharer(fetch_json, alice.room_id) == "alice"
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


async def test_a_sharer_who_leaves_stops_the_share_then_leaves(meeting, fetch_json):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    start(alice, "sa")
    for client in (alice, bob, carol):
        await client.recv("screenShareActive")
    alice.close()
    for client in (bob, carol):
        assert await client.recv("screenShareStopped") == {"stoppedUserId": "alice"}
        assert await client.recv("userLeft") == {"userId": "alice"}
    assert await screen_sharer(fetch_json, bob.room_id) is None


async def test_a_non_sharer_leaving_does_not_stop_the_share(meeting, fetch_json):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    start(alice, "sa")
    for client in (alice, bob, carol):
        await client.recv("screenShareActive")
    carol.close()
    assert await bob.recv("userLeft") == {"userId": "carol"}
    assert await alice.recv("userLeft") == {"userId": "carol"}
    assert await screen_sharer(fetch_json, alice.room_id) == "alice"


async def test_two_simultaneous_starts_converge_on_one_sharer(meeting, fetch_json):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    # Both starts leave before either client has heard anything back.
    start(alice, "sa")
    start(carol, "sc")
    last = {}
    for client in (alice, bob, carol):
        grants = [await client.recv("screenShareActive"), await client.recv("screenShareActive")]
        assert {g["sharingUserId"] for g in grants} == {"alice", "carol"}
        last[client.user_id] = grants[-1]["sharingUserId"]
    winner = last["alice"]
    assert last == {"alice": winner, "bob": winner, "carol": winner}
    assert await screen_sharer(fetch_json, alice.room_id) == winner
    # The loser, seeing the other's grant, stops; the server ignores it (no screenShareStopped).
    loser = alice if winner == "carol" else carol
    stop(loser)
    bob.send("offer", {"sdp": OFFER, "targetId": loser.user_id})
    assert (await loser.recv("offer"))["senderId"] == "bob"
    assert await screen_sharer(fetch_json, alice.room_id) == winner


async def test_many_simultaneous_starts_converge_on_one_sharer(meeting, fetch_json):
    clients = await meeting("u0", "u1", "u2", "u3", "u4")
    for client in clients:
        start(client, f"s-{client.user_id}")
    last = set()
    for client in clients:
        grants = [await client.recv("screenShareActive") for _ in clients]
        last.add((grants[-1]["sharingUserId"], grants[-1]["streamId"]))
    assert len(last) == 1
    ((winner, stream_id),) = last
    assert stream_id == f"s-{winner}"
    assert await screen_sharer(fetch_json, clients[0].room_id) == winner
