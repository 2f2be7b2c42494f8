"""The wire protocol of docs/protocol.md: message types, parsing with validation, serialization
(client messages here; their parts in wire.py and the server messages in server_messages.py, all
re-exported here: `from tornado_app.rooms import protocol as p` reaches everything).

Pure: no I/O. `parse_client_message` turns one WebSocket frame into a typed message or raises
`ProtocolError`; `encode` turns a server message into the bytes of one text frame.
msgspec validates types and lengths in the same pass that decodes the JSON, which keeps the relay
hot path cheap.
"""

from __future__ import annotations

from typing import ClassVar, Union

import msgspec
from msgspec import Struct

from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.server_messages import (
    UserInfo, ChatMessage, RoomView, WaitingUser, Joined, UserJoined, UserLeft, RelayedOffer,
    RelayedAnswer, RelayedIceCandidate, ScreenShareActive, ScreenShareStopped, MediaState, Hand,
    Reaction, IceServers, Error, Recording, RoleChanged, RoomSettingsChanged, Waiting, Knock,
    KnockCancelled, MuteRequest, Removed, MeetingEnded, TopologyChanged, SfuStream, ServerSfuOffer,
    ServerSfuAnswer, ServerSfuCandidate, SfuRestart, ServerMessage, SERVER_TYPES, encode, to_json,
)
from tornado_app.rooms.wire import (
    MAX_MESSAGE_BYTES, MAX_SFU_MESSAGE_BYTES, max_message_bytes, ID_PATTERN, Id, StreamId, DisplayName,
    MAX_DISPLAY_NAME, Token, Password,
    SfuPc, Topology, SfuStreamKind, SfuLayer, Role, DEFAULT_DISPLAY_NAME, UNSET, MAX_CHAT_TEXT,
    ChatText, EMOJI, Emoji, clean_display_name, is_id, ProtocolError, SessionDescription,
    IceCandidate,
)


# --- client -> server ----------------------------------------------------------------------------


class Join(Struct):
    type: ClassVar[str] = "join"
    roomId: Id
    userId: Id
    displayName: DisplayName | None = None
    resumeToken: Token | None = None
    audioMuted: bool = False
    videoMuted: bool = False
    hostToken: Token | None = None  # the room's host token: joins as host, past lock, password and lobby
    password: Password | None = None  # the room's password, when it has one

    def __post_init__(self) -> None:
        if self.displayName is not None:
            self.displayName = clean_display_name(self.displayName)
            if len(self.displayName) > MAX_DISPLAY_NAME:
                raise ValueError(f"displayName: at most {MAX_DISPLAY_NAME} characters")

    @property
    def name(self) -> str:
        """The display name to show: cleaned, or the default when blank."""
        return self.displayName or DEFAULT_DISPLAY_NAME


class Offer(Struct):
    type: ClassVar[str] = "offer"
    sdp: SessionDescription
    targetId: Id


class Answer(Struct):
    type: ClassVar[str] = "answer"
    sdp: SessionDescription
    targetId: Id


class SendIceCandidate(Struct):
    type: ClassVar[str] = "iceCandidate"
    candidate: IceCandidate
    targetId: Id


class StartScreenShare(Struct):
    type: ClassVar[str] = "startScreenShare"
    userId: Id
    roomId: Id
    streamId: StreamId | None = None


class StopScreenShare(Struct):
    type: ClassVar[str] = "stopScreenShare"
    userId: Id
    roomId: Id


class SetMediaState(Struct):
    type: ClassVar[str] = "mediaState"
    audioMuted: bool
    videoMuted: bool


class SendChat(Struct):
    """A chat message: public without `targetId`, private to that user with it."""

    type: ClassVar[str] = "chat"
    text: ChatText
    targetId: Id | None = None

    def __post_init__(self) -> None:
        self.text = self.text.strip()
        if not self.text or len(self.text) > MAX_CHAT_TEXT:
            raise ValueError(f"text: 1 to {MAX_CHAT_TEXT} characters after trimming")


class RaiseHand(Struct):
    type: ClassVar[str] = "hand"
    raised: bool


