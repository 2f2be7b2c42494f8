"""RoomService decisions: who is told what, with no sockets involved."""

from __future__ import annotations

import itertools

import pytest

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.service import RoomService


@pytest.fixture
def service(store):
    counter = itertools.count()
    return RoomService(store, max_room_size=3, ice_servers=[{"urls": "stun:lan.example:3478"}],
                       new_token=lambda: f"token{next(counter)}")


async def room_with(service, *users):
    room = await service.create_room()
    outcomes = {}
    for user in users:
        outcomes[user] = await service.join(f"conn-{user}", p.Join(room, user, user.title()))
    return room, outcomes


async def test_new_joiner_learns_the_room_and_the_others_learn_of_it(service):
    room, outcomes = await room_with(service, "ann", "bob")
    reply = outcomes["bob"].reply
    assert [u.userId for u in reply.users] == ["ann"]
    assert reply.iceServers == [{"urls": "stun:lan.example:3478"}] and reply.resumeToken
    (told,) = outcomes["bob"].deliveries
    assert told.to == ("ann",) and told.message == p.UserJoined("bob", "Bob", False, False)


async def test_blank_display_name_becomes_guest(service):
    room = await service.create_room()
    outcome = await service.join("c", p.Join(room, "ann", "   "))
    assert outcome.reply.userId == "ann"
    assert (await service.room_state(room))[0][0].displayName == "Guest"


async def test_resume_is_silent_for_the_others(service):
    room, outcomes = await room_with(service, "ann", "bob")
    token = outcomes["ann"].reply.resumeToken
    again = await service.join("conn-ann-2", p.Join(room, "ann", "Ann", resumeToken=token))
    assert again.deliveries == () and again.replaced_conn_id == "conn-ann"
    assert again.reply.resumeToken != token
    assert [u.userId for u in again.reply.users] == ["bob"]


async def test_resume_with_a_new_mute_state_tells_the_others(service):
    room, outcomes = await room_with(service, "ann", "bob")
    token = outcomes["ann"].reply.resumeToken
    again = await service.join("c2", p.Join(room, "ann", "Ann", resumeToken=token, audioMuted=True))
    (told,) = again.deliveries
    assert told.to == ("bob",) and told.message == p.MediaState("ann", True, False)


# Whether the target is in the room is the bus's check, as it routes (tests/unit/test_meeting.py,
# tests/cluster): the service decides the rest.
async def test_relay_names_the_sender_and_reaches_only_the_target(service):
    room, _ = await room_with(service, "ann", "bob", "cat")
    sdp = p.SessionDescription("offer", "v=0")
    d = service.relay_decision(room, "ann", p.Offer(sdp, "cat"))
    assert d.to == ("cat",) and d.message == p.RelayedOffer(sdp, "ann")


async def test_relay_to_self_is_refused(service):
    room, _ = await room_with(service, "ann", "bob")
    with pytest.raises(RoomError) as err:
        service.relay_decision(room, "ann", p.SendIceCandidate(p.IceCandidate("c"), "ann"))
    assert err.value.code == "targetNotFound"


async def test_grant_goes_to_everyone_including_the_sharer(service):
    room, _ = await room_with(service, "ann", "bob")
    (d,) = await service.start_share(room, "bob", p.StartScreenShare("bob", room, "s1"))
    assert sorted(d.to) == ["ann", "bob"] and d.message == p.ScreenShareActive("bob", "s1")


async def test_preempted_sharers_stop_changes_nothing(service):
    room, _ = await room_with(service, "ann", "bob")
    await service.start_share(room, "ann", p.StartScreenShare("ann", room))
    await service.start_share(room, "bob", p.StartScreenShare("bob", room))
    assert await service.stop_share(room, "ann", p.StopScreenShare("ann", room)) == ()
    assert (await service.room_state(room))[1] == "bob"


@pytest.mark.parametrize("field", ["userId", "roomId"])
async def test_nobody_starts_or_stops_a_share_for_someone_else(service, field):
    room, _ = await room_with(service, "ann", "bob")
    await service.start_share(room, "ann", p.StartScreenShare("ann", room))
    ids = {"userId": "bob", "roomId": room} | {field: "ann" if field == "userId" else "other"}
    for msg in (p.StopScreenShare(ids["userId"], ids["roomId"]),
                p.StartScreenShare(ids["userId"], ids["roomId"])):
        with pytest.raises(RoomError) as err:
            await (service.stop_share if isinstance(msg, p.StopScreenShare)
                   else service.start_share)(room, "bob", msg)
        assert err.value.code == "notAllowed"
    assert (await service.room_state(room))[1] == "ann"


async def test_sharer_leaving_stops_the_share_then_leaves(service):
    room, _ = await room_with(service, "ann", "bob")
    await service.start_share(room, "ann", p.StartScreenShare("ann", room))
    stopped, left = await service.leave(room, "ann", "conn-ann")
    assert stopped.message == p.ScreenShareStopped("ann") and left.message == p.UserLeft("ann")
    assert stopped.to == left.to == ("bob",)


async def test_leave_from_a_replaced_connection_is_ignored(service):
    room, outcomes = await room_with(service, "ann", "bob")
    token = outcomes["ann"].reply.resumeToken
    await service.join("conn-ann-2", p.Join(room, "ann", resumeToken=token))
    assert await service.leave(room, "ann", "conn-ann") == ()
    assert [u.userId for u in (await service.room_state(room))[0]] == ["ann", "bob"]


async def test_rest_leave_needs_the_users_token(service):
    room, outcomes = await room_with(service, "ann", "bob")
    with pytest.raises(RoomError) as err:
        await service.leave_with_token(room, "ann", "guess")
    assert err.value.code == "notAllowed"
    (left,), conn_id = await service.leave_with_token(room, "ann",
                                                      outcomes["ann"].reply.resumeToken)
    assert left.message == p.UserLeft("ann") and left.to == ("bob",)
    assert conn_id == "conn-ann"  # the connection to close


async def test_mute_state_reaches_the_others_and_the_room_state(service):
    room, _ = await room_with(service, "ann", "bob")
    (d,) = await service.set_media_state(room, "ann", p.SetMediaState(True, True))
    assert d.to == ("bob",) and d.message == p.MediaState("ann", True, True)
    users, _ = await service.room_state(room)
    assert (users[0].audioMuted, users[0].videoMuted) == (True, True)


async def test_room_ids_are_unguessable(store):
    service = RoomService(store, max_room_size=8)
    ids = {await service.create_room() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 22 for i in ids)  # 16 random bytes, base64url
