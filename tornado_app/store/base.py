"""The `RoomStore` interface: rooms, their members, their screen sharer, raised hands and chat.

Every method is one atomic step: no other store call is interleaved inside it, so the rules that
need a consistent view (room full, duplicate user, resume, who shares) are decided inside the store
with the limits passed in. Grants reach clients in the order of `set_sharer` calls.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import AsyncIterator

import heapq

from tornado_app.rooms.model import (
    Admitted, ChatAdded, ChatEntry, Ended, HandChange, JoinResult, Knocked, Member, RemoveResult, Share,
)

#: Chat kept per room: its latest public messages, and apart from them its latest private ones
#: (so private talk cannot push the public conversation out). docs/protocol.md, "Chat".
CHAT_KEPT = 300


class StoreUnavailable(Exception):
    """The store cannot be reached right now (e.g. Redis restarting); the caller may retry."""


class RoomStore(abc.ABC):
    """Room state, behind one interface so that a shared test suite runs against every backend."""

    #: Which server process this store serves; part of every connection id.
    node_id: str = "local"

    @contextlib.asynccontextmanager
    async def sequenced(self, room_id: str) -> AsyncIterator[None]:
        """A section in which decisions about the room and their deliveries happen in one order.

        A single process needs nothing: its store calls never suspend, so a decision and its
        delivery are never interleaved with another. Stores shared by processes take a lock.
        """
        yield

    def has_member_now(self, room_id: str, user_id: str) -> bool | None:
        """`has_member` answered from this process's memory, or None if that needs I/O.

        Lets the relay's hot path skip a coroutine when the store can answer at once.
        """
        return None

    async def start(self) -> None:
        """Connect and begin background work (presence renewal, deleting expired rooms)."""

    async def expire_rooms(self) -> int:
        """Delete the rooms unused for the TTL now; returns how many (key expiry needs nothing).

        A room is used when it is created, or someone joins or leaves it.
        """
        return 0

    @abc.abstractmethod
    async def create_room(self, room_id: str, settings: str | None = None) -> None:
        """Persist a new room id, with its settings record (issue 14, an opaque JSON string) if any."""

    @abc.abstractmethod
    async def room_settings(self, room_id: str) -> str | None:
        """The room's settings record, or None if it has none (or does not exist)."""

    @abc.abstractmethod
    async def set_room_settings(self, room_id: str, settings: str) -> bool:
        """Replace the room's settings record; False if the room does not exist."""

    @abc.abstractmethod
    async def room_exists(self, room_id: str) -> bool:
        """Whether the room was created and used within the TTL (rooms outlive restarts)."""

    @abc.abstractmethod
    async def room_count(self) -> int:
        """How many rooms exist, kept up to date by the store (cheap: /healthz asks every call)."""

    @abc.abstractmethod
    async def add_member(self, room_id: str, member: Member, *, max_size: int,
                         token_hash: str | None) -> JoinResult:
        """Add `member`, or let it take over its earlier connection when `token_hash` matches.

        A resume keeps the member's name, hand, recording flag and role (a host stays host; a host
        token makes a guest host). Raises RoomError: roomNotFound, userIdTaken (present, token missing or
        wrong), roomFull, admissionDenied (a host removed this user id from the meeting).
        """

    @abc.abstractmethod
    async def remove_member(self, room_id: str, user_id: str, conn_id: str | None, *,
                            ban: bool = False) -> RemoveResult:
        """Remove the user if present and (when `conn_id` is given) still on that connection.

        Clears the room's sharer if it was them. When they were the last host, the member present
        longest becomes host (`promoted`). With `ban`, the user id may not come back into this
        meeting. When the last member goes, the meeting's chat, hands and bans go too.
        """

    @abc.abstractmethod
    async def set_role(self, room_id: str, user_id: str, role: str) -> tuple[str, ...] | None:
        """Give a member a role: everyone in the room when it changed, () when it already was,
        None when the user is not in the room."""

    @abc.abstractmethod
    async def set_recording(self, room_id: str, user_id: str, active: bool) -> tuple[str, ...] | None:
        """Say whether a member records the meeting: everyone in the room when it changed, () when
        it already was so, None when the user is not in the room."""

    @abc.abstractmethod
    async def add_waiting(self, room_id: str, member: Member) -> Knocked:
        """Put someone in the room's lobby (a second wait by the same user id replaces the first).

        Raises RoomError: roomNotFound, admissionDenied (removed from this meeting)."""

    @abc.abstractmethod
    async def take_waiting(self, room_id: str, user_id: str, conn_id: str | None = None) -> Member | None:
        """Take someone out of the lobby (they left, or were denied) if there and (when `conn_id`
        is given) waiting on that connection; None if not."""

    @abc.abstractmethod
    async def waiting(self, room_id: str) -> list[Member]:
        """The people in the room's lobby, first come first."""

    @abc.abstractmethod
    async def admit(self, room_id: str, user_id: str, token_hash: str, *,
                    max_size: int) -> Admitted | None:
        """Move someone from the lobby into the room as a guest with a new resume token's hash,
        in one step; None when they are not waiting (left, or another host answered first).

        Raises RoomError: roomFull (they stay waiting)."""

    @abc.abstractmethod
    async def end_meeting(self, room_id: str) -> Ended:
        """Clear the meeting: its members, lobby, share, chat, hands and bans (its settings stay,
        so the room id is valid for a new meeting)."""

    @abc.abstractmethod
    async def get_member(self, room_id: str, user_id: str) -> Member | None:
        """One member, or None."""

    @abc.abstractmethod
    async def members(self, room_id: str) -> list[Member]:
        """The room's members in the order they joined."""

    @abc.abstractmethod
    async def has_member(self, room_id: str, user_id: str) -> bool:
        """Whether the user is in the room (the relay's hot-path check)."""

    @abc.abstractmethod
    async def topology(self, room_id: str) -> str:
        """How the room carries media now (issue 16): "mesh", or "sfu" once it went through Janus."""

    @abc.abstractmethod
    async def set_topology(self, room_id: str, mode: str) -> None:
        """Record how the room carries media for the rest of the meeting (its end clears it)."""

    @abc.abstractmethod
    async def janus_of(self, room_id: str) -> str | None:
        """The Janus instance (its URL) that holds the room's VideoRoom room, if it was placed."""

    @abc.abstractmethod
    async def place_janus(self, room_id: str, expected: str | None, url: str) -> tuple[str, bool]:
        """Record `url` as the room's Janus instance if the record is still `expected` (None: no
        record yet); returns the record as it is now (`url`, or what another process placed first)
        and whether this call wrote it (two processes moving a room to the same place: one did)."""

    @abc.abstractmethod
    async def release_janus(self, room_id: str) -> str | None:
        """Once the room has nobody left: take its Janus record away and return it, so that exactly
        one caller destroys the VideoRoom room; None if someone is in the room or it had none."""

    @abc.abstractmethod
    async def set_media_state(self, room_id: str, user_id: str, audio_muted: bool,
                              video_muted: bool) -> bool:
        """Record a member's mute state; False if they are not in the room."""

    @abc.abstractmethod
    async def set_sharer(self, room_id: str, user_id: str, stream_id: str | None) -> tuple[str, ...]:
        """Make the user the room's sharer (last start wins); returns everyone in the room."""

    @abc.abstractmethod
    async def clear_sharer(self, room_id: str, user_id: str) -> tuple[str, ...] | None:
        """Clear the sharer if it is `user_id`: everyone in the room, or None if it was not them."""

    @abc.abstractmethod
    async def share(self, room_id: str) -> Share | None:
        """The room's current share."""

    @abc.abstractmethod
    async def set_hand(self, room_id: str, user_id: str, raised_at: int | None) -> HandChange:
        """Raise the user's hand at `raised_at` (a raised hand keeps its first time) or lower it
        (`None`)."""

    @abc.abstractmethod
    async def add_chat(self, room_id: str, entry: ChatEntry) -> ChatAdded:
        """Keep a chat message from a member under the room's next message id (the id in `entry`
        is ignored), dropping the oldest beyond CHAT_KEPT; nothing is kept when the sender or
        the target is not in the room. Chat is deleted when the room's last member is removed."""

    @abc.abstractmethod
    async def chat_history(self, room_id: str) -> list[ChatEntry]:
        """The chat messages kept for the room, oldest first."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Release what the store holds (files, connections)."""


def merge_chat(public: list[ChatEntry], private: list[ChatEntry]) -> list[ChatEntry]:
    """The two kept lists (each oldest first) as one conversation, in message id order."""
    return list(heapq.merge(public, private, key=lambda e: int(e.message_id)))


class PresenceStore(abc.ABC):
    """What the reaper needs of a store shared by processes: who is alive, and whom each serves."""

    node_id: str

    @abc.abstractmethod
    async def renew_presence(self, ttl_ms: int) -> None:
        """Say this process is alive for `ttl_ms` more milliseconds."""

    @abc.abstractmethod
    async def silent_nodes(self) -> list[str]:
        """Other processes whose presence has expired."""

    @abc.abstractmethod
    async def node_members(self, node_id: str) -> list[tuple[str, str, str]]:
        """(room, user, connection) for each member a process served."""

    @abc.abstractmethod
    async def node_waiting(self, node_id: str) -> list[tuple[str, str, str]]:
        """(room, user, connection) for each person a process held in a lobby."""

    @abc.abstractmethod
    async def forget_node(self, node_id: str) -> None:
        """Drop a dead process's bookkeeping once its members are gone."""
