"""The built React client: index.html for `/` and `/r/<roomId>` (SPA routes), files beside it.

The production build inside the package (`UI_DIR`), or the folder `--ui-dir` names (the tests serve
the test build, react-ui/dist-test, which has `window.__parley`).
"""

from __future__ import annotations

import gzip
import os
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


# The client's script is about 280 kB, 88 kB gzipped: a first visit over a real network waits for it
# before it shows anything. Hashed assets never change, so each is compressed once, kept in memory.
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".txt", ".webmanifest")
_gzipped: dict[tuple[str, int], bytes] = {}
_GZIP_CACHE_ENTRIES = 64  # a handful of files per build; a rebuild under a running server adds some


def gzipped(path: str) -> bytes:
    """The gzip-compressed content of the file at `path`, compressed once per file version."""
    key = (path, os.stat(path).st_mtime_ns)
    body = _gzipped.get(key)
    if body is None:
        if len(_gzipped) >= _GZIP_CACHE_ENTRIES:
            _gzipped.clear()
        with open(path, "rb") as file:
            body = _gzipped[key] = gzip.compress(file.read(), compresslevel=9, mtime=0)
    return body


class AssetHandler(tornado.web.StaticFileHandler):
    """Hashed build assets: cacheable for a long time, gzip-compressed for browsers that accept it."""

    def set_extra_headers(self, path: str) -> None:
        if self.request.path.startswith("/assets/"):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        self.set_header("Vary", "Accept-Encoding")

    def _gzip_wanted(self, path: str) -> bool:
        accepted = self.request.headers.get("Accept-Encoding", "")
        wanted = any(part.split(";")[0].strip() == "gzip" for part in accepted.split(","))
        # A Range request is about the file's own bytes: StaticFileHandler answers it as before.
        return wanted and path.endswith(COMPRESSIBLE) and "Range" not in self.request.headers

    async def get(self, path: str, include_body: bool = True) -> None:
        """The file, gzip-compressed when the browser accepts it (and no byte range is asked)."""
        if not self._gzip_wanted(path):
            await super().get(path, include_body)
            return
        self.path = self.parse_url_path(path)
        absolute = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
        if absolute is None:
            return
        self.absolute_path = absolute
        body = gzipped(absolute)
        self.set_header("Content-Type", self.get_content_type())
        self.set_header("Content-Encoding", "gzip")
        self.set_extra_headers(self.path)
        if include_body:
            self.finish(body)
        else:
            self.set_header("Content-Length", len(body))
            self.finish()


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
