"""`MemoryRoomStore`: presence and screen sharer in this process's memory; room ids in a catalog.

Its methods never suspend between reading and changing state, so each one is atomic on the event
loop (only `create_room` waits, for the catalog's write, before it changes anything).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import hmac
import logging

from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import (
    GUEST, HOST, Admitted, ChatAdded, ChatEntry, Ended, HandChange, JoinKind, JoinResult, Knocked, Member,
    RemoveResult, Share,
)
from tornado_app.store.base import CHAT_KEPT, RoomStore, StoreUnavailable, merge_chat
from tornado_app.store.catalog import DAY, SqliteRoomCatalog

log = logging.getLogger("parley")


@dataclasses.dataclass(slots=True)
class _Room:
    members: dict[str, Member] = dataclasses.field(default_factory=dict)  # insertion = join order
    share: Share | None = None
    # The chat lives as long as the room has people (the _Room goes with its last member).
    public: collections.deque[ChatEntry] = dataclasses.field(
        default_factory=lambda: collections.deque(maxlen=CHAT_KEPT))
    private: collections.deque[ChatEntry] = dataclasses.field(
        default_factory=lambda: collections.deque(maxlen=CHAT_KEPT))
    chat_seq: int = 0
    waiting: dict[str, Member] = dataclasses.field(default_factory=dict)  # the lobby, first come first
    banned: set[str] = dataclasses.field(default_factory=set)  # user ids removed by a host
    topology: str = "mesh"  # issue 16: "sfu" from person mesh_max+1 to the meeting's end

    def end(self) -> None:
        """The last member has gone: the meeting's share, chat and bans go with them."""
        self.share = None
        self.public.clear()
        self.private.clear()
        self.banned.clear()
        self.topology = "mesh"


