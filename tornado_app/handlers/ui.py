"""The built React client: index.html for `/` and `/r/<roomId>` (SPA routes), files beside it."""

from __future__ import annotations

from pathlib import Path

import tornado.web

from tornado_app.handlers.base import ApiError, JsonHandler
from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.protocol import ID_PATTERN

UI_DIR = Path(__file__).resolve().parent.parent / "ui"


class IndexHandler(JsonHandler):
    """The single page; the client routes by path. 503 with a hint when the UI is not built."""

    def get(self, *_args: str) -> None:
        try:
            page = (UI_DIR / "index.html").read_bytes()
        except FileNotFoundError:
            raise ApiError(ErrorCode.UI_NOT_BUILT, "the web client is not built: run `make install`") from None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(page)


class AssetHandler(tornado.web.StaticFileHandler):
    """Hashed build assets: cacheable for a long time."""

    def set_extra_headers(self, path: str) -> None:
        if self.request.path.startswith("/assets/"):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


routes = [
    (r"/", IndexHandler),
    (rf"/r/{ID_PATTERN}/?", IndexHandler),
    (r"/(assets/.+)", AssetHandler, {"path": str(UI_DIR)}),
    (r"/([A-Za-z0-9_.-]+\.(?:svg|ico|png|txt|webmanifest))", AssetHandler, {"path": str(UI_DIR)}),
]
