"""The room domain's values: members and join results (`RoomError` lives in rooms/errors.py)."""

from __future__ import annotations

import dataclasses
import enum

from tornado_app.rooms.errors import RoomError  # noqa: F401  (re-exported: its old home)


@dataclasses.dataclass(slots=True)
class Member:
    """One user in one room, as the store keeps them."""

    user_id: str
    display_name: str
    conn_id: str
    token_hash: str  # sha256 hex of the resume token given to the user; the token is not kept
    audio_muted: bool = False
    video_muted: bool = False


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
