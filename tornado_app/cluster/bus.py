"""`RedisBus`: delivery across server processes that share one Redis.

Each process has an inbox channel (`schema.inbox`). `RedisBus.deliver` runs one Lua script per
message that looks up each recipient's process in the room's member records and publishes the
message to those inboxes, so every process receives a room's messages in Redis's one order. The
process's own recipients are reached the same way, which keeps that order for everyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from tornado_app.bus import Bus
from tornado_app.cluster import schema, wire
from tornado_app.cluster.schema import ADMIT_PREFIX, CLOSE_PREFIX, Script
from tornado_app.cluster.store import RedisRoomStore
from tornado_app.cluster.wire import RedisWireError, RespConnection
from tornado_app.hub import Hub
from tornado_app.rooms.protocol import encode
from tornado_app.rooms.service import Deliver
from tornado_app.store.base import StoreUnavailable

log = logging.getLogger("parley.cluster")

class RedisBus(Bus):
    """Delivery through Redis pub/sub to whichever process holds each recipient's connection.

    Both per-message paths (the routing script and the inbox) use `wire`'s lean connections;
    see that module for why.
    """

    def __init__(self, store: RedisRoomStore, hub: Hub) -> None:
        super().__init__(hub)
        self.store = store
        self.inbox = schema.inbox(store.prefix, store.node_id)
        self._pub: RespConnection | None = None
        self._connecting: asyncio.Future | None = None
        self._listener: asyncio.Task | None = None
        self.connected = asyncio.Event()
        self._backoff = 0.1

    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        for d in deliveries:
            if d.to:
                await self._run(schema.ROUTE, d.room_id, encode(d.message), *d.to)

    async def relay(self, d: Deliver) -> bool:
        # One round trip: the routing script checks the membership as it routes.
        return bool(await self._run(schema.ROUTE, d.room_id, encode(d.message), *d.to))

    async def _close_elsewhere(self, conn_id: str, code: int, reason: str, farewell: bytes | None) -> None:
        order = f"{CLOSE_PREFIX}{code}\n{reason}\n{conn_id}\n".encode() + (farewell or b"")
        await self._run(schema.CLOSE, conn_id, order)

    async def _admit_elsewhere(self, conn_id: str, room_id: str, user_id: str, joined: bytes) -> None:
        # Published like the room's messages, so it reaches the connection's process before them.
        await self._run(schema.CLOSE, conn_id, f"{ADMIT_PREFIX}{conn_id}\n{room_id}\n{user_id}\n".encode() + joined)

    async def _run(self, script: Script, *args: str | bytes) -> Any:
        conn = self._pub
        if conn is None or conn.closed.done():
            conn = await self._publisher()
        try:
            return await script.run(conn.call, self.store.prefix, *args)
        except RedisWireError as exc:
            raise StoreUnavailable(str(exc)) from None

    async def _publisher(self) -> RespConnection:
        if self._pub is not None and not self._pub.closed.done():
            return self._pub
        if self._connecting is None:  # one reconnection for every caller waiting on it
            self._connecting = asyncio.ensure_future(wire.connect(self.store.url))
        connecting = self._connecting
        try:
            self._pub = await asyncio.shield(connecting)
        except RedisWireError as exc:
            raise StoreUnavailable(str(exc)) from None
        finally:
            if self._connecting is connecting and connecting.done():
                self._connecting = None
        return self._pub

    async def start(self) -> None:
        self._listener = asyncio.ensure_future(self._listen())
        await asyncio.wait_for(self.connected.wait(), 10)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._pub is not None:
            self._pub.close()

    async def _listen(self) -> None:
        """Receive this process's inbox, reconnecting with backoff when Redis goes away."""
        while True:
            conn = None
            try:
                conn = await wire.connect(self.store.url, on_push=self._on_push)
                conn.send("SUBSCRIBE", self.inbox)
                await conn.closed
            except RedisWireError:
                pass
            finally:
                if conn is not None:
                    conn.close()
            self.connected.clear()
            log.warning("lost Redis; retrying in %.1f s", self._backoff)
            await asyncio.sleep(self._backoff)
            self._backoff = min(self._backoff * 2, 5.0)

    def _on_push(self, reply: Any) -> None:
        if not isinstance(reply, list) or len(reply) < 3:
            return
        if reply[0] == "message":
            self._receive(reply[2])
        elif reply[0] == "subscribe":
            if self._backoff > 0.1:
                log.info("reconnected to Redis")
            self._backoff = 0.1
            self.connected.set()

    def _receive(self, data: str) -> None:
        if data.startswith(CLOSE_PREFIX):
            code, reason, conn_id, farewell = data[len(CLOSE_PREFIX):].split("\n", 3)
            self.hub.close(conn_id, int(code), reason, farewell.encode() if farewell else None)
            return
        if data.startswith(ADMIT_PREFIX):
            conn_id, room_id, user_id, joined = data[len(ADMIT_PREFIX):].split("\n", 3)
            self.hub.admit(conn_id, room_id, user_id, joined.encode())
            return
        room_id, users, message = data.split("\n", 2)
        payload = message.encode()
        for user_id in users.split(","):
            conn = self.hub.connection_of(room_id, user_id)
            if conn is not None:
                conn.send(payload)
                self.hub.sent += 1
