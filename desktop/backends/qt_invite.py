"""The "join from a browser" panel docked beside the meeting (Qt): LAN links, QR code, fingerprint.

A Qt widget rather than a second webview window: with pywebview 5 a second QWebEngineView in the
process stalls JavaScript evaluation in the main window (its `loaded` event never fires).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QVBoxLayout, QWidget

TITLE = "Join from a browser on this network"


class InvitePanel(QDockWidget):
    """A dock on the right of pywebview's main window; `show_invite` fills (or refills) it."""

    def __init__(self, window) -> None:
        super().__init__(TITLE, window)
        self.setObjectName("parleyInvite")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.heading = QLabel(body)
        self.links = QLabel(body)
        self.qr = QLabel(body)
        self.fingerprint = QLabel(body)
        self.ca = QLabel(body)
        for label in (self.heading, self.links, self.fingerprint, self.ca):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.heading, self.links, self.qr, self.fingerprint, self.ca):
            layout.addWidget(widget)
        layout.addStretch(1)
        body.setStyleSheet("QWidget { background: #1c2026; } QLabel { color: #e8eaed; }")
        self.setWidget(body)
        self.invite = None
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        window.resizeDocks([self], [360], Qt.Orientation.Horizontal)  # the meeting keeps the most

    def show_invite(self, invite) -> None:
        """Show this invite's links, QR code and fingerprints."""
        self.invite = invite
        self.heading.setText(f"<b>{html.escape(invite.name)}</b>: anyone on this network "
                             "(same Wi-Fi or cable) can open")
        self.links.setText("<br>".join(f"<code>{html.escape(url)}</code>" for url in invite.urls))
        pixmap = QPixmap()
        pixmap.loadFromData(invite.qr_png, "PNG")
        self.qr.setPixmap(pixmap)
        self.fingerprint.setText(
            "Their browser warns that the connection is not private, because this computer made "
            "its own certificate. Continue only if it shows this SHA-256 fingerprint:<br><code>"
            f"{html.escape(invite.fingerprint)}</code>")
        self.ca.setText(f"To skip the warning next time, install this computer's certificate "
                        f"authority from <code>{html.escape(invite.ca_url)}</code> (SHA-256 "
                        f"{html.escape(invite.ca_fingerprint)}).")
        self.show()


class GuiThread(QObject):
    """Runs callables on Qt's GUI thread: `call.emit(fn)` from any thread."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.moveToThread(QApplication.instance().thread())
        self.call.connect(self._run)  # a queued call when emitted from another thread

    @Slot(object)
    def _run(self, job) -> None:
        job()
