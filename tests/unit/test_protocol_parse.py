"""`parse_client_message`: every client message of docs/protocol.md parses; every broken one is refused
with the right error code. No sockets."""

from __future__ import annotations

import json

import pytest

from tornado_app.rooms.protocol import ProtocolError, parse_client_message

SDP = {"type": "offer", "sdp": "v=0\r\n"}
CANDIDATE = {"candidate": "candidate:1 1 udp 1 10.0.0.1 9 typ host", "sdpMid": "0",
             "sdpMLineIndex": 0, "usernameFragment": "uf"}


def frame(type: str, payload: object) -> str:
    return json.dumps({"type": type, "payload": payload})


def refused(raw: str | bytes) -> ProtocolError:
    with pytest.raises(ProtocolError) as error:
        parse_client_message(raw)
    assert isinstance(error.value.message, str) and error.value.message
    return error.value


VALID = [
    ("join", {"roomId": "r1", "userId": "u1"}),
    ("join", {"roomId": "r1", "userId": "u1", "displayName": "Ann", "resumeToken": "t",
              "audioMuted": True, "videoMuted": False}),
    ("offer", {"sdp": SDP, "targetId": "u2"}),
    ("answer", {"sdp": {"type": "answer", "sdp": "v=0\r\n"}, "targetId": "u2"}),
    ("answer", {"sdp": {"type": "pranswer", "sdp": "v=0\r\n"}, "targetId": "u2"}),
    ("offer", {"sdp": {"type": "rollback"}, "targetId": "u2"}),
    ("iceCandidate", {"candidate": CANDIDATE, "targetId": "u2"}),
    ("iceCandidate", {"candidate": {"candidate": ""}, "targetId": "u2"}),
    ("iceCandidate", {"candidate": {"candidate": "c", "sdpMid": None, "sdpMLineIndex": None,
                                    "usernameFragment": None}, "targetId": "u2"}),
    ("startScreenShare", {"userId": "u1", "roomId": "r1"}),
    ("startScreenShare", {"userId": "u1", "roomId": "r1", "streamId": "{abc-123}"}),
    ("stopScreenShare", {"userId": "u1", "roomId": "r1"}),
    ("mediaState", {"audioMuted": True, "videoMuted": True}),
]


@pytest.mark.parametrize("type, payload", VALID, ids=[f"{t}-{i}" for i, (t, _) in enumerate(VALID)])
def test_every_client_message_type_parses_to_its_class(type, payload):
    message = parse_client_message(frame(type, payload))
    assert message.type == type
    assert message.__class__.type == type  # a class attribute, one class per message type


@pytest.mark.parametrize("type, payload", VALID, ids=[f"{t}-{i}" for i, (t, _) in enumerate(VALID)])
def test_bytes_parse_like_text(type, payload):
    assert parse_client_message(frame(type, payload).encode()).type == type


def test_join_fields_are_read_as_sent():
    message = parse_client_message(frame("join", {
        "roomId": "room_1-A", "userId": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "displayName": "Ann", "resumeToken": "tok", "audioMuted": True, "videoMuted": False,
    }))
    assert message.roomId == "room_1-A"
    assert message.userId == "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert message.resumeToken == "tok"
    assert (message.audioMuted, message.videoMuted) == (True, False)


def test_join_mute_state_defaults_to_unmuted():
    message = parse_client_message(frame("join", {"roomId": "r", "userId": "u"}))
    assert (message.audioMuted, message.videoMuted) == (False, False)


def test_relayed_fields_are_read_as_sent():
    offer = parse_client_message(frame("offer", {"sdp": SDP, "targetId": "bob"}))
    assert offer.targetId == "bob"
    candidate = parse_client_message(frame("iceCandidate", {"candidate": CANDIDATE, "targetId": "b"}))
    assert candidate.candidate.candidate == CANDIDATE["candidate"]
    assert candidate.candidate.sdpMLineIndex == 0


def test_unknown_extra_fields_are_ignored():
    raw = json.dumps({"type": "mediaState", "extra": 1,
                      "payload": {"audioMuted": False, "videoMuted": True, "senderId": "x", "z": [1]}})
    message = parse_client_message(raw)
    assert message.type == "mediaState"
    assert (message.audioMuted, message.videoMuted) == (False, True)


@pytest.mark.parametrize("raw", [
    "", "   ", "{", "{}", "[]", "null", "true", "1", '"join"', "[1, 2]",
    '{"type": "join"}', '{"payload": {}}', '{"type": null, "payload": {}}',
    '{"type": 1, "payload": {}}', '{"type": ["join"], "payload": {}}',
    '{"type": "join", "payload": []}', '{"type": "join", "payload": "x"}',
    '{"type": "join", "payload": null}', '{"type": "join", "payload": 3}',
    b"\xff\xfe\x00", b"\x80abc", "{'type': 'join', 'payload': {}}",
])
def test_a_frame_that_is_not_a_message_is_a_bad_message(raw):
    assert refused(raw).code == "badMessage"


@pytest.mark.parametrize("type", ["", "JOIN", "joined", "userLeft", "error", "ping", "offer "])
def test_an_unknown_type_is_unknown_type(type):
    assert refused(frame(type, {})).code == "unknownType"


