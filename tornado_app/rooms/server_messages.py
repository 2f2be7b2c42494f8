"""Server -> client messages of the wire protocol (docs/protocol.md, "Server messages") and their
serialization: `encode` turns one into the bytes of a text frame. Pure: no I/O. `protocol.py`
re-exports all of it.
"""

from __future__ import annotations

from typing import ClassVar, Union

import msgspec
from msgspec import Struct

from tornado_app.rooms.wire import SfuPc, Topology, SfuStreamKind, Role, SessionDescription, IceCandidate

# --- server -> client ----------------------------------------------------------------------------


class UserInfo(Struct):
    userId: str
    displayName: str
    audioMuted: bool = False
    videoMuted: bool = False
    handRaisedAt: int | None = None  # server time in ms; null while the hand is down
    role: Role = "guest"
    recording: bool = False  # issue 15: this user records the meeting


class ChatMessage(Struct, omit_defaults=True):
    """One chat message as everyone who may read it receives it (and as history in `joined`)."""

    type: ClassVar[str] = "chat"
    messageId: str
    senderId: str
    displayName: str
    text: str
    sentAt: int  # server time, ms since the epoch
    targetId: str | None = None  # only on a private message


class RoomView(Struct):
    """What anyone in a room (or about to join it) may know of its admission settings."""

    lobby: bool = False
    locked: bool = False
    passwordRequired: bool = False


class WaitingUser(Struct):
    """Someone in the lobby, as hosts see them."""

    userId: str
    displayName: str


class Joined(Struct):
    type: ClassVar[str] = "joined"
    roomId: str
    userId: str
    users: list[UserInfo]
    screenSharer: str | None
    screenStreamId: str | None
    iceServers: list[dict]
    resumeToken: str
    chat: list[ChatMessage] = msgspec.field(default_factory=list)  # oldest first
    role: Role = "guest"
    room: RoomView = msgspec.field(default_factory=RoomView)
    waiting: list[WaitingUser] = msgspec.field(default_factory=list)  # hosts only; [] for a guest
    topology: Topology = "mesh"  # issue 16: "sfu" once the room went through Janus


class UserJoined(UserInfo):
    type: ClassVar[str] = "userJoined"


class UserLeft(Struct):
    type: ClassVar[str] = "userLeft"
    userId: str


class RelayedOffer(Struct):
    type: ClassVar[str] = "offer"
    sdp: SessionDescription
    senderId: str


class RelayedAnswer(Struct):
    type: ClassVar[str] = "answer"
    sdp: SessionDescription
    senderId: str


class RelayedIceCandidate(Struct):
    type: ClassVar[str] = "iceCandidate"
    candidate: IceCandidate
    senderId: str


class ScreenShareActive(Struct):
    type: ClassVar[str] = "screenShareActive"
    sharingUserId: str
    streamId: str | None = None


class ScreenShareStopped(Struct):
    type: ClassVar[str] = "screenShareStopped"
    stoppedUserId: str


class MediaState(Struct):
    type: ClassVar[str] = "mediaState"
    userId: str
    audioMuted: bool
    videoMuted: bool


class Hand(Struct):
    type: ClassVar[str] = "hand"
    userId: str
    raised: bool
    raisedAt: int | None


class Reaction(Struct):
    type: ClassVar[str] = "reaction"
    userId: str
    emoji: str


class IceServers(Struct):
    type: ClassVar[str] = "iceServers"
    iceServers: list[dict]


class Error(Struct):
    type: ClassVar[str] = "error"
    code: str
    message: str


class Recording(Struct):
    """Someone started or stopped recording the meeting (sent to everyone, the recorder included)."""

    type: ClassVar[str] = "recording"
    userId: str
    active: bool


class RoleChanged(Struct):
    type: ClassVar[str] = "role"
    userId: str
    role: Role


class RoomSettingsChanged(RoomView):
    type: ClassVar[str] = "roomSettings"


class Waiting(Struct):
    """To a joiner the lobby holds: wait for a host to admit or deny you."""

    type: ClassVar[str] = "waiting"


class Knock(WaitingUser):
    type: ClassVar[str] = "knock"


class KnockCancelled(Struct):
    type: ClassVar[str] = "knockCancelled"
    userId: str


class MuteRequest(Struct):
    type: ClassVar[str] = "muteRequest"
    by: str


class Removed(Struct):
    type: ClassVar[str] = "removed"
    by: str


class MeetingEnded(Struct):
    type: ClassVar[str] = "meetingEnded"
    by: str


class TopologyChanged(Struct):
    """The room now carries media another way (mesh -> sfu, for the rest of the meeting)."""

    type: ClassVar[str] = "topology"
    mode: Topology


class SfuStream(Struct):
    """Which person (and which of their media) a subscribe offer's m-line (`mid`) carries."""

    mid: str
    userId: str
    kind: SfuStreamKind


class ServerSfuOffer(Struct):
    """The server's offer for the receiving connection: everyone else's media, by mid."""

    type: ClassVar[str] = "sfuOffer"
    pc: SfuPc
    sdp: SessionDescription
    streams: list[SfuStream]


class ServerSfuAnswer(Struct):
    type: ClassVar[str] = "sfuAnswer"
    pc: SfuPc
    sdp: SessionDescription


class ServerSfuCandidate(Struct):
    type: ClassVar[str] = "sfuCandidate"
    pc: SfuPc
    candidate: IceCandidate


class SfuRestart(Struct):
    """The media server that carried the room was lost and the room is on one again (another
    instance, or the same one back): close both SFU connections and start them again."""

    type: ClassVar[str] = "sfuRestart"


ServerMessage = Union[
    Joined, UserJoined, UserLeft, RelayedOffer, RelayedAnswer, RelayedIceCandidate,
    ScreenShareActive, ScreenShareStopped, MediaState, IceServers, Error, ChatMessage, Hand,
    Reaction, RoleChanged, RoomSettingsChanged, Waiting, Knock, KnockCancelled, MuteRequest, Removed,
    MeetingEnded, Recording, TopologyChanged, ServerSfuOffer, ServerSfuAnswer, ServerSfuCandidate,
    SfuRestart,
]
# Every server message class, by the `type` it is sent as (what tests check against the document).
SERVER_TYPES: dict[str, type] = {
    cls.type: cls
    for cls in (Joined, UserJoined, UserLeft, RelayedOffer, RelayedAnswer, RelayedIceCandidate,
                ScreenShareActive, ScreenShareStopped, MediaState, IceServers, Error, ChatMessage,
                Hand, Reaction, RoleChanged, RoomSettingsChanged, Waiting, Knock, KnockCancelled,
                MuteRequest, Removed, MeetingEnded, Recording, TopologyChanged, ServerSfuOffer,
                ServerSfuAnswer, ServerSfuCandidate, SfuRestart)
}


class _OutEnvelope(Struct):
    type: str
    payload: Struct


_ENCODER = msgspec.json.Encoder()


def encode(message: ServerMessage) -> bytes:
    """A server message -> the UTF-8 JSON of its envelope."""
    return _ENCODER.encode(_OutEnvelope(message.type, message))


def to_json(value: object) -> bytes:
    """Any JSON-able value (structs included) -> JSON bytes, for the REST API's bodies."""
    return _ENCODER.encode(value)
