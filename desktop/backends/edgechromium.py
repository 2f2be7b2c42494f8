"""WebView2 (Windows): camera and microphone for the app's own origin only; screen via WebView2's picker.

pywebview leaves `CoreWebView2.PermissionRequested` unhandled, so WebView2 shows its own prompt to
every page. We answer it: Allow for the trusted origins, Deny for the rest. `getDisplayMedia` shows
WebView2's built-in screen/window picker; where the SDK has `ScreenCaptureStarting` (1.0.2420+) we
cancel it for pages we do not trust.
"""

from __future__ import annotations

import logging

from desktop.backends.base import MediaBackend
from tornado_app.logs import redact_url

log = logging.getLogger("parley.desktop")


class EdgeChromiumMediaBackend(MediaBackend):
    """Media permissions for pywebview's WebView2 (EdgeChromium) backend."""

    gui = "edgechromium"

    def attach(self, window) -> None:
        """Hook the WebView2 control once its CoreWebView2 exists (it is created asynchronously)."""
        control = window.native.browser.webview
        if control.CoreWebView2 is not None:
            self._hook(control.CoreWebView2)
        else:
            control.CoreWebView2InitializationCompleted += self._on_ready

    def _on_ready(self, sender, args) -> None:
        if args.IsSuccess:
            self._hook(sender.CoreWebView2)

    def _hook(self, core) -> None:
        core.PermissionRequested += self._on_permission
        if hasattr(core, "add_ScreenCaptureStarting"):
            core.ScreenCaptureStarting += self._on_screen_capture

    def _on_permission(self, sender, args) -> None:
        from Microsoft.Web.WebView2.Core import CoreWebView2PermissionKind, CoreWebView2PermissionState

        media = (CoreWebView2PermissionKind.Camera, CoreWebView2PermissionKind.Microphone)
        if args.PermissionKind in media and self.trusted.allows(str(args.Uri)):
            log.info("granting %s to %s", args.PermissionKind, redact_url(str(args.Uri)))
            args.State = CoreWebView2PermissionState.Allow
        else:
            log.warning("refusing %s to %s", args.PermissionKind, redact_url(str(args.Uri)))
            args.State = CoreWebView2PermissionState.Deny
        args.Handled = True  # no WebView2 prompt on top of our decision

    def _on_screen_capture(self, sender, args) -> None:
        if not self.trusted.allows(str(sender.Source)):
            log.warning("refusing screen capture to %s", redact_url(str(sender.Source)))
            args.Cancel = True
