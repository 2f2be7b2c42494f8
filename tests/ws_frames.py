"""The bytes of one client WebSocket frame, for the tests' raw clients that a real client library
would not let misbehave (never answer pings, never read, vanish without a close frame)."""

from __future__ import annotations

import json
import os
import struct
from typing import Any


def masked_text_frame(type: str, payload: Any) -> bytes:
    """A masked text frame (FIN set) holding `{"type", "payload"}`, as a browser sends it."""
    data = json.dumps({"type": type, "payload": payload}).encode()
    header = bytes([0x81])
    if len(data) < 126:
        header += bytes([0x80 | len(data)])
    elif len(data) < 1 << 16:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(data))
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))
