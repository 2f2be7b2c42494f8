"""A running Parley server: bind, serve, and shut down gracefully. Used by the CLI and the desktop app."""

from __future__ import annotations

import logging

import tornado.httpserver
import tornado.netutil

from tornado_app.app import make_app
from tornado_app.config import Settings
from tornado_app.context import Parley

log = logging.getLogger("parley")


class ParleyServer:
    """One server on one port; `start` binds it, `stop` tells clients and closes everything."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = make_app(settings)
        self.parley: Parley = self.app.settings["parley"]
        self.port: int | None = None
        self._http: tornado.httpserver.HTTPServer | None = None

    async def start(self) -> int:
        """Bind and serve; returns the port (useful with port 0). Raises OSError if it is taken."""
        sockets = tornado.netutil.bind_sockets(self.settings.port, self.settings.host)
        self._http = tornado.httpserver.HTTPServer(self.app)
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    @property
    def url(self) -> str:
        """Where people open the web client."""
        host = self.settings.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/"

    async def stop(self) -> None:
        """Stop accepting, close every WebSocket with 1001, close HTTP connections and the store."""
        if self._http is None:
            return
        http, self._http = self._http, None
        http.stop()
        await self.parley.hub.shutdown()
        await http.close_all_connections()
        await self.parley.store.close()
