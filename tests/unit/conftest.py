"""Fixtures for the domain's unit tests: every store implementation, behind the same interface."""

from __future__ import annotations

import pytest
from redis_process import RedisProcess

from tornado_app.store import MemoryRoomStore, SqliteRoomCatalog
from tornado_app.store.redis import RedisRoomStore


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the session; tests flush it."""
    server = RedisProcess(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


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
