"""`RedisRoomStore`: rooms, presence and screen sharers in Redis, shared by several server processes.

Keys (prefix `parley:`): `room:<r>:used` (the room exists while this key does: its last use, with
the room TTL as key expiry, refreshed whenever the room is used), `rooms:used` (sorted set room ->
last use, so that counting rooms is one ZCOUNT), `room:<r>:members` (hash user -> member JSON),
`room:<r>:share` (JSON), `room:<r>:seq` (join counter, same expiry), `room:<r>:lock` (sequenced
sections), `node:<n>:alive` (presence, with a TTL), `nodes` (set of process ids), `node:<n>:members`
(set of `room/user` served by that process). Every compound step is one Lua script, so it is
atomic. A room is used when it is created, or someone joins or leaves it. Rooms persist as long as
Redis does: run it with `appendonly yes` (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from tornado_app.rooms.model import JoinKind, JoinResult, Member, RemoveResult, RoomError, Share
from tornado_app.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("parley")

PREFIX = "parley:"
LOCK_TTL_MS = 2000

# Mark a room used now: ARGV[1] is the prefix, the last two ARGV are now (s) and the TTL (ms, 0 = none).
_TOUCH = """
local function touch(p, room)
  local now, ttl = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV])
  local used, seq = p .. 'room:' .. room .. ':used', p .. 'room:' .. room .. ':seq'
  if ttl > 0 then
    redis.call('SET', used, now, 'PX', ttl)
    redis.call('PEXPIRE', seq, ttl)
    redis.call('ZREMRANGEBYSCORE', p .. 'rooms:used', '-inf', '(' .. (tonumber(now) - ttl / 1000))
  else
    redis.call('SET', used, now)
  end
  redis.call('ZADD', p .. 'rooms:used', now, room)
end
"""

_CREATE = _TOUCH + """
touch(ARGV[1], ARGV[2])
"""

# Rooms from before rooms expired were a set `rooms`: each gets a last use of now.
_MIGRATE = _TOUCH + """
local p = ARGV[1]
if redis.call('TYPE', p .. 'rooms')['ok'] ~= 'set' then return 0 end
local rooms = redis.call('SMEMBERS', p .. 'rooms')
for _, room in ipairs(rooms) do touch(p, room) end
redis.call('DEL', p .. 'rooms')
return #rooms
"""

_ADD_MEMBER = _TOUCH + """
local p, room, user, member, max_size, token_hash, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4],
  tonumber(ARGV[5]), ARGV[6], ARGV[7]
local members = p .. 'room:' .. room .. ':members'
if redis.call('EXISTS', p .. 'room:' .. room .. ':used', members) == 0 then
  return {'err', 'roomNotFound'}  -- unused for the TTL, or never created (a room with people lives)
end
local present = redis.call('HGET', members, user)
local new = cjson.decode(member)
local kind = 'new'
if present then
  local old = cjson.decode(present)
  if token_hash == '' or old.t ~= token_hash then return {'err', 'userIdTaken'} end
  kind = 'resumed'
  new.j = old.j
  new.n = old.n
  local old_node = string.match(old.c, '^([^.]*)')
  redis.call('SREM', p .. 'node:' .. old_node .. ':members', room .. '/' .. user)
else
  if redis.call('HLEN', members) >= max_size then return {'err', 'roomFull'} end
  new.j = redis.call('INCR', p .. 'room:' .. room .. ':seq')
end
redis.call('HSET', members, user, cjson.encode(new))
redis.call('SADD', p .. 'node:' .. node .. ':members', room .. '/' .. user)
redis.call('SADD', p .. 'nodes', node)
touch(p, room)
local share = redis.call('GET', p .. 'room:' .. room .. ':share') or ''
return {kind, present or '', share, unpack(redis.call('HVALS', members))}
"""

_REMOVE_MEMBER = _TOUCH + """
local p, room, user, conn = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return {0} end
local old = cjson.decode(present)
if conn ~= '' and old.c ~= conn then return {0} end
redis.call('HDEL', members, user)
touch(p, room)
local node = string.match(old.c, '^([^.]*)')
redis.call('SREM', p .. 'node:' .. node .. ':members', room .. '/' .. user)
local share_key = p .. 'room:' .. room .. ':share'
local was_sharing = 0
local share = redis.call('GET', share_key)
if share and cjson.decode(share).u == user then
  redis.call('DEL', share_key)
  was_sharing = 1
