"""What an SFU gateway (sfu.py) does when a Janus instance is lost or comes back, as a mixin.

A lost instance's rooms (those this process uses) move: placed again on another live instance (or
the same one once it answers), and everyone in them, on every process, gets `sfuRestart` to
publish and subscribe anew; with no instance left, this process's people get
`error{sfuUnavailable}` and the room waits for one to come back.

Processes can disagree on whether an instance is alive (one lost its link to it, the others did
not). The one that lost it moves the room and records the new instance in the store; the others
follow the store's record when their people publish again after `sfuRestart` (`_follow_store`):
they detach their handles on the old instance, so the room is never split across two instances.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from tornado_app.janus import JanusError
from tornado_app.janus_pool import PARLEY_ROOM, JanusPool
from tornado_app.logs import room_tag
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import ErrorCode, RoomError
from tornado_app.rooms.placement import orphaned
from tornado_app.rooms.service import Deliver
from tornado_app.store.base import RoomStore, StoreUnavailable

if TYPE_CHECKING:
    from tornado_app.bus import Bus
    from tornado_app.hub import Hub

log = logging.getLogger("parley.sfu")


class Failover:
    """Failover for SfuGateway: its state is the gateway's (see there)."""

    store: RoomStore
    hub: Hub
    bus: Bus
    pool: JanusPool
    admin_key: str | None
    _rooms: dict[str, str]
    _feeds: dict[str, dict[str, Any]]
    _people: dict[tuple[str, str], Any]
    _stranded: set[str]
    _room_locks: dict[str, asyncio.Lock]
    # and its methods _spawn, _place, _make_room and _destroy_on

    def _instance_lost(self, url: str) -> None:
        """Janus at `url` is gone: its rooms (those this process uses) move."""
        rooms = [room for room, at in self._rooms.items() if at == url]
        for room_id in rooms:
            del self._rooms[room_id]
            self._feeds.pop(room_id, None)
            for person in [q for (r, _), q in self._people.items() if r == room_id]:
                # Their handles went with the session: the next sfuOffer attaches new ones.
                person.publisher = person.subscriber = None
                person.subscribed = set()
            self._spawn(self._move(room_id, url))

    def _instance_up(self, url: str) -> None:
        """Janus at `url` answers (again): stranded rooms can go there; clean what it holds."""
        for room_id in list(self._stranded):
            self._spawn(self._move(room_id, None))
        self._spawn(self._clean(url))

    async def _move(self, room_id: str, lost: str | None) -> None:
        """Place the room anew (`lost`: the instance this process lost; None: a stranded room whose
        instance may be back) and have its people start their SFU media again."""
        try:
            record = await self.store.janus_of(room_id)
            if record is None:
                return  # the meeting ended meanwhile
            if lost is None:
                lost = record
            if record != lost and self.pool.is_up(record):
                placed, wrote = record, False  # another process moved it already (and told everyone)
            else:
                placed, wrote = await self._place(room_id, lost)
            await self._make_room(room_id, placed)
        except (RoomError, JanusError, StoreUnavailable) as exc:
            first = room_id not in self._stranded
            self._stranded.add(room_id)
            log.warning("%s has no media server: %s", room_tag(room_id), exc)
            if first:
                error = p.Error(code=ErrorCode.SFU_UNAVAILABLE, message=(
                    "the media server of this meeting stopped and no other is available; "
                    "video and sound come back as soon as one is"))
                self._tell(room_id, p.encode(error))
            return
        self._stranded.discard(room_id)
        log.info("%s moved to Janus at %s; its people restart their media", room_tag(room_id), placed)
        if placed == lost:  # back on the instance it was on: only this process had lost it
            self._tell(room_id, p.encode(p.SfuRestart()))
        elif wrote:
            await self._restart_everyone(room_id)

    async def _restart_everyone(self, room_id: str) -> None:
        """`sfuRestart` to everyone in the room, on every process: this process moved it, and those
        whose process still reached the old instance follow the store's record (_follow_store)."""
        try:
            members = await self.store.members(room_id)
            await self.bus.deliver([Deliver(room_id, tuple(m.user_id for m in members), p.SfuRestart())])
        except StoreUnavailable as exc:  # the store is back soon; meanwhile this process's own people
            log.warning("could not tell everyone in %s to restart their media: %s", room_tag(room_id), exc)
            self._tell(room_id, p.encode(p.SfuRestart()))

    def _tell(self, room_id: str, data: bytes) -> None:
        """Send `data` to this process's people in the room (what only this process's loss concerns)."""
        for conn in self.hub.connections_in(room_id):
            conn.send(data)

    async def _clean(self, url: str) -> None:
        """Destroy the Parley rooms `url` holds that the store no longer places there (their meeting
        ended while no process could reach Janus, or a process died before destroying them)."""
        try:
            _, admin = await self.pool.session(url)
            rooms = [str(r["room"]) for r in await admin.list_rooms(admin_key=self.admin_key)
                     if r.get("description") == PARLEY_ROOM]
            placed = {room: await self.store.janus_of(room) == url for room in rooms}
        except (JanusError, StoreUnavailable) as exc:
            log.warning("could not look for orphaned rooms on Janus at %s: %s", url, exc)
            return
        for room_id in orphaned(rooms, placed):
            log.info("destroying the orphaned Janus room of %s", room_tag(room_id))
            await self._destroy_on(url, room_id)

    async def _follow_store(self, room_id: str) -> None:
        """If the store places the room on another instance than the one this process uses (another
        process lost the instance and moved the room), leave that one: detach this process's
        handles there, so that the next publish and subscription go where the store says."""
        lock = self._room_locks.setdefault(room_id, asyncio.Lock())
        async with lock:
            here = self._rooms.get(room_id)
            if here is None:
                return
            try:
                record = await self.store.janus_of(room_id)
            except StoreUnavailable:
                return  # keep to the instance in use; the publish says if it fails
            if record is None or record == here:
                return
            log.info("%s: another process moved it to Janus at %s; this process follows", room_tag(room_id), record)
            del self._rooms[room_id]
            self._feeds.pop(room_id, None)
            handles = []
            for person in [q for (r, _), q in self._people.items() if r == room_id]:
                handles += [h for h in (person.subscriber, person.publisher) if h is not None]
                person.publisher = person.subscriber = None
                person.subscribed = set()
            for handle in handles:
                try:
                    await handle.detach()
                except JanusError:
                    pass  # Janus forgets the handle with the session anyway
            # Nobody is to stay there (everyone was told to restart): no room is left behind.
            await self._destroy_on(here, room_id)
