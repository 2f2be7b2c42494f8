"""The signaling WebSocket `/ws`: frames in, calls on the meeting manager, messages out.

The handler only translates: it parses a frame, applies the per-connection limits (rate, size,
join time, send backlog) and calls `MeetingManager`; the manager decides and delivers.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Awaitable

import tornado.ioloop
import tornado.iostream
import tornado.websocket

from tornado_app.context import Parley
from tornado_app.meeting import RELAYED
from tornado_app.ratelimit import TokenBucket
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import CloseCode, ErrorCode, RoomError
from tornado_app.store.base import StoreUnavailable

log = logging.getLogger("parley.signaling")

FLOOD_LIMIT = 1000  # dropped messages before a flooding client is closed
PING_TIMEOUT_REASON = "ping timed out"  # what Tornado's periodic_ping closes with
# What may wait to be sent to one client: a peer that stops reading would otherwise make the
# server hold everything relayed to it (4 peers relaying 64 KB offers for 10 s: +120 MB).
MAX_PENDING_SEND = 1024 * 1024


class _TornadoClosesProtocol(tornado.websocket.WebSocketProtocol13):
    """A workaround for the two closes Tornado makes by itself, not through the handler's
    `close()`: a message over the size limit (1009) and a ping timeout.

    Both are deliberate (no reconnect grace is owed), and after a ping timeout the peer is gone,
    so waiting Tornado's 5 s for its close reply would only delay its removal. Tornado has no
    public hook for either (6.6: `periodic_ping` and `_receive_frame` call the protocol's
    `close` directly), hence this subclass, put in place by `get_websocket_protocol`.
    """

    def close(self, code: int | None = None, reason: str | None = None) -> None:
        if not self.server_terminated:  # _abort() sets this first, so a bare drop never gets here
            self.handler.closed_deliberately = True  # type: ignore[attr-defined]
        super().close(code, reason)
        if reason == PING_TIMEOUT_REASON and not self.client_terminated:
            self._abort()


class SignalingHandler(tornado.websocket.WebSocketHandler):
    """One client's signaling connection."""

    def initialize(self, parley: Parley) -> None:
        self.parley = parley
        self.meetings = parley.meetings
        self.conn_id = parley.meetings.new_conn_id()
        self.room_id: str | None = None
        self.user_id: str | None = None
        self.lobby: tuple[str, str] | None = None  # (room, user) while waiting to be admitted
        self.gone = False
        self.closed_deliberately = False
        self.dropped = 0
        self.last_refusal = 0.0
        self.last_seen = time.monotonic()
        self.join_timer: object | None = None
        self.joining = False
        self.counted_address: str | None = None
        settings = parley.settings
        self.bucket = TokenBucket(settings.rate_per_second, settings.rate_burst, self.last_seen)

    def check_origin(self, origin: str) -> bool:
        """The server's own origin under a known host name, or one listed with --allowed-origin
        (DNS rebinding: the request's own Host alone proves nothing)."""
        return self.application.policy.allows_origin(origin, self.request)  # type: ignore[attr-defined]

    def get_websocket_protocol(self) -> tornado.websocket.WebSocketProtocol | None:
        protocol = super().get_websocket_protocol()
        if protocol is not None and type(protocol) is tornado.websocket.WebSocketProtocol13:
            # Same object, plus the close bookkeeping (its constructor's arguments are private).
            protocol.__class__ = _TornadoClosesProtocol
        return protocol

    def close(self, code: int | None = None, reason: str | None = None) -> None:
        """Close with a close frame: the server meant it (policy, flood, takeover, leave,
        shutdown), so the user gets no reconnect grace. A connection torn down without one is a
        network drop, which does."""
        if self.ws_connection is not None and not self.ws_connection.is_closing():
            self.closed_deliberately = True
        super().close(code, reason)

    def get_compression_options(self) -> None:
        return None  # no permessage-deflate: it costs memory per connection and opens CRIME-style leaks

    def open(self) -> None:
        # Signaling is many small frames: without TCP_NODELAY, Nagle holds a second frame to the
        # same client until the first is ACKed, ~40 ms with delayed ACKs (docs/benchmarks.md).
        self.set_nodelay(True)
        self.parley.hub.opened(self)
        settings = self.parley.settings
        if settings.behind_proxy and settings.max_connections_per_address:
            # Behind a proxy every TCP connection comes from the proxy: cap WebSockets per
            # forwarded address instead (the HTTP server's cap is off in that mode).
            counts = self.application.settings.setdefault("ws_per_address", collections.Counter())
            address = self.request.remote_ip
            if counts[address] >= settings.max_connections_per_address:
                self.close(CloseCode.POLICY, "too many connections from this address")
                return
            counts[address] += 1
            self.counted_address = address
        # A connection that never joins holds a descriptor and ~17 KB for nothing.
        self.join_timer = tornado.ioloop.IOLoop.current().call_later(
            self.parley.settings.join_timeout, self._join_timed_out)

    def _join_timed_out(self) -> None:
        self.join_timer = None
        if self.joining:  # a join is under way: judge it when it has finished
            self.join_timer = tornado.ioloop.IOLoop.current().call_later(1.0, self._join_timed_out)
        elif self.room_id is None and self.lobby is None and not self.gone:
            self.close(CloseCode.POLICY, "no join within the time allowed")

    def _cancel_join_timer(self) -> None:
        if self.join_timer is not None:
            tornado.ioloop.IOLoop.current().remove_timeout(self.join_timer)
            self.join_timer = None

    def send(self, data: bytes) -> None:
        """Send one encoded message as a text frame; a closing socket drops it, a slow one is cut."""
        conn = self.ws_connection
        if conn is None or conn.is_closing():
            return
        stream = conn.stream
        if stream._total_write_index - stream._total_write_done_index > MAX_PENDING_SEND:
            self._cut_slow_reader()
            return
        # The frame goes straight to the stream: `write_message` wraps every write in a coroutine
        # and an asyncio Task only to rename StreamClosedError, a cost on every relayed message
        # (docs/benchmarks.md); the stream's own future already swallows a closed stream's error.
        try:
            conn._write_frame(True, 0x1, data)  # type: ignore[attr-defined]
        except tornado.iostream.StreamClosedError:
            pass  # a message to a closing connection is dropped

    def _cut_slow_reader(self) -> None:
        """Drop a client that has over MAX_PENDING_SEND waiting: it would not read a close frame either."""
        assert self.ws_connection is not None
        log.warning("closing %s: over %d bytes waiting to be sent (the client does not read)",
                    self.conn_id, MAX_PENDING_SEND)
        self.closed_deliberately = True  # no reconnect grace: it is not a network drop
        self.ws_connection._abort()

    def send_error(self, code: str, message: str) -> None:  # type: ignore[override]
        self.send(p.encode(p.Error(code, message)))

    def on_pong(self, data: bytes) -> None:
        self.last_seen = time.monotonic()

    def on_message(self, raw: str | bytes) -> Awaitable[None] | None:
        """Relays that the store can check from memory are done here, synchronously; anything
        else returns a coroutine, which Tornado awaits before reading this socket's next frame,
        so one connection's messages are always handled in order."""
        now = self.last_seen = time.monotonic()
        if not self.bucket.allow(now):
            self._refuse_flood(now)
            return None
        try:
            msg = p.parse_client_message(raw)
            room_id, user_id = self.room_id, self.user_id
            if type(msg) in RELAYED and room_id is not None and user_id is not None:
                if self.meetings.relay_now(room_id, user_id, msg, now):  # type: ignore[arg-type]
                    return None
        except (p.ProtocolError, RoomError) as exc:
            self._refuse(exc.code, exc.message)
            return None
        except Exception:  # raising here would make Tornado drop the connection
            log.exception("bug while relaying a message")
            self._refuse(*RoomError.internal_error().args)
            return None
        return self._handle(msg)

    def _refuse(self, code: str, message: str) -> None:
        self.parley.metrics.counters.refuse(code)
        self.send_error(code, message)

    async def _handle(self, msg: p.ClientMessage) -> None:
        try:
            await self._dispatch(msg)
        except (p.ProtocolError, RoomError) as exc:
            self._refuse(exc.code, exc.message)
        except StoreUnavailable:
            self._refuse(*RoomError.unavailable().args)
        except Exception:
            log.exception("bug while handling a message")
            self._refuse(*RoomError.internal_error().args)

    async def _dispatch(self, msg: p.ClientMessage) -> None:
        meetings, room_id, user_id = self.meetings, self.room_id, self.user_id
        if type(msg) is p.Join:
            await self._join(msg)
        elif room_id is None or user_id is None:
            raise RoomError.not_joined(msg.type)
        elif type(msg) in RELAYED:
            await meetings.relay(room_id, user_id, msg, self.last_seen)  # type: ignore[arg-type]
        elif type(msg) in p.SFU_MESSAGES:
            await meetings.sfu_message(self, room_id, user_id, msg)  # type: ignore[arg-type]
        elif type(msg) is p.RefreshIceServers:
            self.send(p.encode(p.IceServers(meetings.ice_servers(user_id))))
        else:
            await meetings.act(room_id, user_id, msg)

    async def _join(self, msg: p.Join) -> None:
        if self.room_id is not None or self.lobby is not None or self.joining:
            raise RoomError.already_joined()
        self.joining = True
        try:
            await self.meetings.join(self, msg, self.request.remote_ip or "")
        finally:
            self.joining = False

    def joined(self, room_id: str, user_id: str) -> None:
        """The manager made this connection the user's (called inside the room's section, so a
        close from now on removes the user)."""
        self.room_id, self.user_id = room_id, user_id
        self.lobby = None
        self._cancel_join_timer()

    def waiting(self, room_id: str, user_id: str) -> None:
        """The manager put this connection in the room's lobby: it may wait as long as it likes
        (a close from now on takes it out of the lobby)."""
        self.lobby = (room_id, user_id)
        self._cancel_join_timer()

    def _refuse_flood(self, now: float) -> None:
        self.dropped += 1
        self.parley.metrics.counters.refuse(ErrorCode.RATE_LIMITED)
        if self.dropped > FLOOD_LIMIT:
            self.close(CloseCode.POLICY, "too many messages")
        elif now - self.last_refusal >= 1.0:
            self.last_refusal = now
            self.send_error(*RoomError.too_many_messages().args)

    def on_close(self) -> None:
        self.gone = True
        self._cancel_join_timer()
        if self.counted_address is not None:
            counts = self.application.settings["ws_per_address"]
            counts[self.counted_address] -= 1
            if counts[self.counted_address] <= 0:
                del counts[self.counted_address]
        hub = self.parley.hub
        hub.closed(self)
        if hub.shutting_down:
            return
        if self.lobby is not None and self.room_id is None:
            self.meetings.leave_lobby(*self.lobby, self.conn_id)
            return
        if self.room_id is None or self.user_id is None:
            return
        room_id, user_id = self.room_id, self.user_id
        hub.detach(room_id, user_id, self)
        self.meetings.sfu_gone(room_id, user_id)
        # A closing handshake is a deliberate leave. A dropped TCP connection gets a grace
        # period, counted from the last sign of life, in which the user may resume.
        grace = 0.0
        if not self.closed_deliberately and self.close_code is None:
            grace = self.last_seen + self.parley.settings.reconnect_grace - time.monotonic()
        self.meetings.leave_later(room_id, user_id, self.conn_id, max(grace, 0.0))

