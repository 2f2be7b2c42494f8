"""Where rooms live and how messages travel, by the settings: one process, or many on Redis."""

from __future__ import annotations

import dataclasses

from tornado_app.bus import Bus, LocalBus
from tornado_app.config import Settings
from tornado_app.hub import Hub
from tornado_app.store.base import PresenceStore, RoomStore
from tornado_app.store.catalog import SqliteRoomCatalog
from tornado_app.store.memory import MemoryRoomStore


@dataclasses.dataclass(frozen=True)
class Backend:
    """A store, the bus that reaches its users, and (shared by processes) its presence records."""

    store: RoomStore
    bus: Bus
    presence: PresenceStore | None = None


def create_backend(settings: Settings, hub: Hub) -> Backend:
    """Redis with --redis-url (several processes share it), otherwise this process's memory with
    rooms persisted in SQLite under data_dir.

    Raises `tornado_app.datadir.DataDirError` when the data folder or its database is unusable.
    """
    if settings.redis_url:
        from tornado_app.cluster.bus import RedisBus
        from tornado_app.cluster.store import RedisRoomStore

        redis_store = RedisRoomStore(settings.redis_url, room_ttl_days=settings.room_ttl_days)
        return Backend(redis_store, RedisBus(redis_store, hub), redis_store)
    store = MemoryRoomStore(SqliteRoomCatalog(settings.data_dir / "rooms.sqlite3",
                                              settings.room_ttl_days))
    return Backend(store, LocalBus(store, hub))
