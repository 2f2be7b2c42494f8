"""Issue 16: which Janus instance holds a room, as both stores keep it: placed once (compare-and-set,
so processes deciding at once agree), moved only from the instance the mover saw die, and taken
exactly once when nobody is left (whoever takes it destroys the VideoRoom room)."""

from __future__ import annotations

from tornado_app.rooms.model import Member

A, B, C = "ws://a", "ws://b", "ws://c"


def member(user: str) -> Member:
    return Member(user, user.title(), f"c1.{user}", f"tok-{user}")


async def test_the_first_placement_wins_and_a_move_needs_the_lost_instance(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    assert await store.janus_of("r") is None
    assert await store.place_janus("r", None, A) == (A, True)
    assert await store.place_janus("r", None, B) == (A, False)  # another process decided at the same time: A
    assert await store.janus_of("r") == A
    # A died: two processes move the room; the first move counts, the second learns where it went
    # (also when it chose the same place: only the first wrote it, and tells everyone).
    assert await store.place_janus("r", A, B) == (B, True)
    assert await store.place_janus("r", A, C) == (B, False)
    assert await store.place_janus("r", A, B) == (B, False)
    assert await store.janus_of("r") == B


async def test_the_record_is_taken_once_and_only_when_nobody_is_left(store):
    await store.create_room("r")
    await store.add_member("r", member("ann"), max_size=8, token_hash=None)
    await store.place_janus("r", None, A)
    assert await store.release_janus("r") is None  # Ann is still in the meeting
    await store.remove_member("r", "ann", None)
    assert await store.release_janus("r") == A
    assert await store.release_janus("r") is None  # a second process finds nothing to destroy
    assert await store.janus_of("r") is None
    assert await store.release_janus("never-sfu") is None
