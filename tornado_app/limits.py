"""Resource bounds on the HTTP server: body size, read buffer, header and idle timeouts.

Every Parley request body is under 200 bytes, so a body over `MAX_BODY_SIZE` is refused with
413 as soon as its headers arrive, before a byte of it is read (Tornado's default would hold up
to 100 MB in memory per request). The timeouts close half-sent requests and idle keep-alive
connections, so slow clients cannot hold file descriptors for ever.
"""

from __future__ import annotations

import json
from typing import Any

import tornado.httpserver
import tornado.httputil
import tornado.iostream

from tornado_app.config import Settings

MAX_BODY_SIZE = 16 * 1024  # every endpoint needs < 200 bytes; leaves room for future fields
MAX_BUFFER_SIZE = 256 * 1024  # read buffer per connection: a 64 KiB WebSocket message and a read chunk
HEADER_TIMEOUT = 10.0  # seconds to send all request headers (Tornado: idle_connection_timeout)
BODY_TIMEOUT = 10.0  # seconds to send the body once the headers are in


def http_server_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of the HTTPServer that serves Parley (one place for every bound)."""
    return {
        "xheaders": settings.behind_proxy,
        "max_body_size": MAX_BODY_SIZE,
        "max_buffer_size": MAX_BUFFER_SIZE,
        "idle_connection_timeout": HEADER_TIMEOUT,
        "body_timeout": BODY_TIMEOUT,
    }


class _BodyTooLarge(tornado.httputil.HTTPMessageDelegate):
    """Answers 413 to a request whose Content-Length is over the limit, without reading the body.

    Tornado itself would answer a bare `400 Bad Request`; a JSON 413 tells the client why.
    """

    def __init__(self, delegate: tornado.httputil.HTTPMessageDelegate,
                 request_conn: tornado.httputil.HTTPConnection) -> None:
        self.delegate = delegate
        self.request_conn = request_conn
        self.refused = False

    def headers_received(self, start_line: Any, headers: tornado.httputil.HTTPHeaders) -> Any:
        try:
            length = int(headers.get("Content-Length", "0"))
        except ValueError:
            length = 0  # Tornado refuses a malformed Content-Length itself
        if length <= MAX_BODY_SIZE:
            return self.delegate.headers_received(start_line, headers)
        self.refused = True
        stream: tornado.iostream.IOStream = self.request_conn.detach()  # type: ignore[attr-defined]
        body = json.dumps({"code": "bodyTooLarge",
                           "message": f"request bodies are limited to {MAX_BODY_SIZE} bytes"}).encode()
        head = (f"HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        stream.write(head + body).add_done_callback(lambda done: _close(stream, done))
        return None

    def data_received(self, chunk: bytes) -> Any:
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        self.delegate.finish()

    def on_connection_close(self) -> None:
        if not self.refused:
            self.delegate.on_connection_close()


def _close(stream: tornado.iostream.IOStream, written: Any) -> None:
    if not written.cancelled():
        written.exception()  # a client that left before the answer: nothing to report
    stream.close()


class LimitedHTTPServer(tornado.httpserver.HTTPServer):
    """Tornado's HTTPServer with a JSON 413 for oversized bodies."""

    def start_request(self, server_conn: object,
                      request_conn: tornado.httputil.HTTPConnection) -> tornado.httputil.HTTPMessageDelegate:
        return _BodyTooLarge(super().start_request(server_conn, request_conn), request_conn)