class SendReaction(Struct):
    type: ClassVar[str] = "reaction"
    emoji: Emoji

    def __post_init__(self) -> None:
        if self.emoji not in EMOJI:
            raise ValueError(f"emoji: one of {' '.join(EMOJI)}")


class SetRecording(Struct):
    """The sender starts or stops recording the meeting (issue 15): everyone must be able to see it."""

    type: ClassVar[str] = "recording"
    active: bool


class RefreshIceServers(Struct):
    """Asks for fresh ICE servers (TURN credentials expire; a long call renews them)."""

    type: ClassVar[str] = "refreshIceServers"


# --- client -> server: what only a host may do (issue 14; a guest gets notAllowed) ----------------


class SetRoomSettings(Struct):
    """Change the room's admission: a field left out stays as it is; `password: null` removes it."""

    type: ClassVar[str] = "roomSettings"
    lobby: bool | msgspec.UnsetType = msgspec.UNSET
    locked: bool | msgspec.UnsetType = msgspec.UNSET
    password: Password | None | msgspec.UnsetType = msgspec.UNSET


class Admit(Struct):
    type: ClassVar[str] = "admit"
    userId: Id


class Deny(Struct):
    type: ClassVar[str] = "deny"
    userId: Id


class RemoveUser(Struct):
    type: ClassVar[str] = "removeUser"
    targetId: Id


class AskToMute(Struct):
    """Ask one user (or, without `targetId`, every guest) to mute their microphone."""

    type: ClassVar[str] = "muteRequest"
    targetId: Id | None = None


class LowerHand(Struct):
    type: ClassVar[str] = "lowerHand"
    targetId: Id


class SetRole(Struct):
    type: ClassVar[str] = "setRole"
    targetId: Id
    role: Role


class EndMeeting(Struct):
    type: ClassVar[str] = "endMeeting"


# --- client -> server: SFU rooms (issue 16; notSfu in a mesh room) -------------------------------


class SfuOffer(Struct):
    """The sender's publishing connection's offer (pc is "publish"; subscribe offers come from the
    server)."""

    type: ClassVar[str] = "sfuOffer"
    pc: SfuPc
    sdp: SessionDescription


class SfuAnswer(Struct):
    """The sender's answer to the server's subscribe offer (pc is "subscribe")."""

    type: ClassVar[str] = "sfuAnswer"
    pc: SfuPc
    sdp: SessionDescription


class SfuCandidate(Struct):
    type: ClassVar[str] = "sfuCandidate"
    pc: SfuPc
    candidate: IceCandidate


class SfuLayerChoice(Struct):
    """Which layer of `userId`'s camera the sender's subscribing connection should carry."""

    type: ClassVar[str] = "sfuLayer"
    userId: Id
    layer: SfuLayer


SFU_MESSAGES = (SfuOffer, SfuAnswer, SfuCandidate, SfuLayerChoice)

HOST_MESSAGES = (SetRoomSettings, Admit, Deny, RemoveUser, AskToMute, LowerHand, SetRole, EndMeeting)

ClientMessage = Union[
    Join, Offer, Answer, SendIceCandidate, StartScreenShare, StopScreenShare, SetMediaState,
    RefreshIceServers, SendChat, RaiseHand, SendReaction, SetRoomSettings, Admit, Deny, RemoveUser,
    AskToMute, LowerHand, SetRole, EndMeeting, SetRecording, SfuOffer, SfuAnswer, SfuCandidate,
    SfuLayerChoice,
]
CLIENT_TYPES: dict[str, type] = {
    cls.type: cls
    for cls in (Join, Offer, Answer, SendIceCandidate, StartScreenShare, StopScreenShare,
                SetMediaState, RefreshIceServers, SendChat, RaiseHand, SendReaction, SetRecording,
                *HOST_MESSAGES, *SFU_MESSAGES)
}


class _Envelope(Struct):
    type: str
    payload: msgspec.Raw


_ENVELOPE = msgspec.json.Decoder(_Envelope)
_PAYLOADS = {name: msgspec.json.Decoder(cls) for name, cls in CLIENT_TYPES.items()}


