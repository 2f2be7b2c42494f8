"""Janus's notifications on a VideoRoom handle, as typed events (pure: no I/O).

`parse_event(message)` takes what a handle's `on_event` receives: a plugin `event` (someone
published, unpublished, left, joined, talks; the room was destroyed; a subscription was renegotiated)
or a core notification about the handle's PeerConnection (`webrtcup`, `media`, `slowlink`,
`hangup`, `detached`). Anything else comes back as `Other`, so a newer Janus never breaks a caller.

Seen from Janus 1.1.2: `unpublished` can come twice for one unpublish (the request, then the
PeerConnection closing), and a publisher that leaves while publishing is announced by `leaving` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tornado_app.janus.protocol import PluginReply
from tornado_app.janus.videoroom_types import Attendee, Feed, FeedId, RoomId, Subscription


@dataclass(frozen=True)
class PublishersAdded:
    """Publishers whose PeerConnection just came up: their feeds can now be subscribed to."""

    room: RoomId
    feeds: tuple[Feed, ...]


@dataclass(frozen=True)
class Unpublished:
    """A publisher stopped publishing (or its PeerConnection went away)."""

    room: RoomId
    feed_id: FeedId


@dataclass(frozen=True)
class Left:
    """A participant left the room."""

    room: RoomId
    feed_id: FeedId


@dataclass(frozen=True)
class Joining:
    """A participant joined without publishing yet (rooms with `notify_joining`)."""

    room: RoomId
    attendee: Attendee


@dataclass(frozen=True)
class Talking:
    """A publisher started or stopped talking (rooms with `audiolevel_event`)."""

    room: RoomId
    feed_id: FeedId
    talking: bool


@dataclass(frozen=True)
class RoomDestroyed:
    """The room is gone; so is everyone's place in it."""

    room: RoomId


@dataclass(frozen=True)
class SubscriptionUpdated:
    """A subscription changed on Janus's initiative (a publisher left, a postponed update ran);
    when it has an offer, answer it with `start`."""

    subscription: Subscription


@dataclass(frozen=True)
class LayerChanged:
    """Janus now forwards another simulcast layer of a subscribed video (`mid`): `substream` 0-2 (spatial,
    low to high) or `temporal` 0-2; the one not named is unchanged."""

    room: RoomId
    mid: str
    substream: int | None
    temporal: int | None


@dataclass(frozen=True)
class WebRtcUp:
    """ICE and DTLS are up on the handle's PeerConnection."""


@dataclass(frozen=True)
class MediaFlow:
    """Janus started or stopped receiving one kind of media (`mid`) on the handle."""

    type: str
    mid: str | None
    receiving: bool


@dataclass(frozen=True)
class SlowLink:
    """Janus sees losses on the handle's PeerConnection (`uplink`: from Janus's point of view)."""

    uplink: bool
    mid: str | None
    lost: int


@dataclass(frozen=True)
class HungUp:
    """The handle's PeerConnection closed (`reason` as Janus says, e.g. "DTLS alert", "Close PC")."""

    reason: str


@dataclass(frozen=True)
class Detached:
    """The handle is gone."""


@dataclass(frozen=True)
class Other:
    """Anything this module does not model (kept whole)."""

    message: dict[str, Any]


VideoRoomEvent = (PublishersAdded | Unpublished | Left | Joining | Talking | RoomDestroyed | SubscriptionUpdated
                  | LayerChanged | WebRtcUp | MediaFlow | SlowLink | HungUp | Detached | Other)


def parse_event(message: dict[str, Any]) -> VideoRoomEvent:
    """The typed form of one notification on a VideoRoom handle."""
    kind = message.get("janus")
    if kind == "webrtcup":
        return WebRtcUp()
    if kind == "media":
        return MediaFlow(str(message.get("type", "")), message.get("mid"), bool(message.get("receiving")))
    if kind == "slowlink":
        return SlowLink(bool(message.get("uplink")), message.get("mid"), int(message.get("lost", 0)))
    if kind == "hangup":
        return HungUp(str(message.get("reason", "")))
    if kind == "detached":
        return Detached()
    if kind != "event":
        return Other(message)
    reply = PluginReply.from_message(message)
    data, room = reply.data, reply.data.get("room")
    videoroom = data.get("videoroom")
    if videoroom == "destroyed":
        return RoomDestroyed(room)
    if videoroom in ("talking", "stopped-talking"):
        return Talking(room, data["id"], videoroom == "talking")
    if videoroom == "updated":
        return SubscriptionUpdated(Subscription.from_reply(reply))
    if videoroom == "event":
        if data.get("publishers"):
            return PublishersAdded(room, tuple(Feed.from_json(p) for p in data["publishers"]))
        # "ok" answers the handle's own request; another value names someone else.
        if "unpublished" in data and data["unpublished"] != "ok":
            return Unpublished(room, data["unpublished"])
        if "leaving" in data and data["leaving"] != "ok":
            return Left(room, data["leaving"])
        if "mid" in data and ("substream" in data or "temporal" in data):
            return LayerChanged(room, str(data["mid"]), data.get("substream"), data.get("temporal"))
        if "joining" in data:
            return Joining(room, Attendee(data["joining"]["id"], data["joining"].get("display")))
    return Other(message)
