"""Fixtures for the domain's unit tests: every store implementation, behind the same interface."""

from __future__ import annotations

import pytest

from tornado_app.store import MemoryRoomStore, SqliteRoomCatalog


@pytest.fixture(params=["memory"])
def store(request, tmp_path, io_loop):
    """Each RoomStore implementation in turn (the Redis one joins this list when it exists)."""
    made = MemoryRoomStore(SqliteRoomCatalog(tmp_path / "rooms.sqlite3"))
    yield made
    io_loop.run_sync(made.close)
