"""`window.pywebview.api`: what the app's own start page may ask the app to do.

pywebview exposes this object to every page the window shows, so every call first checks that the
page asking is the app's start page (`BridgeHost.caller_allowed`, docs/protocol.md "Desktop
bridge"): meeting pages, remote servers and blob:/data:/file:/about: pages are refused.

The bridge knows the app only as a `BridgeHost`, the few things it asks of it; `desktop.app`
implements that and imports this module, never the other way round.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import logging
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit

from desktop.backends import MediaBackend, TrustedOrigins, origin_of
from desktop.downloads import MAX_RECORDING_BYTES, Downloads, SaveError, downloads_folder, videos_folder
from desktop.embedded import HostError
from desktop.lan import LanDetails, servers_on_network
from desktop.preflight import check_permissions
from desktop.prefs import LANGUAGE, Prefs

log = logging.getLogger("parley.desktop")

DISCOVERY_SECONDS = 2.0
MAX_PASSWORD = 128  # the server's limit for a meeting password (docs/protocol.md)


class BridgeHost(Protocol):
    """What the bridge needs from the app (`desktop.app.DesktopApp` implements it)."""

    prefs: Prefs
    backend: MediaBackend
    trusted: TrustedOrigins
    lan: LanDetails | None  # set while the app hosts on the network

    def caller_allowed(self) -> bool:
        """Whether the page showing now is the app's own start page."""

    def meeting_caller_allowed(self) -> bool:
        """Whether the page showing now is a meeting page on an origin the app opened."""

    def host_meeting(self, name: str, lan: bool = False, password: str = "",
                     lobby: bool = False) -> str:
        """Start the embedded server, create a room (with a password, a lobby) and open it; its URL."""

    def open_meeting(self, url: str, name: str = "") -> str:
        """Trust and open a meeting or server URL; the URL opened."""

    def remember_language(self, language: str) -> None:
        """Keep the language chosen in the window for next time ("": the system's)."""


def start_page_only(method: Callable[..., dict]) -> Callable[..., dict]:
    """A bridge call answered only when the app's own start page asks (see module docstring)."""
    @functools.wraps(method)
    def guarded(self: Bridge, *args, **kwargs) -> dict:
        if not self._app.caller_allowed():
            log.warning("refused %s() to a page that is not the start page", method.__name__)
            return {"ok": False, "error": "this page may not control Parley"}
        return method(self, *args, **kwargs)

    return guarded


def meeting_page_only(method: Callable[..., dict]) -> Callable[..., dict]:
    """A bridge call answered only to a meeting page of an origin the app itself opened (saving a
    received file): other sites, blob:/data:/file:/about: pages and the start page get nothing."""
    @functools.wraps(method)
    def guarded(self: Bridge, *args, **kwargs) -> dict:
        if not self._app.meeting_caller_allowed():
            log.warning("refused %s() to a page that is not a meeting page", method.__name__)
            return {"ok": False, "error": "this page may not save files"}
        try:
            return method(self, *args, **kwargs)
        except SaveError as exc:
            return {"ok": False, "error": str(exc)}
        except OSError as exc:  # disk full, no permission: said to the user, never raised
            log.warning("saving a file failed: %s", exc)
            return {"ok": False, "error": exc.strerror or str(exc)}

    return guarded


def _is_ip_origin(url: str) -> bool:
    """Whether the URL's host is an IP address: only those get an advertised certificate pinned
    (a name could be anyone's, e.g. `https://meet.example.org`)."""
    try:
        ipaddress.ip_address(urlsplit(url).hostname or "")
    except ValueError:
        return False
    return True


