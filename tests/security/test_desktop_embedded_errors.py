"""Issue 11, finding 13 in the desktop app: an unusable data folder is an error for the user at
once, not a 10 s wait for an embedded server that never starts."""

from __future__ import annotations

import time

import pytest

from desktop.embedded import EmbeddedServer
from tornado_app.config import Settings
from tornado_app.datadir import DataDirError


def test_a_corrupt_room_database_stops_the_embedded_server_at_once(tmp_path):
    (tmp_path / "rooms.sqlite3").write_bytes(b"this is not a database" * 100)
    server = EmbeddedServer(Settings(host="127.0.0.1", port=0, data_dir=tmp_path))
    began = time.monotonic()
    with pytest.raises(DataDirError, match="not a usable room database"):
        server.start(timeout=10)
    assert time.monotonic() - began < 5
