"""`RedisRoomStore`: rooms, presence and screen sharers in Redis, shared by several server processes.

The keys and scripts are in `schema/`. A room is used when it is created, or someone joins or
leaves it. Rooms persist as long as Redis does: run it with `appendonly yes` (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
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

from tornado_app.cluster import schema
from tornado_app.cluster.schema import LOCK_TTL_MS, PREFIX, Script
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import (
    GUEST, Admitted, ChatAdded, ChatEntry, Ended, HandChange, JoinKind, JoinResult, Knocked, Member, RemoveResult,
    Share,
)
from tornado_app.store.base import CHAT_KEPT, PresenceStore, RoomStore, StoreUnavailable, merge_chat

log = logging.getLogger("parley")


def _encode_member(member: Member) -> str:
    return json.dumps({"u": member.user_id, "n": member.display_name, "c": member.conn_id,
                       "t": member.token_hash, "a": member.audio_muted, "v": member.video_muted,
                       "h": member.hand_raised_at, "r": member.role, "rec": member.recording})


def _decode_member(raw: str) -> tuple[int, Member]:
    """(join order, member) from a member's JSON."""
    m = json.loads(raw)
    return m.get("j", 0), Member(m["u"], m["n"], m["c"], m["t"], m["a"], m["v"], m.get("h"),
                                 m.get("r") or GUEST, bool(m.get("rec")))


_REFUSALS = {"roomNotFound": RoomError.room_not_found, "userIdTaken": RoomError.user_id_taken,
             "admissionDenied": RoomError.removed_from_meeting}


def _refusal(code: str, max_size: int) -> RoomError:
    return RoomError.room_full(max_size) if code == "roomFull" else _REFUSALS[code]()


def _join_result(result: list, user_id: str) -> JoinResult:
    kind, replaced_raw, share_raw, *member_rows = result
    everyone = sorted((_decode_member(row) for row in member_rows), key=_order)
    others = tuple(m for _, m in everyone if m.user_id != user_id)
    replaced = _decode_member(replaced_raw)[1] if replaced_raw else None
    return JoinResult(JoinKind(kind), others, _decode_share(share_raw), replaced)


def _encode_chat(entry: ChatEntry) -> str:
    return json.dumps({"s": entry.sender_id, "n": entry.display_name, "x": entry.text,
                       "at": entry.sent_at, "to": entry.target_id})


def _decode_chat(raw: str) -> ChatEntry:
    message_id, _, body = raw.partition("\n")
    c = json.loads(body)
    return ChatEntry(message_id, c["s"], c["n"], c["x"], c["at"], c["to"])


def _decode_share(raw: str | bytes | None) -> Share | None:
    if not raw:
        return None
    s = json.loads(raw)
    return Share(s["u"], s.get("s"))