class MemoryRoomStore(RoomStore):
    """Room state for one server process."""

    def __init__(self, catalog: SqliteRoomCatalog) -> None:
        self._catalog = catalog
        self._rooms: dict[str, _Room] = {}  # only rooms with someone in them
        self._janus: dict[str, str] = {}  # room -> the Janus URL holding its VideoRoom room (issue 16)
        self._sweeper: asyncio.Task | None = None

    async def start(self) -> None:
        """Delete expired rooms now and then every so often (at most hourly)."""
        if self._catalog.ttl is not None and self._sweeper is None:
            self._sweeper = asyncio.ensure_future(self._sweep(min(self._catalog.ttl / 4, DAY / 24)))

    async def _sweep(self, interval: float) -> None:
        while True:
            try:
                if gone := await self.expire_rooms():
                    log.info("deleted %d rooms unused for %g days", gone, self._catalog.ttl / DAY)
            except StoreUnavailable:
                pass  # logged by the catalog; the next sweep deletes them
            except Exception:
                log.exception("bug while deleting expired rooms")
            await asyncio.sleep(interval)

    async def expire_rooms(self) -> int:
        """Delete the rooms unused for the TTL (never one with people in it); returns how many."""
        return await self._catalog.expire(keep=self._rooms.__contains__)

    async def create_room(self, room_id: str, settings: str | None = None) -> None:
        await self._catalog.add(room_id, settings)

    async def room_settings(self, room_id: str) -> str | None:
        return self._catalog.settings(room_id)

    async def set_room_settings(self, room_id: str, settings: str) -> bool:
        if not await self.room_exists(room_id):
            return False
        await self._catalog.set_settings(room_id, settings)
        return True

    async def room_exists(self, room_id: str) -> bool:
        return room_id in self._rooms or self._catalog.exists(room_id)

    async def room_count(self) -> int:
        return self._catalog.count()

    def _room_for(self, room_id: str, user_id: str) -> _Room:
        """The room someone enters (its record made when it was empty), or RoomError."""
        room = self._rooms.get(room_id)
        if room is None:
            if not self._catalog.exists(room_id):
                raise RoomError.room_not_found()
            room = self._rooms[room_id] = _Room()
        if user_id in room.banned:
            raise RoomError.removed_from_meeting()
        return room

    def _forget_if_empty(self, room_id: str, room: _Room) -> None:
        if not room.members:
            room.end()
            if not room.waiting:
                del self._rooms[room_id]

    async def add_member(self, room_id: str, member: Member, *, max_size: int,
                         token_hash: str | None) -> JoinResult:
        room = self._room_for(room_id, member.user_id)
        present = room.members.get(member.user_id)
        if present is not None:
            if token_hash is None or not hmac.compare_digest(present.token_hash, token_hash):
                raise RoomError.user_id_taken()
            # The others never hear of a resume: it keeps the name they know, the hand's place and the role.
            room.members[member.user_id] = dataclasses.replace(
                member, display_name=present.display_name, hand_raised_at=present.hand_raised_at,
                role=HOST if HOST in (present.role, member.role) else GUEST, recording=present.recording)
            self._catalog.touch(room_id)
            others = tuple(m for uid, m in room.members.items() if uid != member.user_id)
            return JoinResult(JoinKind.RESUMED, others, room.share, replaced=present)
        if len(room.members) >= max_size:
            raise RoomError.room_full(max_size)
        others = tuple(room.members.values())
        room.members[member.user_id] = member
        self._catalog.touch(room_id)
        return JoinResult(JoinKind.NEW, others, room.share)

    async def remove_member(self, room_id: str, user_id: str, conn_id: str | None, *,
                            ban: bool = False) -> RemoveResult:
        room = self._rooms.get(room_id)
        member = room.members.get(user_id) if room else None
        if member is None or (conn_id is not None and member.conn_id != conn_id):
            return RemoveResult(False)
        del room.members[user_id]
        if ban:
            room.banned.add(user_id)
        self._catalog.touch(room_id)
        was_sharing = room.share is not None and room.share.user_id == user_id
        if was_sharing:
            room.share = None
        promoted = None
        if member.is_host and room.members and not any(m.is_host for m in room.members.values()):
            longest = next(iter(room.members.values()))  # dict order is join order
            longest.role = HOST
            promoted = longest.user_id
        remaining = tuple(room.members)
        self._forget_if_empty(room_id, room)
        return RemoveResult(True, was_sharing, remaining, promoted)

    async def set_role(self, room_id: str, user_id: str, role: str) -> tuple[str, ...] | None:
        room = self._rooms.get(room_id)
        member = room.members.get(user_id) if room else None
        if member is None:
            return None
        if member.role == role:
            return ()
        member.role = role
        return tuple(room.members)

    async def set_recording(self, room_id: str, user_id: str, active: bool) -> tuple[str, ...] | None:
        room = self._rooms.get(room_id)
        member = room.members.get(user_id) if room else None
        if member is None:
            return None
        if member.recording == active:
            return ()
        member.recording = active
        return tuple(room.members)

    async def add_waiting(self, room_id: str, member: Member) -> Knocked:
        room = self._room_for(room_id, member.user_id)
        earlier = room.waiting.pop(member.user_id, None)
        room.waiting[member.user_id] = member
        self._catalog.touch(room_id)
        hosts = tuple(uid for uid, m in room.members.items() if m.is_host)
        return Knocked(hosts, earlier.conn_id if earlier else None)

    async def take_waiting(self, room_id: str, user_id: str, conn_id: str | None = None) -> Member | None:
        room = self._rooms.get(room_id)
        waiting = room.waiting.get(user_id) if room else None
        if waiting is None or (conn_id is not None and waiting.conn_id != conn_id):
            return None
        taken = room.waiting.pop(user_id)
        self._forget_if_empty(room_id, room)
        return taken

    async def waiting(self, room_id: str) -> list[Member]:
        room = self._rooms.get(room_id)
        return list(room.waiting.values()) if room else []

    async def admit(self, room_id: str, user_id: str, token_hash: str, *,
                    max_size: int) -> Admitted | None:
        room = self._rooms.get(room_id)
        waiting = room.waiting.get(user_id) if room else None
        if waiting is None:
            return None
        if user_id in room.members:  # the same user id joined meanwhile (e.g. as host): nothing to admit
            return None
        if len(room.members) >= max_size:
            raise RoomError.room_full(max_size)
        del room.waiting[user_id]
        member = dataclasses.replace(waiting, token_hash=token_hash, role=GUEST)
        others = tuple(room.members.values())
        room.members[user_id] = member
        self._catalog.touch(room_id)
        return Admitted(member, JoinResult(JoinKind.NEW, others, room.share))

    async def end_meeting(self, room_id: str) -> Ended:
        room = self._rooms.pop(room_id, None)
        if room is None:
            return Ended((), ())
        self._catalog.touch(room_id)
        return Ended(tuple(room.members.values()), tuple(room.waiting.values()))

    async def topology(self, room_id: str) -> str:
        room = self._rooms.get(room_id)
        return room.topology if room else "mesh"

    async def set_topology(self, room_id: str, mode: str) -> None:
        room = self._rooms.get(room_id)
        if room is not None and room.members:  # an empty room has no meeting to switch
            room.topology = mode

    async def janus_of(self, room_id: str) -> str | None:
        return self._janus.get(room_id)

    async def place_janus(self, room_id: str, expected: str | None, url: str) -> tuple[str, bool]:
        if self._janus.get(room_id) == expected:
            self._janus[room_id] = url
            return url, True
        return self._janus[room_id], False

    async def release_janus(self, room_id: str) -> str | None:
        room = self._rooms.get(room_id)
        if room is not None and room.members:
            return None
        return self._janus.pop(room_id, None)

    async def get_member(self, room_id: str, user_id: str) -> Member | None:
        room = self._rooms.get(room_id)
        return room.members.get(user_id) if room else None

    async def members(self, room_id: str) -> list[Member]:
        room = self._rooms.get(room_id)
        return list(room.members.values()) if room else []

    async def has_member(self, room_id: str, user_id: str) -> bool:
        return self.has_member_now(room_id, user_id)

    def has_member_now(self, room_id: str, user_id: str) -> bool:
        room = self._rooms.get(room_id)
        return room is not None and user_id in room.members

    async def set_media_state(self, room_id: str, user_id: str, audio_muted: bool,
                              video_muted: bool) -> bool:
        member = await self.get_member(room_id, user_id)
        if member is None:
            return False
        member.audio_muted, member.video_muted = audio_muted, video_muted
        return True

    async def set_sharer(self, room_id: str, user_id: str, stream_id: str | None) -> tuple[str, ...]:
        room = self._rooms.get(room_id)
        if room is None or user_id not in room.members:
            return ()
        room.share = Share(user_id, stream_id)
        return tuple(room.members)

    async def clear_sharer(self, room_id: str, user_id: str) -> tuple[str, ...] | None:
        room = self._rooms.get(room_id)
        if room is None or room.share is None or room.share.user_id != user_id:
            return None
        room.share = None
        return tuple(room.members)

    async def share(self, room_id: str) -> Share | None:
        room = self._rooms.get(room_id)
        return room.share if room else None

    async def set_hand(self, room_id: str, user_id: str, raised_at: int | None) -> HandChange:
        room = self._rooms.get(room_id)
        member = room.members.get(user_id) if room else None
        if member is None:
            return HandChange(False, None, ())
        if (raised_at is None) == (member.hand_raised_at is None):
            return HandChange(False, member.hand_raised_at, tuple(room.members))
        member.hand_raised_at = raised_at
        return HandChange(True, raised_at, tuple(room.members))

    async def add_chat(self, room_id: str, entry: ChatEntry) -> ChatAdded:
        room = self._rooms.get(room_id)
        if room is None or entry.sender_id not in room.members:
            return ChatAdded(None, ())
        everyone = tuple(room.members)
        if entry.target_id is not None and entry.target_id not in room.members:
            return ChatAdded(None, everyone)
        room.chat_seq += 1
        kept = dataclasses.replace(entry, message_id=str(room.chat_seq))
        (room.public if kept.target_id is None else room.private).append(kept)
        return ChatAdded(kept, everyone)

    async def chat_history(self, room_id: str) -> list[ChatEntry]:
        room = self._rooms.get(room_id)
        return merge_chat(list(room.public), list(room.private)) if room else []

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self._catalog.close()

