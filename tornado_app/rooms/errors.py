"""Every error code and close code the server uses, and the refusals with their one wording.

docs/protocol.md lists the same codes in its tables ("Error codes", "HTTP error codes", "Close
codes"); tests/unit/test_protocol_document.py fails when the two differ. A refusal's text for
people is written here once: raise sites call a constructor (`RoomError.room_not_found()`)
instead of spelling code and message out again.
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    """The `code` of a WebSocket `error{code, message}` or of an HTTP `{"code", "message"}`."""

    # A frame or body that is not a valid message (rooms/protocol.py).
    BAD_MESSAGE = "badMessage"
    UNKNOWN_TYPE = "unknownType"
    INVALID_PAYLOAD = "invalidPayload"
    # What the room refuses (rooms/service.py, the stores).
    NOT_JOINED = "notJoined"
    ALREADY_JOINED = "alreadyJoined"
    ROOM_NOT_FOUND = "roomNotFound"
    ROOM_FULL = "roomFull"
    USER_ID_TAKEN = "userIdTaken"
    USER_NOT_FOUND = "userNotFound"
    TARGET_NOT_FOUND = "targetNotFound"
    NOT_ALLOWED = "notAllowed"
    RATE_LIMITED = "rateLimited"
    # Admission (issue 14): locked rooms, passwords, the lobby.
    ROOM_LOCKED = "roomLocked"
    PASSWORD_REQUIRED = "passwordRequired"
    WRONG_PASSWORD = "wrongPassword"
    ADMISSION_DENIED = "admissionDenied"
    UNAVAILABLE = "unavailable"
    # SFU rooms (issue 16).
    NOT_SFU = "notSfu"
    SFU_UNAVAILABLE = "sfuUnavailable"
    INTERNAL_ERROR = "internalError"
    # HTTP only: the request itself (handlers/base.py, web_policy.py, limits.py, handlers/ui.py).
    NOT_FOUND = "notFound"
    METHOD_NOT_ALLOWED = "methodNotAllowed"
    HTTP_ERROR = "httpError"
    BODY_TOO_LARGE = "bodyTooLarge"
    UNSUPPORTED_MEDIA_TYPE = "unsupportedMediaType"
    ORIGIN_NOT_ALLOWED = "originNotAllowed"
    MISDIRECTED_REQUEST = "misdirectedRequest"
    HOST_REQUIRED = "hostRequired"
    UI_NOT_BUILT = "uiNotBuilt"
    UNAUTHORIZED = "unauthorized"


# The codes a WebSocket `error` message can carry (the others are HTTP answers only).
WEBSOCKET_CODES = frozenset({
    ErrorCode.BAD_MESSAGE, ErrorCode.UNKNOWN_TYPE, ErrorCode.INVALID_PAYLOAD,
    ErrorCode.NOT_JOINED, ErrorCode.ALREADY_JOINED, ErrorCode.ROOM_NOT_FOUND, ErrorCode.ROOM_FULL,
    ErrorCode.USER_ID_TAKEN, ErrorCode.TARGET_NOT_FOUND, ErrorCode.NOT_ALLOWED,
    ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL_ERROR,
    ErrorCode.ROOM_LOCKED, ErrorCode.PASSWORD_REQUIRED, ErrorCode.WRONG_PASSWORD, ErrorCode.ADMISSION_DENIED,
    ErrorCode.NOT_SFU, ErrorCode.SFU_UNAVAILABLE,
})

# The HTTP status of each code the HTTP API answers with. `httpError` (any other 4xx Tornado
# raises, e.g. a malformed request) keeps the status Tornado chose, so it has none here.
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.INVALID_PAYLOAD: 400,
    ErrorCode.HOST_REQUIRED: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.NOT_ALLOWED: 403,
    ErrorCode.ORIGIN_NOT_ALLOWED: 403,
    ErrorCode.ROOM_NOT_FOUND: 404,
    ErrorCode.USER_NOT_FOUND: 404,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.ROOM_FULL: 409,
    ErrorCode.BODY_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.MISDIRECTED_REQUEST: 421,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.UI_NOT_BUILT: 503,
    ErrorCode.UNAVAILABLE: 503,
}


class CloseCode(enum.IntEnum):
    """The WebSocket close codes the server sends (RFC 6455 section 7.4, and 4001/4003/4004 of our own)."""

    LEFT = 1000  # POST /leaveRoom removed the user while their socket was still open
    GOING_AWAY = 1001  # the server is shutting down
    POLICY = 1008  # flooding, no join in time, too many connections from one address
    TOO_BIG = 1009  # a message over protocol.max_message_bytes (Tornado closes with it)
    REPLACED = 4001  # a resume on a newer connection took this user over
    REMOVED = 4003  # a host removed this user, or denied them entry from the lobby (issue 14)
    ENDED = 4004  # a host ended the meeting (issue 14)


class RoomError(Exception):
    """A request the room refuses; `code` is an ErrorCode, `message` is for people.

    `args` is `(code, message)`, so a refusal can be passed on as `refuse(*err.args)`.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    @classmethod
    def room_not_found(cls) -> RoomError:
        """The room does not exist (or expired)."""
        return cls(ErrorCode.ROOM_NOT_FOUND, "this meeting does not exist")

    @classmethod
    def room_full(cls, max_size: int) -> RoomError:
        """The room already has `max_size` users."""
        return cls(ErrorCode.ROOM_FULL, f"this meeting is full ({max_size} people)")

    @classmethod
    def user_id_taken(cls) -> RoomError:
        """A join with a user id present in the room and no valid resume token."""
        return cls(ErrorCode.USER_ID_TAKEN, "someone with this user id is already in the meeting")

    @classmethod
    def user_not_found(cls) -> RoomError:
        """A REST leave for a user who is not in the room."""
        return cls(ErrorCode.USER_NOT_FOUND, "this user is not in the meeting")

    @classmethod
    def wrong_token(cls) -> RoomError:
        """A REST leave with someone else's resume token."""
        return cls(ErrorCode.NOT_ALLOWED, "wrong resume token for this user")

    @classmethod
    def not_own_share(cls) -> RoomError:
        """A screen-share start/stop naming another user or room."""
        return cls(ErrorCode.NOT_ALLOWED, "you can only start or stop your own screen share")

    @classmethod
    def target_not_found(cls, target: str) -> RoomError:
        """A relay to someone who is not another user of the sender's room."""
        return cls(ErrorCode.TARGET_NOT_FOUND, f"no user {target!r} in this meeting")

    @classmethod
    def not_joined(cls, message_type: str) -> RoomError:
        """A message other than `join` on a connection that has not joined."""
        return cls(ErrorCode.NOT_JOINED, f"join a room before sending {message_type}")

    @classmethod
    def already_joined(cls) -> RoomError:
        """A second `join` on a joined connection."""
        return cls(ErrorCode.ALREADY_JOINED, "this connection is already in a meeting")

    @classmethod
    def too_many_messages(cls) -> RoomError:
        """The connection sends faster than its rate limit."""
        return cls(ErrorCode.RATE_LIMITED, "too many messages; slow down")

    @classmethod
    def too_much_chat(cls) -> RoomError:
        """The user sends chat messages and reactions faster than their own limit."""
        return cls(ErrorCode.RATE_LIMITED, "too many chat messages or reactions; wait a few seconds")

    @classmethod
    def protected_room_users(cls) -> RoomError:
        """GET /room/<id>/users of a room with a password or lobby, without its host token."""
        return cls(ErrorCode.NOT_ALLOWED, "who is in this meeting is shown only to its hosts")

    @classmethod
    def create_room_unauthorized(cls) -> RoomError:
        """POST /createRoom without the operator's --create-room-token."""
        return cls(ErrorCode.UNAUTHORIZED, "creating a meeting on this server needs its operator's token")

    @classmethod
    def too_many_rooms(cls) -> RoomError:
        """One address creates rooms faster than allowed."""
        return cls(ErrorCode.RATE_LIMITED, "too many new meetings from this address; wait a minute")

    @classmethod
    def room_locked(cls) -> RoomError:
        """A guest's join while a host has locked the meeting."""
        return cls(ErrorCode.ROOM_LOCKED, "this meeting is locked: nobody else can join")

    @classmethod
    def password_required(cls) -> RoomError:
        """A guest's join without a password, to a meeting that has one."""
        return cls(ErrorCode.PASSWORD_REQUIRED, "this meeting needs a password")

    @classmethod
    def wrong_password(cls) -> RoomError:
        """A guest's join with a password that is not the meeting's."""
        return cls(ErrorCode.WRONG_PASSWORD, "wrong password for this meeting")

    @classmethod
    def too_many_wrong_passwords(cls) -> RoomError:
        """More wrong passwords than allowed from this address, or for this meeting."""
        return cls(ErrorCode.RATE_LIMITED, "too many wrong passwords; wait a minute and try again")

    @classmethod
    def admission_denied(cls) -> RoomError:
        """A host turned this person away from the lobby."""
        return cls(ErrorCode.ADMISSION_DENIED, "a host did not let you into this meeting")

    @classmethod
    def removed_from_meeting(cls) -> RoomError:
        """A join (or resume) by a user a host removed from this meeting."""
        return cls(ErrorCode.ADMISSION_DENIED, "you were removed from this meeting and cannot come back")

    @classmethod
    def hosts_only(cls, message_type: str) -> RoomError:
        """A host's message from a guest."""
        return cls(ErrorCode.NOT_ALLOWED, f"only a host can send {message_type}")

    @classmethod
    def not_waiting(cls, user_id: str) -> RoomError:
        """An admit or deny for someone who is not (or no longer) waiting in the lobby."""
        return cls(ErrorCode.TARGET_NOT_FOUND, f"no one with user id {user_id!r} is waiting")

    @classmethod
    def not_for_yourself(cls, message_type: str) -> RoomError:
        """A host message aimed at its own sender (remove, role)."""
        return cls(ErrorCode.NOT_ALLOWED, f"{message_type} is for someone else, not yourself")

    @classmethod
    def unavailable(cls) -> RoomError:
        """The shared store cannot be reached for a moment; nothing was done."""
        return cls(ErrorCode.UNAVAILABLE, "the meeting service is briefly unavailable; retry soon")

    @classmethod
    def not_sfu(cls, message_type: str) -> RoomError:
        """An sfuOffer/sfuAnswer/sfuCandidate in a room that is still a mesh."""
        return cls(ErrorCode.NOT_SFU, f"{message_type}: this room is a mesh, not an SFU room; "
                   "send offer/answer/iceCandidate to each person instead")

    @classmethod
    def wrong_pc(cls, message_type: str, pc: str) -> RoomError:
        """An sfuOffer not for the publishing connection, an sfuAnswer not for the subscribing one."""
        return cls(ErrorCode.NOT_SFU, f'{message_type}: a client sends it only with pc "{pc}"')

    @classmethod
    def sfu_not_started(cls, message_type: str) -> RoomError:
        """An sfuAnswer/sfuCandidate for a connection the server has not set up yet."""
        return cls(ErrorCode.NOT_SFU, f"{message_type}: send sfuOffer with pc \"publish\" first; "
                   "this connection has no media through the SFU yet")

    @classmethod
    def no_camera_to_layer(cls, user_id: str) -> RoomError:
        """An sfuLayer for someone whose camera the sender does not receive."""
        return cls(ErrorCode.TARGET_NOT_FOUND, f"sfuLayer: you receive no camera of {user_id!r} "
                   "(not in the room, or not sending video)")

    @classmethod
    def sfu_unavailable(cls, why: str) -> RoomError:
        """The media server (Janus) cannot be reached or refused: the SFU media is not set up."""
        return cls(ErrorCode.SFU_UNAVAILABLE, f"the media server is unavailable ({why}); "
                   "the meeting's video through it cannot start right now")

    @classmethod
    def internal_error(cls) -> RoomError:
        """A bug on the server while handling one message."""
        return cls(ErrorCode.INTERNAL_ERROR, "the server failed on this message")
