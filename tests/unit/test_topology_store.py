"""Issue 16: a room's topology as both stores keep it: "sfu" until the meeting ends."""

from __future__ import annotations

from tornado_app.rooms.model import Member


def member(user: str) -> Member:
    return Member(user, user.title(), f"c1.{user}", f"tok-{user}")


async def test_an_sfu_room_stays_one_until_its_last_member_leaves(store):
    await store.create_room("r")
    assert await store.topology("r") == "mesh"
    for user in ("ann", "bob"):
        await store.add_member("r", member(user), max_size=8, token_hash=None)
    await store.set_topology("r", "sfu")
    await store.remove_member("r", "ann", None)
    assert await store.topology("r") == "sfu"
    await store.remove_member("r", "bob", None)
    assert await store.topology("r") == "mesh"  # the next meeting starts as a mesh


async def test_ending_the_meeting_ends_its_sfu(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    await store.set_topology("r", "sfu")
    await store.end_meeting("r")
    assert await store.topology("r") == "mesh"


async def test_an_empty_room_is_never_switched(store):
    await store.create_room("r")
    await store.set_topology("r", "sfu")
    assert await store.topology("r") == "mesh"
