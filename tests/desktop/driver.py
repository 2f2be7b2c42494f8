"""Runs parley-desktop in this process and lets a test drive it: JSON commands on stdin, answers on stdout.

`python tests/desktop/driver.py <parley-desktop args>` builds the real app (the same `build_app` as
the console script) and, once the first page has loaded, prints `{"event": "ready", ...}` and then
answers one JSON line per command line. It only drives what a user could: JavaScript in the page
(pywebview's `evaluate_js`), real key presses into the web view, the screen picker's "Share" button,
and closing the window.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QObject, Signal, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.__main__ import build_app, exit_now  # noqa: E402

_out = threading.Lock()


def send(message: dict) -> None:
    """One JSON line on stdout."""
    with _out:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


class OnGuiThread(QObject):
    """Runs a function on Qt's GUI thread and hands back its result."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.moveToThread(QApplication.instance().thread())
        self.call.connect(self._invoke)  # a slot of an object on the GUI thread: a queued call

    @Slot(object)
    def _invoke(self, job) -> None:
        job()

    def run(self, fn, timeout: float = 10.0):
        """`fn()` on the GUI thread; its result or exception."""
        done = threading.Event()
        box: dict = {}

        def job() -> None:
            try:
                box["value"] = fn()
            except Exception as exc:  # noqa: BLE001 - handed back to the caller
                box["error"] = exc
            done.set()

        self.call.emit(job)
        if not done.wait(timeout):
            raise TimeoutError("the GUI thread did not answer")
        if "error" in box:
            raise box["error"]
        return box["value"]


def run_async(window, body: str, timeout: float) -> object:
    """Run an async JS function body in the page; poll for its outcome (no sleeps as sync)."""
    key = "k" + uuid.uuid4().hex
    window.evaluate_js(
        f"(window.__drv = window.__drv || {{}}),"
        f"(async () => {{ {body} }})().then("
        f"v => window.__drv.{key} = {{ok: true, value: v === undefined ? null : v}},"
        f"e => window.__drv.{key} = {{ok: false, name: e && e.name, message: String(e && e.message)}}),"
        f"0")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outcome = window.evaluate_js(f"window.__drv && window.__drv.{key} || null")
        if outcome is not None:
            return outcome
        time.sleep(0.05)  # polling interval, not synchronisation: the deadline decides
    raise TimeoutError(f"the page did not settle within {timeout}s")


def pick_screen(gui: OnGuiThread, timeout: float) -> dict:
    """Wait for the screen picker, choose the first screen and press "Share", as a user would."""
    def try_pick():
        picker = QApplication.activeModalWidget()
        if picker is None or picker.objectName() != "parleyScreenPicker":
            return None
        screens = picker.lists["screen"].model().rowCount()
        windows = picker.lists["window"].model().rowCount()
        picker.tabs.setCurrentIndex(0)
        picker.lists["screen"].setCurrentIndex(picker.lists["screen"].model().index(0, 0))
        picker.share_button.click()
        return {"screens": screens, "windows": windows}

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        picked = gui.run(try_pick)
        if picked is not None:
            return picked
        time.sleep(0.05)
    raise TimeoutError("no screen picker appeared")


def handle(app, gui: OnGuiThread, command: dict) -> object:
    """One command from the test."""
    kind = command["cmd"]
    window = app.window
    timeout = float(command.get("timeout", 20))
    if kind == "eval":
        return window.evaluate_js(command["js"])
    if kind == "async":
        return run_async(window, command["js"], timeout)
    if kind == "load":
        app.load(command["url"])
        if not app.page_loaded.wait(timeout):
            raise TimeoutError("page did not load")
        return window.get_current_url()
    if kind == "url":
        return window.get_current_url()
    if kind == "pick_screen":
        return pick_screen(gui, timeout)
    if kind == "window":
        def describe():
            native = window.native
            image = native.grab()
            if command.get("screenshot"):
                image.save(command["screenshot"])
            return {"visible": native.isVisible(), "title": native.windowTitle(),
                    "width": native.width(), "height": native.height(), "fullScreen": native.isFullScreen()}
        return gui.run(describe)
    if kind == "key":  # a real key press into the web view, as from the keyboard
        def press_key():
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            view = window.native.webview
            target = view.focusProxy() or view
            target.setFocus()
            key = command["key"]
            code = {"Escape": Qt.Key.Key_Escape, "?": Qt.Key.Key_Question}.get(key) or getattr(Qt.Key, "Key_" + key.upper())
            shift = Qt.KeyboardModifier.ShiftModifier if key == "?" else Qt.KeyboardModifier.NoModifier
            QTest.keyClick(target, code, shift)
            return True
        return gui.run(press_key)
    if kind == "start_page":  # what the web client's "back to start" does
        app.show_start_page()
        if not app.page_loaded.wait(timeout):
            raise TimeoutError("the start page did not load")
        return window.get_current_url()
    if kind == "invite":  # the LAN "join from a browser" panel: what it shows
        def read_panel():
            from PySide6.QtWidgets import QDockWidget

            panel = window.native.findChild(QDockWidget, "parleyInvite")
            if panel is None or panel.invite is None:
                return None
            pixmap = panel.qr.pixmap()
            return {"visible": panel.isVisible(), "title": panel.windowTitle(),
                    "links": panel.links.text(), "fingerprint": panel.fingerprint.text(),
                    "ca": panel.ca.text(), "qr": base64.b64encode(panel.invite.qr_png).decode(),
                    "qrWidth": pixmap.width(), "qrShown": panel.qr.isVisible()}
        return gui.run(read_panel)
    if kind == "close":
        window.destroy()
        return True
    raise ValueError(f"unknown command {kind!r}")


def answer(app, gui: OnGuiThread, command: dict) -> None:
    """Run one command and print its outcome."""
    try:
        send({"id": command["id"], "ok": True, "result": handle(app, gui, command)})
    except Exception as exc:  # noqa: BLE001 - reported to the test
        send({"id": command["id"], "ok": False, "error": f"{type(exc).__name__}: {exc}"})


def main() -> None:
    """Build the app from argv, run it, serve commands from stdin until closed."""
    app = build_app(sys.argv[1:])

    def serve(app) -> None:
        gui = OnGuiThread()
        if not app.page_loaded.wait(60):
            send({"event": "error", "error": "first page never loaded"})
        send({"event": "ready", "server": app.server_url, "url": app.window.get_current_url()})
        for line in sys.stdin:
            command = json.loads(line)
            # Each command on its own thread: a test awaits getDisplayMedia while it clicks the picker.
            threading.Thread(target=answer, args=(app, gui, command), daemon=True).start()
            if command["cmd"] == "close":
                return

    status = app.run(serve)
    send({"event": "exited", "status": status, "server_stopped": app.server is None})
    exit_now(status)


if __name__ == "__main__":
    main()
