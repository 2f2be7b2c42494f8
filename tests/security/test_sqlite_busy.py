"""Finding 8: another process holding rooms.sqlite3's write lock must not stall the server.

Before the fix SQLite ran on the event loop with a 5 s busy wait: `/healthz` took seconds and
`createRoom` answered 500. Now database calls run on a worker thread with a short busy timeout,
a busy database gives 503 `unavailable`, meetings already known keep working, and the server is
back to normal once the lock is released.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("INSERT INTO rooms (id, created_at) VALUES ('held-by-another-process', 0)")
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
db.execute("ROLLBACK")
db.close()
"""


class LockHolder:
    """Another process with `BEGIN EXCLUSIVE` on the database, until `release()`."""

    def __init__(self, path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert self.proc.stdout.readline().strip() == "locked"
        except BaseException:
            with self.proc:  # its pipes closed even when it never locked
                self.proc.kill()
            raise

    def release(self) -> None:
        """Close its stdin (it rolls back and exits) and both pipes, also when it already died."""
        with self.proc:  # closes stdout and stdin, then waits
            self.proc.stdin.close()
            assert self.proc.wait(timeout=30) == 0


async def test_a_locked_database_gives_503_while_health_and_meetings_go_on(
        fetch_json, data_dir, joined_client):
    made = await fetch_json("POST", "/createRoom", body={})
    assert made.status == 201, made
    room_id = made.json()["roomId"]
    holder = LockHolder(data_dir / "rooms.sqlite3")
    try:
        started = time.monotonic()
        create = asyncio.ensure_future(fetch_json("POST", "/createRoom", body={}))
        health = await fetch_json("GET", "/healthz")
        health_took = time.monotonic() - started
        assert health.status == 200 and health.json()["status"] == "ok"
        assert health_took < 1.0, f"/healthz took {health_took:.2f} s while the database was locked"

        refused = await create
        create_took = time.monotonic() - started
        assert refused.status == 503 and refused.json()["code"] == "unavailable", refused
        assert create_took < 4.0

        # A meeting that already exists goes on: joining needs no database write to wait for.
        alice = await joined_client(room_id, "alice", displayName="Alice")
        bob = await joined_client(room_id, "bob", displayName="Bob")
        assert (await alice.recv("userJoined"))["userId"] == "bob"
        assert [u["userId"] for u in (await fetch_json("GET", f"/room/{room_id}/users"))
                .json()["users"]] == ["alice", "bob"]
        bob.close()
    finally:
        holder.release()

    again = await fetch_json("POST", "/createRoom", body={})
    assert again.status == 201, again
    joined = await fetch_json("POST", "/joinRoom", body={"roomId": again.json()["roomId"]})
    assert joined.status == 200, joined
