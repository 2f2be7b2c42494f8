"""What the handlers share: settings, store, service, hub and the HTTP rate limiter."""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from tornado_app.config import Settings
from tornado_app.hub import Hub
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms.service import RoomService
from tornado_app.store.base import RoomStore

log = logging.getLogger("parley")


@dataclasses.dataclass(frozen=True)
class Parley:
    """One server's parts, handed to every handler through `initialize`."""

    settings: Settings
    store: RoomStore
    service: RoomService
    hub: Hub
    create_limiter: KeyedLimiter
    pending: set[asyncio.Task] = dataclasses.field(default_factory=set)

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

    async def _leave(self, room_id: str, user_id: str, conn_id: str) -> None:
        try:
            self.hub.deliver(await self.service.leave(room_id, user_id, conn_id))
        except Exception:
            log.exception("bug while removing %s from %s", user_id, room_id)
