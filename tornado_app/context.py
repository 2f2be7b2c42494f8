"""What the handlers share: settings, store, the meeting manager, hub, and the HTTP rate limiter."""

from __future__ import annotations

import dataclasses

from tornado_app.config import Settings
from tornado_app.hub import Hub
from tornado_app.meeting import MeetingManager
from tornado_app.metrics import Metrics
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.store.base import RoomStore


@dataclasses.dataclass(frozen=True)
class Parley:
    """One server's parts, handed to every handler through `initialize`."""

    settings: Settings
    store: RoomStore
    meetings: MeetingManager
    hub: Hub
    create_limiter: KeyedLimiter
    metrics: Metrics
    background: tuple = ()  # parts with async start()/close(): the bus, presence

    async def start(self) -> None:
        """Start the store and the background parts (with Redis: inbox listener, presence)."""
        await self.store.start()
        for part in self.background:
            await part.start()

    async def stop(self) -> None:
        """Stop the background parts."""
        for part in reversed(self.background):
            await part.close()
