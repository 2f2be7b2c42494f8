"""The VideoRoom plugin (Janus 1.1.x, multistream) as typed calls on plugin handles.

- `VideoRoomAdmin`: create / destroy / exists for rooms (synchronous plugin requests);
- `VideoRoomPublisher`: one person's publishing PeerConnection: join as publisher, publish an offer
  (returns Janus's answer), configure (bitrate, keyframe, renegotiation), unpublish, leave;
- `VideoRoomSubscriber`: one person's receiving PeerConnection for many publishers' streams: join
  with `streams` (returns Janus's offer), start with the answer, update / switch the streams,
  configure a stream's simulcast layer (`substream`, `temporal`) or pause it, leave.

Room and participant ids are numbers, or strings when the plugin runs with `string_ids = true`
(what Parley's generated configuration does). Janus's own notifications on these handles are
parsed by `videoroom_events`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tornado_app.janus.errors import JanusError
from tornado_app.janus.protocol import Jsep, PluginReply
from tornado_app.janus.session import EventListener, JanusHandle, JanusSession
from tornado_app.janus.videoroom_types import (Attendee, Feed, FeedId, Joined, PublishedStream, RoomId,
                                               StreamConfig, StreamRequest, SubscribedStream, Subscription,
                                               _drop_none)

__all__ = [  # the types are re-exported: callers import everything VideoRoom from here
    "PLUGIN", "Attendee", "Feed", "FeedId", "Joined", "PublishedStream", "RoomId", "StreamConfig", "StreamRequest",
    "SubscribedStream", "Subscription", "VideoRoomAdmin", "VideoRoomPublisher", "VideoRoomSubscriber",
]

PLUGIN = "janus.plugin.videoroom"


def _expect(reply: PluginReply, kind: str, request: str) -> PluginReply:
    """The reply if its `videoroom` field is `kind`; a JanusError naming what came instead if not."""
    if reply.data.get("videoroom") != kind:
        raise JanusError(f"VideoRoom answered {request!r} with {reply.data!r}, not {kind!r}")
    return reply


class _VideoRoomHandle:
    def __init__(self, handle: JanusHandle) -> None:
        self.handle = handle

    @classmethod
    async def attach(cls, session: JanusSession, *, on_event: EventListener | None = None):
        """A new VideoRoom handle on `session`; `on_event` hears its notifications."""
        return cls(await session.attach(PLUGIN, on_event=on_event))

    async def trickle(self, candidate: dict[str, Any] | list[dict[str, Any]] | None) -> None:
        """Pass the browser's ICE candidate(s) for this PeerConnection; None when it has gathered all."""
        await self.handle.trickle(candidate)

    async def hangup(self) -> None:
        """Close this PeerConnection in Janus, keeping the handle."""
        await self.handle.hangup()

    async def detach(self) -> None:
        """Detach the handle (leaves the room if still in it)."""
        await self.handle.detach()


