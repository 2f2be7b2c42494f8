"""Finding 10 (second half): rooms unused for `--room-ttl-days` are deleted, in both stores.

A room is used when it is created, or someone joins or leaves it. The TTLs here are a few seconds
(`--room-ttl-days` takes fractions); the tests wait for that time to pass, with margins of seconds.
Both stores run for real: SQLite on disk, and a real redis-server (tests/support/redis_server.py).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import pytest

from tornado_app.config import Settings, load_settings
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import Member
from tornado_app.server import ParleyServer
from tornado_app.store import MemoryRoomStore, SqliteRoomCatalog
from tornado_app.cluster.store import RedisRoomStore

TTL = 6.0  # seconds: long enough that a loaded machine still tells the rooms apart
TTL_DAYS = TTL / 86400


@pytest.fixture(params=["memory", "redis"])
def expiring_store(request, tmp_path, io_loop):
    """Each RoomStore with a TTL of a few seconds."""
    if request.param == "memory":
        made = MemoryRoomStore(SqliteRoomCatalog(tmp_path / "rooms.sqlite3", TTL_DAYS))
    else:
        redis_server = request.getfixturevalue("redis_server")
        redis_server.flush()
        made = RedisRoomStore(redis_server.url, room_ttl_days=TTL_DAYS)
    yield made
    io_loop.run_sync(made.close)


async def _until(deadline: float) -> None:
    """Let time pass up to `deadline` (monotonic): the TTL is time, there is no event to await."""
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def _poll(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        await asyncio.sleep(0.05)


def _member(user: str) -> Member:
    return Member(user, user.title(), f"c.{user}", f"tok-{user}")


async def test_an_unused_room_expires_and_a_used_one_lives_on(expiring_store, tmp_path):
    store = expiring_store
    start = time.monotonic()
    await store.create_room("idle")
    await store.create_room("busy")
    await _until(start + TTL * 0.6)
    await store.add_member("busy", _member("bob"), max_size=8, token_hash=None)  # used: joined
    await store.remove_member("busy", "bob", None)                               # and left
    await store.create_room("occupied")
    await store.add_member("occupied", _member("ann"), max_size=8, token_hash=None)
    used_at = time.monotonic()

    async def idle_gone() -> bool:
        return not await store.room_exists("idle")

    await _poll(idle_gone, TTL * 3, "the unused room expires")
    assert time.monotonic() - start >= TTL * 0.9  # not before its time
    assert time.monotonic() - used_at < TTL - 0.5, "the machine was too slow to tell the rooms apart"
    assert await store.room_exists("busy") and await store.room_exists("occupied")
    with pytest.raises(RoomError) as refused:
        await store.add_member("idle", _member("cat"), max_size=8, token_hash=None)
    assert refused.value.code == "roomNotFound"
    await store.expire_rooms()
    assert await store.room_count() == 2  # busy and occupied
    if isinstance(store, MemoryRoomStore):  # and the file no longer holds it
        with sqlite3.connect(tmp_path / "rooms.sqlite3") as db:
            rows = {r[0] for r in db.execute("SELECT id FROM rooms")}
        db.close()
        assert "idle" not in rows and "busy" in rows


async def test_rooms_from_before_expiry_are_kept_and_start_their_ttl(tmp_path, redis_server):
    """Files and Redis data from an older version: every room counts as used at the upgrade."""
    path = tmp_path / "rooms.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE rooms (id TEXT PRIMARY KEY, created_at REAL NOT NULL)")
    db.execute("INSERT INTO rooms VALUES ('old-room', 0)")
    db.commit()
    db.close()
    memory = MemoryRoomStore(SqliteRoomCatalog(path, 30))
    try:
        await memory.start()
        assert await memory.room_exists("old-room") and await memory.room_count() == 1
    finally:
        await memory.close()

    redis_server.flush()
    old = RedisRoomStore(redis_server.url)
    await old.redis.sadd("parley:rooms", "old-room")
    await old.close()
    upgraded = RedisRoomStore(redis_server.url, room_ttl_days=30)
    try:
        await upgraded.start()
        assert await upgraded.room_exists("old-room") and await upgraded.room_count() == 1
        assert 0 < await upgraded.redis.pttl("parley:room:old-room:used") <= 30 * 86400 * 1000
    finally:
        await upgraded.close()


async def test_a_server_deletes_expired_rooms_from_disk_and_refuses_them(tmp_path, http_client):
    data_dir = tmp_path / "data"
    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=data_dir,
                                   room_ttl_days=TTL_DAYS))
    port = await server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        response = await http_client.fetch(f"{base}/createRoom", method="POST", body="{}",
                                           headers={"Content-Type": "application/json"})
        room_id = json.loads(response.body)["roomId"]

        def on_disk() -> set[str]:
            with sqlite3.connect(data_dir / "rooms.sqlite3") as db:
                rows = {r[0] for r in db.execute("SELECT id FROM rooms")}
            db.close()
            return rows

        assert room_id in on_disk()

        async def deleted() -> bool:  # the server's own sweep (every TTL/4 here, hourly at most)
            return room_id not in on_disk()

        await _poll(deleted, TTL * 4, "the server deletes the expired room from rooms.sqlite3")
        join = await http_client.fetch(f"{base}/joinRoom", method="POST", raise_error=False,
                                       body=json.dumps({"roomId": room_id}),
                                       headers={"Content-Type": "application/json"})
        assert join.code == 404 and b"roomNotFound" in join.body
        health = await http_client.fetch(f"{base}/healthz")
        assert b'"rooms": 0' in health.body or b'"rooms":0' in health.body
    finally:
        await server.stop()


def test_the_ttl_is_an_option_flag_variable_and_file_key(tmp_path):
    assert load_settings([], env={}).room_ttl_days == 30
    assert load_settings(["--room-ttl-days", "7"], env={}).room_ttl_days == 7
    assert load_settings([], env={"PARLEY_ROOM_TTL_DAYS": "0.5"}).room_ttl_days == 0.5
    path = tmp_path / "parley.toml"
    path.write_text("room-ttl-days = 0\n")
    assert load_settings(["--config", str(path)], env={}).room_ttl_days == 0
