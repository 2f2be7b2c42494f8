"""What can go wrong talking to Janus, as exceptions a caller can tell apart.

- `JanusApiError`: the Janus core refused a request (`{"janus": "error", "error": {code, reason}}`),
  e.g. 458 no such session, 459 no such handle;
- `JanusPluginError`: the plugin refused it (`plugindata.data.error_code`), e.g. VideoRoom's 426 no such
  room, 427 room exists, 432 publishers full;
- `JanusTimeout`: no answer within the request's deadline;
- `JanusGone` and its kinds: the connection is lost (`JanusConnectionLost`) or Janus ended the
  session (`JanusSessionLost`); every pending and later call on it raises one.
"""

from __future__ import annotations

from enum import IntEnum


class JanusError(Exception):
    """Any failure of a request to Janus."""


class JanusApiError(JanusError):
    """The Janus core answered `error`."""

    def __init__(self, code: int, reason: str, request: str) -> None:
        super().__init__(f"Janus refused {request!r}: {code} {reason}")
        self.code = code
        self.reason = reason
        self.request = request


class JanusPluginError(JanusError):
    """A plugin answered with an `error_code`."""

    def __init__(self, code: int, reason: str, request: str) -> None:
        super().__init__(f"Janus plugin refused {request!r}: {code} {reason}")
        self.code = code
        self.reason = reason
        self.request = request


class JanusTimeout(JanusError):
    """Janus did not answer a request in time."""


class JanusGone(JanusError):
    """The connection or the session is gone: nothing more can be asked on it."""


class JanusConnectionLost(JanusGone):
    """The WebSocket to Janus closed, failed or stopped answering."""


class JanusSessionLost(JanusGone):
    """Janus ended the session (its `timeout` event, or it no longer knows the session)."""


class ApiErrorCode(IntEnum):
    """The Janus core's error codes that Parley acts on (src/apierror.h)."""

    UNAUTHORIZED = 403
    UNKNOWN_REQUEST = 453
    INVALID_JSON = 454
    MISSING_MANDATORY_ELEMENT = 456
    SESSION_NOT_FOUND = 458
    HANDLE_NOT_FOUND = 459
    PLUGIN_NOT_FOUND = 460
    PLUGIN_MESSAGE = 462
    JSEP_INVALID_SDP = 465
    WEBRTC_STATE = 471


class VideoRoomErrorCode(IntEnum):
    """The VideoRoom plugin's `error_code`s (JANUS_VIDEOROOM_ERROR_* in janus_videoroom.c)."""

    UNKNOWN_ERROR = 499
    NO_MESSAGE = 421
    INVALID_JSON = 422
    INVALID_REQUEST = 423
    JOIN_FIRST = 424
    ALREADY_JOINED = 425
    NO_SUCH_ROOM = 426
    ROOM_EXISTS = 427
    NO_SUCH_FEED = 428
    MISSING_ELEMENT = 429
    INVALID_ELEMENT = 430
    INVALID_SDP_TYPE = 431
    PUBLISHERS_FULL = 432
    UNAUTHORIZED = 433
    ALREADY_PUBLISHED = 434
    NOT_PUBLISHED = 435
    ID_EXISTS = 436
    INVALID_SDP = 437