class VideoRoomAdmin(_VideoRoomHandle):
    """Room management on a VideoRoom handle."""

    async def create_room(self, room: RoomId, *, publishers: int, description: str | None = None,
                          videocodec: str = "vp8", audiocodec: str = "opus", notify_joining: bool = True,
                          bitrate: int | None = None, secret: str | None = None, admin_key: str | None = None,
                          extra: dict[str, Any] | None = None) -> RoomId:
        """Create `room` (never permanent: Janus keeps it in memory only); returns its id.

        Raises JanusPluginError(427 ROOM_EXISTS) if it exists, 403/433 if `admin_key` is wrong.
        """
        body = _drop_none({"request": "create", "room": room, "publishers": publishers, "description": description,
                           "videocodec": videocodec, "audiocodec": audiocodec, "notify_joining": notify_joining,
                           "bitrate": bitrate, "secret": secret, "admin_key": admin_key, "permanent": False})
        reply = _expect(await self.handle.message({**body, **(extra or {})}), "created", "create")
        return reply.data["room"]

    async def destroy_room(self, room: RoomId, *, secret: str | None = None) -> None:
        """Destroy `room`; everyone in it is told (`destroyed`). Raises JanusPluginError(426) if it is unknown."""
        _expect(await self.handle.message(_drop_none({"request": "destroy", "room": room, "secret": secret})),
                "destroyed", "destroy")

    async def room_exists(self, room: RoomId) -> bool:
        """Whether `room` exists."""
        reply = _expect(await self.handle.message({"request": "exists", "room": room}), "success", "exists")
        return bool(reply.data["exists"])

    async def list_rooms(self, *, admin_key: str | None = None, timeout: float | None = None) -> list[dict[str, Any]]:
        """Every room Janus lists (`room`, `description`, `num_participants`, ...); `admin_key` shows
        the private ones too when the plugin locks its room list."""
        reply = _expect(await self.handle.message(_drop_none({"request": "list", "admin_key": admin_key}),
                                                  timeout=timeout), "success", "list")
        return list(reply.data.get("list") or ())

    async def list_participants(self, room: RoomId) -> list[dict[str, Any]]:
        """The room's participants (`id`, `display`, `publisher`, `talking`)."""
        reply = _expect(await self.handle.message({"request": "listparticipants", "room": room}),
                        "participants", "listparticipants")
        return list(reply.data.get("participants") or ())


class VideoRoomPublisher(_VideoRoomHandle):
    """One person's publishing PeerConnection (camera, microphone, screen as extra tracks)."""

    async def join(self, room: RoomId, *, id: FeedId | None = None, display: str | None = None) -> Joined:  # noqa: A002
        """Join `room` as a publisher (not yet sending); who already publishes is in the answer."""
        reply = await self.handle.message(_drop_none({"request": "join", "ptype": "publisher", "room": room,
                                                      "id": id, "display": display}))
        data = _expect(reply, "joined", "join").data
        return Joined(data["room"], data["id"], int(data.get("private_id", 0)),
                      tuple(Feed.from_json(p) for p in data.get("publishers") or ()),
                      tuple(Attendee(a["id"], a.get("display")) for a in data.get("attendees") or ()))

    async def publish(self, offer: Jsep, *, bitrate: int | None = None,
                      descriptions: Iterable[tuple[str, str]] = ()) -> Jsep:
        """Publish with the browser's SDP offer; returns Janus's answer. `descriptions`: (mid, text) pairs."""
        body = _drop_none({"request": "publish", "bitrate": bitrate,
                           "descriptions": [{"mid": m, "description": d} for m, d in descriptions] or None})
        reply = await self.handle.message(body, offer)
        if reply.data.get("configured") != "ok" or reply.jsep is None:
            raise JanusError(f"VideoRoom answered 'publish' with {reply.data!r} and no SDP answer")
        return reply.jsep

    async def configure(self, *, bitrate: int | None = None, keyframe: bool | None = None,
                        streams: Iterable[dict[str, Any]] = (), descriptions: Iterable[tuple[str, str]] = (),
                        offer: Jsep | None = None) -> Jsep | None:
        """Change what is published: bitrate cap, a keyframe request, per-mid `send`; with `offer`, renegotiate
        (e.g. the screen added as a track) and get Janus's answer."""
        body = _drop_none({"request": "configure", "bitrate": bitrate, "keyframe": keyframe,
                           "streams": list(streams) or None,
                           "descriptions": [{"mid": m, "description": d} for m, d in descriptions] or None})
        reply = await self.handle.message(body, offer)
        if reply.data.get("configured") != "ok":
            raise JanusError(f"VideoRoom answered 'configure' with {reply.data!r}")
        return reply.jsep

    async def unpublish(self) -> None:
        """Stop publishing (the PeerConnection closes; subscribers are told `unpublished`)."""
        reply = await self.handle.message({"request": "unpublish"})
        if reply.data.get("unpublished") != "ok":
            raise JanusError(f"VideoRoom answered 'unpublish' with {reply.data!r}")

    async def leave(self) -> None:
        """Leave the room (unpublishing too); the others are told `leaving`."""
        reply = await self.handle.message({"request": "leave"})
        if reply.data.get("leaving") != "ok":
            raise JanusError(f"VideoRoom answered 'leave' with {reply.data!r}")


