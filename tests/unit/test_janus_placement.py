"""The placement policy of SFU rooms on Janus instances (issue 16): least load first, a failed
instance avoided while another answers, and which rooms an instance holds that nobody places there."""

from __future__ import annotations

from tornado_app.rooms.placement import Load, choose_instance, orphaned

A, B, C = "ws://a:8188", "ws://b:8188", "ws+unix:///run/janus/c.sock"


def test_the_instance_with_the_fewest_participants_then_rooms_then_the_first_configured():
    assert choose_instance((A, B, C), {A: Load(), B: Load(), C: Load()}) == A
    assert choose_instance((A, B, C), {A: Load(2, 3), B: Load(5, 1), C: Load(1, 4)}) == B
    assert choose_instance((A, B, C), {A: Load(3, 1), B: Load(1, 1), C: Load(1, 1)}) == B
    assert choose_instance((A, B, C), {A: Load(3, 0), B: Load(2, 0), C: Load(2, 0)}) == B


def test_only_live_instances_and_none_when_nobody_answers():
    assert choose_instance((A, B, C), {C: Load(9, 90)}) == C  # A and B did not answer
    assert choose_instance((A, B), {}) is None
    assert choose_instance((A,), {B: Load()}) is None  # an instance not configured is never chosen


def test_the_instance_a_room_just_lost_only_when_it_is_the_only_one():
    assert choose_instance((A, B), {A: Load(), B: Load(10, 100)}, avoid=A) == B
    assert choose_instance((A, B), {A: Load()}, avoid=A) == A  # back after a restart, alone


def test_orphaned_rooms_are_those_the_store_does_not_place_on_the_instance():
    assert orphaned(["r1", "r2", "r3"], {"r1": True, "r2": False}) == ["r2", "r3"]
    assert orphaned([], {}) == []