def parse_client_message(raw: str | bytes) -> ClientMessage:
    """One frame -> a typed client message, or ProtocolError saying what is wrong."""
    try:
        envelope = _ENVELOPE.decode(raw)
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise ProtocolError(
            ErrorCode.BAD_MESSAGE, f'a message is a JSON object {{"type", "payload"}}: {exc}'
        ) from None
    if memoryview(envelope.payload)[:1] != b"{":
        raise ProtocolError(ErrorCode.BAD_MESSAGE, 'a message is a JSON object {"type", "payload"} whose '
                            "payload is an object")
    decoder = _PAYLOADS.get(envelope.type)
    if decoder is None:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown message type {envelope.type[:64]!r}")
    try:
        return decoder.decode(envelope.payload)
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID_PAYLOAD, f"{envelope.type}: {exc}") from None
    except msgspec.DecodeError as exc:  # pragma: no cover - Raw holds valid JSON already
        raise ProtocolError(ErrorCode.BAD_MESSAGE, f"{envelope.type}: {exc}") from None


# --- HTTP request bodies -------------------------------------------------------------------------


class CreateRoomRequest(Struct):
    lobby: bool = False
    password: Password | None = None


class JoinRoomRequest(Struct):
    roomId: Id


class LeaveRoomRequest(Struct):
    roomId: Id
    userId: Id
    resumeToken: Token


_REQUESTS = {cls: msgspec.json.Decoder(cls) for cls in (CreateRoomRequest, JoinRoomRequest, LeaveRoomRequest)}


def parse_request(body: bytes, cls: type[CreateRoomRequest] | type[JoinRoomRequest] | type[LeaveRoomRequest]):
    """An HTTP JSON body -> its request struct, or ProtocolError(invalidPayload)."""
    try:
        return _REQUESTS[cls].decode(body)
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise ProtocolError(ErrorCode.INVALID_PAYLOAD, f"the body must be a JSON object: {exc}") from None


__all__ = [  # everything of the protocol, from here, wire.py and server_messages.py
    "MAX_MESSAGE_BYTES", "MAX_SFU_MESSAGE_BYTES", "max_message_bytes", "ID_PATTERN", "Id",
    "StreamId", "DisplayName", "MAX_DISPLAY_NAME",
    "Token", "Password", "SfuPc", "Topology", "SfuStreamKind", "SfuLayer", "Role",
    "DEFAULT_DISPLAY_NAME", "UNSET", "MAX_CHAT_TEXT", "ChatText", "EMOJI", "Emoji",
    "clean_display_name", "is_id", "ProtocolError", "SessionDescription", "IceCandidate",
    "UserInfo", "ChatMessage", "RoomView", "WaitingUser", "Joined", "UserJoined", "UserLeft",
    "RelayedOffer", "RelayedAnswer", "RelayedIceCandidate", "ScreenShareActive",
    "ScreenShareStopped", "MediaState", "Hand", "Reaction", "IceServers", "Error", "Recording",
    "RoleChanged", "RoomSettingsChanged", "Waiting", "Knock", "KnockCancelled", "MuteRequest",
    "Removed", "MeetingEnded", "TopologyChanged", "SfuStream", "ServerSfuOffer", "ServerSfuAnswer",
    "ServerSfuCandidate", "SfuRestart", "ServerMessage", "SERVER_TYPES", "encode", "to_json",
    "Join", "Offer", "Answer", "SendIceCandidate", "StartScreenShare", "StopScreenShare",
    "SetMediaState", "SendChat", "RaiseHand", "SendReaction", "SetRecording", "RefreshIceServers",
    "SetRoomSettings", "Admit", "Deny", "RemoveUser", "AskToMute", "LowerHand", "SetRole",
    "EndMeeting", "SfuOffer", "SfuAnswer", "SfuCandidate", "SfuLayerChoice", "SFU_MESSAGES",
    "HOST_MESSAGES", "ClientMessage", "CLIENT_TYPES", "parse_client_message", "CreateRoomRequest",
    "JoinRoomRequest", "LeaveRoomRequest", "parse_request",
]
