"""Fixtures for the domain's unit tests: every store implementation, behind the same interface."""

from __future__ import annotations

import pytest

from tornado_app.store import MemoryRoomStore, SqliteRoomCatalog
from tornado_app.cluster.store import RedisRoomStore


@pytest.fixture(params=["memory", "redis"])
def store(request, tmp_path, io_loop):
    """Each RoomStore implementation in turn: the shared suite runs against all of them."""
    if request.param == "memory":
        made = MemoryRoomStore(SqliteRoomCatalog(tmp_path / "rooms.sqlite3"))
    else:
        redis_server = request.getfixturevalue("redis_server")
        redis_server.flush()
        made = RedisRoomStore(redis_server.url)
    yield made
    io_loop.run_sync(made.close)
