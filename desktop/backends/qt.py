"""QtWebEngine (Linux): real permission prompts instead of pywebview's blanket grant, and screen capture.

pywebview's Qt backend appends `--use-fake-ui-for-media-stream` to QTWEBENGINE_CHROMIUM_FLAGS, which
grants camera and microphone to *any* page in the window and breaks `getDisplayMedia`
(NotReadableError), and its `featurePermissionRequested` handler passes an int where Qt 6 wants a
policy enum. We drop the flag, unhook that handler and answer Qt 6.8's `permissionRequested` and Qt
6.7's `desktopMediaRequested` ourselves, granting capture only to the origins the app opened.

Certificate errors are refused, except for an origin whose certificate the app pinned (its own
LAN-mode server, signed by the app's local CA): that one certificate, by SHA-256, is accepted.
"""

from __future__ import annotations

import logging
import os
import threading
import webbrowser

from desktop.backends.base import MediaBackend, der_fingerprint, navigation_decision, origin_of
from tornado_app.logs import redact_url

log = logging.getLogger("parley.desktop")

FAKE_UI_FLAG = "--use-fake-ui-for-media-stream"
FLAGS_ENV = "QTWEBENGINE_CHROMIUM_FLAGS"


def strip_flag(flags: str, flag: str = FAKE_UI_FLAG) -> str:
    """Chromium flags with every copy of one flag removed."""
    return " ".join(part for part in flags.split() if part != flag)


