"""Helpers of the HTTP policy tests (headers, hosts, cross-site POSTs, TURN credentials)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

# How long a raw request may take before the test fails (never a sleep).
RAW_TIMEOUT = 5.0


def assert_error(response, status: int, code: str) -> None:
    """An HTTP error as docs/protocol.md describes it: the status and a JSON `{code, message}`."""
    assert response.status == status, response
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body


async def raw_request(port: int, head: str) -> tuple[int, dict[str, str], Any]:
    """Send `head` (request line and headers, CRLF-separated, no body) as written; the answer's
    status, headers (lower-case names) and JSON body. For requests a client library would fix up,
    such as one without a Host header."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode("latin-1") + b"\r\n\r\n")
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), RAW_TIMEOUT)  # Connection: close ends it
    finally:
        writer.close()
        await writer.wait_closed()
    header_block, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = header_block.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, json.loads(body) if body else None
