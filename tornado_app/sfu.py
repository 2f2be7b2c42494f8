"""SFU rooms (issue 16): this process drives Janus's VideoRoom for the people whose WebSocket it holds.

Every `--janus-url` is used: a new SFU room goes to the live instance with the least load
(`rooms/placement.py`), and the store records which (`place_janus`), so every process sharing
the store uses the same one. This process keeps one Janus session per instance (`janus_pool.py`),
one VideoRoom room per Parley room (the Parley room id is the Janus room id, `string_ids`), and per
person a publisher handle (their camera, microphone and screen) and a subscriber handle (everyone
else's media). The browser only sees Parley's `sfuOffer`/`sfuAnswer`/`sfuCandidate`; Janus URLs,
sessions and handles stay here.

When an instance is lost, its rooms move (sfu_failover.py): placed again (on another live
instance, or the same one once it answers again), and everyone in them gets `sfuRestart` to
publish and subscribe anew; with no instance left this process's people get
`error{sfuUnavailable}` and the room waits for one to come back.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from tornado_app.bus import Bus
from tornado_app.hub import Hub
from tornado_app.janus import JanusError, JanusPluginError, Jsep
from tornado_app.janus.errors import VideoRoomErrorCode
from tornado_app.janus.videoroom import StreamConfig, StreamRequest, VideoRoomPublisher, VideoRoomSubscriber
from tornado_app.janus.videoroom_events import Left, PublishersAdded, SubscriptionUpdated, Unpublished, parse_event
from tornado_app.janus.videoroom_types import Feed, SubscribedStream, Subscription
from tornado_app.janus_pool import PARLEY_ROOM, JanusPool
from tornado_app.logs import room_tag
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.layers import layer_configs
from tornado_app.rooms.placement import choose_instance
from tornado_app.sfu_failover import Failover
from tornado_app.store.base import RoomStore

log = logging.getLogger("parley.sfu")

Send = Callable[[bytes], None]


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


class SfuGateway(Failover):
    """Janus rooms and the handles of this process's people in SFU rooms."""

    def __init__(self, urls: tuple[str, ...], admin_key: str | None, max_publishers: int,
                 store: RoomStore, hub: Hub, bus: Bus, *, keepalive_interval: float = 25.0) -> None:
        self.urls, self.admin_key, self.max_publishers = urls, admin_key, max_publishers
        self.store, self.hub, self.bus = store, hub, bus
        self.pool = JanusPool(urls, on_lost=self._instance_lost, on_up=self._instance_up,
                              keepalive_interval=keepalive_interval)
        self._people: dict[tuple[str, str], _Person] = {}
        self._feeds: dict[str, dict[str, Feed]] = {}  # room -> feed id -> what it publishes
        self._rooms: dict[str, str] = {}  # the Janus rooms this process made ready -> their instance
        self._stranded: set[str] = set()  # rooms whose instance died while no other answered
        self._room_locks: dict[str, asyncio.Lock] = {}  # following the store's record (sfu_failover.py)
        self._tasks: set[asyncio.Task] = set()  # work under way (the loop keeps only weak refs)

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def ensure_room(self, room_id: str) -> None:
        """Create the room's VideoRoom room unless it exists, on the instance the store names or,
        for a new room, the least loaded live one (sfuUnavailable if no Janus can take it)."""
        try:
            url = self._rooms.get(room_id) or await self.store.janus_of(room_id)
            if url is None or not self.pool.is_up(url):  # new, or its instance was lost: place it (again)
                lost = url
                url, wrote = await self._place(room_id, lost)
                if lost is not None and wrote:  # moved: the people already in it follow
                    await self._restart_everyone(room_id)
            await self._make_room(room_id, url)
        except JanusError as exc:
            raise RoomError.sfu_unavailable(str(exc)) from None

    async def _place(self, room_id: str, lost: str | None) -> tuple[str, bool]:
        """Choose an instance for the room (`lost`: the one it was on) and record it, unless another
        process recorded its choice first: then theirs. And whether this process recorded it."""
        choice = choose_instance(self.urls, await self.pool.loads(self.admin_key), avoid=lost)
        if choice is None:
            raise RoomError.sfu_unavailable("no Janus instance answers")
        placed, wrote = await self.store.place_janus(room_id, lost, choice)
        if not wrote:
            log.info("%s: another process placed it on %s", room_tag(room_id), placed)
        return placed, wrote

    async def _make_room(self, room_id: str, url: str) -> None:
        if self._rooms.get(room_id) == url and self.pool.is_up(url):
            return
        _, admin = await self.pool.session(url)
        try:
            if not await admin.room_exists(room_id):
                await admin.create_room(room_id, publishers=self.max_publishers, admin_key=self.admin_key,
                                        description=PARLEY_ROOM)
        except JanusPluginError as exc:
            if exc.code != VideoRoomErrorCode.ROOM_EXISTS:
                raise
        self._rooms[room_id] = url

    async def room_exists(self, room_id: str) -> bool:
        """Whether Janus has a room for `room_id` on the instance holding it (tests, diagnostics)."""
        url = self._rooms.get(room_id) or await self.store.janus_of(room_id)
        if url is None:
            return False
        _, admin = await self.pool.session(url)
        return await admin.room_exists(room_id)

    async def destroy_room(self, room_id: str) -> None:
        """The meeting ended (nobody left): forget its people here and destroy its Janus room,
        once across every process (whoever takes the store's record destroys it)."""
        self._rooms.pop(room_id, None)
        self._stranded.discard(room_id)
        self._room_locks.pop(room_id, None)
        for key in [k for k in self._people if k[0] == room_id]:
            await self.leave(*key)
        self._feeds.pop(room_id, None)
        url = await self.store.release_janus(room_id)
        if url is None:
            return  # never an SFU room, someone is still in it, or another process destroys it
        await self._destroy_on(url, room_id)

    async def _destroy_on(self, url: str, room_id: str) -> None:
        try:
            _, admin = await self.pool.session(url)
            await admin.destroy_room(room_id)
            log.info("destroyed the Janus room of %s", room_tag(room_id))
        except JanusPluginError as exc:
            if exc.code != VideoRoomErrorCode.NO_SUCH_ROOM:
                log.warning("Janus refused to destroy the room of %s: %s", room_tag(room_id), exc)
        except JanusError as exc:  # it died: its rooms went with it
            log.warning("could not destroy the Janus room of %s: %s", room_tag(room_id), exc)

    async def _session_of(self, room_id: str):
        url = self._rooms.get(room_id)
        if url is None:
            await self.ensure_room(room_id)  # e.g. a room this process had not used yet
            url = self._rooms[room_id]
        session, _ = await self.pool.session(url)
        return session

    def _person(self, room_id: str, user_id: str, send: Send) -> _Person:
        person = self._people.get((room_id, user_id))
        if person is None:
            person = self._people[(room_id, user_id)] = _Person(room_id, user_id, send)
        person.send = send  # a resumed connection speaks for them now
        return person

    async def publish(self, room_id: str, user_id: str, sdp: p.SessionDescription, send: Send) -> None:
        """The person's publish offer -> Janus -> `sfuAnswer{pc: "publish"}`; then they subscribe."""
        person = self._person(room_id, user_id, send)
        # Another process may have moved the room (sfuRestart): go where the store says first.
        await self._follow_store(room_id)
        async with person.lock:
            try:
                session = await self._session_of(room_id)
                if person.publisher is None:
                    url = self._rooms[room_id]
                    publisher = await VideoRoomPublisher.attach(
                        session, on_event=lambda message: self._on_publisher_event(room_id, url, message))
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
        if not self.hub.connections_in(room_id) and not any(r == room_id for r, _ in self._people):
            # Nobody here in that meeting any more: forget it (the store still knows where it is,
            # and the process of whoever leaves last destroys it).
            self._rooms.pop(room_id, None)
            self._feeds.pop(room_id, None)
        for handle in (person.subscriber, person.publisher):
            if handle is not None:
                try:
                    await handle.detach()
                except JanusError:
                    pass  # Janus forgets the handle with the session anyway

    def _on_publisher_event(self, room_id: str, url: str, message: dict[str, Any]) -> None:
        if self._rooms.get(room_id) != url:
            return  # news of the room on an instance this process has left (it moved)
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
        session = await self._session_of(person.room_id)
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
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)
        await self.pool.close()
