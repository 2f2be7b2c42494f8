"""One WebSocket to one Janus instance: requests matched to replies by transaction, events routed.

Tornado's WebSocket client carries it (Janus's `janus-protocol` subprotocol): it is the server's own
runtime dependency, runs on the same asyncio loop, and supports subprotocols and a message size cap;
the `websockets` library is only pinned for the tests. Everything but `connect` is plain asyncio over
a `Transport` (send / receive / close), so tests can also run it over any WebSocket.

When the socket closes or fails, every pending request raises `JanusConnectionLost`, every session
is told (`on_lost`), and later requests raise at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tornado.httpclient import HTTPRequest
from tornado.netutil import Resolver
from tornado.websocket import WebSocketClientConnection, websocket_connect

from tornado_app.janus.errors import JanusConnectionLost, JanusGone, JanusTimeout
from tornado_app.janus.protocol import ends_request, raise_for_error

if TYPE_CHECKING:
    from tornado_app.janus.session import JanusSession

log = logging.getLogger(__name__)

SUBPROTOCOL = "janus-protocol"
# Janus's answers are small JSON; an SDP with many m-lines stays far below this.
MAX_MESSAGE_SIZE = 4 * 1024 * 1024
# How long `close()` waits for Janus to answer the WebSocket close before it stops reading anyway.
CLOSE_WAIT = 2.0


class Transport(Protocol):
    """What the connection needs of a WebSocket."""

    async def send(self, text: str) -> None: ...
    async def receive(self) -> str | None: ...  # None once closed
    def close(self) -> None: ...


class TornadoTransport:
    """A Tornado WebSocket client connection as a `Transport`."""

    def __init__(self, ws: WebSocketClientConnection) -> None:
        self.ws = ws

    async def send(self, text: str) -> None:
        await self.ws.write_message(text)

    async def receive(self) -> str | None:
        message = await self.ws.read_message()
        return message.decode() if isinstance(message, bytes) else message

    def close(self) -> None:
        self.ws.close()


class _UnixSocketResolver(Resolver):
    """Resolves every host to one Unix socket file: Tornado's TCP client then connects there."""

    def initialize(self, path: str) -> None:  # tornado's Configurable takes its arguments here
        self.path = path

    async def resolve(self, host: str, port: int, family: socket.AddressFamily = socket.AF_UNSPEC) -> list:
        return [(socket.AF_UNIX, self.path)]


@dataclass
class _Pending:
    request: str
    session_id: int | None
    future: asyncio.Future[dict[str, Any]]


