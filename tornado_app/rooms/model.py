"""The room domain's values: members, shares, chat messages and what the store did on a join or a
removal."""

from __future__ import annotations

import dataclasses
import enum


@dataclasses.dataclass(slots=True)
class Member:
    """One user in one room, as the store keeps them."""

    user_id: str
    display_name: str
    conn_id: str
    token_hash: str  # sha256 hex of the resume token given to the user; the token is not kept
    audio_muted: bool = False
    video_muted: bool = False
    hand_raised_at: int | None = None  # server time in ms while the hand is up
    role: str = "guest"  # "host" or "guest" (issue 14)
    recording: bool = False  # records the meeting (issue 15)

    @property
    def is_host(self) -> bool:
        """Whether this member may admit, remove, mute and end (issue 14)."""
        return self.role == HOST


HOST, GUEST = "host", "guest"


@dataclasses.dataclass(frozen=True, slots=True)
class ChatEntry:
    """One chat message as the room keeps it; `message_id` is given by the store (unique in the
    room, in the order the messages were sent); `target_id` only on a private message."""

    message_id: str
    sender_id: str
    display_name: str
    text: str
    sent_at: int
    target_id: str | None = None

    def readable_by(self, user_id: str) -> bool:
        """Whether `user_id` may read it: everyone a public message, two people a private one."""
        return self.target_id is None or user_id in (self.sender_id, self.target_id)


@dataclasses.dataclass(frozen=True, slots=True)
class ChatAdded:
    """What the store did with a chat message: the entry (None when the target was not in the
    room, then nothing was kept) and everyone in the room."""

    entry: ChatEntry | None
    everyone: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class HandChange:
    """What a raise or lower did: whether anything changed, the hand's raised time after it, and
    everyone in the room (empty when the user is not in it)."""

    changed: bool
    raised_at: int | None
    everyone: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Share:
    """Who is sharing their screen in a room, and which MediaStream carries it."""

    user_id: str
    stream_id: str | None = None


class JoinKind(enum.Enum):
    """How a join went in: as a new member, or by taking over a member's earlier connection."""

    NEW = "new"
    RESUMED = "resumed"


@dataclasses.dataclass(frozen=True, slots=True)
class JoinResult:
    """What the store did on a join, and the room as it is after it."""

    kind: JoinKind
    others: tuple[Member, ...]
    share: Share | None
    replaced: Member | None = None  # on RESUMED: the member as it was (its old connection)


@dataclasses.dataclass(frozen=True, slots=True)
class RemoveResult:
    """What a removal did: whether anyone was removed, whether they were sharing, who remains."""

    removed: bool
    was_sharing: bool = False
    remaining: tuple[str, ...] = ()
    promoted: str | None = None  # the member made host because the last host left (issue 14)


@dataclasses.dataclass(frozen=True, slots=True)
class Knocked:
    """What the store did when someone entered the lobby: the hosts present (to tell), and the
    connection of an earlier wait by the same user that this one replaced (to close)."""

    hosts: tuple[str, ...]
    replaced_conn_id: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Admitted:
    """A waiting person let in: the member as added, and the room as it is after it."""

    member: Member
    join: JoinResult


@dataclasses.dataclass(frozen=True, slots=True)
class Ended:
    """What ending a meeting cleared: its members and the people who waited."""

    members: tuple[Member, ...]
    waiting: tuple[Member, ...]
