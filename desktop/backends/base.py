"""What every webview backend must do for calls: grant media to the app's own origin, nothing else."""

from __future__ import annotations

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


class TrustedOrigins:
    """The origins the app itself opened (its embedded or chosen server); only they get media."""

    def __init__(self) -> None:
        self._origins: set[str] = set()
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


class MediaBackend(ABC):
    """Per-backend media plumbing, installed around pywebview's own window."""

    #: pywebview's `gui` name for this backend.
    gui: str = ""

    def __init__(self, trusted: TrustedOrigins) -> None:
        self.trusted = trusted

    def prepare(self) -> None:
        """Process-wide fixes that must happen before `webview.start()`."""

    @abstractmethod
    def attach(self, window) -> None:
        """Install permission handlers on `window.native`; called from the `before_show` event."""

    def can_capture_screen(self) -> bool:
        """Whether `getDisplayMedia` works in this webview on this OS."""
        return True
