"""SFU rooms (issue 16): this process drives Janus's VideoRoom for the people whose WebSocket it holds.

One Janus session per process (on the first `--janus-url`), one VideoRoom room per Parley room (the
Parley room id is the Janus room id, `string_ids`), and per person a publisher handle (their camera,
microphone and screen) and a subscriber handle (everyone else's media). The browser only sees
Parley's `sfuOffer`/`sfuAnswer`/`sfuCandidate`; Janus URLs, sessions and handles stay here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from tornado_app.janus import JanusConnection, JanusError, JanusGone, JanusPluginError, JanusSession, Jsep
from tornado_app.janus.errors import VideoRoomErrorCode
from tornado_app.janus.videoroom import StreamConfig, StreamRequest, VideoRoomAdmin, VideoRoomPublisher, VideoRoomSubscriber
from tornado_app.janus.videoroom_events import Left, PublishersAdded, SubscriptionUpdated, Unpublished, parse_event
from tornado_app.janus.videoroom_types import Feed, SubscribedStream, Subscription
from tornado_app.logs import room_tag
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.layers import layer_configs

log = logging.getLogger("parley.sfu")

Send = Callable[[bytes], None]


async def _connect(url: str) -> JanusConnection:
    """A connection to the Janus at `url`: ws:// or wss://, or ws+unix:// and a socket file's path."""
    if url.startswith("ws+unix://"):
        return await JanusConnection.connect("ws://janus/", unix_socket=url[len("ws+unix://"):])
    return await JanusConnection.connect(url)


def stream_map(streams: tuple[SubscribedStream, ...], feeds: dict[str, Feed]) -> list[p.SfuStream]:
    """Which person and which of their media each active m-line of a subscription carries: a
    publisher's first video is its camera, a later one its screen; its first audio is its
    microphone, a later one its screen's sound (kind "screen" too)."""
    out = []
    for stream in streams:
        if stream.feed_id is None or not stream.active or stream.type not in ("audio", "video"):
            continue
        feed = feeds.get(str(stream.feed_id))
        same_type = [s.mid for s in feed.streams if s.type == stream.type] if feed else []
        first = not same_type or same_type[0] == stream.feed_mid
        kind = ("camera" if stream.type == "video" else "audio") if first else "screen"
        out.append(p.SfuStream(stream.mid, str(stream.feed_id), kind))  # type: ignore[arg-type]
    return out


@dataclasses.dataclass
class _Person:
    room_id: str
    user_id: str
    send: Send
    publisher: VideoRoomPublisher | None = None
    subscriber: VideoRoomSubscriber | None = None
    subscribed: set[str] = dataclasses.field(default_factory=set)  # feed ids
    streams: list[p.SfuStream] = dataclasses.field(default_factory=list)  # the last subscribe offer's
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)


