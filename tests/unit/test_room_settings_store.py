"""Both stores keep a room's settings record (issue 14) with the room, and only with an existing room."""

from __future__ import annotations

RECORD = '{"hostTokenSha256": "ab", "lobby": true, "locked": false, "passwordHash": null}'
CHANGED = '{"hostTokenSha256": "ab", "lobby": false, "locked": true, "passwordHash": null}'


async def test_a_room_created_with_settings_has_them_and_a_plain_room_has_none(store):
    await store.create_room("protected", RECORD)
    await store.create_room("plain")
    assert await store.room_exists("protected") and await store.room_exists("plain")
    assert await store.room_settings("protected") == RECORD
    assert await store.room_settings("plain") is None
    assert await store.room_settings("missing") is None


async def test_settings_can_be_replaced_on_an_existing_room_only(store):
    await store.create_room("room", RECORD)
    assert await store.set_room_settings("room", CHANGED)
    assert await store.room_settings("room") == CHANGED
    assert not await store.set_room_settings("missing", CHANGED)
    assert not await store.room_exists("missing")  # refusing did not create it
    assert await store.room_settings("missing") is None


async def test_on_redis_the_settings_key_lives_as_long_as_the_room(redis_server):
    from tornado_app.cluster.store import RedisRoomStore

    redis_server.flush()
    store = RedisRoomStore(redis_server.url, room_ttl_days=1)
    try:
        await store.create_room("room", RECORD)
        used, settings = store._key("room", "room", "used"), store._key("room", "room", "settings")
        day_ms = 86400 * 1000
        assert 0 < await store._call("PTTL", settings) <= day_ms
        await store._call("PEXPIRE", settings, 1000)  # a use refreshes the settings with the room
        await store._call("PEXPIRE", used, 1000)
        assert await store.set_room_settings("room", CHANGED)
        assert await store._call("PTTL", settings) > day_ms - 60_000
        assert await store._call("PTTL", used) > day_ms - 60_000
    finally:
        await store.close()
