"""The native screen/window picker shown for `getDisplayMedia` in QtWebEngine."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QListView, QTabWidget, QVBoxLayout,
)


@dataclasses.dataclass(frozen=True)
class Choice:
    """What the user picked: a screen or a window, by its index in the request's model."""

    kind: str  # "screen" or "window"
    index: QModelIndex


class ScreenPicker(QDialog):
    """Two tabs, "Entire screen" and "Window", listing what Qt can capture; live models."""

    def __init__(self, parent, screens, windows) -> None:
        super().__init__(parent)
        self.setObjectName("parleyScreenPicker")
        self.setWindowTitle("Share your screen")
        self.setModal(True)
        self.resize(420, 320)
        self.tabs = QTabWidget(self)
        self.lists: dict[str, QListView] = {}
        for kind, title, model in (("screen", "Entire screen", screens), ("window", "Window", windows)):
            view = QListView(self)
            view.setObjectName(f"{kind}List")
            view.setModel(model)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.doubleClicked.connect(self.accept)
            self.lists[kind] = view
            self.tabs.addTab(view, title)
        if screens.rowCount() > 0:
            self.lists["screen"].setCurrentIndex(screens.index(0, 0))
        buttons = QDialogButtonBox(self)
        self.share_button = buttons.addButton("Share", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose what the others in the meeting will see."))
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def selection(self) -> Choice | None:
        """The highlighted screen or window on the visible tab, if any."""
        kind = "screen" if self.tabs.currentIndex() == 0 else "window"
        index = self.lists[kind].currentIndex()
        return Choice(kind, index) if index.isValid() else None

    def choose(self) -> Choice | None:
        """Show modally; the choice, or None when cancelled."""
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.selection()
