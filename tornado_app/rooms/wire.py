"""What every message of the wire protocol is made of (docs/protocol.md): limits, identifiers,
the display-name rule, the browser's own JSON forms (session descriptions, ICE candidates) and
`ProtocolError`. Pure: no I/O. `protocol.py` re-exports all of it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

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
