"""GET /healthz: liveness and a few counts, for load balancers and people."""

from __future__ import annotations

from tornado_app import __version__
from tornado_app.handlers.base import JsonHandler
from tornado_app.store.base import StoreUnavailable


class HealthHandler(JsonHandler):
    """200 {"status": "ok", ...} while the server serves; 503 while its store is unreachable."""

    async def get(self) -> None:
        try:
            rooms: int | None = await self.parley.store.room_count()
        except StoreUnavailable:
            rooms = None
        self.reply({
            "status": "ok" if rooms is not None else "unavailable",
            "version": __version__,
            "rooms": rooms,
            "connections": self.parley.hub.connection_count,
        }, 200 if rooms is not None else 503)


routes = [(r"/healthz", HealthHandler)]
