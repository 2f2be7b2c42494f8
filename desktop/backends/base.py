"""What every webview backend must do for calls: grant media to the app's own origin, nothing else."""

from __future__ import annotations

import hashlib
import re
import threading
from abc import ABC, abstractmethod
from urllib.parse import urlsplit

# Ports a scheme uses when a URL names none, so "http://h" and "http://h:80" are one origin.
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host:port` of an http(s) URL, lower-cased; None for anything else (file:, data:, ...)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port or _DEFAULT_PORTS[scheme]}"


def der_fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as `AA:BB:...`, the form LAN mode prints and advertises."""
    return hashlib.sha256(der).digest().hex(":").upper()


def _normal_fingerprint(fingerprint: str) -> str:
    return re.sub(r"[^0-9A-F]", "", fingerprint.upper())


class TrustedOrigins:
    """The origins the app itself opened (its embedded or chosen server); only they get media.

    A LAN-mode server's certificate is signed by its own local CA, which the webview does not
    know; `pin` names the one certificate (by fingerprint) the app accepts for such an origin.
    """

    def __init__(self) -> None:
        self._origins: set[str] = set()
        self._pins: dict[str, str] = {}
        self._lock = threading.Lock()

    def trust(self, url: str) -> None:
        """Trust the origin of a URL the app opened on the user's behalf."""
        origin = origin_of(url)
        if origin is None:
            raise ValueError(f"not an http(s) URL: {url!r}")
        with self._lock:
            self._origins.add(origin)

    def allows(self, url: str) -> bool:
        """Whether a page at this URL (or origin) may use the camera, microphone and screen."""
        origin = origin_of(url)
        with self._lock:
            return origin is not None and origin in self._origins

    def pin(self, url: str, fingerprint: str) -> None:
        """Accept, for this https origin only, the certificate whose SHA-256 is `fingerprint`."""
        origin = origin_of(url)
        if origin is None or not origin.startswith("https://"):
            raise ValueError(f"not an https URL: {url!r}")
        digest = _normal_fingerprint(fingerprint)
        if len(digest) != 64:
            raise ValueError(f"not a SHA-256 fingerprint: {fingerprint!r}")
        with self._lock:
            self._pins[origin] = digest

    def certificate_pinned(self, url: str, fingerprint: str) -> bool:
        """Whether the certificate with this fingerprint is the one pinned for the URL's origin."""
        origin = origin_of(url)
        with self._lock:
            pinned = self._pins.get(origin) if origin else None
        return pinned is not None and pinned == _normal_fingerprint(fingerprint)


def navigation_decision(url: str, by_app: bool, trusted: TrustedOrigins) -> str:
    """Where a main-frame navigation goes: "load" in the window, "external" (the system browser)
    or "block".

    The window shows only what the user chose (issue 11): the app's own loads (`by_app`), and
    pages of origins the app trusts. A page's link or script going elsewhere opens the system
    browser for http(s), and nothing at all for blob:, data:, file: or javascript: URLs.
    """
    if by_app or trusted.allows(url):
        return "load"
    return "external" if origin_of(url) is not None else "block"


class MediaBackend(ABC):
    """Per-backend media plumbing, installed around pywebview's own window."""

    #: pywebview's `gui` name for this backend.
    gui: str = ""

    def __init__(self, trusted: TrustedOrigins) -> None:
        self.trusted = trusted

    def prepare(self) -> None:
        """Process-wide fixes that must happen before `webview.start()`."""

    def page_url(self, window) -> str | None:
        """The URL of the page the window shows, unabridged (`data:` included)."""
        return window.get_current_url()

    @abstractmethod
    def attach(self, window) -> None:
        """Install permission handlers on `window.native`; called from the `before_show` event."""

    def show_invite(self, invite) -> None:
        """Show a LAN meeting's join links, QR code and fingerprint (a `desktop.lan.Invite`)
        beside the meeting; callable from any thread. Backends without a panel log them."""
        import logging

        logging.getLogger("parley.desktop").info(
            "join from a browser on this network: %s (certificate SHA-256 %s)",
            " ".join(invite.urls), invite.fingerprint)

    def can_capture_screen(self) -> bool:
        """Whether `getDisplayMedia` works in this webview on this OS."""
        return True
