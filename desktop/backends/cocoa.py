"""WKWebView (macOS): camera and microphone for the app's own origin, and honesty about the screen.

macOS asks the user once per app (Info.plist `NSCameraUsageDescription` /
`NSMicrophoneUsageDescription`); WKWebView then asks its UI delegate per origin
(`webView:requestMediaCapturePermissionForOrigin:initiatedByFrame:type:decisionHandler:`, macOS 12+).
We grant for the trusted origins and deny the rest. `getDisplayMedia` in WKWebView works only on
recent macOS and has regressed before, so below `SCREEN_CAPTURE_SINCE` the app replaces it with a
message that offers the system browser (see `resources.no_screen_capture_shim`).
"""

from __future__ import annotations

import logging
import platform

from desktop.backends.base import MediaBackend

log = logging.getLogger("parley.desktop")

# WKWebView's getDisplayMedia shipped with Safari 17 / macOS 14 Sonoma for embedders.
SCREEN_CAPTURE_SINCE = (14, 0)


def macos_version(release: str | None = None) -> tuple[int, ...]:
    """(major, minor) of this macOS, or (0,) when unknown."""
    release = release if release is not None else platform.mac_ver()[0]
    try:
        return tuple(int(part) for part in release.split(".")[:2])
    except ValueError:
        return (0,)


def _origin_url(origin) -> str:
    """A WKSecurityOrigin as a URL string for `TrustedOrigins`."""
    port = origin.port()
    return f"{origin.protocol()}://{origin.host()}" + (f":{port}" if port else "") + "/"


class CocoaMediaBackend(MediaBackend):
    """Media permissions for pywebview's Cocoa (WKWebView) backend."""

    gui = "cocoa"

    def attach(self, window) -> None:
        """Put a UI delegate that answers media capture requests in front of pywebview's."""
        native = window.native
        delegate = _delegate_class().alloc().init()
        delegate.parley_trusted = self.trusted
        native._parley_ui_delegate = delegate  # WebKit holds delegates weakly: keep it alive
        native.webview.setUIDelegate_(delegate)

    def can_capture_screen(self) -> bool:
        """False before macOS 14, where WKWebView has no usable getDisplayMedia."""
        return macos_version() >= SCREEN_CAPTURE_SINCE


_DELEGATE_CLASS = None


def _delegate_class():
    """pywebview's UI delegate plus the media-capture decision (an Objective-C class is made once)."""
    global _DELEGATE_CLASS
    if _DELEGATE_CLASS is None:
        from webview.platforms.cocoa import BrowserView

        class ParleyUIDelegate(BrowserView.BrowserDelegate):
            def webView_requestMediaCapturePermissionForOrigin_initiatedByFrame_type_decisionHandler_(
                self, webview, origin, frame, capture_type, decision_handler
            ):
                url = _origin_url(origin)
                allowed = self.parley_trusted.allows(url)
                log.log(logging.INFO if allowed else logging.WARNING, "%s media capture %s to %s",
                        "granting" if allowed else "refusing", capture_type, url)
                decision_handler(1 if allowed else 2)  # WKPermissionDecisionGrant / Deny

        _DELEGATE_CLASS = ParleyUIDelegate
    return _DELEGATE_CLASS