class QtMediaBackend(MediaBackend):
    """Media permissions and the screen picker for pywebview's Qt backend."""

    gui = "qt"

    def prepare(self) -> None:
        """Keep pywebview from ever adding the fake-UI flag (it does so while building the window)."""
        from webview.platforms import qt as pywebview_qt

        original = pywebview_qt.environ_append

        def environ_append(key: str, *values: str, sep: str = " ") -> None:
            if key == FLAGS_ENV:
                values = tuple(value for value in values if value != FAKE_UI_FLAG)
            original(key, *values, sep=sep)

        pywebview_qt.environ_append = environ_append
        if FLAGS_ENV in os.environ:
            os.environ[FLAGS_ENV] = strip_flag(os.environ[FLAGS_ENV])
        self._guard_navigation(pywebview_qt.BrowserView.WebPage,
                               pywebview_qt.BrowserView.NavigationHandler)

    def _guard_navigation(self, page_class, new_window_class) -> None:
        """Keep the window on the origins the user chose (`navigation_decision`); set on pywebview's
        page class before the window exists, as Qt asks a page this for every navigation."""
        from PySide6.QtWebEngineCore import QWebEnginePage

        by_app = (QWebEnginePage.NavigationType.NavigationTypeTyped,  # load_url / load_html
                  QWebEnginePage.NavigationType.NavigationTypeReload)
        trusted = self.trusted

        def acceptNavigationRequest(page, url, kind, is_main_frame) -> bool:  # noqa: N802 - Qt's
            if not is_main_frame:
                return True
            target = url.toString()
            decision = navigation_decision(target, kind in by_app, trusted)
            if decision != "load":
                log.warning("not opening %s in the window (%s)", redact_url(target),
                            "opened in the system browser" if decision == "external" else "blocked")
            if decision == "external":  # off the GUI thread: the browser may take a while to start
                threading.Thread(target=webbrowser.open, args=(target,), daemon=True).start()
            return decision == "load"

        page_class.acceptNavigationRequest = acceptNavigationRequest

        def acceptNewWindow(page, url, kind, is_main_frame) -> bool:  # noqa: N802 - Qt's
            # A new window (target=_blank, window.open) never opens inside the app: a web page goes
            # to the system browser, anything else (blob:, data:, file:) nowhere.
            target = url.toString()
            if origin_of(target) is None:
                log.warning("not opening %s in a new window (blocked)", redact_url(target))
            else:
                threading.Thread(target=webbrowser.open, args=(target,), daemon=True).start()
            return False

        new_window_class.acceptNavigationRequest = acceptNewWindow

    def attach(self, window) -> None:
        """Hook the window's page: capture permissions, the screen-capture attribute, the picker."""
        from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings

        view = window.native
        page = view.webview.page()
        page.settings().setAttribute(QWebEngineSettings.WebAttribute.ScreenCaptureEnabled, True)
        # The call's "Full screen" (the stage or the large tile): Qt WebEngine offers the Fullscreen
        # API only with this attribute, and leaves making the window full screen to the application.
        page.settings().setAttribute(QWebEngineSettings.WebAttribute.FullScreenSupportEnabled, True)
        page.fullScreenRequested.connect(lambda request: self._on_full_screen(view, request))
        # Decide every time: an origin refused earlier may be trusted later (the user connects to it),
        # and no grant is ever stored on disk for a port that another program may hold tomorrow.
        page.profile().setPersistentPermissionsPolicy(
            QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime)
        try:
            page.featurePermissionRequested.disconnect()
        except (RuntimeError, TypeError):
            pass  # nothing connected: a pywebview without the broken handler
        page.permissionRequested.connect(self._on_permission)
        page.desktopMediaRequested.connect(lambda request: self._on_desktop_media(view, request))
        page.certificateError.connect(self._on_certificate_error)
        # pywebview's get_current_url() answers None for a `data:text/html` page, which is how Qt
        # names the built-in start page: keep Qt's own URL for `page_url`.
        page.urlChanged.connect(self._on_url_changed)
        self._url = page.url().toString()
        self._page = page
        self._view = view
        from desktop.backends.qt_invite import GuiThread

        self._gui = GuiThread()  # created here, on the GUI thread
        self._invite_panel = None

    def page_url(self, window) -> str | None:
        """The page's URL as Qt has it (pywebview hides `data:` pages behind None)."""
        return getattr(self, "_url", None) or window.get_current_url()

    def _on_url_changed(self, url) -> None:
        self._url = url.toString()  # one str assignment: read from the bridge's threads as is

    def show_invite(self, invite) -> None:
        """Dock the "join from a browser" panel beside the meeting (from any thread)."""
        super().show_invite(invite)

        def show() -> None:
            from desktop.backends.qt_invite import InvitePanel

            if self._invite_panel is None:
                self._invite_panel = InvitePanel(self._view)
            self._invite_panel.show_invite(invite)

        self._gui.call.emit(show)

    def _on_full_screen(self, view, request) -> None:
        """The page enters or leaves full screen: the window follows (and returns to its old state)."""
        request.accept()
        window = view.window()
        if request.toggleOn():
            self._was_maximized = window.isMaximized()
            window.showFullScreen()
        elif getattr(self, "_was_maximized", False):
            window.showMaximized()
        else:
            window.showNormal()

    def _on_certificate_error(self, error) -> None:
        """Accept only the pinned certificate of a pinned origin; answer before returning (Qt 6)."""
        url = error.url().toString()
        chain = error.certificateChain()
        fingerprint = der_fingerprint(bytes(chain[0].toDer())) if chain else ""
        if fingerprint and self.trusted.certificate_pinned(url, fingerprint):
            log.info("accepting the pinned certificate %s of %s", fingerprint, redact_url(url))
            error.acceptCertificate()
        else:
            log.warning("refusing the certificate of %s: %s (SHA-256 %s)", redact_url(url),
                        error.description(), fingerprint or "none")
            error.rejectCertificate()

    def _on_permission(self, permission) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePermission

        kind = permission.permissionType()
        origin = permission.origin().toString()
        capture = kind in (
            QWebEnginePermission.PermissionType.MediaAudioCapture,
            QWebEnginePermission.PermissionType.MediaVideoCapture,
            QWebEnginePermission.PermissionType.MediaAudioVideoCapture,
            QWebEnginePermission.PermissionType.DesktopVideoCapture,
            QWebEnginePermission.PermissionType.DesktopAudioVideoCapture,
        )
        if capture and self.trusted.allows(origin):
            log.info("granting %s to %s", kind.name, origin)
            permission.grant()
        else:
            log.warning("refusing %s to %s", kind.name, origin)
            permission.deny()

    def _on_desktop_media(self, view, request) -> None:
        """Answer before returning (Qt destroys the request after the signal): a modal picker."""
        from desktop.backends.qt_picker import ScreenPicker

        url = self._page.url().toString()
        if not self.trusted.allows(url):
            log.warning("refusing a screen picker to %s", redact_url(url))
            request.cancel()
            return
        picker = ScreenPicker(view, request.screensModel(), request.windowsModel())
        choice = picker.choose()
        if choice is None:
            request.cancel()
        elif choice.kind == "screen":
            request.selectScreen(choice.index)
        else:
            request.selectWindow(choice.index)
