"""Leaving, dropped and dead connections, restarts and graceful shutdown (docs/protocol.md)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.testing
import tornado.websocket

JSON = {"Content-Type": "application/json"}
OFFER = {"type": "offer", "sdp": "v=0\r\n"}
REPO = Path(__file__).resolve().parents[2]


# --- leaving -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [1000, 1001, 4000])
async def test_a_clean_close_tells_the_room_at_once(meeting, code):
    # The grace is 10 s, so userLeft within the 2 s receive timeout means "at once".
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.close(code)
    assert await bob.recv("userLeft") == {"userId": "alice"}
    assert await carol.recv("userLeft") == {"userId": "alice"}


async def test_someone_who_left_can_no_longer_be_signaled(meeting):
    alice, bob = await meeting("alice", "bob")
    bob.close()
    await alice.recv("userLeft")
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    await alice.recv_error("targetNotFound")


async def test_a_connection_that_never_joined_changes_nothing_when_it_closes(meeting, ws_connect):
    alice, bob = await meeting("alice", "bob")
    stranger = await ws_connect()
    stranger.close()
    await stranger.wait_closed()
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


# --- dropped connections -----------------------------------------------------------------------


@pytest.mark.parley_settings(reconnect_grace=0.5)
async def test_a_dropped_connection_leaves_only_after_the_reconnect_grace(meeting, raw_ws_connect,
                                                                         fetch_json):
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    await raw.join(bob.room_id, "alice")
    last_sign_of_life = time.monotonic()  # the join: the server counts the grace from here on
    await bob.recv("userJoined")
    raw.drop()
    # During the grace the user is still listed.
    users = (await fetch_json("GET", f"/room/{bob.room_id}/users")).json()["users"]
    assert "alice" in [u["userId"] for u in users]
    assert await bob.recv("userLeft") == {"userId": "alice"}
    assert time.monotonic() - last_sign_of_life >= 0.45


@pytest.mark.parley_settings(reconnect_grace=0.3)
async def test_a_dropped_sharer_stops_the_share_then_leaves_after_the_grace(meeting, raw_ws_connect,
                                                                           fetch_json):
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    await raw.join(bob.room_id, "alice")
    await bob.recv("userJoined")
    raw.send("startScreenShare", {"userId": "alice", "roomId": bob.room_id, "streamId": "s"})
    await raw.recv("screenShareActive")
    assert (await bob.recv("screenShareActive"))["sharingUserId"] == "alice"
    raw.drop()
    assert await bob.recv("screenShareStopped") == {"stoppedUserId": "alice"}
    assert await bob.recv("userLeft") == {"userId": "alice"}
    assert (await fetch_json("GET", f"/room/{bob.room_id}/users")).json()["screenSharer"] is None


@pytest.mark.parley_settings(reconnect_grace=0.3)
async def test_after_the_grace_a_resume_is_an_ordinary_join(meeting, raw_ws_connect, ws_connect):
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    token = (await raw.join(bob.room_id, "alice"))["resumeToken"]
    await bob.recv("userJoined")
    raw.drop()
    await bob.recv("userLeft")
    back = await ws_connect()
    await back.join(bob.room_id, "alice", resumeToken=token)
    assert (await bob.recv("userJoined"))["userId"] == "alice"


@pytest.mark.parley_settings(ping_interval=0.2, reconnect_grace=0.2)
async def test_a_dead_connection_that_stops_answering_pings_is_removed(meeting, raw_ws_connect):
    # The raw client never answers pings: like a peer whose network vanished without a FIN.
    (bob,) = await meeting("bob")
    raw = await raw_ws_connect()
    await raw.join(bob.room_id, "alice")
    await bob.recv("userJoined")
    # Noticed within two ping intervals, then userLeft at once (the grace has run out).
    assert await bob.recv("userLeft", timeout=1.5) == {"userId": "alice"}


@pytest.mark.parley_settings(ping_interval=0.2, reconnect_grace=0.2)
async def test_an_idle_client_that_answers_pings_stays_in_the_room(meeting):
    alice, bob = await meeting("alice", "bob")
    await asyncio.sleep(0.9)  # several ping intervals and graces with no message from anyone
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"
    alice.send("answer", {"sdp": {"type": "answer", "sdp": "v=0\r\n"}, "targetId": "bob"})
    assert (await bob.recv("answer"))["senderId"] == "alice"


# --- restarts ----------------------------------------------------------------------------------


async def test_a_room_survives_a_restart_but_presence_does_not(http_server, settings, fetch_json,
                                                               meeting, http_client):
    from tornado_app.app import make_app

    alice, bob = await meeting("alice", "bob")
    room_id = alice.room_id
    alice.send("startScreenShare", {"userId": "alice", "roomId": room_id})
    await alice.recv("screenShareActive")
    http_server.stop()

    sock, port = tornado.testing.bind_unused_port()
    server = tornado.httpserver.HTTPServer(make_app(settings))
    server.add_socket(sock)
    conn = None
    try:
        response = await http_client.fetch(f"http://127.0.0.1:{port}/room/{room_id}/users")
        assert json.loads(response.body) == {"roomId": room_id, "users": [], "screenSharer": None}
        # A client resuming after the restart makes an ordinary join.
        conn = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/ws")
        conn.write_message(json.dumps({"type": "join", "payload": {
            "roomId": room_id, "userId": "alice", "resumeToken": alice.resume_token}}))
        joined = json.loads(await asyncio.wait_for(conn.read_message(), 2))
        assert joined["type"] == "joined"
        assert joined["payload"]["users"] == []
        assert joined["payload"]["screenSharer"] is None
    finally:
        if conn is not None:
            conn.close()
            await asyncio.wait_for(conn.read_message(), 2)
        server.stop()
        await server.close_all_connections()


async def test_an_unknown_room_stays_unknown_after_a_restart(http_server, settings, http_client):
    from tornado_app.app import make_app

    http_server.stop()
    sock, port = tornado.testing.bind_unused_port()
    server = tornado.httpserver.HTTPServer(make_app(settings))
    server.add_socket(sock)
    try:
        response = await http_client.fetch(f"http://127.0.0.1:{port}/room/neverMade/users",
                                           raise_error=False)
        assert response.code == 404
    finally:
        server.stop()
        await server.close_all_connections()


# --- the real process --------------------------------------------------------------------------


class ServerProcess:
    """`python -m tornado_app` on a free port, as an operator runs it."""

    def __init__(self, proc: asyncio.subprocess.Process, port: int) -> None:
        self.proc = proc
        self.port = port
        self.output: list[str] = []

    @classmethod
    async def start(cls, data_dir: Path) -> ServerProcess:
        sock, port = tornado.testing.bind_unused_port()
        sock.close()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tornado_app", "--port", str(port), "--data-dir", str(data_dir),
            cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        server = cls(proc, port)
        url = f"http://127.0.0.1:{port}"
        while True:
            line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
            server.output.append(line)
            assert line, f"the server exited before listening: {''.join(server.output)}"
            if url in line:
                return server

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 5) -> int:
        """Send `sig` and return the exit status (killing it if it takes longer than `timeout`)."""
        self.proc.send_signal(sig)
        try:
            out, _ = await asyncio.wait_for(self.proc.communicate(), timeout)
        except asyncio.TimeoutError:
            self.proc.kill()
            await self.proc.communicate()
            raise AssertionError(f"the server did not exit within {timeout} s after {sig!r}")
        self.output.append(out.decode())
        return self.proc.returncode

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.communicate()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_shutdown_closes_sockets_with_1001_and_exits_0(tmp_path, http_client, sig):
    server = await ServerProcess.start(tmp_path)
    conn = None
    try:
        created = await http_client.fetch(f"http://127.0.0.1:{server.port}/createRoom", method="POST",
                                          body=b"{}", headers=JSON)
        room_id = json.loads(created.body)["roomId"]
        conn = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{server.port}/ws")
        conn.write_message(json.dumps({"type": "join", "payload": {"roomId": room_id, "userId": "a"}}))
        assert json.loads(await asyncio.wait_for(conn.read_message(), 2))["type"] == "joined"
        server.proc.send_signal(sig)
        assert await asyncio.wait_for(conn.read_message(), 5) is None
        assert conn.close_code == 1001
        assert conn.close_reason == "server shutting down"
        assert await server.stop(sig) == 0, "".join(server.output)
    finally:
        if conn is not None:
            conn.close()
        await server.kill()


async def test_a_room_link_still_works_after_the_server_restarts(tmp_path, http_client):
    first = await ServerProcess.start(tmp_path)
    try:
        created = await http_client.fetch(f"http://127.0.0.1:{first.port}/createRoom", method="POST",
                                          body=b"{}", headers=JSON)
        room_id = json.loads(created.body)["roomId"]
        assert await first.stop() == 0
    finally:
        await first.kill()
    second = await ServerProcess.start(tmp_path)
    try:
        response = await http_client.fetch(f"http://127.0.0.1:{second.port}/room/{room_id}/users")
        assert json.loads(response.body) == {"roomId": room_id, "users": [], "screenSharer": None}
        assert await second.stop() == 0
    finally:
        await second.kill()