class SfuGateway:
    """Janus rooms and the handles of this process's people in SFU rooms."""

    def __init__(self, urls: tuple[str, ...], admin_key: str | None, max_publishers: int) -> None:
        self.urls, self.admin_key, self.max_publishers = urls, admin_key, max_publishers
        self._connection: JanusConnection | None = None
        self._session: JanusSession | None = None
        self._admin: VideoRoomAdmin | None = None
        self._connecting = asyncio.Lock()
        self._people: dict[tuple[str, str], _Person] = {}
        self._feeds: dict[str, dict[str, Feed]] = {}  # room -> feed id -> what it publishes
        self._rooms: set[str] = set()  # the Janus rooms this process made ready (to destroy at the end)
        self._tasks: set[asyncio.Task] = set()  # subscription updates under way (the loop keeps only weak refs)

    async def _ensure_session(self) -> tuple[JanusSession, VideoRoomAdmin]:
        async with self._connecting:
            if self._session is None or self._session.is_lost or self._admin is None:
                await self._drop_session()
                try:
                    self._connection = await _connect(self.urls[0])
                    self._session = await JanusSession.create(self._connection)
                    self._admin = await VideoRoomAdmin.attach(self._session)
                except JanusError as exc:
                    await self._drop_session()
                    raise RoomError.sfu_unavailable(str(exc)) from None
            return self._session, self._admin

    async def _drop_session(self) -> None:
        connection, self._connection, self._session, self._admin = self._connection, None, None, None
        if connection is not None:
            await connection.close()

    async def ensure_room(self, room_id: str) -> None:
        """Create the room's VideoRoom room unless it exists (sfuUnavailable if Janus fails)."""
        _, admin = await self._ensure_session()
        try:
            if room_id not in self._rooms and not await admin.room_exists(room_id):
                await admin.create_room(room_id, publishers=self.max_publishers, admin_key=self.admin_key)
            self._rooms.add(room_id)
        except JanusPluginError as exc:
            if exc.code != VideoRoomErrorCode.ROOM_EXISTS:
                raise RoomError.sfu_unavailable(str(exc)) from None
        except JanusError as exc:
            raise RoomError.sfu_unavailable(str(exc)) from None

    async def room_exists(self, room_id: str) -> bool:
        """Whether Janus has a room for `room_id` (for tests and diagnostics)."""
        _, admin = await self._ensure_session()
        return await admin.room_exists(room_id)

    async def destroy_room(self, room_id: str) -> None:
        """The meeting ended: destroy its Janus room (everyone in it is hung up) and forget its people."""
        if room_id not in self._rooms:
            return  # never an SFU room here: no Janus room to destroy, no reason to reach Janus
        self._rooms.discard(room_id)
        for key in [k for k in self._people if k[0] == room_id]:
            await self.leave(*key)
        self._feeds.pop(room_id, None)
        try:
            _, admin = await self._ensure_session()
            await admin.destroy_room(room_id)
        except JanusPluginError as exc:
            if exc.code != VideoRoomErrorCode.NO_SUCH_ROOM:
                log.warning("Janus refused to destroy the room of %s: %s", room_tag(room_id), exc)
        except (JanusError, RoomError) as exc:
            log.warning("could not destroy the Janus room of %s: %s", room_tag(room_id), exc)

    def _person(self, room_id: str, user_id: str, send: Send) -> _Person:
        person = self._people.get((room_id, user_id))
        if person is None:
            person = self._people[(room_id, user_id)] = _Person(room_id, user_id, send)
        person.send = send  # a resumed connection speaks for them now
        return person

    async def publish(self, room_id: str, user_id: str, sdp: p.SessionDescription, send: Send) -> None:
        """The person's publish offer -> Janus -> `sfuAnswer{pc: "publish"}`; then they subscribe."""
        session, _ = await self._ensure_session()
        person = self._person(room_id, user_id, send)
        async with person.lock:
            try:
                if person.publisher is None:
                    publisher = await VideoRoomPublisher.attach(
                        session, on_event=lambda message: self._on_publisher_event(room_id, message))
                    person.publisher = publisher
                    joined = await publisher.join(room_id, id=user_id)
                    feeds = self._feeds.setdefault(room_id, {})
                    feeds.update({str(f.id): f for f in joined.publishers})
                    answer = await publisher.publish(Jsep(sdp.type, sdp.sdp))
                else:
                    answer = await person.publisher.configure(offer=Jsep(sdp.type, sdp.sdp))
            except JanusError as exc:
                raise RoomError.sfu_unavailable(str(exc)) from None
        if answer is not None:
            send(p.encode(p.ServerSfuAnswer("publish", p.SessionDescription(answer.type, answer.sdp))))
        await self._refresh(person)

    async def answer(self, room_id: str, user_id: str, sdp: p.SessionDescription) -> None:
        """The person's answer to our subscribe offer."""
        person = self._people.get((room_id, user_id))
        if person is None or person.subscriber is None:
            raise RoomError.sfu_not_started("sfuAnswer")
        try:
            await person.subscriber.start(Jsep(sdp.type, sdp.sdp))
        except JanusError as exc:
            raise RoomError.sfu_unavailable(str(exc)) from None

    async def set_layer(self, room_id: str, user_id: str, target: str, layer: p.SfuLayer) -> None:
        """The layer of `target`'s camera that the person's subscription carries (rooms/layers.py)."""
        person = self._people.get((room_id, user_id))
        if person is None or person.subscriber is None:
            raise RoomError.sfu_not_started("sfuLayer")
        configs = layer_configs(person.streams, target, layer)
        try:
            await person.subscriber.configure(
                [StreamConfig(c.mid, send=c.send, substream=c.substream) for c in configs])
        except JanusError as exc:
            raise RoomError.sfu_unavailable(str(exc)) from None

    async def trickle(self, room_id: str, user_id: str, pc: str, candidate: p.IceCandidate) -> None:
        """A browser's ICE candidate for one of its two connections."""
        person = self._people.get((room_id, user_id))
        handle = None if person is None else person.publisher if pc == "publish" else person.subscriber
        if handle is None:
            raise RoomError.sfu_not_started("sfuCandidate")
        value: dict[str, Any] | None = None if not candidate.candidate else {  # None: all gathered
            "candidate": candidate.candidate, "sdpMid": candidate.sdpMid, "sdpMLineIndex": candidate.sdpMLineIndex}
        try:
            await handle.trickle(value)
        except JanusError as exc:
            raise RoomError.sfu_unavailable(str(exc)) from None

    async def leave(self, room_id: str, user_id: str) -> None:
        """The person left or their connection closed: detach their handles."""
        person = self._people.pop((room_id, user_id), None)
        if person is None:
            return
        for handle in (person.subscriber, person.publisher):
            if handle is not None:
                try:
                    await handle.detach()
                except JanusError:
                    pass  # Janus forgets the handle with the session anyway

    def _on_publisher_event(self, room_id: str, message: dict[str, Any]) -> None:
        event = parse_event(message)
        feeds = self._feeds.setdefault(room_id, {})
        if type(event) is PublishersAdded:
            feeds.update({str(f.id): f for f in event.feeds})
        elif type(event) in (Unpublished, Left):
            if feeds.pop(str(event.feed_id), None) is None:
                return  # Janus says it twice (docs/janus.md)
        else:
            return
        for person in [q for (r, _), q in self._people.items() if r == room_id]:
            task = asyncio.ensure_future(self._refresh_quietly(person))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _refresh_quietly(self, person: _Person) -> None:
        try:
            await self._refresh(person)
        except (JanusError, RoomError) as exc:
            log.warning("could not update %s's subscription in %s: %s", person.user_id,
                        room_tag(person.room_id), exc)

    async def _refresh(self, person: _Person) -> None:
        """Subscribe the person to every other publisher, and no longer to those that left."""
        feeds = self._feeds.get(person.room_id, {})
        wanted = {feed for feed in feeds if feed != person.user_id}
        session, _ = await self._ensure_session()
        async with person.lock:
            if self._people.get((person.room_id, person.user_id)) is not person:
                return  # they left meanwhile
            add, drop = wanted - person.subscribed, person.subscribed - wanted
            if not add and not drop:
                return
            subscription: Subscription | None
            if person.subscriber is None:
                if not add:
                    return
                person.subscriber = await VideoRoomSubscriber.attach(
                    session, on_event=lambda message: self._on_subscriber_event(person, message))
                subscription = await person.subscriber.join(person.room_id, [StreamRequest(f) for f in sorted(add)])
            else:
                subscription = await person.subscriber.update([StreamRequest(f) for f in sorted(add)],
                                                              [{"feed": f} for f in sorted(drop)])
            person.subscribed = wanted
        if subscription is not None:
            self._offer(person, subscription)

    def _on_subscriber_event(self, person: _Person, message: dict[str, Any]) -> None:
        event = parse_event(message)
        if type(event) is SubscriptionUpdated and event.subscription.offer is not None:
            self._offer(person, event.subscription)

    def _offer(self, person: _Person, subscription: Subscription) -> None:
        if subscription.offer is None:
            return
        streams = person.streams = stream_map(subscription.streams, self._feeds.get(person.room_id, {}))
        offer = p.SessionDescription(subscription.offer.type, subscription.offer.sdp)  # type: ignore[arg-type]
        person.send(p.encode(p.ServerSfuOffer("subscribe", offer, streams)))

    async def close(self) -> None:
        """Detach everyone and close the Janus connection (server shutdown)."""
        for key in list(self._people):
            await self.leave(*key)
        await self._drop_session()
