"""Resource bounds (issue 11, findings 2-5) against the real server under a 256-descriptor limit."""

from __future__ import annotations

import asyncio
import http.client
import json
import select
import socket
import time

import pytest
from resource_support import LimitedServer, RawWs, healthz, raise_own_fd_limit, wait_until

BIG_BODY = 20 * 1024 * 1024


def _post_big_body(port: int) -> bytes:
    """POST /joinRoom with a 20 MB body, reading the answer as soon as one comes; the answer."""
    head = (f"POST /joinRoom HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {BIG_BODY}\r\n\r\n").encode()
    chunk = b"x" * 65536
    sent, answer = 0, b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock] if sent < BIG_BODY else [], [], 1.0)
            if readable:  # an answer first: the client would stop sending there
                try:
                    data = sock.recv(65536)
                except ConnectionError:
                    break
                if not data:
                    break
                answer += data
                continue
            if writable:
                try:
                    sent += sock.send(chunk[: BIG_BODY - sent])
                except (BlockingIOError, ConnectionError):
                    pass
    return answer


def test_big_body_is_refused_with_413_before_it_is_read(tmp_path):
    with LimitedServer(tmp_path) as server:
        before = server.rss_mb()
        answer = _post_big_body(server.port)
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        assert b'"code": "bodyTooLarge"' in answer
        assert healthz(server.port) == 200
        grown = server.rss_mb() - before
        assert grown < 5, f"the server grew by {grown:.1f} MB for a refused body"


def _slow_header_sockets(port: int, count: int, source: str) -> list[socket.socket]:
    """`count` connections from `source` that send half a request line and headers, then nothing."""
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket()
            socks.append(sock)
            sock.bind((source, 0))
            sock.settimeout(10)
            sock.connect(("127.0.0.1", port))
            try:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: x")  # and never the rest
            except ConnectionError:
                pass  # refused at once by the cap: what the test expects for some
            sock.setblocking(False)
    except BaseException:
        for sock in socks:
            sock.close()
        raise
    return socks


def _all_closed(socks: list[socket.socket]) -> bool:
    for sock in socks:
        try:
            if sock.recv(1024) == b"":
                continue
        except BlockingIOError:
            return False
        except ConnectionError:
            continue
    return True


def test_slow_header_sockets_are_closed_while_healthz_answers(tmp_path):
    raise_own_fd_limit()
    # 1,000 from one address: the cap (100) refuses 900 at once, the header timeout closes the rest.
    with LimitedServer(tmp_path, ["--max-connections-per-address", "100"]) as server:
        socks = _slow_header_sockets(server.port, 1000, "127.0.0.2")
        try:
            start = time.monotonic()
            assert healthz(server.port, timeout=5) == 200  # from 127.0.0.1, a fresh connection
            assert time.monotonic() - start < 1.0, "/healthz was slow among slow-header sockets"
            took = wait_until(lambda: _all_closed(socks), 25, "every slow-header socket closed")
            assert took < 20, f"slow-header sockets stayed open {took:.1f} s"
        finally:
            for sock in socks:
                sock.close()
        assert len(server.log().splitlines()) < 50, server.log()[-3000:]


def test_out_of_descriptors_the_server_backs_off_with_one_log_line(tmp_path):
    raise_own_fd_limit()
    with LimitedServer(tmp_path, ["--max-connections-per-address", "0"]) as server:
        socks = _slow_header_sockets(server.port, 300, "127.0.0.2")  # over its 256 descriptors
        try:
            wait_until(lambda: _all_closed(socks), 40, "every slow-header socket closed")
            assert healthz(server.port, timeout=5) == 200
        finally:
            for sock in socks:
                sock.close()
        log = server.log()
        assert "cannot accept connections (Too many open files)" in log, log[-3000:]
        assert len(log.splitlines()) < 50, log[-3000:]


