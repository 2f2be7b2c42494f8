"""GET /healthz: liveness and a few counts, for load balancers and people."""

from __future__ import annotations

from tornado_app import __version__
from tornado_app.handlers.base import JsonHandler


class HealthHandler(JsonHandler):
    """200 {"status": "ok", ...} while the server serves."""

    async def get(self) -> None:
        self.reply({
            "status": "ok",
            "version": __version__,
            "rooms": await self.parley.store.room_count(),
            "connections": self.parley.hub.connection_count,
        })


routes = [(r"/healthz", HealthHandler)]
