"""Resource bounds on the HTTP server: body size, read buffer, header and idle timeouts.

Every Parley request body is under 200 bytes, so a body over `MAX_BODY_SIZE` is refused with
413 as soon as its headers arrive, before a byte of it is read (Tornado's default would hold up
to 100 MB in memory per request). The timeouts close half-sent requests and idle keep-alive
connections, so slow clients cannot hold file descriptors for ever.
"""

from __future__ import annotations

import collections
import errno
import json
import logging
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

import tornado.httpserver
import tornado.httputil
import tornado.ioloop
import tornado.iostream

from tornado_app.config import Settings
from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.protocol import max_message_bytes

MAX_BODY_SIZE = 16 * 1024  # every endpoint needs < 200 bytes; leaves room for future fields
READ_CHUNK = 192 * 1024  # the read buffer per connection holds the largest WebSocket message and this
HEADER_TIMEOUT = 10.0  # seconds to send all request headers (Tornado: idle_connection_timeout)
BODY_TIMEOUT = 10.0  # seconds to send the body once the headers are in
ACCEPT_PAUSE = 0.5  # seconds to stop accepting when out of descriptors or memory
ACCEPT_LOG_INTERVAL = 10.0  # at most one warning this often about failed accepts
_OUT_OF_RESOURCES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)

log = logging.getLogger("parley")


def http_server_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of the HTTPServer that serves Parley (one place for every bound)."""
    return {
        "xheaders": settings.behind_proxy,
        "max_body_size": MAX_BODY_SIZE,
        "max_buffer_size": max_message_bytes(bool(settings.janus_urls)) + READ_CHUNK,
        "idle_connection_timeout": HEADER_TIMEOUT,
        "body_timeout": BODY_TIMEOUT,
        "max_connections_per_address": settings.max_connections_per_address,
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
        body = json.dumps({"code": ErrorCode.BODY_TOO_LARGE,
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
    """Tornado's HTTPServer with a JSON 413 for oversized bodies, a per-address connection cap,
    and an accept loop that backs off when out of descriptors.

    Tornado's own accept handler lets EMFILE escape, so the IOLoop logs a traceback on every
    iteration (66,118 of them in 6 s in the audit) and the loop spins.
    """

    def initialize(self, *args: Any, max_connections_per_address: int = 0,  # type: ignore[override]
                   **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)  # HTTPServer is a Configurable: initialize, not __init__
        self.max_per_address = max_connections_per_address
        self.per_address: collections.Counter[str] = collections.Counter()
        self._accept_failures = 0
        self._accept_logged = 0.0

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        """Accept on these listening sockets with `_accept_ready` instead of Tornado's handler."""
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_on(sock)

    def _accept_on(self, sock: socket.socket) -> Callable[[], None]:
        io_loop = tornado.ioloop.IOLoop.current()
        state: dict[str, Any] = {"listening": True, "resume": None, "stopped": False}

        def resume() -> None:
            state["resume"] = None
            if not state["stopped"]:
                io_loop.add_handler(sock, ready, tornado.ioloop.IOLoop.READ)
                state["listening"] = True

        def ready(_fd: Any, _events: int) -> None:
            for _ in range(128):  # as Tornado: bounded, so other work gets a turn
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return
                except ConnectionAbortedError:
                    continue
                except OSError as exc:
                    if exc.errno not in _OUT_OF_RESOURCES:
                        raise
                    self._note_accept_failure(exc)
                    io_loop.remove_handler(sock)
                    state["listening"] = False
                    state["resume"] = io_loop.call_later(ACCEPT_PAUSE, resume)
                    return
                self._handle_connection(connection, address)

        def remove() -> None:
            state["stopped"] = True
            if state["resume"] is not None:
                io_loop.remove_timeout(state["resume"])
            if state["listening"]:
                io_loop.remove_handler(sock)

        io_loop.add_handler(sock, ready, tornado.ioloop.IOLoop.READ)
        return remove

    def _note_accept_failure(self, exc: OSError) -> None:
        self._accept_failures += 1
        now = time.monotonic()
        if now - self._accept_logged >= ACCEPT_LOG_INTERVAL:
            log.warning("cannot accept connections (%s): %d time(s) since the last warning; "
                        "pausing %.1f s each time", exc.strerror, self._accept_failures, ACCEPT_PAUSE)
            self._accept_logged, self._accept_failures = now, 0

    def handle_stream(self, stream: tornado.iostream.IOStream, address: Any) -> None:
        """Serve the connection, unless its address already holds `max_per_address` of them."""
        if self.max_per_address and not self.xheaders and isinstance(address, tuple):
            ip = address[0]
            if self.per_address[ip] >= self.max_per_address:
                stream.close()
                return
            self.per_address[ip] += 1
            close_fd = stream.close_fd

            def release() -> None:  # IOStream.close calls close_fd exactly once
                try:
                    close_fd()
                finally:
                    self.per_address[ip] -= 1
                    if self.per_address[ip] <= 0:
                        del self.per_address[ip]

            stream.close_fd = release  # type: ignore[method-assign]
        super().handle_stream(stream, address)

    def start_request(self, server_conn: object,
                      request_conn: tornado.httputil.HTTPConnection) -> tornado.httputil.HTTPMessageDelegate:
        return _BodyTooLarge(super().start_request(server_conn, request_conn), request_conn)
