"""LAN-mode HTTP routes: the join QR code as an image, and the local CA to trust."""

from __future__ import annotations

import re

from tornado_app.handlers.base import ApiError, JsonHandler
from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.protocol import ID_PATTERN

PATH = re.compile(rf"/(r/{ID_PATTERN}/?)?")


class LanHandler(JsonHandler):
    """Base: these routes exist only while the server runs in LAN mode."""

    def prepare(self) -> None:
        self.lan = self.application.settings.get("lan")
        if self.lan is None or self.lan.port is None:
            raise ApiError(ErrorCode.NOT_FOUND, "this server is not in LAN mode")


class QrHandler(LanHandler):
    """GET /lan/qr.png[?path=/r/<roomId>] -> a PNG QR code of the join URL (or the room's)."""

    def get(self) -> None:
        path = self.get_argument("path", "/")
        if not PATH.fullmatch(path):
            raise ApiError(ErrorCode.INVALID_PAYLOAD, "path: must be / or /r/<roomId>")
        base = self.lan.urls[0].rstrip("/")
        self.set_header("Content-Type", "image/png")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.lan.qr_png(base + path))


class CaHandler(LanHandler):
    """GET /lan/ca.crt -> the local CA certificate, for the one trust step on other machines."""

    def get(self) -> None:
        self.set_header("Content-Type", "application/x-x509-ca-cert")
        self.set_header("Content-Disposition", 'attachment; filename="parley-ca.crt"')
        self.finish(self.lan.certificate.ca_cert.read_bytes())


routes = [(r"/lan/qr\.png", QrHandler), (r"/lan/ca\.crt", CaHandler)]
