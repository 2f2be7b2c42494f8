"""Janus's notifications on VideoRoom handles, typed: parsed from messages a real Janus 1.1.2 sent.

fixtures/videoroom_events.json holds what a participant (Bob) and a subscriber heard in the media
test (test_janus_media.py): Alice joining and publishing, Janus switching simulcast layers, Alice
unpublishing (twice, as Janus says it), and the subscription renegotiated; the transcript adds
the hangup and detached notifications.
"""

from __future__ import annotations

import json

from fake_janus import FIXTURES, load_transcript

from tornado_app.janus.videoroom import Attendee
from tornado_app.janus.videoroom_events import (Detached, HungUp, Joining, LayerChanged, Left, MediaFlow, Other,
                                                PublishersAdded, RoomDestroyed, SlowLink, SubscriptionUpdated,
                                                Talking, Unpublished, WebRtcUp, parse_event)

HEARD = json.loads((FIXTURES / "videoroom_events.json").read_text())


def test_a_participant_hears_who_joins_publishes_and_unpublishes():
    events = [parse_event(m) for m in HEARD["bob"]]
    assert events[0] == Joining("media-room", Attendee("alice", "Alice"))
    assert isinstance(events[1], PublishersAdded)
    [alice] = events[1].feeds
    assert (alice.id, alice.display) == ("alice", "Alice")
    assert [(s.type, s.mid, s.codec, s.simulcast) for s in alice.streams] == [
        ("audio", "0", "opus", False), ("video", "1", "vp8", True)]
    assert events[2:] == [Unpublished("media-room", "alice")] * 2


def test_a_subscriber_hears_layer_changes_and_its_renegotiation():
    events = [parse_event(m) for m in HEARD["subscriber"]]
    layers = [e for e in events if isinstance(e, LayerChanged)]
    assert layers and all(e.mid == "1" and e.room == "media-room" for e in layers)
    assert [e.substream for e in layers if e.substream is not None] == [1, 2]
    assert [e.temporal for e in layers if e.temporal is not None] == [2]
    [updated] = [e for e in events if isinstance(e, SubscriptionUpdated)]
    assert updated.subscription.offer.type == "offer"
    assert [(s.mid, s.active) for s in updated.subscription.streams] == [("0", False), ("1", False)]


def test_peer_connection_notifications_and_the_rest():
    received = [step["recv"] for step in load_transcript() if "recv" in step]
    hangups = [parse_event(m) for m in received if m["janus"] == "hangup"]
    assert hangups == [HungUp("Close PC"), HungUp("Detach")]
    assert {type(parse_event(m)) for m in received if m["janus"] == "detached"} == {Detached}
    session = {"session_id": 1, "sender": 2}
    assert parse_event({"janus": "webrtcup", **session}) == WebRtcUp()
    assert parse_event({"janus": "media", **session, "type": "video", "mid": "1", "receiving": False}) == \
        MediaFlow("video", "1", False)
    assert parse_event({"janus": "slowlink", **session, "mid": "1", "media": "video", "uplink": True, "lost": 12}) == \
        SlowLink(True, "1", 12)

    def plugin(data):
        return {"janus": "event", **session, "plugindata": {"plugin": "janus.plugin.videoroom", "data": data}}
    assert parse_event(plugin({"videoroom": "destroyed", "room": "r"})) == RoomDestroyed("r")
    assert parse_event(plugin({"videoroom": "talking", "room": "r", "id": "a", "audio-level-dBov-avg": 40})) == \
        Talking("r", "a", True)
    assert parse_event(plugin({"videoroom": "event", "room": "r", "leaving": "a"})) == Left("r", "a")
    # The answer to one's own leave/unpublish ("ok"), and anything unknown, are not news about others.
    own = plugin({"videoroom": "event", "room": "r", "leaving": "ok"})
    assert parse_event(own) == Other(own)
    assert parse_event({"janus": "something-new"}) == Other({"janus": "something-new"})
