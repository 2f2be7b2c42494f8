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
from desktop.preflight import check_permissions

if TYPE_CHECKING:
    from desktop.app import DesktopApp

log = logging.getLogger("parley.desktop")


def _refused() -> dict:
    return {"ok": False, "error": "this page may not control Parley"}


class Bridge:
    """Calls from JavaScript; each returns `{"ok": bool, ...}` and never raises into the page."""

    def __init__(self, app: DesktopApp) -> None:
        self._app = app

    def state(self) -> dict:
        """Name, recent servers, what the OS denies, and whether screen sharing works here."""
        if not self._app.caller_allowed():
            return _refused()
        from tornado_app import __version__

        prefs = self._app.prefs
        return {"ok": True, "version": __version__, "name": prefs.name, "recent": prefs.recent,
                "problems": [dataclasses.asdict(p) for p in check_permissions()],
                "screenCapture": self._app.backend.can_capture_screen()}

    def host(self, name: str = "") -> dict:
        """Host a meeting on this computer: start the embedded server and open a new room."""
        if not self._app.caller_allowed():
            return _refused()
        try:
            return {"ok": True, "url": self._app.host_meeting(str(name))}
        except Exception as exc:  # noqa: BLE001 - shown to the user on the start page
            log.exception("hosting failed")
            return {"ok": False, "error": str(exc)}

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
