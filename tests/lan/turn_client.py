"""A minimal TURN client (RFC 5766 Allocate over UDP, long-term credentials) to ask coturn directly."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import struct
import zlib

MAGIC = 0x2112A442
BINDING, ALLOCATE = 0x0001, 0x0003
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, REALM, NONCE = 0x0006, 0x0008, 0x0009, 0x0014, 0x0015
REQUESTED_TRANSPORT, FINGERPRINT = 0x0019, 0x8028


def _attr(kind: int, value: bytes) -> bytes:
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * (-len(value) % 4)


def _message(kind: int, tid: bytes, attrs: bytes) -> bytes:
    return struct.pack("!HHI", kind, len(attrs), MAGIC) + tid + attrs


def _parse(data: bytes) -> tuple[int, dict[int, bytes]]:
    kind, length, _magic = struct.unpack("!HHI", data[:8])
    attrs, pos = {}, 20
    while pos < 20 + length:
        a_kind, a_len = struct.unpack("!HH", data[pos:pos + 4])
        attrs[a_kind] = data[pos + 4:pos + 4 + a_len]
        pos += 4 + a_len + (-a_len % 4)
    return kind, attrs


def _exchange(sock: socket.socket, server: tuple[str, int], message: bytes) -> tuple[int, dict]:
    sock.sendto(message, server)
    data, _ = sock.recvfrom(4096)
    return _parse(data)


def stun_binding_ok(server: tuple[str, int], timeout: float = 0.5) -> bool:
    """True if a STUN Binding request gets a success answer (the TURN server is up)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            kind, _ = _exchange(sock, server, _message(BINDING, os.urandom(12), b""))
        except OSError:
            return False
    return kind == 0x0101


def allocate(server: tuple[str, int], username: str, password: str, timeout: float = 2.0) -> int:
    """Try to allocate a relay with these credentials; returns 0 on success or the error code."""
    transport = _attr(REQUESTED_TRANSPORT, bytes([17, 0, 0, 0]))  # UDP
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        kind, attrs = _exchange(sock, server, _message(ALLOCATE, os.urandom(12), transport))
        assert kind == 0x0113 and _error(attrs) == 401, "an Allocate without credentials must be challenged"
        realm, nonce = attrs[REALM], attrs[NONCE]
        body = (transport + _attr(USERNAME, username.encode()) + _attr(REALM, realm)
                + _attr(NONCE, nonce))
        tid = os.urandom(12)
        key = hashlib.md5(username.encode() + b":" + realm + b":" + password.encode()).digest()
        # MESSAGE-INTEGRITY covers the header with the length as if it were the last attribute.
        head = struct.pack("!HHI", ALLOCATE, len(body) + 24, MAGIC) + tid
        mac = hmac.new(key, head + body, hashlib.sha1).digest()
        body += _attr(MESSAGE_INTEGRITY, mac)
        head = struct.pack("!HHI", ALLOCATE, len(body) + 8, MAGIC) + tid
        crc = (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF
        body += _attr(FINGERPRINT, struct.pack("!I", crc))
        kind, attrs = _exchange(sock, server, _message(ALLOCATE, tid, body))
    return 0 if kind == 0x0103 else _error(attrs)


def _error(attrs: dict[int, bytes]) -> int:
    raw = attrs.get(ERROR_CODE, b"\0\0\0\0")
    return (raw[2] & 0x07) * 100 + raw[3]