@pytest.mark.parametrize("type, payload, field", [
    ("join", {"userId": "u"}, "roomId"),
    ("join", {"roomId": "r"}, "userId"),
    ("join", {"roomId": "r", "userId": ""}, "userId"),
    ("join", {"roomId": "r", "userId": "u" * 65}, "userId"),
    ("join", {"roomId": "r" * 65, "userId": "u"}, "roomId"),
    ("join", {"roomId": "r", "userId": "a.b"}, "userId"),
    ("join", {"roomId": "r", "userId": "a b"}, "userId"),
    ("join", {"roomId": "r", "userId": "é"}, "userId"),
    ("join", {"roomId": "r/1", "userId": "u"}, "roomId"),
    ("join", {"roomId": "r", "userId": 1}, "userId"),
    ("join", {"roomId": "r", "userId": "u", "displayName": "x" * 129}, "displayName"),
    ("join", {"roomId": "r", "userId": "u", "displayName": ["Ann"]}, "displayName"),
    ("join", {"roomId": "r", "userId": "u", "audioMuted": 0}, "audioMuted"),
    ("join", {"roomId": "r", "userId": "u", "videoMuted": "false"}, "videoMuted"),
    ("join", {"roomId": "r", "userId": "u", "resumeToken": {}}, "resumeToken"),
    ("offer", {"targetId": "u"}, "sdp"),
    ("offer", {"sdp": SDP}, "targetId"),
    ("offer", {"sdp": "v=0", "targetId": "u"}, "sdp"),
    ("offer", {"sdp": {"type": "nonsense", "sdp": ""}, "targetId": "u"}, "type"),
    ("offer", {"sdp": {"sdp": "v=0"}, "targetId": "u"}, "type"),
    ("offer", {"sdp": SDP, "targetId": "u" * 65}, "targetId"),
    ("answer", {"sdp": SDP, "targetId": None}, "targetId"),
    ("iceCandidate", {"targetId": "u"}, "candidate"),
    ("iceCandidate", {"candidate": {}, "targetId": "u"}, "candidate"),
    ("iceCandidate", {"candidate": {"candidate": 5}, "targetId": "u"}, "candidate"),
    ("iceCandidate", {"candidate": {"candidate": "c", "sdpMLineIndex": "0"}, "targetId": "u"},
     "sdpMLineIndex"),
    ("iceCandidate", {"candidate": {"candidate": "c", "sdpMLineIndex": 1.5}, "targetId": "u"},
     "sdpMLineIndex"),
    ("iceCandidate", {"candidate": {"candidate": "c", "sdpMid": 0}, "targetId": "u"}, "sdpMid"),
    ("iceCandidate", {"candidate": CANDIDATE, "targetId": ""}, "targetId"),
    ("startScreenShare", {"roomId": "r"}, "userId"),
    ("startScreenShare", {"userId": "u"}, "roomId"),
    ("startScreenShare", {"userId": "u", "roomId": "r", "streamId": ""}, "streamId"),
    ("startScreenShare", {"userId": "u", "roomId": "r", "streamId": "s" * 129}, "streamId"),
    ("startScreenShare", {"userId": "u", "roomId": "r", "streamId": "a<b>"}, "streamId"),
    ("stopScreenShare", {"userId": "u"}, "roomId"),
    ("stopScreenShare", {"userId": "u" * 65, "roomId": "r"}, "userId"),
    ("mediaState", {"audioMuted": True}, "videoMuted"),
    ("mediaState", {"videoMuted": True}, "audioMuted"),
    ("mediaState", {"audioMuted": 1, "videoMuted": False}, "audioMuted"),
    ("mediaState", {"audioMuted": False, "videoMuted": None}, "videoMuted"),
])
def test_a_bad_field_is_invalid_payload_naming_the_field(type, payload, field):
    error = refused(frame(type, payload))
    assert error.code == "invalidPayload"
    assert field in error.message


@pytest.mark.parametrize("field, value", [
    ("userId", "u" * 64), ("roomId", "r" * 64), ("userId", "A-z_09"), ("roomId", "x"),
])
def test_ids_at_the_limits_are_accepted(field, value):
    payload = {"roomId": "r", "userId": "u", field: value}
    assert getattr(parse_client_message(frame("join", payload)), field) == value


@pytest.mark.parametrize("name", ["x" * 128, "Zoë", "  spaced  ", "日本語の名前"])
def test_display_names_within_128_characters_are_accepted(name):
    parse_client_message(frame("join", {"roomId": "r", "userId": "u", "displayName": name}))


def test_a_display_name_of_128_characters_after_trimming_is_accepted():
    # protocol.md: "1-128 characters after trimming white space".
    parse_client_message(frame("join", {"roomId": "r", "userId": "u",
                                        "displayName": "  " + "x" * 128 + "  "}))


def test_a_stream_id_of_128_characters_with_braces_is_accepted():
    stream_id = "{" + "a" * 126 + "}"
    message = parse_client_message(frame("startScreenShare",
                                         {"userId": "u", "roomId": "r", "streamId": stream_id}))
    assert message.streamId == stream_id


@pytest.mark.parametrize("field, payload", [
    ("roomId", {"roomId": "r1\n", "userId": "u1"}),
    ("userId", {"roomId": "r1", "userId": "u1\n"}),
    ("displayName", {"roomId": "r1", "userId": "u1", "displayName": "Ann\n"}),
])
def test_a_trailing_newline_is_refused_like_any_control_character(field, payload):
    # msgspec matches patterns with re.search, whose `$` also matched before a final newline:
    # "u1\n" joined as a user id distinct from "u1".
    error = refused(frame("join", payload))
    assert error.code == "invalidPayload" and field in error.message


def test_a_trailing_newline_in_a_stream_id_is_refused():
    error = refused(frame("startScreenShare", {"userId": "u1", "roomId": "r1", "streamId": "s\n"}))
    assert error.code == "invalidPayload" and "streamId" in error.message