def test_the_cap_refuses_one_more_connection_from_an_address(tmp_path):
    with LimitedServer(tmp_path, ["--max-connections-per-address", "5"]) as server:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(4)]
        try:  # 4 held + the healthz connection = 5
            assert healthz(server.port) == 200
            extra = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            held.append(extra)
            with pytest.raises(OSError):  # a 6th while 5 are open: closed at once
                healthz(server.port)
            extra.close()
            held.pop()
            # the count goes down again when a connection closes
            wait_until(lambda: _healthz_ok(server.port), 10, "a connection accepted after one closed")
        finally:
            for sock in held:
                sock.close()


def test_a_cap_of_zero_allows_many_connections_from_one_address(tmp_path):
    with LimitedServer(tmp_path, ["--max-connections-per-address", "0"]) as server:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(20)]
        try:
            assert healthz(server.port) == 200
        finally:
            for sock in held:
                sock.close()


def _healthz_ok(port: int) -> bool:
    try:
        return healthz(port, timeout=2) == 200
    except OSError:
        return False


def _create_room(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/createRoom", body="{}", headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        assert response.status == 201
        return json.loads(response.read())["roomId"]
    finally:
        conn.close()


def test_a_peer_that_does_not_read_is_closed_and_memory_stays_bounded(tmp_path):
    offer = {"type": "offer", "sdp": "v=0\r\n" + "a=x\r\n" * 6_500}  # ~60 KB of JSON, a big real offer
    with LimitedServer(tmp_path) as server:
        room = _create_room(server.port)
        sleeper, sender = RawWs(server.port, rcvbuf=4096), RawWs(server.port)
        try:
            sleeper.send("join", {"roomId": room, "userId": "sleeper"})
            assert sleeper.recv()["type"] == "joined"
            sender.send("join", {"roomId": room, "userId": "sender"})
            assert sender.recv()["type"] == "joined"
            before = server.rss_mb()
            peak = before
            for _ in range(180):  # ~11 MB, within the rate limit's burst; the sleeper reads none
                sender.send("offer", {"sdp": offer, "targetId": "sleeper"})
                peak = max(peak, server.rss_mb())
            assert healthz(server.port) == 200
            peak = max(peak, server.rss_mb())
            assert sleeper.drained_to_close(15), "the server kept a peer that does not read"
            assert peak - before < 8, f"the server grew by {peak - before:.1f} MB for one slow peer"
            assert "over 1048576 bytes waiting to be sent" in server.log()
            assert len(server.log().splitlines()) < 50, server.log()[-3000:]
        finally:
            sleeper.close()
            sender.close()


@pytest.mark.parley_settings(join_timeout=1)
async def test_a_connection_that_never_joins_is_closed(ws_connect):
    client = await ws_connect()
    start = time.monotonic()
    await client.wait_closed(timeout=10)
    assert client.close_code == 1008
    assert client.close_reason == "no join within the time allowed"
    assert time.monotonic() - start < 5


@pytest.mark.parley_settings(join_timeout=1)
async def test_joining_cancels_the_join_timer(create_room, joined_client):
    client = await joined_client(await create_room(), "alice")
    with pytest.raises(asyncio.TimeoutError):  # still open well past the join timeout
        await client.wait_closed(timeout=3)
    assert client.close_code is None


def test_behind_a_proxy_the_cap_counts_websockets_per_forwarded_address(tmp_path):
    options = ["--behind-proxy", "--max-connections-per-address", "2"]
    with LimitedServer(tmp_path, options) as server:
        clients = [RawWs(server.port, forwarded_for="203.0.113.7") for _ in range(3)]
        try:
            assert clients[2].drained_to_close(10), "a third WebSocket from one address stayed open"
            clients.append(RawWs(server.port, forwarded_for="198.51.100.2"))  # another person
            clients[0].sock.shutdown(socket.SHUT_WR)  # leave, and see the server close its side
            assert clients[0].drained_to_close(10)
            clients.append(RawWs(server.port, forwarded_for="203.0.113.7"))  # one slot free again
            for client in (clients[1], clients[3], clients[4]):
                assert not client.drained_to_close(1.0), "a WebSocket under the cap was closed"
        finally:
            for client in clients:
                client.close()
