"""Persistent room ids in an embedded SQLite file, so a room link still works after a restart."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


class SqliteRoomCatalog:
    """The set of rooms ever created, on disk. Calls are short and local, so they run inline."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, created_at REAL NOT NULL)"
        )
        self._known: set[str] = set()  # positive cache: a room is never deleted

    def add(self, room_id: str) -> None:
        """Record a new room."""
        self._db.execute("INSERT INTO rooms (id, created_at) VALUES (?, ?)", (room_id, time.time()))
        self._known.add(room_id)

    def exists(self, room_id: str) -> bool:
        """Whether the room was ever created."""
        if room_id in self._known:
            return True
        found = self._db.execute("SELECT 1 FROM rooms WHERE id = ?", (room_id,)).fetchone()
        if found:
            self._known.add(room_id)
        return found is not None

    def count(self) -> int:
        """How many rooms exist."""
        return self._db.execute("SELECT COUNT(*) FROM rooms").fetchone()[0]

    def close(self) -> None:
        """Close the database file."""
        self._db.close()
