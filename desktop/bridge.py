"""`window.pywebview.api`: what the start page (and, later, the React client) may ask the app to do.

pywebview exposes this object to every page the window shows, so each call first checks that the
page asking is the start page or a server the user chose.
"""

from __future__ import annotations

import dataclasses
import logging
import webbrowser
from typing import TYPE_CHECKING

from desktop.backends import origin_of
from desktop.lan import servers_on_network
from desktop.preflight import check_permissions

if TYPE_CHECKING:
    from desktop.app import DesktopApp

log = logging.getLogger("parley.desktop")

DISCOVERY_SECONDS = 2.0


def _refused() -> dict:
    return {"ok": False, "error": "this page may not control Parley"}


class Bridge:
    """Calls from JavaScript; each returns `{"ok": bool, ...}` and never raises into the page."""

    def __init__(self, app: DesktopApp) -> None:
        self._app = app
        self._found: dict[str, str] = {}  # origin -> fingerprint, from the last `discover`

    def state(self) -> dict:
        """Name, recent servers, what the OS denies, and whether screen sharing works here."""
        if not self._app.caller_allowed():
            return _refused()
        from tornado_app import __version__

        prefs = self._app.prefs
        return {"ok": True, "version": __version__, "name": prefs.name, "recent": prefs.recent,
                "problems": [dataclasses.asdict(p) for p in check_permissions()],
                "screenCapture": self._app.backend.can_capture_screen(),
                "hostingOnNetwork": self._app.lan is not None}

    def host(self, name: str = "", lan: bool = False) -> dict:
        """Host a meeting: start the embedded server (on the network with `lan`), open a new room."""
        if not self._app.caller_allowed():
            return _refused()
        try:
            return {"ok": True, "url": self._app.host_meeting(str(name), lan=bool(lan))}
        except Exception as exc:  # noqa: BLE001 - shown to the user on the start page
            log.exception("hosting failed")
            return {"ok": False, "error": str(exc)}

    def host_lan(self, name: str = "") -> dict:
        """Host a meeting on this network (LAN mode): people join from their browsers."""
        return self.host(name, lan=True)

    def discover(self) -> dict:
        """The Parley servers on this network (mDNS, about 2 s; pywebview runs this off the UI thread).

        Each advertises its certificate's fingerprint; `connect` to one of them later accepts
        exactly that certificate, since its local CA is unknown to the webview.
        """
        if not self._app.caller_allowed():
            return _refused()
        try:
            servers = servers_on_network(DISCOVERY_SECONDS, self._app.lan)
        except OSError as exc:
            log.warning("cannot look for servers on the network: %s", exc)
            return {"ok": False, "error": f"cannot look for meetings on this network: {exc}"}
        for server in servers:
            if server["fingerprint"] and origin_of(server["url"]):
                self._found[origin_of(server["url"])] = server["fingerprint"]
        return {"ok": True, "servers": servers}

    def join(self, link: str, name: str = "") -> dict:
        """Open a meeting link (`https://server/r/<room>`)."""
        if not self._app.caller_allowed():
            return _refused()
        link = str(link).strip()
        if origin_of(link) is None or "/r/" not in link:
            return {"ok": False, "error": "paste the whole meeting link, like https://server/r/abc123"}
        return {"ok": True, "url": self._app.open_meeting(link, str(name))}

    def connect(self, url: str, name: str = "") -> dict:
        """Open a hosted Parley server's landing page."""
        if not self._app.caller_allowed():
            return _refused()
        url = str(url).strip()
        if "://" not in url:
            url = "https://" + url
        if origin_of(url) is None:
            return {"ok": False, "error": "a server address looks like https://meet.example.org"}
        if origin_of(url) in self._found:
            try:
                self._app.trusted.pin(url, self._found[origin_of(url)])
            except ValueError:
                log.warning("%s advertised an unusable fingerprint; not pinned", url)
        return {"ok": True, "url": self._app.open_meeting(url.rstrip("/") + "/", str(name))}

    def open_in_browser(self) -> dict:
        """Open the current meeting in the system browser (where screen sharing works)."""
        if not self._app.caller_allowed():
            return _refused()
        url = self._app.window.get_current_url() if self._app.window else None
        if not url or not self._app.trusted.allows(url):
            return {"ok": False, "error": "no meeting is open"}
        webbrowser.open(url)
        return {"ok": True, "url": url}

    def start_screen(self) -> dict:
        """Go back to the start page."""
        if not self._app.caller_allowed():
            return _refused()
        self._app.show_start_page()
        return {"ok": True}
