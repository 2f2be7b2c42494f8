"""The built React client: index.html for `/` and `/r/<roomId>` (SPA routes), files beside it.

The production build inside the package (`UI_DIR`), or the folder `--ui-dir` names (the tests serve
the test build, react-ui/dist-test, which has `window.__parley`).
"""

from __future__ import annotations

from pathlib import Path

import tornado.web

from tornado_app.config import Settings
from tornado_app.handlers.base import ApiError, JsonHandler
from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.protocol import ID_PATTERN

UI_DIR = Path(__file__).resolve().parent.parent / "ui"


class IndexHandler(JsonHandler):
    """The single page; the client routes by path. 503 with a hint when the UI is not built."""

    def get(self, *_args: str) -> None:
        try:
            page = (served_ui_dir(self.parley.settings) / "index.html").read_bytes()
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


def served_ui_dir(settings: Settings) -> Path:
    """The folder of the web client the server serves."""
    return settings.ui_dir or UI_DIR


def routes(settings: Settings) -> list[tuple]:
    """The page and asset routes for the web client `settings` serve."""
    folder = {"path": str(served_ui_dir(settings))}
    return [
        (r"/", IndexHandler),
        (rf"/r/{ID_PATTERN}/?", IndexHandler),
        (r"/(assets/.+)", AssetHandler, folder),
        (r"/([A-Za-z0-9_.-]+\.(?:svg|ico|png|txt|webmanifest))", AssetHandler, folder),
    ]
