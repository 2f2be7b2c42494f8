"""A running Parley server: bind, serve, and shut down gracefully. Used by the CLI and the desktop app.

Plain HTTP on `--host` by default; HTTPS with `--certfile`; in LAN mode (`--lan`) HTTPS with a
generated certificate on every LAN address, announced over mDNS (see `tornado_app.lan`).
"""

from __future__ import annotations

import logging
import socket

import tornado.httpserver

from tornado_app.app import make_app
from tornado_app.config import Settings
from tornado_app.context import Parley
from tornado_app.lan import LanSetup, prepare_lan
from tornado_app.limits import LimitedHTTPServer, http_server_options
from tornado_app.metrics import start_metrics_server
from tornado_app.netbind import bind_sockets
from tornado_app.tls import server_ssl_context

log = logging.getLogger("parley")


def bind_all(port: int, hosts: tuple[str, ...]) -> list[socket.socket]:
    """Listening sockets on every host, all on one port (the first host's pick when port is 0)."""
    sockets: list[socket.socket] = []
    try:
        for host in hosts:
            sockets += bind_sockets(port, host)
            port = sockets[0].getsockname()[1]
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class ParleyServer:
    """One server on one port; `start` binds it, `stop` tells clients and closes everything."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = make_app(settings)
        self.parley: Parley = self.app.settings["parley"]
        self.port: int | None = None
        self.lan: LanSetup | None = None
        self._http: tornado.httpserver.HTTPServer | None = None
        self._metrics_http: tornado.httpserver.HTTPServer | None = None
        self.metrics_port: int | None = None

    async def start(self) -> int:
        """Bind and serve; returns the port (useful with port 0).

        Raises OSError if the port is taken, `tornado_app.lan.LanError` if LAN mode finds no
        network, and ValueError for an unusable certificate. A start that fails undoes itself:
        no socket, mDNS announcement, background task or open store is left behind.
        """
        try:
            return await self._start()
        except BaseException:
            await self._undo_start()
            raise

    async def _undo_start(self) -> None:
        """Close whatever a failed `start` had opened, in reverse order."""
        if self._http is not None:  # bound (e.g. the metrics port or mDNS failed after)
            await self.stop()
            return
        if self.lan is not None:
            await self.lan.close()
        await self.parley.stop()
        await self.parley.store.close()

    async def _start(self) -> int:
        settings = self.settings
        await self.parley.start()  # with Redis: subscribe and announce presence before serving
        hosts, ssl_context = (settings.host,), None
        if settings.lan:
            self.lan = prepare_lan(settings)
            hosts = self.lan.bind_addresses
            ssl_context = server_ssl_context(self.lan.certificate.cert, self.lan.certificate.key)
        elif settings.certfile is not None:
            ssl_context = server_ssl_context(settings.certfile, settings.keyfile)
        sockets = bind_all(settings.port, hosts)
        self._http = LimitedHTTPServer(self.app, ssl_options=ssl_context,
                                       **http_server_options(settings))
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        metrics = start_metrics_server(self.parley, settings)
        if metrics is not None:
            self._metrics_http, self.metrics_port = metrics
        if self.lan is not None:
            await self.lan.advertise(self.port)
            self.app.settings["lan"] = self.lan
        return self.port

    @property
    def urls(self) -> list[str]:
        """Where people open the web client: the public URL, the LAN URLs, or host and port."""
        if self.settings.public_url:
            return [self.settings.public_url + "/"]
        if self.lan is not None:
            return self.lan.urls
        host = self.settings.host
        host = f"[{host}]" if ":" in host else host
        scheme = "https" if self.settings.certfile else "http"
        return [f"{scheme}://{host}:{self.port}/"]

    @property
    def url(self) -> str:
        """Where people open the web client (the first of `urls`)."""
        return self.urls[0]

    async def stop(self) -> None:
        """Stop accepting, close every WebSocket with 1001, close HTTP connections and the store."""
        if self._http is None:
            return
        http, self._http = self._http, None
        http.stop()
        if self._metrics_http is not None:
            self._metrics_http.stop()
        if self.lan is not None:
            await self.lan.close()
        await self.parley.hub.shutdown()
        if self.parley.meetings.sfu is not None:
            await self.parley.meetings.sfu.close()
        await http.close_all_connections()
        await self.parley.stop()
        await self.parley.store.close()
