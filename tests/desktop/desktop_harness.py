"""Test-side helpers for the desktop app: the driven app process and its start screen.

Xvfb, `free_port` and `wait_for` are in tests/support.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

from support import REPO as ROOT
from support import TEST_UI_DIR
from support.polling import wait_for

DRIVER = Path(__file__).resolve().parent / "driver.py"


def healthz(url: str) -> dict | None:
    """The server's /healthz JSON, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=2) as response:
            return json.load(response)
    except OSError:
        return None


def desktop_env(display: str) -> dict[str, str]:
    """The environment for the app under test: the virtual display, a fake camera for tests only."""
    env = dict(os.environ)
    env["DISPLAY"] = display
    env.pop("WAYLAND_DISPLAY", None)
    # There is no camera here: QtWebEngine gets Chromium's fake one (never set by the app itself).
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--use-fake-device-for-media-stream"
    env["PYTHONUNBUFFERED"] = "1"
    env["PARLEY_UI_DIR"] = str(TEST_UI_DIR)  # the embedded server serves the test build
    # The window speaks the system's language (QtWebEngine's navigator.language comes from the
    # locale): the tests find the English names, whatever the machine running them speaks.
    for key in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        env.pop(key, None)
    env["LANG"] = "C.UTF-8"
    return env


class DriverError(AssertionError):
    """A command failed inside the app."""


class DesktopApp:
    """The real desktop app in its own process, driven through tests/desktop/driver.py."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path,
                 prefix: tuple[str, ...] = ()) -> None:
        """`prefix`: run the driver through it, e.g. `ip netns exec <ns>` for a simulated LAN."""
        self.log_path = log_path
        self._stderr = open(log_path, "wb")  # noqa: SIM115 - closed in `close`
        self.process = subprocess.Popen([*prefix, sys.executable, str(DRIVER), *args], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, text=True, bufsize=1)
        self._events: queue.Queue[dict] = queue.Queue()
        self._answers: dict[int, queue.Queue[dict]] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.exit_event: dict | None = None
        try:
            self.ready: dict = self.event("ready", 60)
        except BaseException:
            self.kill()  # the fixture never gets an app that did not start: end it and close its files here
            raise

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # something else printed to stdout
            if "id" in message:
                with self._lock:
                    box = self._answers.setdefault(message["id"], queue.Queue())
                box.put(message)
            else:
                self._events.put(message)
        self._events.put({"event": "eof"})

    @property
    def server(self) -> str:
        """The embedded server's URL (ending in /)."""
        return self.ready["server"]

    def event(self, name: str, timeout: float) -> dict:
        """The next event, which must be `name`."""
        try:
            message = self._events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no {name!r} from the desktop app within {timeout}s; log:\n"
                                 + self.log_tail()) from None
        assert message.get("event") == name, f"expected {name!r}, got {message}; log:\n{self.log_tail()}"
        return message

    def send(self, cmd: str, **fields: Any) -> int:
        """Send a command without waiting; returns its id for `answer`."""
        with self._lock:
            self._next_id += 1
            command_id = self._next_id
            self._answers.setdefault(command_id, queue.Queue())
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"id": command_id, "cmd": cmd, **fields}) + "\n")
        self.process.stdin.flush()
        return command_id

    def answer(self, command_id: int, timeout: float = 30) -> Any:
        """The result of a command sent with `send`; raises DriverError if it failed."""
        try:
            message = self._answers[command_id].get(timeout=timeout + 5)
        except queue.Empty:
            raise AssertionError(f"the desktop app did not answer within {timeout}s; log:\n"
                                 + self.log_tail()) from None
        if not message["ok"]:
            raise DriverError(message["error"])
        return message["result"]

    def call(self, cmd: str, timeout: float = 30, **fields: Any) -> Any:
        """Send a command and wait for its result."""
        return self.answer(self.send(cmd, timeout=timeout, **fields), timeout)

    def js(self, script: str) -> Any:
        """Evaluate JavaScript in the window's page (pywebview `evaluate_js`)."""
        return self.call("eval", js=script)

    def js_async(self, body: str, timeout: float = 20) -> dict:
        """Run an async function body in the page: `{"ok": True, "value"}` or `{"ok": False, "name"}`."""
        return self.call("async", timeout=timeout, js=body)

    def close(self, timeout: float = 20) -> dict:
        """Close the window as a user would and wait for the process to end."""
        if self.process.poll() is None:
            try:
                self.call("close", timeout=timeout)
                self.exit_event = self.event("exited", timeout)
            finally:
                self.process.wait(timeout)
        return self.exit_event or {}

    def kill(self) -> None:
        """Teardown: end the process if it still runs, close every pipe and file."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._reader.join(10)
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass  # stdin's buffer could not be flushed into a dead process

    def log_tail(self, lines: int = 40) -> str:
        """The end of the app's stderr, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# The web client's start screen in the desktop window, found as a user does: by labels and names.
_FIND = """
const byLabel = (text) => {
  const label = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === text);
  return label ? (label.control || document.getElementById(label.htmlFor)) : null;
};
const byButton = (text) => [...document.querySelectorAll('button')]
  .find(b => (b.getAttribute('aria-label') || b.textContent).trim() === text) || null;
"""


def start_screen_shown(app: DesktopApp, timeout: float = 30) -> None:
    """Wait until the window shows the start screen with its bridge ("Your name" filled from it)."""
    wait_for(lambda: app.js_async(_FIND + "const b = byButton('Host a meeting');"
                                  "return !!(byLabel('Your name') && b && !b.disabled);")["value"],
             timeout, "the start screen", on_timeout=lambda: app.js("document.body.innerText"))


def fill_in(app: DesktopApp, label: str, value: str) -> None:
    """Type `value` into the field labelled `label` (as React sees typing: an input event)."""
    done = app.js_async(_FIND + f"""
const input = byLabel({json.dumps(label)});
if (!input) return false;
Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, {json.dumps(value)});
input.dispatchEvent(new Event('input', {{bubbles: true}}));
return true;""")
    assert done == {"ok": True, "value": True}, (label, done)


def field_value(app: DesktopApp, label: str) -> str | None:
    """What the field labelled `label` shows."""
    return app.js_async(_FIND + f"const i = byLabel({json.dumps(label)}); return i ? i.value : null;")["value"]


def press(app: DesktopApp, name: str, timeout: float = 30) -> None:
    """Click the button named `name` once it is there and enabled.

    Synchronous (not `js_async`): the click may navigate away before an async answer is stored.
    """
    wait_for(lambda: app.js("(() => {" + _FIND + f"""
const b = byButton({json.dumps(name)});
if (!b || b.disabled) return false;
b.click();
return true;}})()"""), timeout, f"the button {name!r}", on_timeout=lambda: app.js("document.body.innerText"))
