"""make_app(settings) -> the Tornado application with every route, its store and its hub."""

from __future__ import annotations

import tornado.web

from tornado_app import metrics
from tornado_app.backend import create_backend
from tornado_app.cluster.presence import Presence
from tornado_app.config import Settings
from tornado_app.context import Parley
from tornado_app.handlers import health, rooms, ui
from tornado_app.handlers.signaling import SignalingHandler
from tornado_app.hub import Hub
from tornado_app.lan import handlers as lan
from tornado_app.logs import log_request
from tornado_app.meeting import MeetingManager
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms.protocol import max_message_bytes
from tornado_app.rooms.service import RoomService
from tornado_app.sfu import SfuGateway
from tornado_app.turn import ice_servers_from_settings
from tornado_app.web_policy import PolicyApplication


def make_parley(settings: Settings) -> Parley:
    """The server's parts, wired together."""
    hub = Hub()
    backend = create_backend(settings, hub)
    service = RoomService(backend.store, max_room_size=settings.max_room_size,
                          ice_servers_for=ice_servers_from_settings(settings))
    counted = metrics.Metrics()
    sfu = (SfuGateway(settings.janus_urls, settings.janus_admin_key, settings.max_room_size, backend.store, hub,
                      backend.bus)
           if settings.janus_urls else None)
    meetings = MeetingManager(backend.store, service, backend.bus, hub, counted.counters,
                              sfu=sfu, mesh_max=settings.mesh_max)
    background: tuple = (backend.bus,)
    if backend.presence is not None:  # processes sharing a store reap each other's users
        background += (Presence(backend.presence, meetings.leave, meetings.leave_lobby_now),)
    rate = settings.create_room_rate
    return Parley(settings, backend.store, meetings, hub,
                  KeyedLimiter(rate / 60.0, max(rate, 1)), counted, background)


def make_app(settings: Settings) -> tornado.web.Application:
    """The application: REST API, signaling WebSocket, health check and the built web client."""
    parley = make_parley(settings)
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
        default_handler_class=ui.PageNotFoundHandler,
        log_function=log_request,  # the default logs the URL, and room ids in it
        default_handler_args=with_parley,
        websocket_max_message_size=max_message_bytes(bool(settings.janus_urls)),
        websocket_ping_interval=settings.ping_interval,
        websocket_ping_timeout=settings.ping_interval,
    )
