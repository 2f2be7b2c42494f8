"""The built React client: index.html for `/` and `/r/<roomId>` (SPA routes), files beside it, and
the page-not-found answer: the client's own page for a browser, `{"code": "notFound"}` for others.

The production build inside the package (`UI_DIR`), or the folder `--ui-dir` names (the tests serve
the test build, react-ui/dist-test, which has `window.__parley`).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import tornado.web

from tornado_app.config import Settings
from tornado_app.handlers.base import ApiError, JsonHandler, NotFoundHandler
from tornado_app.rooms.errors import ErrorCode
from tornado_app.rooms.protocol import ID_PATTERN

UI_DIR = Path(__file__).resolve().parent.parent / "ui"


class IndexHandler(JsonHandler):
    """The single page; the client routes by path. 503 with a hint when the UI is not built."""

    def get(self, *_args: str) -> None:
        page = index_page(self.parley.settings)
        if page is None:
            raise ApiError(ErrorCode.UI_NOT_BUILT, "the web client is not built: run `make install`")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.finish(page)


def _quality(accept: str, media_type: str) -> float:
    """The q-value `accept` gives `media_type`: that of its most specific matching range (RFC 9110 12.5.1)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for item in accept.split(","):
        range_, *params = (part.strip() for part in item.split(";"))
        level = {media_type: 2, f"{kind}/*": 1, "*/*": 0}.get(range_.lower(), -1)
        if level <= specificity:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best, specificity = q, level
    return best


def prefers_html(accept: str | None) -> bool:
    """True when the Accept header ranks HTML above JSON, as a browser's navigation does.

    No header, `*/*` (curl, fetch) or a tie is an API client's: they keep the JSON answer."""
    if not accept:
        return False
    return _quality(accept, "text/html") > _quality(accept, "application/json")


class PageNotFoundHandler(NotFoundHandler):
    """Any path the server does not know: the client's "page not found" page (status 404) for a
    browser that asks for HTML, the JSON 404 `notFound` for everyone else (and when the UI is not built)."""

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Vary", "Accept")  # one path, two answers: a cache must keep them apart

    def prepare(self) -> None:
        if self.request.method in ("GET", "HEAD") and prefers_html(self.request.headers.get("Accept")):
            page = index_page(self.parley.settings)
            if page is not None:
                self.set_status(404)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page if self.request.method == "GET" else None)
                return
        super().prepare()


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


def index_page(settings: Settings) -> bytes | None:
    """The client's index.html as served now (read each time: a rebuilt client shows at once), or None if not built."""
    try:
        return (served_ui_dir(settings) / "index.html").read_bytes()
    except FileNotFoundError:
        return None


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
