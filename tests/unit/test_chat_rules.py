"""Chat, raised hands and reactions as the room decides them, on every store (memory and Redis).

What a user notices: who receives a message, what a late joiner or a resumed client finds in
`joined.chat`, the order of hands, and that a finished meeting's conversation is gone.
"""

from __future__ import annotations

import itertools

import pytest

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.service import RoomService
from tornado_app.store.base import CHAT_KEPT


@pytest.fixture
def service(store):
    ticks = itertools.count(1_000)
    return RoomService(store, max_room_size=8, clock_ms=lambda: next(ticks))


async def room_with(service: RoomService, *users: str) -> tuple[str, dict[str, p.Joined]]:
    room = await service.create_room()
    replies = {}
    for user in users:
        outcome = await service.join(f"node.{user}", p.Join(room, user, displayName=user.title()))
        replies[user] = outcome.reply
    return room, replies


def only(deliveries) -> tuple[tuple[str, ...], dict]:
    (deliver,) = deliveries
    return deliver.to, p.to_json(deliver.message)


async def test_a_public_message_goes_to_everyone_with_the_senders_name_and_server_time(service):
    room, _ = await room_with(service, "ann", "bob", "cat")
    to, message = only(await service.chat(room, "bob", p.SendChat("  hello  ")))
    assert set(to) == {"ann", "bob", "cat"}  # the sender too: the echo confirms and orders it
    assert message == (b'{"messageId":"1","senderId":"bob","displayName":"Bob","text":"hello",'
                       b'"sentAt":1000}')


async def test_a_private_message_reaches_only_its_target_and_the_sender(service):
    room, _ = await room_with(service, "ann", "bob", "cat")
    to, message = only(await service.chat(room, "ann", p.SendChat("psst", targetId="bob")))
    assert sorted(to) == ["ann", "bob"]
    assert b'"targetId":"bob"' in message
    # Cat, joining late or already there, never reads it.
    joined = (await service.join("node.dan", p.Join(room, "dan"))).reply
    assert joined.chat == []


async def test_a_message_to_someone_not_in_the_room_is_refused_and_not_kept(service):
    room, _ = await room_with(service, "ann", "bob")
    for target in ("zed", "ann"):  # a stranger, or the sender themself
        with pytest.raises(RoomError) as err:
            await service.chat(room, "ann", p.SendChat("hi", targetId=target))
        assert err.value.code == "targetNotFound"
    assert await service.store.chat_history(room) == []


async def test_a_late_joiner_reads_the_conversation_in_everyones_order(service):
    room, _ = await room_with(service, "ann", "bob", "cat")
    await service.chat(room, "ann", p.SendChat("one"))
    await service.chat(room, "bob", p.SendChat("for cat", targetId="cat"))
    await service.chat(room, "cat", p.SendChat("two"))
    await service.chat(room, "ann", p.SendChat("for bob", targetId="bob"))
    await service.chat(room, "bob", p.SendChat("three"))
    dan = (await service.join("node.dan", p.Join(room, "dan"))).reply
    assert [m.text for m in dan.chat] == ["one", "two", "three"]
    assert [m.messageId for m in dan.chat] == ["1", "3", "5"]
    # What Cat may read: the public ones and the private one sent to her, in the same order.
    history = [e for e in await service.store.chat_history(room) if e.readable_by("cat")]
    assert [e.text for e in history] == ["one", "for cat", "two", "three"]


async def test_a_resumed_client_gets_its_history_again(service):
    room, replies = await room_with(service, "ann", "bob")
    await service.chat(room, "bob", p.SendChat("before", targetId="ann"))
    await service.chat(room, "ann", p.SendChat("public"))
    again = await service.join("node.ann2", p.Join(room, "ann", resumeToken=replies["ann"].resumeToken))
    assert [(m.text, m.targetId) for m in again.reply.chat] == [("before", "ann"), ("public", None)]


async def test_the_conversation_is_deleted_when_the_room_empties(service):
    room, _ = await room_with(service, "ann", "bob")
    await service.chat(room, "ann", p.SendChat("secret plans"))
    await service.leave(room, "ann", None)
    assert [e.text for e in await service.store.chat_history(room)] == ["secret plans"]
    await service.leave(room, "bob", None)
    assert await service.store.chat_history(room) == []
    fresh = (await service.join("node.cat", p.Join(room, "cat"))).reply
    assert fresh.chat == []


async def test_history_keeps_the_latest_public_messages_whatever_private_talk_there_is(service):
    room, _ = await room_with(service, "ann", "bob")
    for i in range(CHAT_KEPT + 5):
        await service.chat(room, "ann", p.SendChat(f"public {i}"))
        await service.chat(room, "ann", p.SendChat(f"private {i}", targetId="bob"))
    kept = await service.store.chat_history(room)
    public = [e.text for e in kept if e.target_id is None]
    assert len(public) == CHAT_KEPT and public[0] == "public 5" and public[-1] == f"public {CHAT_KEPT + 4}"
    assert len(kept) == 2 * CHAT_KEPT
    assert [int(e.message_id) for e in kept] == sorted(int(e.message_id) for e in kept)


async def test_hands_are_ordered_by_when_they_went_up_and_go_down_on_leave(service):
    room, _ = await room_with(service, "ann", "bob", "cat")
    to, raised = only(await service.hand(room, "cat", p.RaiseHand(True)))
    assert set(to) == {"ann", "bob", "cat"}
    assert raised == b'{"userId":"cat","raised":true,"raisedAt":1000}'
    await service.hand(room, "bob", p.RaiseHand(True))
    assert await service.hand(room, "cat", p.RaiseHand(True)) == ()  # keeps its first time
    users, _ = await service.room_state(room)
    assert {u.userId: u.handRaisedAt for u in users} == {"ann": None, "bob": 1001, "cat": 1000}
    dan = (await service.join("node.dan", p.Join(room, "dan"))).reply
    assert {u.userId: u.handRaisedAt for u in dan.users} == {"ann": None, "bob": 1001, "cat": 1000}
    _, lowered = only(await service.hand(room, "cat", p.RaiseHand(False)))
    assert lowered == b'{"userId":"cat","raised":false,"raisedAt":null}'
    assert await service.hand(room, "cat", p.RaiseHand(False)) == ()
    await service.leave(room, "bob", None)
    await service.join("node.bob2", p.Join(room, "bob"))
    assert {u.userId: u.handRaisedAt for u in (await service.room_state(room))[0]}["bob"] is None


async def test_a_resume_keeps_the_raised_hand(service):
    room, replies = await room_with(service, "ann", "bob")
    await service.hand(room, "ann", p.RaiseHand(True))
    again = await service.join("node.ann2", p.Join(room, "ann", resumeToken=replies["ann"].resumeToken))
    assert again.reply.users[0].handRaisedAt is None  # Bob's
    assert (await service.store.get_member(room, "ann")).hand_raised_at == 1000


async def test_a_reaction_goes_to_everyone_and_is_not_kept(service):
    room, _ = await room_with(service, "ann", "bob")
    to, message = only(await service.react(room, "bob", p.SendReaction("🎉")))
    assert set(to) == {"ann", "bob"}
    assert message == '{"userId":"bob","emoji":"🎉"}'.encode()
    assert await service.store.chat_history(room) == []


async def test_someone_who_already_left_changes_nothing(service):
    room, _ = await room_with(service, "ann", "bob")
    await service.leave(room, "bob", None)
    assert await service.chat(room, "bob", p.SendChat("ghost")) == ()
    assert await service.hand(room, "bob", p.RaiseHand(True)) == ()
    assert await service.react(room, "bob", p.SendReaction("👍")) == ()
