"""The wire protocol of docs/protocol.md: message types, parsing with validation, serialization.

Pure: no I/O. `parse_client_message` turns one WebSocket frame into a typed message or raises
`ProtocolError`; `encode` turns a server message into the bytes of one text frame.
msgspec validates types and lengths in the same pass that decodes the JSON, which keeps the relay
hot path cheap.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, ClassVar, Literal, Union

import msgspec
from msgspec import Meta, Struct

from tornado_app.rooms.errors import ErrorCode

MAX_MESSAGE_BYTES = 64 * 1024  # one WebSocket message from a client
# With SFU rooms (--janus-url) a client's subscribe answer has an m-line for every stream it
# receives: two per other person (microphone, camera) and a screen's, about 100 in a room of 50,
# each 0.7-2 KiB (a recvonly m-line with its codecs, header extensions and ICE lines: Chromium's
# are the smaller, aiortc's repeat the candidates). 64 KiB ends at about 40 people.
MAX_SFU_MESSAGE_BYTES = 256 * 1024


def max_message_bytes(sfu: bool) -> int:
    """The largest WebSocket message a client may send to a server with (or without) SFU rooms."""
    return MAX_SFU_MESSAGE_BYTES if sfu else MAX_MESSAGE_BYTES


# Ids are what the server makes (secrets.token_urlsafe) or a client's UUID: URL-safe, bounded.
# The one definition of a roomId/userId on the server (route patterns use it too); the client's
# is ID_PATTERN in react-ui/src/signaling/messages.ts.
ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
# msgspec matches patterns with re.search, where `$` also matches before a final newline ("bob\n"
# passed); `\Z` is the true end.
Id = Annotated[str, Meta(min_length=1, max_length=64, pattern=f"^{ID_PATTERN}\\Z")]
# A MediaStream id: Chromium uses UUIDs, some browsers wrap them in braces.
StreamId = Annotated[str, Meta(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_{}-]+\Z")]
# Shown to people: no control characters.
DisplayName = Annotated[str, Meta(max_length=512, pattern=r"^[^\x00-\x1f\x7f]*\Z")]
MAX_DISPLAY_NAME = 128  # characters, after trimming
Token = Annotated[str, Meta(max_length=128)]
# A room password (issue 14): 1 to 128 characters; only its scrypt hash is kept.
Password = Annotated[str, Meta(min_length=1, max_length=128)]
#: Which of its two SFU connections a message is about (issue 16): the one that sends the
#: person's own media to Janus, or the one that receives everyone else's.
SfuPc = Literal["publish", "subscribe"]
#: How a room carries media: every person to every other, or through Janus.
Topology = Literal["mesh", "sfu"]
#: What a subscribed video shows: the person's camera or their shared screen.
SfuStreamKind = Literal["camera", "screen", "audio"]
#: Which simulcast layer of a person's camera a subscriber wants (issue 16): the full picture, the
#: smallest one, or none at all (its tile is off screen or the tab is hidden).
SfuLayer = Literal["high", "low", "paused"]
#: What a user is in a meeting (issue 14): a host may admit, remove, mute and end; a guest may not.
Role = Literal["host", "guest"]
DEFAULT_DISPLAY_NAME = "Guest"
UNSET = msgspec.UNSET  # a field left out of a message (as opposed to null)
MAX_CHAT_TEXT = 2000  # characters, after trimming
# As sent, before trimming: a bound that keeps a frame of white space from costing anything.
ChatText = Annotated[str, Meta(min_length=1, max_length=4 * MAX_CHAT_TEXT)]
#: The reactions people can send, in the order the client shows them.
EMOJI = ("👍", "👏", "❤️", "😂", "😮", "🎉")
Emoji = Annotated[str, Meta(min_length=1, max_length=16)]  # one of EMOJI (checked after decoding)


_ID_RE = re.compile(ID_PATTERN)


def clean_display_name(text: str) -> str:
    """`text` in NFC without Unicode format characters (category Cf), white space trimmed.

    Format characters are invisible: bidi overrides (U+202E) reorder what people read and
    zero-width ones (U+200B) make two names look alike, so a name could pass for someone else's.
    """
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def is_id(text: str) -> bool:
    """Whether `text` is a well-formed roomId/userId."""
    return _ID_RE.fullmatch(text) is not None


class ProtocolError(Exception):
    """A frame that is not a valid client message; `code` is one of the protocol's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- payload parts: the browser's own JSON forms -------------------------------------------------


class SessionDescription(Struct, omit_defaults=True):
    """An RTCSessionDescriptionInit."""

    type: Literal["offer", "answer", "pranswer", "rollback"]
    sdp: Annotated[str, Meta(max_length=MAX_SFU_MESSAGE_BYTES)] = ""  # the frame's limit bounds it first


class IceCandidate(Struct):
    """An RTCIceCandidateInit (an empty `candidate` is the end-of-candidates marker)."""

    candidate: Annotated[str, Meta(max_length=2048)]
    sdpMid: Annotated[str, Meta(max_length=64)] | None = None
    sdpMLineIndex: Annotated[int, Meta(ge=0, le=65535)] | None = None
    usernameFragment: Annotated[str, Meta(max_length=256)] | None = None


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
