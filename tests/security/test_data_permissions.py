"""Finding 11 (server side): the data folder is private, and room ids stay out of the logs.

Room ids are all it takes to join a meeting, and the LAN keys let anyone impersonate the server:
the folders must be 0700 and the files 0600, also those an older version left readable by
others; a key written again over an old file gets 0600 too. The server logs a short hash of the
room id instead of the id, in its own lines and in Tornado's access log.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat

from tornado_app.config import Settings
from tornado_app.datadir import write_private
from tornado_app.lan.certs import ensure_lan_certificate
from tornado_app.logs import room_tag
from tornado_app.server import ParleyServer


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_existing_files_and_folders_are_made_private_at_start(tmp_path, http_client):
    data = tmp_path / "old-data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    db = sqlite3.connect(data / "rooms.sqlite3")  # as an older version left it: umask 022
    db.execute("CREATE TABLE rooms (id TEXT PRIMARY KEY, created_at REAL NOT NULL)")
    db.execute("INSERT INTO rooms VALUES ('kept-room', 0)")
    db.commit()
    db.close()
    os.chmod(data / "rooms.sqlite3", 0o644)
    lan = data / "lan-tls"
    first = ensure_lan_certificate(lan, ["10.0.0.5", "127.0.0.1"], ["room.local", "localhost"])
    os.chmod(lan, 0o755)
    for name in os.listdir(lan):
        os.chmod(lan / name, 0o644)

    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=data))
    port = await server.start()
    try:
        made = await http_client.fetch(f"http://127.0.0.1:{port}/createRoom", method="POST",
                                       body="{}", headers={"Content-Type": "application/json"})
        assert made.code == 201
        again = ensure_lan_certificate(lan, ["10.0.0.6", "127.0.0.1"], ["room.local", "localhost"])
        assert again.fingerprint != first.fingerprint  # the leaf and its key were written again
        assert _mode(data) == 0o700 and _mode(lan) == 0o700
        files = [p for p in (*data.iterdir(), *lan.iterdir()) if p.is_file()]
        assert {p.name for p in files} >= {"rooms.sqlite3", "rooms.sqlite3-wal", "rooms.sqlite3-shm",
                                           "parley-ca.key", "parley-lan.key", "parley-ca.pem"}
        assert {p.name: oct(_mode(p)) for p in files} == {p.name: oct(0o600) for p in files}
    finally:
        await server.stop()


def test_a_key_written_over_a_readable_file_becomes_private(tmp_path):
    key = tmp_path / "old.key"
    key.write_bytes(b"old")
    os.chmod(key, 0o644)  # O_CREAT's mode does not apply to a file that exists
    write_private(key, b"new secret")
    assert _mode(key) == 0o600 and key.read_bytes() == b"new secret"


async def test_room_ids_are_logged_as_a_short_hash(create_room, joined_client, fetch_json, caplog):
    caplog.set_level(logging.DEBUG)
    room_id = await create_room()
    alice = await joined_client(room_id, "alice", displayName="Alice")
    bob = await joined_client(room_id, "bob", displayName="Bob")
    await alice.recv("userJoined")
    bob.close()
    await alice.recv("userLeft", timeout=15)
    assert (await fetch_json("GET", f"/room/{room_id}/users")).status == 200
    missing = "NoSuchRoomAbCdEf0123456789"
    assert (await fetch_json("GET", f"/room/{missing}/users")).status == 404
    assert (await fetch_json("GET", f"/r/{room_id}")).status in (200, 503)
    lines = [r.getMessage() for r in caplog.records]
    assert any("joined " + room_tag(room_id) in line for line in lines), lines
    assert any(room_tag(missing) in line for line in lines), lines  # the access log's 404 line
    leaked = [line for line in lines if room_id in line or missing in line]
    assert leaked == []
