"""Listening sockets that are closed again when binding fails (a port taken, an address gone)."""

from __future__ import annotations

import socket
import traceback

import tornado.netutil


def bind_sockets(port: int, host: str | None) -> list[socket.socket]:
    """`tornado.netutil.bind_sockets(port, host)`, leaving no socket open when it raises."""
    try:
        return tornado.netutil.bind_sockets(port, host)
    except OSError as exc:
        # Tornado 6.6's bind_sockets raises straight from `sock.bind()` without closing `sock`,
        # nor the sockets it already bound for other addresses of `host`: they stay open for as
        # long as the exception lives (the port busy, a ResourceWarning at the end). Close them.
        for frame, _line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code is tornado.netutil.bind_sockets.__code__:
                local = frame.f_locals
                for sock in [local.get("sock"), *local.get("sockets", ())]:
                    if isinstance(sock, socket.socket):
                        sock.close()
        raise
