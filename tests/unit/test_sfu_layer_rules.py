"""Issue 16's simulcast layer decisions (rooms/layers.py): which m-line of a subscription a
subscriber's `sfuLayer` changes, and how; a camera the subscriber does not receive is refused."""

from __future__ import annotations

import pytest

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import ErrorCode, RoomError
from tornado_app.rooms.layers import LayerConfig, layer_configs
from tornado_app.rooms.topology import MESH, SFU, check_sfu_message

STREAMS = [p.SfuStream("0", "ann", "audio"), p.SfuStream("1", "ann", "camera"),
           p.SfuStream("2", "ben", "audio"), p.SfuStream("3", "ben", "camera"), p.SfuStream("4", "ben", "screen")]


def test_high_is_the_full_picture_and_low_the_smallest_layer_of_that_person_s_camera_only():
    assert layer_configs(STREAMS, "ben", "high") == [LayerConfig("3", send=True, substream=2)]
    assert layer_configs(STREAMS, "ann", "low") == [LayerConfig("1", send=True, substream=0)]


def test_paused_stops_relaying_the_camera_but_not_the_person_s_audio_or_screen():
    assert layer_configs(STREAMS, "ben", "paused") == [LayerConfig("3", send=False)]


@pytest.mark.parametrize("user_id", ["cat", "ANN"])
def test_a_camera_the_subscriber_does_not_receive_is_refused_with_target_not_found(user_id):
    with pytest.raises(RoomError) as refused:
        layer_configs(STREAMS, user_id, "high")
    assert refused.value.code == ErrorCode.TARGET_NOT_FOUND and user_id in refused.value.message


def test_someone_who_sends_only_audio_has_no_layer_to_choose():
    with pytest.raises(RoomError) as refused:
        layer_configs([p.SfuStream("0", "dan", "audio")], "dan", "low")
    assert refused.value.code == ErrorCode.TARGET_NOT_FOUND


def test_sfu_layer_is_refused_in_a_mesh_room():
    msg = p.SfuLayerChoice("ann", "low")
    with pytest.raises(RoomError) as refused:
        check_sfu_message(MESH, msg)
    assert refused.value.code == ErrorCode.NOT_SFU
    check_sfu_message(SFU, msg)


def test_the_layer_names_are_the_protocol_s():
    assert p.parse_client_message(b'{"type": "sfuLayer", "payload": {"userId": "ann", "layer": "paused"}}') == \
        p.SfuLayerChoice("ann", "paused")
    with pytest.raises(p.ProtocolError):
        p.parse_client_message(b'{"type": "sfuLayer", "payload": {"userId": "ann", "layer": "medium"}}')