class RedisRoomStore(RoomStore, PresenceStore):
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

    def _clock(self) -> tuple[str, int]:
        """The trailing arguments of scripts that mark a room used: now and the TTL."""
        return repr(time.time()), self.room_ttl_ms

    async def start(self) -> None:
        """Give rooms stored by an older version (a plain set) a last use, hence an expiry."""
        try:
            if moved := await self._run(schema.MIGRATE, *self._clock()):
                log.info("rooms now expire: %d existing rooms counted as used now", moved)
        except StoreUnavailable as exc:
            log.warning("could not upgrade the stored rooms (will retry at next start): %s", exc)

    async def _run(self, script: Script, *args: Any, keys: tuple[str, ...] = ()) -> Any:
        try:
            return await script.run(self.redis.execute_command, self.prefix, *args, keys=keys)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    async def _call(self, command: str, *args: Any) -> Any:
        try:
            return await self.redis.execute_command(command, *args)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    def _key(self, *parts: str) -> str:
        return schema.key(self.prefix, *parts)

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
                await self._run(schema.UNLOCK, token, keys=(key,))

    async def create_room(self, room_id: str, settings: str | None = None) -> None:
        await self._run(schema.CREATE, room_id, settings or "", *self._clock())

    async def room_settings(self, room_id: str) -> str | None:
        if not await self.room_exists(room_id):
            return None
        record = await self._call("GET", self._key("room", room_id, "settings"))
        return record.decode() if isinstance(record, bytes) else record

    async def set_room_settings(self, room_id: str, settings: str) -> bool:
        return bool(await self._run(schema.SET_SETTINGS, room_id, settings, *self._clock()))

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
        result = await self._run(schema.ADD_MEMBER, room_id, member.user_id,
                                 _encode_member(member), max_size, token_hash or "", *self._clock())
        if result[0] == "err":
            raise _refusal(result[1], max_size)
        return _join_result(result, member.user_id)

    async def remove_member(self, room_id: str, user_id: str, conn_id: str | None, *,
                            ban: bool = False) -> RemoveResult:
        result = await self._run(schema.REMOVE_MEMBER, room_id, user_id, conn_id or "",
                                 "1" if ban else "0", *self._clock())
        if not result[0]:
            return RemoveResult(False)
        return RemoveResult(True, bool(result[1]), tuple(result[3:]), result[2] or None)

    async def set_role(self, room_id: str, user_id: str, role: str) -> tuple[str, ...] | None:
        return await self._set_field(room_id, user_id, "r", role)

    async def set_recording(self, room_id: str, user_id: str, active: bool) -> tuple[str, ...] | None:
        return await self._set_field(room_id, user_id, "rec", active)

    async def _set_field(self, room_id: str, user_id: str, field: str, value: object) -> tuple[str, ...] | None:
        result = await self._run(schema.SET_FIELD, room_id, user_id, field, json.dumps(value))
        if not result:
            return None
        return tuple(result[1:]) if result[0] else ()

    async def add_waiting(self, room_id: str, member: Member) -> Knocked:
        result = await self._run(schema.ADD_WAITING, room_id, member.user_id, _encode_member(member),
                                 *self._clock())
        if result[0] == "err":
            raise _refusal(result[1], 0)
        return Knocked(tuple(result[1:]), result[0] or None)

    async def take_waiting(self, room_id: str, user_id: str, conn_id: str | None = None) -> Member | None:
        raw = await self._run(schema.TAKE_WAITING, room_id, user_id, conn_id or "")
        return _decode_member(raw)[1] if raw else None

    async def waiting(self, room_id: str) -> list[Member]:
        rows = await self._call("HVALS", self._key("room", room_id, "waiting"))
        return [m for _, m in sorted((_decode_member(row) for row in rows), key=_order)]

    async def admit(self, room_id: str, user_id: str, token_hash: str, *,
                    max_size: int) -> Admitted | None:
        result = await self._run(schema.ADMIT, room_id, user_id, token_hash, max_size, *self._clock())
        if result[0] == "none":
            return None
        if result[0] == "err":
            raise _refusal(result[1], max_size)
        return Admitted(_decode_member(result[-1])[1], _join_result(result[:-1], user_id))

    async def end_meeting(self, room_id: str) -> Ended:
        members, waiting = await self._run(schema.END_MEETING, room_id, *self._clock())
        return Ended(tuple(m for _, m in sorted(map(_decode_member, members), key=_order)),
                     tuple(m for _, m in sorted(map(_decode_member, waiting), key=_order)))

    async def topology(self, room_id: str) -> str:
        return await self._call("GET", self._key("room", room_id, "topology")) or "mesh"

    async def set_topology(self, room_id: str, mode: str) -> None:
        await self._run(schema.SET_TOPOLOGY, room_id, mode)

    async def janus_of(self, room_id: str) -> str | None:
        return await self._call("GET", self._key("room", room_id, "janus")) or None

    async def place_janus(self, room_id: str, expected: str | None, url: str) -> tuple[str, bool]:
        now, wrote = await self._run(schema.PLACE_JANUS, room_id, expected or "", url)
        return now, bool(wrote)

    async def release_janus(self, room_id: str) -> str | None:
        return await self._run(schema.RELEASE_JANUS, room_id) or None

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
        return bool(await self._run(schema.SET_MEDIA, room_id, user_id, int(audio_muted),
                                    int(video_muted)))

    async def set_sharer(self, room_id: str, user_id: str, stream_id: str | None) -> tuple[str, ...]:
        share = json.dumps({"u": user_id, "s": stream_id})
        return tuple(await self._run(schema.SET_SHARER, room_id, user_id, share))

    async def clear_sharer(self, room_id: str, user_id: str) -> tuple[str, ...] | None:
        result = await self._run(schema.CLEAR_SHARER, room_id, user_id)
        return tuple(result[1:]) if result[0] else None

    async def share(self, room_id: str) -> Share | None:
        return _decode_share(await self._call("GET", self._key("room", room_id, "share")))

    async def set_hand(self, room_id: str, user_id: str, raised_at: int | None) -> HandChange:
        changed, at, *everyone = await self._run(
            schema.SET_HAND, room_id, user_id, "" if raised_at is None else raised_at)
        return HandChange(bool(changed), int(at) if at else None, tuple(everyone))

    async def add_chat(self, room_id: str, entry: ChatEntry) -> ChatAdded:
        message_id, *everyone = await self._run(
            schema.ADD_CHAT, room_id, entry.sender_id, entry.target_id or "", _encode_chat(entry),
            CHAT_KEPT)
        kept = dataclasses.replace(entry, message_id=message_id) if message_id else None
        return ChatAdded(kept, tuple(everyone))

    async def chat_history(self, room_id: str) -> list[ChatEntry]:
        public, private = await self._run(schema.CHAT_HISTORY, room_id)
        return merge_chat([_decode_chat(r) for r in public], [_decode_chat(r) for r in private])

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
            if member is not None and schema.node_of(member.conn_id) == node_id:
                out.append((room_id, user_id, member.conn_id))
        return out

    async def node_waiting(self, node_id: str) -> list[tuple[str, str, str]]:
        """(room, user, connection) for each person a process held in a lobby."""
        out = []
        for entry in await self._call("SMEMBERS", self._key("node", node_id, "waiting")):
            room_id, _, user_id = entry.partition("/")
            raw = await self._call("HGET", self._key("room", room_id, "waiting"), user_id)
            if raw and schema.node_of(_decode_member(raw)[1].conn_id) == node_id:
                out.append((room_id, user_id, _decode_member(raw)[1].conn_id))
        return out

    async def forget_node(self, node_id: str) -> None:
        """Drop a dead process's bookkeeping once its members are gone."""
        await self._call("DEL", self._key("node", node_id, "members"), self._key("node", node_id, "waiting"))
        await self._call("SREM", self._key("nodes"), node_id)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._call("SREM", self._key("nodes"), self.node_id)
        await self.redis.aclose()


def _order(row: tuple[int, Member]) -> int:
    return row[0]
