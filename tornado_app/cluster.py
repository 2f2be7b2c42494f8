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
import logging
from collections.abc import Iterable

import redis.asyncio as aioredis
import redis.exceptions

from tornado_app.bus import Bus
from tornado_app.hub import CLOSE_REPLACED, Hub
from tornado_app.rooms.protocol import encode
from tornado_app.rooms.service import Deliver, RoomService
from tornado_app.store.base import StoreUnavailable
from tornado_app.store.redis import RedisRoomStore

log = logging.getLogger("parley.cluster")

CLOSE_PREFIX = "\x00close\n"  # an inbox message that is an order, not a message for users

_ROUTE = """
local p, room, data = ARGV[1], ARGV[2], ARGV[3]
local members = p .. 'room:' .. room .. ':members'
local by_node, order = {}, {}
for i = 4, #ARGV do
  local raw = redis.call('HGET', members, ARGV[i])
  if raw then
    local node = string.match(cjson.decode(raw).c, '^([^.]*)')
    if not by_node[node] then by_node[node] = {}; order[#order + 1] = node end
    table.insert(by_node[node], ARGV[i])
  end
end
for _, node in ipairs(order) do
  redis.call('PUBLISH', p .. 'node:' .. node .. ':inbox',
             room .. '\\n' .. table.concat(by_node[node], ',') .. '\\n' .. data)
end
return #order
"""

_CLOSE = """
local p, conn = ARGV[1], ARGV[2]
local node = string.match(conn, '^([^.]*)')
return redis.call('PUBLISH', p .. 'node:' .. node .. ':inbox', ARGV[3] .. conn)
"""


class RedisBus(Bus):
    """Delivery through Redis pub/sub to whichever process holds each recipient's connection."""

    def __init__(self, store: RedisRoomStore, hub: Hub) -> None:
        self.store = store
        self.hub = hub
        self.inbox = f"{store.prefix}node:{store.node_id}:inbox"
        self._route = store.redis.register_script(_ROUTE)
        self._close = store.redis.register_script(_CLOSE)
        # Subscriptions block on reads, so they get their own client with no read timeout.
        self._sub = aioredis.Redis.from_url(store.url, decode_responses=True,
                                            socket_connect_timeout=2.0)
        self._listener: asyncio.Task | None = None
        self.connected = asyncio.Event()

    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        for d in deliveries:
            if d.to:
                await self._publish(self._route, d.room_id, encode(d.message).decode(), *d.to)

    async def close_connection(self, conn_id: str) -> None:
        await self._publish(self._close, conn_id, CLOSE_PREFIX)

    async def _publish(self, script, *args: str) -> None:
        try:
            await script(args=[self.store.prefix, *args])
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    async def start(self) -> None:
        self._listener = asyncio.ensure_future(self._listen())
        await asyncio.wait_for(self.connected.wait(), 10)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._sub.aclose()

    async def _listen(self) -> None:
        """Receive this process's inbox, reconnecting with backoff when Redis goes away."""
        backoff = 0.1
        while True:
            pubsub = self._sub.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.inbox)
                self.connected.set()
                if backoff > 0.1:
                    log.info("reconnected to Redis")
                backoff = 0.1
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is not None:
                        self._receive(message["data"])
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
                self.connected.clear()
                log.warning("lost Redis; retrying in %.1f s", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

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