class Bridge:
    """Calls from JavaScript; each returns `{"ok": bool, ...}` and never raises into the page."""

    def __init__(self, app: BridgeHost) -> None:
        self._app = app
        self._found: dict[str, str] = {}  # origin -> fingerprint, from the last `discover`
        self._downloads: Downloads | None = None  # made at the first save (HOME read then)
        self._recordings: Downloads | None = None  # the same, in Videos, at the first recording

    @start_page_only
    def state(self) -> dict:
        """Name, recent servers, what the OS denies, and whether screen sharing works here."""
        from tornado_app import __version__

        prefs = self._app.prefs
        return {"ok": True, "version": __version__, "name": prefs.name, "recent": prefs.recent,
                "problems": [dataclasses.asdict(p) for p in check_permissions()],
                "screenCapture": self._app.backend.can_capture_screen(),
                "hostingOnNetwork": self._app.lan is not None, "language": prefs.language}

    @start_page_only
    def set_language(self, language: str = "") -> dict:
        """Remember the language chosen in the window (a two-letter code; "" follows the system):
        each start of the app has its server on a new port, where the page's own storage is empty."""
        language = str(language)
        if language and not LANGUAGE.fullmatch(language):
            return {"ok": False, "error": "a language is a two-letter code, like de"}
        self._app.remember_language(language)
        return {"ok": True}

    @start_page_only
    def host(self, name: str = "", lan: bool = False, password: str = "", lobby: bool = False) -> dict:
        """Host a meeting: start the embedded server (on the network with `lan`), open a new room,
        which asks for `password` when one is given and holds newcomers in a lobby with `lobby`."""
        password = "" if password is None else str(password)
        if len(password) > MAX_PASSWORD:
            return {"ok": False, "code": "badPassword",
                    "error": f"a meeting password has at most {MAX_PASSWORD} characters"}
        try:
            return {"ok": True, "url": self._app.host_meeting(str(name), lan=bool(lan),
                                                              password=password, lobby=bool(lobby))}
        except HostError as exc:  # foreseen (no network, port taken): one line, no traceback
            log.warning("cannot host: %s", exc)
            return {"ok": False, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - shown to the user on the start page
            log.exception("hosting failed")
            return {"ok": False, "error": str(exc)}

    @start_page_only
    def host_lan(self, name: str = "", password: str = "", lobby: bool = False) -> dict:
        """Host a meeting on this network (LAN mode): people join from their browsers."""
        return self.host(name, lan=True, password=password, lobby=lobby)

    @start_page_only
    def discover(self) -> dict:
        """The Parley servers on this network (mDNS, about 2 s; pywebview runs this off the UI thread).

        Each advertises its certificate's fingerprint; `connect` to one of them later accepts
        exactly that certificate, since its local CA is unknown to the webview.
        """
        try:
            servers = servers_on_network(DISCOVERY_SECONDS, self._app.lan)
        except OSError as exc:
            log.warning("cannot look for servers on the network: %s", exc)
            return {"ok": False, "code": "discoveryFailed", "detail": str(exc),
                    "error": f"cannot look for meetings on this network: {exc}"}
        for server in servers:
            if server["fingerprint"] and origin_of(server["url"]) and _is_ip_origin(server["url"]):
                self._found[origin_of(server["url"])] = server["fingerprint"]
        return {"ok": True, "servers": servers}

    @start_page_only
    def join(self, link: str, name: str = "") -> dict:
        """Open a meeting link (`https://server/r/<room>`)."""
        link = str(link).strip()
        if origin_of(link) is None or "/r/" not in link:
            return {"ok": False, "code": "badLink",
                    "error": "paste the whole meeting link, like https://server/r/abc123"}
        return {"ok": True, "url": self._app.open_meeting(link, str(name))}

    @start_page_only
    def connect(self, url: str, name: str = "") -> dict:
        """Open a hosted Parley server's landing page."""
        url = str(url).strip()
        if "://" not in url:
            url = "https://" + url
        if origin_of(url) is None:
            return {"ok": False, "code": "badAddress",
                    "error": "a server address looks like https://meet.example.org"}
        if origin_of(url) in self._found:
            try:
                self._app.trusted.pin(url, self._found[origin_of(url)])
            except ValueError:
                log.warning("%s advertised an unusable fingerprint; not pinned", url)
        return {"ok": True, "url": self._app.open_meeting(url.rstrip("/") + "/", str(name))}

    # -- saving received files (meeting pages; desktop/downloads.py) ----------------------------

    @meeting_page_only
    def save_begin(self, name: str = "") -> dict:
        """Start saving a received file into Downloads; a token and the file name it got."""
        if self._downloads is None:
            self._downloads = Downloads(downloads_folder())
        token, path = self._downloads.begin(str(name))
        return {"ok": True, "token": token, "name": path.name}

    @meeting_page_only
    def save_write(self, token: str = "", data: str = "") -> dict:
        """Append one base64 piece of the file."""
        if self._downloads is None:
            raise SaveError("no such save")
        return {"ok": True, "written": self._downloads.write(str(token), str(data))}

    @meeting_page_only
    def save_finish(self, token: str = "") -> dict:
        """The file is whole: close it; its name in Downloads."""
        if self._downloads is None:
            raise SaveError("no such save")
        path = self._downloads.finish(str(token))
        log.info("saved a received file as %s", path)
        return {"ok": True, "name": path.name}

    @meeting_page_only
    def save_abort(self, token: str = "") -> dict:
        """Give up a save; its partial file is removed."""
        if self._downloads is not None:
            self._downloads.abort(str(token))
        return {"ok": True}

    # -- writing a meeting recording as it is made (meeting pages; issue 15) --------------------

    @meeting_page_only
    def record_begin(self, name: str = "") -> dict:
        """Start a recording's file in the user's Videos folder; a token and the file name it got."""
        if self._recordings is None:
            self._recordings = Downloads(videos_folder(), max_file_bytes=MAX_RECORDING_BYTES)
        token, path = self._recordings.begin(str(name))
        return {"ok": True, "token": token, "name": path.name}

    @meeting_page_only
    def record_write(self, token: str = "", data: str = "") -> dict:
        """Append one base64 piece of the recording (each chunk as the page's recorder gives it)."""
        if self._recordings is None:
            raise SaveError("no such save")
        return {"ok": True, "written": self._recordings.write(str(token), str(data))}

    @meeting_page_only
    def record_finish(self, token: str = "") -> dict:
        """The recording stopped: close its file; its name and full path, for the page to say where it is."""
        if self._recordings is None:
            raise SaveError("no such save")
        path = self._recordings.finish(str(token))
        log.info("saved a recording as %s", path)
        return {"ok": True, "name": path.name, "path": str(path)}

    @meeting_page_only
    def record_abort(self, token: str = "") -> dict:
        """Give a recording up; its partial file is removed."""
        if self._recordings is not None:
            self._recordings.abort(str(token))
        return {"ok": True}
