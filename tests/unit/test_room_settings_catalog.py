"""The SQLite room catalog keeps each room's settings record (issue 14) across restarts."""

from __future__ import annotations

import sqlite3
import time

from tornado_app.store import SqliteRoomCatalog

RECORD = '{"hostTokenSha256": "ab", "lobby": true, "locked": false, "passwordHash": null}'


async def test_a_room_created_with_settings_keeps_them_after_a_restart(tmp_path):
    catalog = SqliteRoomCatalog(tmp_path / "rooms.sqlite3")
    await catalog.add("protected", RECORD)
    await catalog.add("plain")
    assert catalog.settings("protected") == RECORD
    assert catalog.settings("plain") is None
    assert catalog.settings("missing") is None
    await catalog.close()

    again = SqliteRoomCatalog(tmp_path / "rooms.sqlite3")
    assert again.settings("protected") == RECORD
    assert again.settings("plain") is None
    await again.set_settings("plain", RECORD)
    await again.close()
    third = SqliteRoomCatalog(tmp_path / "rooms.sqlite3")
    assert third.settings("plain") == RECORD
    await third.close()


async def test_a_file_from_before_room_settings_is_upgraded_and_its_rooms_still_work(tmp_path):
    path = tmp_path / "rooms.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE rooms (id TEXT PRIMARY KEY, created_at REAL NOT NULL, last_used REAL)")
    db.execute("INSERT INTO rooms VALUES ('old', ?, ?)", (time.time(), time.time()))
    db.commit()
    db.close()

    catalog = SqliteRoomCatalog(path)
    assert catalog.exists("old") and catalog.settings("old") is None
    await catalog.set_settings("old", RECORD)
    assert catalog.settings("old") == RECORD
    await catalog.close()


async def test_an_expired_room_takes_its_settings_with_it(tmp_path):
    catalog = SqliteRoomCatalog(tmp_path / "rooms.sqlite3", ttl_days=1)
    await catalog.add("protected", RECORD)
    catalog._used["protected"] -= 2 * 86400  # last used two days ago
    assert catalog.settings("protected") is None  # expired rooms have no settings to show
    assert await catalog.expire() == 1
    await catalog.close()
    again = SqliteRoomCatalog(tmp_path / "rooms.sqlite3", ttl_days=1)
    assert not again.exists("protected") and again.settings("protected") is None
    await again.close()
