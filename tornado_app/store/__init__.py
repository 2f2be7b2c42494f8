"""Where room state lives: the `RoomStore` interface and its implementations."""

from __future__ import annotations

from tornado_app.config import Settings
from tornado_app.store.base import RoomStore
from tornado_app.store.catalog import SqliteRoomCatalog
from tornado_app.store.memory import MemoryRoomStore

__all__ = ["RoomStore", "MemoryRoomStore", "SqliteRoomCatalog", "create_store"]


def create_store(settings: Settings) -> RoomStore:
    """The store the settings ask for: Redis with --redis-url (several processes share it),
    otherwise in memory with rooms persisted in SQLite under data_dir.

    Raises `tornado_app.datadir.DataDirError` when the data folder or its database is unusable.
    """
    if settings.redis_url:
        from tornado_app.store.redis import RedisRoomStore

        return RedisRoomStore(settings.redis_url, room_ttl_days=settings.room_ttl_days)
    return MemoryRoomStore(SqliteRoomCatalog(settings.data_dir / "rooms.sqlite3",
                                             settings.room_ttl_days))
