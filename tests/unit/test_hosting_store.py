"""Issue 14's state on every store (memory and Redis alike): roles, the hand-over when the last host
leaves, bans, the lobby, admission in one step, and ending a meeting."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import ChatEntry, Member


def member(user: str, role: str = "guest", conn: str = "c1") -> Member:
    return Member(user, user.title(), f"{conn}.{user}", f"tok-{user}", role=role)


async def room_with(store, *people: Member) -> str:
    await store.create_room("r", '{"lobby":true}')
    for person in people:
        await store.add_member("r", person, max_size=8, token_hash=None)
    return "r"


async def roles(store) -> dict[str, str]:
    return {m.user_id: m.role for m in await store.members("r")}


async def test_roles_are_kept_and_a_resume_keeps_the_host_role(store):
    await room_with(store, member("hana", "host"), member("gus"))
    assert await roles(store) == {"hana": "host", "gus": "guest"}
    # Hana comes back on a new connection without her host token: still host.
    back = dataclasses.replace(member("hana"), conn_id="c2.hana", token_hash="tok-new")
    result = await store.add_member("r", back, max_size=8, token_hash="tok-hana")
    assert result.replaced is not None and result.replaced.role == "host"
    assert await roles(store) == {"hana": "host", "gus": "guest"}


async def test_the_last_host_leaving_hands_over_to_the_longest_present_once(store):
    await room_with(store, member("hana", "host"), member("gus"), member("ivy"))
    first = await store.remove_member("r", "hana", None)
    assert first.promoted == "gus"
    assert await roles(store) == {"gus": "host", "ivy": "guest"}
    # A guest leaving hands nothing over; a second host leaving while another stays neither.
    await store.add_member("r", member("cat", "host"), max_size=8, token_hash=None)
    assert (await store.remove_member("r", "ivy", None)).promoted is None
    assert (await store.remove_member("r", "cat", None)).promoted is None
    assert await roles(store) == {"gus": "host"}


async def test_a_room_without_any_host_promotes_nobody(store):
    await room_with(store, member("gus"), member("ivy"))
    assert (await store.remove_member("r", "gus", None)).promoted is None
    assert await roles(store) == {"ivy": "guest"}


async def test_set_role_says_who_to_tell_or_that_nothing_changed(store):
    await room_with(store, member("hana", "host"), member("gus"))
    assert set(await store.set_role("r", "gus", "host")) == {"hana", "gus"}
    assert await store.set_role("r", "gus", "host") == ()
    assert await store.set_role("r", "nobody", "host") is None
    assert await roles(store) == {"hana": "host", "gus": "host"}


async def test_a_removed_user_is_banned_until_the_meeting_is_over(store):
    await room_with(store, member("hana", "host"), member("gus"))
    result = await store.remove_member("r", "gus", None, ban=True)
    assert result.removed and result.remaining == ("hana",)
    for attempt in (lambda: store.add_member("r", member("gus"), max_size=8, token_hash="tok-gus"),
                    lambda: store.add_waiting("r", member("gus", conn="c2"))):
        with pytest.raises(RoomError) as err:
            await attempt()
        assert err.value.code == "admissionDenied"
    # The meeting ends when the last member leaves: the ban goes with it.
    await store.remove_member("r", "hana", None)
    await store.add_member("r", member("gus"), max_size=8, token_hash=None)


async def test_the_lobby_keeps_arrival_order_and_tells_who_hosts(store):
    await room_with(store, member("hana", "host"), member("gus"))
    knocked = await store.add_waiting("r", member("wes", conn="c2"))
    assert knocked.hosts == ("hana",) and knocked.replaced_conn_id is None
    await store.add_waiting("r", member("ann", conn="c2"))
    assert [w.user_id for w in await store.waiting("r")] == ["wes", "ann"]
    # The same user waiting again (a reload) replaces the first wait.
    again = await store.add_waiting("r", member("wes", conn="c3"))
    assert again.replaced_conn_id == "c2.wes"
    assert {w.user_id: w.conn_id for w in await store.waiting("r")} == {"ann": "c2.ann", "wes": "c3.wes"}
    # Taken by its own connection only, once.
    assert await store.take_waiting("r", "wes", "c2.wes") is None
    assert (await store.take_waiting("r", "wes", "c3.wes")).user_id == "wes"
    assert await store.take_waiting("r", "wes") is None
    assert [w.user_id for w in await store.waiting("r")] == ["ann"]


async def test_people_wait_in_an_empty_room_and_unknown_rooms_refuse(store):
    await store.create_room("r")
    knocked = await store.add_waiting("r", member("wes"))
    assert knocked.hosts == ()
    assert [w.user_id for w in await store.waiting("r")] == ["wes"]
    with pytest.raises(RoomError) as err:
        await store.add_waiting("nope", member("wes"))
    assert err.value.code == "roomNotFound"


async def test_admission_is_one_step_and_happens_once(store):
    await room_with(store, member("hana", "host"))
    await store.add_waiting("r", member("wes", conn="c2"))
    first, second = await asyncio.gather(store.admit("r", "wes", "tok-a", max_size=8),
                                         store.admit("r", "wes", "tok-b", max_size=8))
    admitted = [a for a in (first, second) if a is not None]
    assert len(admitted) == 1
    joined = admitted[0]
    assert joined.member.conn_id == "c2.wes" and joined.member.role == "guest"
    assert [m.user_id for m in joined.join.others] == ["hana"]
    assert await store.waiting("r") == []
    assert (await store.get_member("r", "wes")).token_hash in ("tok-a", "tok-b")
    assert await store.take_waiting("r", "wes") is None  # a deny after it finds nobody


async def test_a_full_room_keeps_the_person_waiting(store):
    await room_with(store, member("hana", "host"), member("gus"))
    await store.add_waiting("r", member("wes", conn="c2"))
    with pytest.raises(RoomError) as err:
        await store.admit("r", "wes", "tok", max_size=2)
    assert err.value.code == "roomFull"
    assert [w.user_id for w in await store.waiting("r")] == ["wes"]


async def test_ending_clears_the_meeting_but_keeps_the_room_and_its_settings(store):
    await room_with(store, member("hana", "host"), member("gus"))
    await store.add_waiting("r", member("wes", conn="c2"))
    await store.add_chat("r", ChatEntry("", "gus", "Gus", "hello", 1))
    await store.set_hand("r", "gus", 5)
    await store.set_sharer("r", "gus", None)
    await store.remove_member("r", "gus", None, ban=True)
    ended = await store.end_meeting("r")
    assert [m.user_id for m in ended.members] == ["hana"]
    assert [m.user_id for m in ended.waiting] == ["wes"]
    assert await store.members("r") == [] and await store.waiting("r") == []
    assert await store.chat_history("r") == [] and await store.share("r") is None
    assert await store.room_exists("r")
    assert await store.room_settings("r") == '{"lobby":true}'
    fresh = await store.add_member("r", member("gus"), max_size=8, token_hash=None)  # the ban went too
    assert fresh.others == () and (await store.get_member("r", "gus")).hand_raised_at is None


async def test_a_recording_flag_says_who_to_tell_and_survives_a_resume(store):
    await room_with(store, member("hana", "host"), member("gus"))
    assert set(await store.set_recording("r", "gus", True)) == {"hana", "gus"}
    assert await store.set_recording("r", "gus", True) == ()
    assert await store.set_recording("r", "nobody", True) is None
    back = dataclasses.replace(member("gus"), conn_id="c2.gus", token_hash="tok-new")
    await store.add_member("r", back, max_size=8, token_hash="tok-gus")
    assert {m.user_id: m.recording for m in await store.members("r")} == {"hana": False, "gus": True}
    assert set(await store.set_recording("r", "gus", False)) == {"hana", "gus"}
