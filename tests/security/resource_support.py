"""The real server as a subprocess under a low descriptor limit, and its memory, for the resource tests."""

from __future__ import annotations

import base64
import http.client
import json
import os
import resource
import socket
import struct
import time
from collections.abc import Iterable
from pathlib import Path

from support.processes import ParleyServer
from ws_frames import masked_text_frame

FD_LIMIT = 256  # what the audit ran the server with


def _low_fd_limit() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def healthz(port: int, timeout: float = 5.0) -> int:
    """GET /healthz on a fresh connection; its status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


class LimitedServer(ParleyServer):
    """`python -m tornado_app` with at most FD_LIMIT descriptors, its output in a log file; a context manager."""

    def __init__(self, tmp: Path, options: Iterable[str] = ()) -> None:
        super().__init__(tmp / "data", tmp / "server.log", options, preexec_fn=_low_fd_limit)

    def rss_mb(self) -> float:
        """The server's resident memory (VmRSS) in MB."""
        return self.rss_kib() / 1024


def raise_own_fd_limit() -> None:
    """Let this test process open as many sockets as its hard limit allows."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def wait_until(check, timeout: float, what: str) -> float:
    """Poll `check()` until true; the seconds it took (AssertionError naming `what` past timeout)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, f"{what} not within {timeout} s"
        time.sleep(0.05)  # polling interval
    return time.monotonic() - start


class RawWs:
    """A blocking WebSocket client on a plain socket, which reads only when told to."""

    def __init__(self, port: int, rcvbuf: int | None = None, forwarded_for: str | None = None) -> None:
        self.sock = socket.socket()
        if rcvbuf is not None:  # a small receive window, so the server's side fills up quickly
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        forwarded = f"X-Forwarded-For: {forwarded_for}\r\n" if forwarded_for else ""
        self.sock.sendall(
            (f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
             f"{forwarded}\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def send(self, type: str, payload: object) -> None:
        """One masked text frame holding `{"type", "payload"}`."""
        self.sock.sendall(masked_text_frame(type, payload))

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk, "the server closed the connection"
            data += chunk
        return data

    def recv(self) -> dict:
        """The next text message (pings skipped)."""
        while True:
            b0, b1 = self._exact(2)
            length = b1 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._exact(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._exact(8))
            data = self._exact(length) if length else b""
            if b0 & 0x0F == 0x1:
                return json.loads(data)

    def drained_to_close(self, timeout: float) -> bool:
        """Read everything until the server closes the connection; False if it is still open after timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                if not self.sock.recv(65536):
                    return True
            except ConnectionError:
                return True
            except TimeoutError:
                return False
        return False

    def close(self) -> None:
        self.sock.close()
