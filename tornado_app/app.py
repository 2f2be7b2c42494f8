"""make_app(settings) -> the Tornado application with every route, its store and its hub."""

from __future__ import annotations

import tornado.web

from tornado_app import metrics
from tornado_app.bus import Bus, LocalBus
from tornado_app.cluster import Presence, RedisBus
from tornado_app.config import Settings
from tornado_app.context import Parley
from tornado_app.handlers import health, rooms, ui
from tornado_app.handlers.base import NotFoundHandler
from tornado_app.handlers.signaling import SignalingHandler
from tornado_app.hub import Hub
from tornado_app.lan import handlers as lan
from tornado_app.logs import log_request
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms.protocol import MAX_MESSAGE_BYTES
from tornado_app.rooms.service import RoomService
from tornado_app.store import create_store
from tornado_app.store.base import RoomStore
from tornado_app.store.redis import RedisRoomStore
from tornado_app.turn import ice_servers_from_settings
from tornado_app.web_policy import PolicyApplication


def make_parley(settings: Settings, store: RoomStore | None = None) -> Parley:
    """The server's parts, wired together."""
    store = store if store is not None else create_store(settings)
    service = RoomService(store, max_room_size=settings.max_room_size,
                          ice_servers_for=ice_servers_from_settings(settings))
    rate = settings.create_room_rate
    hub = Hub()
    bus: Bus = LocalBus(hub)
    background: tuple = ()
    if isinstance(store, RedisRoomStore):
        bus = RedisBus(store, hub)
        background = (bus, Presence(store, service, bus))
    return Parley(settings, store, service, hub, bus, KeyedLimiter(rate / 60.0, max(rate, 1)),
                  background=background)


def make_app(settings: Settings, store: RoomStore | None = None) -> tornado.web.Application:
    """The application: REST API, signaling WebSocket, health check and the built web client."""
    parley = make_parley(settings, store)
    with_parley = {"parley": parley}
    routes: list[tuple] = [(r"/ws", SignalingHandler, with_parley)]
    routes += [(pattern, handler, with_parley)
               for pattern, handler in rooms.routes + health.routes + lan.routes]
    routes += metrics.routes(parley, settings)
    routes += [(route[0], route[1], route[2] if len(route) > 2 else with_parley)
               for route in ui.routes(settings)]
    return PolicyApplication(
        routes,
        settings,
        parley=parley,
        default_handler_class=NotFoundHandler,
        log_function=log_request,  # the default logs the URL, and room ids in it
        default_handler_args=with_parley,
        websocket_max_message_size=MAX_MESSAGE_BYTES,
        websocket_ping_interval=settings.ping_interval,
        websocket_ping_timeout=settings.ping_interval,
    )
