"""The VideoRoom plugin's data, typed: what publishers send, what subscribers receive, what they ask for.

Pure values parsed from (or turned into) the plugin's JSON; `videoroom` and `videoroom_events` use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tornado_app.janus.protocol import Jsep, PluginReply

RoomId = int | str
FeedId = int | str


def _drop_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class PublishedStream:
    """One stream a publisher sends (an m-line of its offer)."""

    type: str  # audio | video | data
    mindex: int
    mid: str
    codec: str | None = None
    description: str | None = None
    simulcast: bool = False
    disabled: bool = False

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> PublishedStream:
        return cls(str(value["type"]), int(value["mindex"]), str(value["mid"]), value.get("codec"),
                   value.get("description"), bool(value.get("simulcast", False)), bool(value.get("disabled", False)))


@dataclass(frozen=True)
class Feed:
    """A publisher in a room and the streams it sends."""

    id: FeedId
    display: str | None
    streams: tuple[PublishedStream, ...]

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Feed:
        return cls(value["id"], value.get("display"),
                   tuple(PublishedStream.from_json(s) for s in value.get("streams") or ()))


@dataclass(frozen=True)
class Attendee:
    """A participant who joined without publishing (listed when the room has `notify_joining`)."""

    id: FeedId
    display: str | None


@dataclass(frozen=True)
class Joined:
    """A publisher's `joined`: its ids and who already publishes in the room."""

    room: RoomId
    id: FeedId
    private_id: int
    publishers: tuple[Feed, ...]
    attendees: tuple[Attendee, ...]


@dataclass(frozen=True)
class StreamRequest:
    """A stream to subscribe to: a publisher's `feed` (all its streams) or one of its `mid`s."""

    feed: FeedId
    mid: str | None = None
    substream: int | None = None  # simulcast layer to start with: 0 low, 1 medium, 2 high
    temporal: int | None = None

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"feed": self.feed, "mid": self.mid, "substream": self.substream, "temporal": self.temporal})


@dataclass(frozen=True)
class SubscribedStream:
    """One m-line of a subscription: which publisher's stream it carries."""

    mindex: int
    mid: str
    type: str
    feed_id: FeedId | None
    feed_mid: str | None
    feed_display: str | None
    send: bool
    ready: bool
    active: bool

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SubscribedStream:
        return cls(int(value["mindex"]), str(value["mid"]), str(value["type"]), value.get("feed_id"),
                   value.get("feed_mid"), value.get("feed_display"), bool(value.get("send", False)),
                   bool(value.get("ready", False)), bool(value.get("active", True)))


@dataclass(frozen=True)
class Subscription:
    """A subscriber's streams and, when the PeerConnection must be (re)negotiated, Janus's offer."""

    room: RoomId | None
    streams: tuple[SubscribedStream, ...]
    offer: Jsep | None

    @classmethod
    def from_reply(cls, reply: PluginReply) -> Subscription:
        return cls(reply.data.get("room"), tuple(SubscribedStream.from_json(s) for s in reply.data.get("streams") or ()),
                   reply.jsep)


@dataclass(frozen=True)
class StreamConfig:
    """A change to one subscribed stream (`mid` is the subscription's mid): relay it or not, its layers."""

    mid: str
    send: bool | None = None
    substream: int | None = None
    temporal: int | None = None
    fallback: int | None = None  # microseconds without packets before Janus drops to a lower substream

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"mid": self.mid, "send": self.send, "substream": self.substream,
                           "temporal": self.temporal, "fallback": self.fallback})
