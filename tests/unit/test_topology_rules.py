"""Issue 16's topology decisions: mesh up to mesh_max people, SFU from the next one until the end."""

from __future__ import annotations

import pytest

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import ErrorCode, RoomError
from tornado_app.rooms.topology import MESH, SFU, TopologyPolicy, check_sfu_message

OFFER = p.SessionDescription("offer", "v=0\r\n")
ANSWER = p.SessionDescription("answer", "v=0\r\n")


def test_the_person_after_mesh_max_moves_the_room_to_the_sfu():
    policy = TopologyPolicy(sfu_enabled=True, mesh_max=4)
    assert [policy.after_join(MESH, n) for n in (1, 4, 5)] == [MESH, MESH, SFU]


def test_an_sfu_room_stays_one_however_few_remain():
    assert TopologyPolicy(sfu_enabled=True, mesh_max=4).after_join(SFU, 1) == SFU


def test_without_janus_every_room_stays_a_mesh():
    assert TopologyPolicy(sfu_enabled=False, mesh_max=2).after_join(MESH, 8) == MESH


@pytest.mark.parametrize("msg", [p.SfuOffer("publish", OFFER), p.SfuAnswer("subscribe", ANSWER),
                                 p.SfuCandidate("publish", p.IceCandidate(""))])
def test_sfu_messages_in_a_mesh_room_are_refused_with_not_sfu(msg):
    with pytest.raises(RoomError) as refused:
        check_sfu_message(MESH, msg)
    assert refused.value.code == ErrorCode.NOT_SFU and "mesh" in refused.value.message
    check_sfu_message(SFU, msg)  # the same message in an SFU room is fine


@pytest.mark.parametrize("msg, named", [(p.SfuOffer("subscribe", OFFER), '"publish"'),
                                        (p.SfuAnswer("publish", ANSWER), '"subscribe"')])
def test_an_offer_or_answer_for_the_wrong_connection_is_refused(msg, named):
    with pytest.raises(RoomError) as refused:
        check_sfu_message(SFU, msg)
    assert refused.value.code == ErrorCode.NOT_SFU and named in refused.value.message