class JanusConnection:
    """Requests and replies over one Janus WebSocket; `create_session()` starts a session on it."""

    def __init__(self, transport: Transport, *, url: str = "", request_timeout: float = 10.0) -> None:
        self.url = url
        self.request_timeout = request_timeout
        self._transport = transport
        self._pending: dict[str, _Pending] = {}
        self._sessions: dict[int, Callable[[dict[str, Any]], None]] = {}
        # Notifications for a session Janus just created, kept until the session registers: its
        # `success` reply and a first event (even `timeout`) can arrive in one read.
        self._early: dict[int, list[dict[str, Any]]] = {}
        self._lost_listeners: list[Callable[[JanusGone], None]] = []
        self._lost = asyncio.Event()
        self.lost_reason: JanusGone | None = None
        self._prefix = secrets.token_hex(4)
        self._counter = itertools.count(1)
        self._reader = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def connect(cls, url: str, *, unix_socket: str | None = None, connect_timeout: float = 5.0,
                      request_timeout: float = 10.0) -> JanusConnection:
        """Open the WebSocket to Janus at `url` (e.g. ws://127.0.0.1:8188); raises JanusConnectionLost if it can't.

        With `unix_socket` (Janus's `ws_unix`), the WebSocket runs over that socket file instead of TCP
        (`url` then only names the HTTP Host, e.g. ws://janus/).
        """
        resolver = None if unix_socket is None else _UnixSocketResolver(path=unix_socket)
        where = url if unix_socket is None else f"{unix_socket} ({url})"
        try:
            ws = await websocket_connect(HTTPRequest(url, connect_timeout=connect_timeout, request_timeout=connect_timeout),
                                         subprotocols=[SUBPROTOCOL], max_message_size=MAX_MESSAGE_SIZE, resolver=resolver)
        except Exception as exc:  # noqa: BLE001 - refused, unreachable, timed out, not a WebSocket: all mean no Janus
            raise JanusConnectionLost(f"cannot connect to Janus at {where}: {exc}") from exc
        if ws.selected_subprotocol != SUBPROTOCOL:
            ws.close()
            raise JanusConnectionLost(f"{where} did not accept the {SUBPROTOCOL} subprotocol")
        return cls(TornadoTransport(ws), url=where, request_timeout=request_timeout)

    @property
    def is_lost(self) -> bool:
        """Whether the connection is closed or lost."""
        return self.lost_reason is not None

    def on_lost(self, listener: Callable[[JanusGone], None]) -> None:
        """Call `listener(reason)` once when the connection is lost or closed."""
        self._lost_listeners.append(listener)

    async def wait_lost(self) -> JanusGone:
        """Wait until the connection is lost; returns why."""
        await self._lost.wait()
        assert self.lost_reason is not None
        return self.lost_reason

    async def request(self, message: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """Send one Janus API request (a `transaction` is added) and return its final reply.

        Raises JanusApiError / JanusPluginError for a refusal, JanusTimeout after `timeout` seconds
        (default: the connection's request_timeout), JanusGone if the connection or session is lost.
        """
        if self.lost_reason is not None:
            raise type(self.lost_reason)(str(self.lost_reason))
        kind = str(message["janus"])
        # Named in errors as Janus's request, and the plugin request inside a `message`.
        label = f"message/{message['body'].get('request')}" if kind == "message" else kind
        transaction = f"{self._prefix}-{next(self._counter)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        session_id = message.get("session_id")
        self._pending[transaction] = _Pending(kind, session_id, future)
        try:
            try:
                await self._transport.send(json.dumps({**message, "transaction": transaction}))
            except Exception as exc:  # noqa: BLE001 - a closed or broken socket: the reader reports the same
                raise JanusConnectionLost(f"cannot send to Janus: {exc!r}") from exc
            wait = self.request_timeout if timeout is None else timeout
            try:
                reply = await asyncio.wait_for(asyncio.shield(future), wait)
            except asyncio.TimeoutError:
                raise JanusTimeout(f"Janus did not answer {label!r} within {wait:g} s") from None
        finally:
            self._pending.pop(transaction, None)
        raise_for_error(label, reply)
        return reply

    async def info(self) -> dict[str, Any]:
        """Janus's `server_info` (version, plugins, transports, session timeout)."""
        return await self.request({"janus": "info"})

    async def create_session(self, *, keepalive_interval: float = 25.0) -> JanusSession:
        """Create a Janus session on this connection, kept alive every `keepalive_interval` seconds."""
        from tornado_app.janus.session import JanusSession  # session.py imports this module
        return await JanusSession.create(self, keepalive_interval=keepalive_interval)

    def register_session(self, session_id: int, on_message: Callable[[dict[str, Any]], None]) -> None:
        """Route the session's notifications (no pending transaction) to `on_message`."""
        self._sessions[session_id] = on_message
        for message in self._early.pop(session_id, ()):
            on_message(message)

    def unregister_session(self, session_id: int) -> None:
        """Stop routing a session's notifications."""
        self._sessions.pop(session_id, None)
        self._early.pop(session_id, None)

    def fail_session(self, session_id: int, reason: JanusGone) -> None:
        """Fail the session's pending requests with `reason` (Janus ended the session)."""
        for pending in list(self._pending.values()):
            if pending.session_id == session_id and not pending.future.done():
                pending.future.set_exception(reason)

    def abort(self, reason: JanusGone) -> None:
        """Declare the connection lost for `reason` (e.g. Janus stopped answering) and close the socket."""
        self._lose(reason)
        self._transport.close()
        # A hung Janus never answers the close either: stop reading now rather than after the
        # WebSocket's close timeout.
        self._reader.cancel()

    async def close(self) -> None:
        """Close the WebSocket (Janus then ends its sessions) and wait for the reader to stop."""
        self._lose(JanusConnectionLost(f"the connection to Janus at {self.url or 'Janus'} was closed"))
        self._transport.close()
        _, still_reading = await asyncio.wait({self._reader}, timeout=CLOSE_WAIT)
        if still_reading:  # Janus does not answer the close: stop reading anyway
            self._reader.cancel()
            await asyncio.wait({self._reader})

    async def _read_loop(self) -> None:
        reason = "Janus closed the connection"
        try:
            while True:
                text = await self._transport.receive()
                if text is None:
                    break
                try:
                    message = json.loads(text)
                except ValueError:
                    log.warning("Janus sent something that is not JSON: %.200r", text)
                    continue
                if isinstance(message, dict):
                    self._dispatch(message)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the socket means the connection is lost
            reason = f"the connection to Janus failed: {exc!r}"
        self._lose(JanusConnectionLost(f"{reason} ({self.url})" if self.url else reason))

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = str(message.get("janus", ""))
        pending = self._pending.get(str(message.get("transaction", "")))
        if pending is not None and ends_request(pending.request, kind):
            if pending.request == "create" and kind == "success":
                self._early[int(message["data"]["id"])] = []
            if not pending.future.done():
                pending.future.set_result(message)
            return
        if pending is not None and kind == "ack":
            return  # a plugin message was queued: its `event` follows
        session_id = message.get("session_id")
        handler = self._sessions.get(session_id) if isinstance(session_id, int) else None
        if handler is not None:
            handler(message)
        elif isinstance(session_id, int) and session_id in self._early:
            self._early[session_id].append(message)
        elif kind not in ("ack", "keepalive"):
            log.debug("Janus message for no known session: %.300s", message)

    def _lose(self, reason: JanusGone) -> None:
        if self.lost_reason is not None:
            return
        self.lost_reason = reason
        self._lost.set()
        for pending in list(self._pending.values()):
            if not pending.future.done():
                pending.future.set_exception(type(reason)(str(reason)))
        for listener in self._lost_listeners:
            try:
                listener(reason)
            except Exception:  # noqa: BLE001 - one listener's bug must not hide the loss from others
                log.exception("a Janus on_lost listener failed")
