"""The media backend for this OS: Qt (QtWebEngine) on Linux, WebView2 on Windows, WKWebView on macOS."""

from __future__ import annotations

import sys

from desktop.backends.base import MediaBackend, TrustedOrigins, der_fingerprint, origin_of

__all__ = ["MediaBackend", "TrustedOrigins", "der_fingerprint", "origin_of", "create_backend", "default_gui"]


def default_gui(platform: str = sys.platform) -> str:
    """pywebview's `gui` for a platform: GTK's WebKitGTK has no WebRTC on Debian, so Qt on Linux."""
    if platform.startswith("win"):
        return "edgechromium"
    if platform == "darwin":
        return "cocoa"
    return "qt"


def create_backend(gui: str, trusted: TrustedOrigins) -> MediaBackend:
    """The backend for pywebview's `gui` name; imports only that backend's toolkit."""
    if gui == "qt":
        from desktop.backends.qt import QtMediaBackend

        return QtMediaBackend(trusted)
    if gui == "edgechromium":
        from desktop.backends.edgechromium import EdgeChromiumMediaBackend

        return EdgeChromiumMediaBackend(trusted)
    if gui == "cocoa":
        from desktop.backends.cocoa import CocoaMediaBackend

        return CocoaMediaBackend(trusted)
    raise ValueError(f"no media backend for gui {gui!r} (expected qt, edgechromium or cocoa)")