class VideoRoomSubscriber(_VideoRoomHandle):
    """One person's receiving PeerConnection, carrying the streams of many publishers."""

    async def join(self, room: RoomId, streams: Iterable[StreamRequest], *, private_id: int | None = None,
                   use_msid: bool | None = None, autoupdate: bool | None = None) -> Subscription:
        """Subscribe to `streams`; returns the m-lines and Janus's offer (answer it with `start`).

        Janus only knows a publisher's feed once its PeerConnection is up (`webrtcup`): before that,
        JanusPluginError(428 NO_SUCH_FEED). `use_msid`/`autoupdate`: Janus's defaults (false/true) when None.
        """
        reply = await self.handle.message(_drop_none({
            "request": "join", "ptype": "subscriber", "room": room, "private_id": private_id,
            "use_msid": use_msid, "autoupdate": autoupdate, "streams": [s.to_json() for s in streams]}))
        subscription = Subscription.from_reply(_expect(reply, "attached", "join"))
        if subscription.offer is None:
            raise JanusError("VideoRoom attached a subscriber without an SDP offer")
        return subscription

    async def start(self, answer: Jsep | None = None) -> None:
        """Answer Janus's offer (media then flows once ICE/DTLS are up: `webrtcup`); without one, resume."""
        reply = await self.handle.message({"request": "start"}, answer)
        if reply.data.get("started") != "ok":
            raise JanusError(f"VideoRoom answered 'start' with {reply.data!r}")

    async def pause(self) -> None:
        """Stop relaying every stream of this subscription (`start` without an answer resumes)."""
        reply = await self.handle.message({"request": "pause"})
        if reply.data.get("paused") != "ok":
            raise JanusError(f"VideoRoom answered 'pause' with {reply.data!r}")

    async def update(self, subscribe: Iterable[StreamRequest] = (),
                     unsubscribe: Iterable[dict[str, Any]] = ()) -> Subscription | None:
        """Add and remove streams in one renegotiation; the new offer, or None when Janus postponed it
        (`updating`: the offer then comes later as an `updated` event on the handle)."""
        body: dict[str, Any] = {"request": "update"}
        if subscribe := [s.to_json() for s in subscribe]:
            body["subscribe"] = subscribe
        if unsubscribe := list(unsubscribe):
            body["unsubscribe"] = unsubscribe
        reply = await self.handle.message(body)
        if reply.data.get("videoroom") == "updating":
            return None
        return Subscription.from_reply(_expect(reply, "updated", "update"))

    async def switch(self, changes: Iterable[tuple[FeedId, str, str]]) -> tuple[SubscribedStream, ...]:
        """Feed existing m-lines from other publishers without renegotiating: (feed, feed mid, sub_mid) triples."""
        reply = await self.handle.message({"request": "switch", "streams": [
            {"feed": feed, "mid": mid, "sub_mid": sub_mid} for feed, mid, sub_mid in changes]})
        if reply.data.get("switched") != "ok":
            raise JanusError(f"VideoRoom answered 'switch' with {reply.data!r}")
        return tuple(SubscribedStream.from_json(s) for s in reply.data.get("streams") or ())

    async def configure(self, streams: Iterable[StreamConfig], *, restart: bool = False) -> Jsep | None:
        """Change streams (simulcast layer, relay on/off); `restart` asks for an ICE-restart offer (returned)."""
        body: dict[str, Any] = {"request": "configure", "streams": [s.to_json() for s in streams]}
        if restart:
            body["restart"] = True
        reply = await self.handle.message(body)
        if reply.data.get("configured") != "ok":
            raise JanusError(f"VideoRoom answered subscriber 'configure' with {reply.data!r}")
        return reply.jsep

    async def leave(self) -> None:
        """End the subscription (its PeerConnection closes)."""
        reply = await self.handle.message({"request": "leave"})
        if reply.data.get("left") != "ok":
            raise JanusError(f"VideoRoom answered subscriber 'leave' with {reply.data!r}")
