"""Property-based tests of `parse_client_message`: whatever arrives, it returns a message or raises
`ProtocolError` with one of the protocol's codes; it never fails in any other way."""

from __future__ import annotations

import json

# No per-example deadline: these test what parsing answers, not its speed (benchmarks do that), and
# a 200 ms stall of a busy 2-core machine must not fail them.

from hypothesis import given, settings
from hypothesis import strategies as st

from tornado_app.rooms.protocol import ProtocolError, parse_client_message

CLIENT_TYPES = ["join", "offer", "answer", "iceCandidate", "startScreenShare", "stopScreenShare",
                "mediaState", "refreshIceServers"]
PARSE_ERROR_CODES = {"badMessage", "unknownType", "invalidPayload"}
FIELDS = ["roomId", "userId", "displayName", "resumeToken", "audioMuted", "videoMuted", "sdp", "type",
          "targetId", "candidate", "sdpMid", "sdpMLineIndex", "usernameFragment", "streamId",
          "senderId", "payload"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=80),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), children, max_size=6),
    max_leaves=25,
)

# Frames shaped like client messages: a known (or almost known) type and a payload of plausible
# fields with arbitrary values, so the search reaches the payload validation, not just the envelope.
envelopes = st.fixed_dictionaries(
    {"type": st.sampled_from(CLIENT_TYPES) | st.text(max_size=20),
     "payload": st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8) | json_values},
    optional={"extra": json_values},
)


def parse_or_protocol_error(raw: str | bytes) -> None:
    try:
        message = parse_client_message(raw)
    except ProtocolError as error:
        assert error.code in PARSE_ERROR_CODES, error.code
        assert isinstance(error.message, str)
    else:
        assert message.type in CLIENT_TYPES


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_parses_or_is_a_protocol_error(value):
    parse_or_protocol_error(json.dumps(value))


@settings(max_examples=500, deadline=None)
@given(envelopes)
def test_any_message_shaped_json_parses_or_is_a_protocol_error(value):
    raw = json.dumps(value)
    parse_or_protocol_error(raw)
    parse_or_protocol_error(raw.encode())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_is_a_protocol_error(text):
    parse_or_protocol_error(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_are_a_protocol_error(data):
    parse_or_protocol_error(data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CLIENT_TYPES), st.text(max_size=80))
def test_a_message_parsed_once_parses_the_same_way_again(type, junk):
    # Determinism: the same frame always gives the same outcome.
    raw = json.dumps({"type": type, "payload": {"roomId": junk, "userId": junk, "targetId": junk}})
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(repr(parse_client_message(raw)))
        except ProtocolError as error:
            outcomes.append(error.code)
    assert outcomes[0] == outcomes[1]
