"""Where room state lives: the `RoomStore` interface and its implementations (Redis: `cluster/`)."""

from __future__ import annotations

from tornado_app.store.base import PresenceStore, RoomStore, StoreUnavailable
from tornado_app.store.catalog import SqliteRoomCatalog
from tornado_app.store.memory import MemoryRoomStore

__all__ = ["PresenceStore", "RoomStore", "StoreUnavailable", "MemoryRoomStore", "SqliteRoomCatalog"]
