"""Several server processes on one Redis: delivery across processes, presence, and the reaper.

Each process has an inbox channel `parley:node:<id>:inbox`. `RedisBus.deliver` runs one Lua script
per message that looks up each recipient's process in the room's member records and publishes the
message to those inboxes, so every process receives a room's messages in Redis's one order. The
process's own recipients are reached the same way, which keeps that order for everyone.

`Presence` renews this process's `alive` key and removes the members of processes whose key has
expired (killed, frozen, cut off), telling the rest of their rooms.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterable
from typing import Any

import hiredis

from tornado_app import redis_wire
from tornado_app.bus import Bus
from tornado_app.hub import CLOSE_REPLACED, Hub
from tornado_app.redis_wire import RedisWireError, RespConnection
from tornado_app.rooms.protocol import encode
from tornado_app.rooms.service import Deliver, RoomService
from tornado_app.store.base import StoreUnavailable
from tornado_app.store.redis import RedisRoomStore

log = logging.getLogger("parley.cluster")

CLOSE_PREFIX = "\x00close\n"  # an inbox message that is an order, not a message for users


class _Script:
    """A Lua script called by its SHA-1 (EVALSHA), loaded again if Redis has forgotten it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode()).hexdigest()


_ROUTE = _Script("""
local p, room, data = ARGV[1], ARGV[2], ARGV[3]
local members = p .. 'room:' .. room .. ':members'
local by_node, order, found = {}, {}, 0
for i = 4, #ARGV do
  local raw = redis.call('HGET', members, ARGV[i])
  if raw then
    found = found + 1
    local node = string.match(cjson.decode(raw).c, '^([^.]*)')
    if not by_node[node] then by_node[node] = {}; order[#order + 1] = node end
    table.insert(by_node[node], ARGV[i])
  end
end
for _, node in ipairs(order) do
  redis.call('PUBLISH', p .. 'node:' .. node .. ':inbox',
             room .. '\\n' .. table.concat(by_node[node], ',') .. '\\n' .. data)
end
return found
""")

_CLOSE = _Script("""
local p, conn = ARGV[1], ARGV[2]
local node = string.match(conn, '^([^.]*)')
return redis.call('PUBLISH', p .. 'node:' .. node .. ':inbox', ARGV[3] .. conn)
""")


class RedisBus(Bus):
    """Delivery through Redis pub/sub to whichever process holds each recipient's connection.

    Both per-message paths (the routing script and the inbox) use `redis_wire`'s lean
    connections; see that module for why.
    """

    def __init__(self, store: RedisRoomStore, hub: Hub) -> None:
        self.store = store
        self.hub = hub
        self.inbox = f"{store.prefix}node:{store.node_id}:inbox"
        self._pub: RespConnection | None = None
        self._connecting: asyncio.Future | None = None
        self._listener: asyncio.Task | None = None
        self.connected = asyncio.Event()
        self._backoff = 0.1

    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        for d in deliveries:
            if d.to:
                await self._run(_ROUTE, d.room_id, encode(d.message), *d.to)

    async def deliver_to_member(self, d: Deliver) -> bool:
        """Deliver to the one recipient if they are in the room; whether they were."""
        return bool(await self._run(_ROUTE, d.room_id, encode(d.message), *d.to))

    async def close_connection(self, conn_id: str) -> None:
        await self._run(_CLOSE, conn_id, CLOSE_PREFIX)

    async def _run(self, script: _Script, *args: str | bytes) -> Any:
        conn = await self._publisher()
        try:
            try:
                return await conn.call("EVALSHA", script.sha, 0, self.store.prefix, *args)
            except hiredis.ReplyError as exc:
                if not str(exc).startswith("NOSCRIPT"):
                    raise
                await conn.call("SCRIPT", "LOAD", script.source)  # Redis restarted empty
                return await conn.call("EVALSHA", script.sha, 0, self.store.prefix, *args)
        except RedisWireError as exc:
            raise StoreUnavailable(str(exc)) from None

    async def _publisher(self) -> RespConnection:
        if self._pub is not None and not self._pub.closed.done():
            return self._pub
        if self._connecting is None:  # one reconnection for every caller waiting on it
            self._connecting = asyncio.ensure_future(redis_wire.connect(self.store.url))
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
                conn = await redis_wire.connect(self.store.url, on_push=self._on_push)
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
            conn = self.hub.by_conn_id(data[len(CLOSE_PREFIX):])
            if conn is not None:
                conn.close(CLOSE_REPLACED, "replaced by a newer connection")
            return
        room_id, users, message = data.split("\n", 2)
        payload = message.encode()
        for user_id in users.split(","):
            conn = self.hub.connection_of(room_id, user_id)
            if conn is not None:
                conn.send(payload)
                self.hub.sent += 1


class Presence:
    """Keeps this process alive in Redis and reaps the members of processes that went silent."""

    def __init__(self, store: RedisRoomStore, service: RoomService, bus: Bus, *,
                 ttl: float = 10.0, renew_every: float = 2.0, reap_every: float = 4.0) -> None:
        self.store, self.service, self.bus = store, service, bus
        self.ttl, self.renew_every, self.reap_every = ttl, renew_every, reap_every
        self._tasks: list[asyncio.Task] = []
        self._suspects: set[str] = set()

    async def start(self) -> None:
        await self.store.renew_presence(int(self.ttl * 1000))
        self._tasks = [asyncio.ensure_future(self._every(self.renew_every, self._renew)),
                       asyncio.ensure_future(self._every(self.reap_every, self.reap))]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _every(self, period: float, work) -> None:
        while True:
            await asyncio.sleep(period)
            try:
                await work()
            except StoreUnavailable:
                pass  # the bus logs the outage; presence resumes when Redis is back
            except Exception:
                log.exception("presence work failed")

    async def _renew(self) -> None:
        await self.store.renew_presence(int(self.ttl * 1000))

    async def reap(self) -> None:
        """Remove the members of processes silent in two rounds in a row (one round may be a
        Redis restart that expired every key before the processes could renew)."""
        silent = set(await self.store.silent_nodes())
        for node in silent & self._suspects:
            members = await self.store.node_members(node)
            log.warning("process %s went silent; removing its %d users", node, len(members))
            for room_id, user_id, conn_id in members:
                async with self.store.sequenced(room_id):
                    await self.bus.deliver(await self.service.leave(room_id, user_id, conn_id))
            await self.store.forget_node(node)
        self._suspects = silent