end
return {1, was_sharing, unpack(redis.call('HKEYS', members))}
"""

_SET_SHARER = """
local p, room, user, share = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local members = p .. 'room:' .. room .. ':members'
if redis.call('HEXISTS', members, user) == 0 then return {} end
redis.call('SET', p .. 'room:' .. room .. ':share', share)
return redis.call('HKEYS', members)
"""

_CLEAR_SHARER = """
local p, room, user = ARGV[1], ARGV[2], ARGV[3]
local share_key = p .. 'room:' .. room .. ':share'
local share = redis.call('GET', share_key)
if not share or cjson.decode(share).u ~= user then return {0} end
redis.call('DEL', share_key)
return {1, unpack(redis.call('HKEYS', p .. 'room:' .. room .. ':members'))}
"""

_SET_MEDIA = """
local p, room, user, audio, video = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return 0 end
local m = cjson.decode(present)
m.a = audio == '1'
m.v = video == '1'
redis.call('HSET', members, user, cjson.encode(m))
return 1
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _encode_member(member: Member) -> str:
    return json.dumps({"u": member.user_id, "n": member.display_name, "c": member.conn_id,
                       "t": member.token_hash, "a": member.audio_muted, "v": member.video_muted})


def _decode_member(raw: str) -> tuple[int, Member]:
    """(join order, member) from a member's JSON."""
    m = json.loads(raw)
    return m.get("j", 0), Member(m["u"], m["n"], m["c"], m["t"], m["a"], m["v"])


