"""Persistent room ids in an embedded SQLite file, so a room link still works after a restart.

Every database call runs on one worker thread, never on the event loop: another process holding
the file's write lock must not stall the server (issue 11, finding 8). Reads need no database at
all: the room ids and their last use are loaded into memory at start and kept there, so
`exists` and `count` answer at once. Writes wait at most `BUSY_TIMEOUT` for a lock, then fail
with `StoreUnavailable` (503 `unavailable`).

A room is *used* when it is created, or someone joins or leaves it; one unused for the TTL is
deleted (`--room-ttl-days`).

Each room may carry a settings record (issue 14: host token digest, lobby, locked, password
hash), an opaque JSON string to the catalog, kept in memory like the last use.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from tornado_app.datadir import DataDirError, create_private, private_dir, private_file
from tornado_app.store.base import StoreUnavailable

log = logging.getLogger("parley")

BUSY_TIMEOUT = 0.5  # seconds a write waits for another process's lock before answering 503
DAY = 86400.0
T = TypeVar("T")


class SqliteRoomCatalog:
    """The rooms that exist, on disk, with when each was last used."""

    def __init__(self, path: Path, ttl_days: float = 30.0) -> None:
        """Open (or create) the file; raises DataDirError if the folder or file is unusable."""
        self.path = path
        self.ttl = ttl_days * DAY if ttl_days > 0 else None
        try:
            private_dir(path.parent)
            create_private(path)
        except OSError as exc:
            raise DataDirError(f"cannot use {path.parent}: {exc.strerror or exc}") from None
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                       timeout=BUSY_TIMEOUT)
        except sqlite3.Error as exc:
            raise DataDirError(f"cannot open {path}: {exc}") from None
        try:
            self._used, self._settings = self._open()
        except sqlite3.OperationalError as exc:  # locked by another process, disk full, read-only
            self._db.close()
            raise DataDirError(f"cannot use {path}: {exc}") from None
        except sqlite3.Error as exc:
            self._db.close()
            raise DataDirError(f"{path} is not a usable room database ({exc}); "
                               "move it away to start with no rooms") from None
        for extra in ("-wal", "-shm", "-journal"):  # made by older versions with the umask's mode
            private_file(path.with_name(path.name + extra))
        # One thread: SQLite serialises writers anyway, and calls stay in the order they were made.
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="parley-sqlite")
        self._touch_failed = False

    def _open(self) -> tuple[dict[str, float], dict[str, str]]:
        """Create or upgrade the table; every room id with its last use, and the rooms' settings."""
        db = self._db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, created_at REAL NOT NULL,"
                   " last_used REAL)")
        # Only write when needed: a server starting while another process holds the write lock
        # (a backup, say) must not fail for a write it has no use for.
        columns = {row[1] for row in db.execute("PRAGMA table_info(rooms)")}
        if "last_used" not in columns:  # a file from before rooms expired: their use is unknown,
            db.execute("ALTER TABLE rooms ADD COLUMN last_used REAL")  # so the TTL starts now
        if db.execute("SELECT 1 FROM rooms WHERE last_used IS NULL LIMIT 1").fetchone():
            db.execute("UPDATE rooms SET last_used = ? WHERE last_used IS NULL", (time.time(),))
        if "settings" not in columns:  # a file from before host controls: no room has settings
            db.execute("ALTER TABLE rooms ADD COLUMN settings TEXT")
        used = dict(db.execute("SELECT id, last_used FROM rooms"))
        return used, dict(db.execute("SELECT id, settings FROM rooms WHERE settings IS NOT NULL"))

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        """Run a database call on the worker thread; a busy or failing database is unavailable."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._worker, call, *args)
        except sqlite3.OperationalError as exc:
            log.warning("room database unavailable: %s", exc)
            raise StoreUnavailable(f"room database: {exc}") from None

    async def add(self, room_id: str, settings: str | None = None) -> None:
        """Record a new room, with its settings record if it has one."""
        now = time.time()
        await self._run(self._db.execute, "INSERT INTO rooms (id, created_at, last_used, settings) "
                        "VALUES (?, ?, ?, ?)", (room_id, now, now, settings))
        self._used[room_id] = now
        if settings is not None:
            self._settings[room_id] = settings

    def settings(self, room_id: str) -> str | None:
        """The room's settings record (from memory), or None if it has none or does not exist."""
        return self._settings.get(room_id) if self.exists(room_id) else None

    async def set_settings(self, room_id: str, settings: str) -> None:
        """Replace the settings record of an existing room (written before it is believed)."""
        if room_id not in self._used:
            return
        await self._run(self._db.execute, "UPDATE rooms SET settings = ? WHERE id = ?", (settings, room_id))
        self._settings[room_id] = settings

    def exists(self, room_id: str) -> bool:
        """Whether the room exists (created, and used within the TTL)."""
        used = self._used.get(room_id)
        return used is not None and (self.ttl is None or time.time() - used < self.ttl)

    def touch(self, room_id: str) -> None:
        """Record that the room was used now; the write happens in the background."""
        if room_id not in self._used:
            return
        now = self._used[room_id] = time.time()
        try:
            future = self._worker.submit(self._db.execute,
                                         "UPDATE rooms SET last_used = ? WHERE id = ?", (now, room_id))
        except RuntimeError:  # closed: the server is stopping, and the in-memory time goes with it
            return
        future.add_done_callback(self._touched)

    def _touched(self, future: concurrent.futures.Future) -> None:
        # Only the first failure is logged: a lost touch costs a room at most the time since the
        # previous one, and the in-memory time still keeps the room alive in this process.
        if future.exception() is not None and not self._touch_failed:
            self._touch_failed = True
            log.warning("could not record a room's last use: %s", future.exception())

    def count(self) -> int:
        """How many rooms are known (kept in memory, not counted in the database)."""
        return len(self._used)

    async def expire(self, keep: Callable[[str], bool] = lambda _room: False) -> int:
        """Delete the rooms unused for the TTL, except those `keep` names; returns how many."""
        if self.ttl is None:
            return 0
        cutoff = time.time() - self.ttl
        stale = {room: used for room, used in self._used.items() if used < cutoff and not keep(room)}
        settings = {room: self._settings.pop(room) for room in stale if room in self._settings}
        for room in stale:  # gone for joins at once (they were refused already); the file follows
            del self._used[room]
        if stale:
            try:
                await self._run(self._delete, list(stale))
            except StoreUnavailable:  # still expired, so still refused: the next sweep retries
                for room, used in stale.items():
                    self._used.setdefault(room, used)
                for room, record in settings.items():  # back with its protection, never without it
                    self._settings.setdefault(room, record)
                raise
        return len(stale)

    def _delete(self, rooms: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM rooms WHERE id = ?", ((room,) for room in rooms))

    async def close(self) -> None:
        """Finish pending writes and close the database file."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._worker, self._db.close)
        self._worker.shutdown(wait=True)
