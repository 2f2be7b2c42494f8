"""What a test holds on a Parley server: an HTTP `Response`, a `SignalingClient`, a `RawWebSocket`.

The fixtures that make them (`fetch_json`, `ws_connect`, `raw_ws_connect`, ...) are in
tests/conftest.py; these are the objects they hand out. Written against docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
from typing import Any

import tornado.httpclient
import tornado.tcpclient
import tornado.websocket
from ws_frames import masked_text_frame

# How long a test waits for a message or a close it expects before it fails (never a sleep).
RECV_TIMEOUT = 2.0


class Response:
    """What a test needs from an HTTP response: status, headers, body, and the body as JSON."""

    def __init__(self, response: tornado.httpclient.HTTPResponse) -> None:
        self.status = response.code
        self.headers = response.headers
        self.body = response.body or b""

    def json(self) -> Any:
        assert self.headers.get("Content-Type", "").startswith("application/json"), self.headers
        return json.loads(self.body)

    def __repr__(self) -> str:
        return f"<Response {self.status} {self.body[:200]!r}>"



class SignalingClient:
    """One signaling connection as a test sees it: send typed messages, await the next one."""

    def __init__(self, conn: tornado.websocket.WebSocketClientConnection) -> None:
        self.conn = conn
        self.user_id: str | None = None
        self.room_id: str | None = None
        self.joined: dict[str, Any] | None = None

    @property
    def resume_token(self) -> str:
        assert self.joined is not None
        return self.joined["resumeToken"]

    def send(self, type: str, payload: Any) -> None:
        """Send `{"type", "payload"}` (not awaited: ordering on the socket is what tests rely on)."""
        self.send_raw(json.dumps({"type": type, "payload": payload}))

    def send_raw(self, data: str | bytes) -> None:
        self.conn.write_message(data, binary=isinstance(data, bytes))

    async def recv_any(self, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The next message, whatever its type; fails if the connection closes first."""
        raw = await asyncio.wait_for(self.conn.read_message(), timeout)
        assert raw is not None, f"connection closed ({self.conn.close_code}) instead of a message"
        message = json.loads(raw)
        assert isinstance(message, dict) and set(message) >= {"type", "payload"}, message
        return message

    async def recv(self, type: str, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The payload of the next message, which must be of `type` (nothing else may come first)."""
        message = await self.recv_any(timeout)
        assert message["type"] == type, f"expected {type!r}, got {message!r}"
        return message["payload"]

    async def recv_error(self, code: str, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The next message must be `error{code}` with a message for people."""
        payload = await self.recv("error", timeout)
        assert payload["code"] == code, payload
        assert isinstance(payload.get("message"), str) and payload["message"], payload
        return payload

    async def wait_closed(self, timeout: float = RECV_TIMEOUT) -> list[dict[str, Any]]:
        """Wait for the server to close the connection; returns the messages that came before."""
        before = []
        while True:
            raw = await asyncio.wait_for(self.conn.read_message(), timeout)
            if raw is None:
                return before
            before.append(json.loads(raw))

    @property
    def close_code(self) -> int | None:
        return self.conn.close_code

    @property
    def close_reason(self) -> str | None:
        return self.conn.close_reason

    def close(self, code: int = 1000) -> None:
        self.conn.close(code)

    async def join(self, room_id: str, user_id: str, **fields: Any) -> dict[str, Any]:
        """Send `join` and return the `joined` payload."""
        self.send("join", {"roomId": room_id, "userId": user_id, **fields})
        joined = await self.recv("joined")
        self.user_id, self.room_id, self.joined = user_id, room_id, joined
        return joined



class RawWebSocket:
    """A bare WebSocket client on a raw IOStream.

    Unlike a real client it never answers pings and can vanish without a close frame, which is
    what a laptop losing its network looks like to the server.
    """

    def __init__(self, stream, tcp_client) -> None:
        self.stream = stream
        self.tcp_client = tcp_client

    @classmethod
    async def connect(cls, port: int) -> RawWebSocket:
        tcp_client = tornado.tcpclient.TCPClient()
        stream = await tcp_client.connect("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        stream.write(
            f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            .encode()
        )
        head = await asyncio.wait_for(stream.read_until(b"\r\n\r\n"), RECV_TIMEOUT)
        assert head.startswith(b"HTTP/1.1 101"), head
        return cls(stream, tcp_client)

    def send(self, type: str, payload: Any) -> None:
        self.stream.write(masked_text_frame(type, payload))

    async def recv(self, type: str, timeout: float = RECV_TIMEOUT) -> dict[str, Any]:
        """The payload of the next text message, which must be of `type`; pings are ignored."""
        while True:
            b0, b1 = await asyncio.wait_for(self.stream.read_bytes(2), timeout)
            length = b1 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.stream.read_bytes(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.stream.read_bytes(8))
            data = await asyncio.wait_for(self.stream.read_bytes(length), timeout) if length else b""
            opcode = b0 & 0x0F
            if opcode == 0x1:
                message = json.loads(data)
                assert message["type"] == type, f"expected {type!r}, got {message!r}"
                return message["payload"]
            assert opcode in (0x9, 0xA), f"unexpected frame opcode {opcode}: {data!r}"

    async def join(self, room_id: str, user_id: str, **fields: Any) -> dict[str, Any]:
        self.send("join", {"roomId": room_id, "userId": user_id, **fields})
        return await self.recv("joined")

    def drop(self) -> None:
        """Close the TCP connection with no close frame."""
        self.stream.close()
        self.tcp_client.close()

