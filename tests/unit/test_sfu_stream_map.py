"""Issue 16: which person and which of their media each m-line of a subscription carries
(`sfu.stream_map`, what `sfuOffer{pc: "subscribe"}.streams` says): a publisher's first audio and
video are their microphone and camera, a later one their screen (its picture, and its sound)."""

from __future__ import annotations

from tornado_app.janus.videoroom_types import Feed, PublishedStream, SubscribedStream
from tornado_app.rooms import protocol as p
from tornado_app.sfu import stream_map

SHARER = Feed("ann", None, (PublishedStream("audio", 0, "0"), PublishedStream("video", 1, "1"),
                            PublishedStream("video", 2, "2"), PublishedStream("audio", 3, "3")))


def _sub(mid: str, type_: str, feed_mid: str, active: bool = True) -> SubscribedStream:
    return SubscribedStream(int(mid), mid, type_, "ann", feed_mid, None, True, True, active)


def test_the_screen_s_picture_and_sound_are_kind_screen_the_first_audio_and_video_the_person_s():
    streams = (_sub("0", "audio", "0"), _sub("1", "video", "1"), _sub("2", "video", "2"), _sub("3", "audio", "3"))
    assert stream_map(streams, {"ann": SHARER}) == [
        p.SfuStream("0", "ann", "audio"), p.SfuStream("1", "ann", "camera"),
        p.SfuStream("2", "ann", "screen"), p.SfuStream("3", "ann", "screen")]


def test_an_inactive_m_line_carries_nobody():
    assert stream_map((_sub("0", "audio", "0", active=False),), {"ann": SHARER}) == []