def _decode_share(raw: str | bytes | None) -> Share | None:
    if not raw:
        return None
    s = json.loads(raw)
    return Share(s["u"], s.get("s"))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisRoomStore(RoomStore):
    """Room state shared by every server process that points at the same Redis."""

    def __init__(self, url: str, *, prefix: str = PREFIX, node_id: str | None = None,
                 room_ttl_days: float = 30.0) -> None:
        # One retry on a fresh connection: after a Redis restart the pool's old sockets are dead.
        self.redis = aioredis.Redis.from_url(
            url, socket_timeout=2.0, socket_connect_timeout=2.0, decode_responses=True,
            retry=Retry(NoBackoff(), 1), retry_on_error=[redis.exceptions.ConnectionError])
        self.url = url
        self.prefix = prefix
        self.node_id = node_id or secrets.token_hex(6)
        self.room_ttl_ms = round(room_ttl_days * 86400 * 1000)  # 0: rooms never expire
        self._scripts = {name: self.redis.register_script(src) for name, src in (
            ("add", _ADD_MEMBER), ("remove", _REMOVE_MEMBER), ("share", _SET_SHARER),
            ("unshare", _CLEAR_SHARER), ("media", _SET_MEDIA), ("unlock", _UNLOCK),
            ("create", _CREATE), ("migrate", _MIGRATE))}

    def _clock(self) -> tuple[str, int]:
        """The trailing arguments of scripts that mark a room used: now and the TTL."""
        return repr(time.time()), self.room_ttl_ms

    async def start(self) -> None:
        """Give rooms stored by an older version (a plain set) a last use, hence an expiry."""
        try:
            if moved := await self._run("migrate", *self._clock()):
                log.info("rooms now expire: %d existing rooms counted as used now", moved)
        except StoreUnavailable as exc:
            log.warning("could not upgrade the stored rooms (will retry at next start): %s", exc)

    async def _run(self, script: str, *args: Any, keys: tuple[str, ...] = ()) -> Any:
        try:
            return await self._scripts[script](keys=list(keys), args=[self.prefix, *args])
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    async def _call(self, command: str, *args: Any) -> Any:
        try:
            return await self.redis.execute_command(command, *args)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    @contextlib.asynccontextmanager
    async def sequenced(self, room_id: str) -> AsyncIterator[None]:
        """A per-room Redis lock, so sections on different processes run one after another."""
        key, token = self._key("room", room_id, "lock"), secrets.token_hex(8)
        delay = 0.001
        while not await self._call("SET", key, token, "NX", "PX", LOCK_TTL_MS):
            await asyncio.sleep(delay)  # contention only on simultaneous joins/shares in one room
            delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            with contextlib.suppress(StoreUnavailable):
                await self._run("unlock", token, keys=(key,))

    async def create_room(self, room_id: str) -> None:
        await self._run("create", room_id, *self._clock())

    async def room_exists(self, room_id: str) -> bool:
        return bool(await self._call("EXISTS", self._key("room", room_id, "used"),
                                     self._key("room", room_id, "members")))

    async def room_count(self) -> int:
        if not self.room_ttl_ms:
            return int(await self._call("ZCARD", self._key("rooms", "used")))
        since = time.time() - self.room_ttl_ms / 1000
        return int(await self._call("ZCOUNT", self._key("rooms", "used"), repr(since), "+inf"))

    async def add_member(self, room_id: str, member: Member, *, max_size: int,
                         token_hash: str | None) -> JoinResult:
        result = await self._run("add", room_id, member.user_id, _encode_member(member), max_size,
                                 token_hash or "", self.node_id, *self._clock())
        if result[0] == "err":
            code = result[1]
            raise {"roomNotFound": RoomError.room_not_found(), "userIdTaken": RoomError.user_id_taken(),
                   "roomFull": RoomError.room_full(max_size)}[code]
        kind, replaced_raw, share_raw, *member_rows = result
        everyone = sorted((_decode_member(row) for row in member_rows), key=_order)
        others = tuple(m for _, m in everyone if m.user_id != member.user_id)
        replaced = _decode_member(replaced_raw)[1] if replaced_raw else None
        return JoinResult(JoinKind(kind), others, _decode_share(share_raw), replaced)

    async def remove_member(self, room_id: str, user_id: str, conn_id: str | None) -> RemoveResult:
        result = await self._run("remove", room_id, user_id, conn_id or "", *self._clock())
        if not result[0]:
            return RemoveResult(False)
        return RemoveResult(True, bool(result[1]), tuple(result[2:]))

    async def get_member(self, room_id: str, user_id: str) -> Member | None:
        raw = await self._call("HGET", self._key("room", room_id, "members"), user_id)
        return _decode_member(raw)[1] if raw else None

    async def members(self, room_id: str) -> list[Member]:
        rows = await self._call("HVALS", self._key("room", room_id, "members"))
        return [m for _, m in sorted((_decode_member(row) for row in rows), key=_order)]

    async def has_member(self, room_id: str, user_id: str) -> bool:
        return bool(await self._call("HEXISTS", self._key("room", room_id, "members"), user_id))

    async def set_media_state(self, room_id: str, user_id: str, audio_muted: bool,
                              video_muted: bool) -> bool:
        return bool(await self._run("media", room_id, user_id, int(audio_muted), int(video_muted)))

    async def set_sharer(self, room_id: str, user_id: str, stream_id: str | None) -> tuple[str, ...]:
        share = json.dumps({"u": user_id, "s": stream_id})
        return tuple(await self._run("share", room_id, user_id, share))

    async def clear_sharer(self, room_id: str, user_id: str) -> tuple[str, ...] | None:
        result = await self._run("unshare", room_id, user_id)
        return tuple(result[1:]) if result[0] else None

    async def share(self, room_id: str) -> Share | None:
        return _decode_share(await self._call("GET", self._key("room", room_id, "share")))

    # --- presence: which process serves whom, and who is still alive ------------------------

    async def renew_presence(self, ttl_ms: int) -> None:
        """Say this process is alive for `ttl_ms` more milliseconds."""
        await self._call("SET", self._key("node", self.node_id, "alive"), "1", "PX", ttl_ms)
        await self._call("SADD", self._key("nodes"), self.node_id)

    async def silent_nodes(self) -> list[str]:
        """Other processes whose presence has expired."""
        nodes = await self._call("SMEMBERS", self._key("nodes"))
        silent = []
        for node in sorted(nodes):
            if node != self.node_id and not await self._call(
                    "EXISTS", self._key("node", node, "alive")):
                silent.append(node)
        return silent

    async def node_members(self, node_id: str) -> list[tuple[str, str, str]]:
        """(room, user, connection) for each member a process served."""
        out = []
        for entry in await self._call("SMEMBERS", self._key("node", node_id, "members")):
            room_id, _, user_id = entry.partition("/")
            member = await self.get_member(room_id, user_id)
            if member is not None and member.conn_id.split(".", 1)[0] == node_id:
                out.append((room_id, user_id, member.conn_id))
        return out

    async def forget_node(self, node_id: str) -> None:
        """Drop a dead process's bookkeeping once its members are gone."""
        await self._call("DEL", self._key("node", node_id, "members"))
        await self._call("SREM", self._key("nodes"), node_id)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._call("SREM", self._key("nodes"), self.node_id)
        await self.redis.aclose()


def _order(row: tuple[int, Member]) -> int:
    return row[0]
