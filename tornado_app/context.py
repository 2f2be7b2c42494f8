"""What the handlers share: settings, store, service, hub, bus and the HTTP rate limiter."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets

from tornado_app.bus import Bus
from tornado_app.config import Settings
from tornado_app.hub import Hub
from tornado_app.logs import room_tag
from tornado_app.metrics import Metrics
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms.service import RoomService
from tornado_app.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("parley")


@dataclasses.dataclass(frozen=True)
class Parley:
    """One server's parts, handed to every handler through `initialize`."""

    settings: Settings
    store: RoomStore
    service: RoomService
    hub: Hub
    bus: Bus
    create_limiter: KeyedLimiter
    pending: set[asyncio.Task] = dataclasses.field(default_factory=set)
    background: tuple = ()  # parts with async start()/close(): the bus, presence
    metrics: Metrics = dataclasses.field(default_factory=Metrics)

    async def start(self) -> None:
        """Start the store and the background parts (with Redis: the inbox listener and presence)."""
        await self.store.start()
        for part in self.background:
            await part.start()

    async def stop(self) -> None:
        """Stop the background parts."""
        for part in reversed(self.background):
            await part.close()

    def new_conn_id(self) -> str:
        """A connection id, unique across every process that shares the store."""
        return f"{self.store.node_id}.{secrets.token_hex(8)}"

    async def leave(self, room_id: str, user_id: str, conn_id: str | None) -> None:
        """Remove the user (if still on `conn_id`) and tell the rest of the room, in order."""
        async with self.store.sequenced(room_id):
            await self.bus.deliver(await self.service.leave(room_id, user_id, conn_id))

    def leave_later(self, room_id: str, user_id: str, conn_id: str, delay: float) -> None:
        """Remove the user after `delay` seconds unless a newer connection has taken over."""
        loop = asyncio.get_running_loop()
        if delay <= 0:
            self._spawn(self._leave(room_id, user_id, conn_id))
        else:
            loop.call_later(delay, lambda: self._spawn(self._leave(room_id, user_id, conn_id)))

    def _spawn(self, coro) -> None:
        if self.hub.shutting_down:
            coro.close()
            return
        task = asyncio.ensure_future(coro)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _leave(self, room_id: str, user_id: str, conn_id: str, attempt: int = 0) -> None:
        try:
            await self.leave(room_id, user_id, conn_id)
        except StoreUnavailable:  # try again when the store is back, backing off to a minute
            delay = min(60.0, 0.5 * 2 ** attempt)
            log.warning("store unavailable; will remove %s from %s in %.1f s", user_id,
                        room_tag(room_id), delay)
            asyncio.get_running_loop().call_later(delay, lambda: self._spawn(
                self._leave(room_id, user_id, conn_id, attempt + 1)))
        except Exception:
            log.exception("bug while removing %s from %s", user_id, room_tag(room_id))
