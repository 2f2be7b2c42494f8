"""The shared RoomStore suite: every backend must pass it unchanged."""

from __future__ import annotations

import pytest

from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import JoinKind, Member


def member(user: str, conn: str = "c1", token: str = "tok") -> Member:
    return Member(user, user.title(), f"{conn}.{user}", f"{token}-{user}")


async def test_created_room_exists_and_others_do_not(store):
    await store.create_room("room1")
    assert await store.room_exists("room1")
    assert not await store.room_exists("room2")
    assert await store.room_count() == 1


async def test_join_unknown_room_is_refused(store):
    with pytest.raises(RoomError) as err:
        await store.add_member("nope", member("ann"), max_size=8, token_hash=None)
    assert err.value.code == "roomNotFound"


async def test_members_come_back_in_join_order_with_the_others_listed(store):
    await store.create_room("r")
    first = await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    second = await store.add_member("r", member("bob"), max_size=8, token_hash=None)
    assert first.kind is JoinKind.NEW and first.others == ()
    assert [m.user_id for m in second.others] == ["ann"]
    assert [m.user_id for m in await store.members("r")] == ["ann", "bob"]
    assert await store.has_member("r", "bob") and not await store.has_member("r", "cat")


async def test_room_full_refuses_the_one_too_many(store):
    await store.create_room("r")
    for user in ("ann", "bob"):
        await store.add_member("r", member(user), max_size=2, token_hash=None)
    with pytest.raises(RoomError) as err:
        await store.add_member("r", member("cat"), max_size=2, token_hash=None)
    assert err.value.code == "roomFull"
    assert len(await store.members("r")) == 2


async def test_duplicate_user_without_the_right_token_is_refused(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    for token in (None, "wrong"):
        with pytest.raises(RoomError) as err:
            await store.add_member("r", member("ann", conn="c2"), max_size=8, token_hash=token)
        assert err.value.code == "userIdTaken"
    assert (await store.get_member("r", "ann")).conn_id == "c1.ann"


async def test_resume_with_the_token_takes_over_even_in_a_full_room(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=1, token_hash=None)
    result = await store.add_member("r", member("ann", conn="c2", token="new"), max_size=1,
                                    token_hash="tok-ann")
    assert result.kind is JoinKind.RESUMED and result.replaced.conn_id == "c1.ann"
    assert (await store.get_member("r", "ann")).conn_id == "c2.ann"


async def test_a_resume_keeps_the_name_the_others_know(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    renamed = Member("ann", "Guest", "c2.ann", "new-ann")
    await store.add_member("r", renamed, max_size=8, token_hash="tok-ann")
    kept = await store.get_member("r", "ann")
    assert (kept.display_name, kept.conn_id, kept.token_hash) == ("Ann", "c2.ann", "new-ann")


async def test_remove_only_by_the_connection_that_owns_the_member(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    await store.add_member("r", member("bob"), max_size=8, token_hash=None)
    assert not (await store.remove_member("r", "ann", "stale-conn")).removed
    gone = await store.remove_member("r", "ann", "c1.ann")
    assert gone.removed and gone.remaining == ("bob",)
    assert not (await store.remove_member("r", "ann", None)).removed


async def test_last_start_wins_and_only_the_sharer_can_clear(store):
    await store.create_room("r")
    for user in ("ann", "bob"):
        await store.add_member("r", member(user), max_size=8, token_hash=None)
    assert sorted(await store.set_sharer("r", "ann", "s1")) == ["ann", "bob"]
    await store.set_sharer("r", "bob", "s2")
    assert (await store.share("r")).user_id == "bob"
    assert await store.clear_sharer("r", "ann") is None
    assert (await store.share("r")).stream_id == "s2"
    assert sorted(await store.clear_sharer("r", "bob")) == ["ann", "bob"]
    assert await store.share("r") is None


async def test_a_stranger_cannot_become_the_sharer(store):
    await store.create_room("r")
    assert await store.set_sharer("r", "ghost", None) == ()
    assert await store.share("r") is None


async def test_removing_the_sharer_clears_the_share(store):
    await store.create_room("r")
    for user in ("ann", "bob"):
        await store.add_member("r", member(user), max_size=8, token_hash=None)
    await store.set_sharer("r", "ann", None)
    result = await store.remove_member("r", "ann", None)
    assert result.was_sharing and await store.share("r") is None


async def test_media_state_is_kept(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    assert await store.set_media_state("r", "ann", True, False)
    assert not await store.set_media_state("r", "zed", True, True)
    ann = await store.get_member("r", "ann")
    assert (ann.audio_muted, ann.video_muted) == (True, False)


async def test_empty_room_still_exists(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    await store.remove_member("r", "ann", None)
    assert await store.room_exists("r") and await store.members("r") == []
