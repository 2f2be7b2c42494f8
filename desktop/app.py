"""The desktop shell: one pywebview window, the embedded server, and which pages get media.

It translates: the start screen (the web client's, served by the embedded server; start.html when
that server cannot start) and the CLI ask it to host, join or connect; the media backend
decides permissions; the server is `tornado_app`'s, run in this process. Hosting on the network
(LAN mode) adds a panel that tells people in the room how to join (see `desktop.lan`).
"""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import signal
import ssl
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import webview

from desktop import resources
from desktop.backends import MediaBackend, origin_of
from desktop.bridge import Bridge
from desktop.embedded import EmbeddedServer, HostError
from desktop.instance import InstanceLock
from desktop.lan import Invite, LanDetails, make_invite
from desktop.preflight import check_permissions
from desktop.prefs import Prefs, PrefsFile
from tornado_app.config import Settings
from tornado_app.handlers.ui import UI_DIR
from tornado_app.datadir import DataDirError
from tornado_app.lan import LanError
from tornado_app.logs import redact_url

log = logging.getLogger("parley.desktop")

# How QtWebEngine names a page shown with `setHtml(html, QUrl(""))` (pywebview's html= / load_html).
BUILTIN_PREFIX = "data:text/html;charset=UTF-8,"


@dataclasses.dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    data_dir: Path
    embedded: bool = False
    lan: bool = False  # host on the local network right away (HTTPS, QR code, mDNS)
    port: int = 0
    server: str | None = None
    debug: bool = False
    ui_dir: Path | None = None  # a web client built elsewhere (PARLEY_UI_DIR): the tests' test build


class DesktopApp:
    """Owns the window, the embedded server (if any) and the remembered prefs."""

    def __init__(self, options: Options, backend: MediaBackend) -> None:
        self.options = options
        self.backend = backend
        self.trusted = backend.trusted
        self.prefs_file = PrefsFile(options.data_dir / "desktop.json")
        self.prefs: Prefs = self.prefs_file.load()
        self.window: webview.Window | None = None
        self.server: EmbeddedServer | None = None
        self.server_url: str | None = None
        self.lan: LanDetails | None = None
        self.invite: Invite | None = None
        self._lock = InstanceLock(options.data_dir)
        self._host_lock = threading.Lock()
        self._hosted = False  # a meeting was created on the embedded server
        self.host_tokens: dict[str, str] = {}  # room id -> host token, for the rooms the app created
        self._stop_lock = threading.Lock()
        self._close_requested = threading.Event()
        self.page_loaded = threading.Event()
        # The built-in start.html's URL, noted when the app itself shows it (see caller_allowed).
        self._fallback_url: str | None = None
        self._expect_fallback = False
        self._window_ready = threading.Event()  # the first page loaded: the native window exists

    # -- what the user can ask for ------------------------------------------------------------

    def ensure_server(self, lan: bool = False) -> str:
        """The embedded server's URL, starting it (or reusing another instance's) if needed.

        With `lan` the server also listens on the LAN addresses over HTTPS; the window still opens
        it on 127.0.0.1 and accepts exactly the certificate this server generated. A server started
        on 127.0.0.1 only for the start screen is restarted on the network when no meeting was
        hosted on it yet.
        """
        with self._host_lock:
            if self.server_url:
                if not lan or self.lan is not None:
                    return self.server_url
                if self.server is None or self._hosted:
                    raise HostError("Parley already hosts on this computer only; close Parley and "
                                    "start it again to host on the network.")
                log.info("restarting the embedded server on the network to host there")
                url = self._restart_on_network()
            elif self._lock.acquire():
                try:
                    url = self._start_server(lan, self.options.port)
                except HostError:
                    self._lock.release()  # another window (or a second try) may host
                    raise
            else:
                url = self._lock.owner_url()
                if url is None or lan:
                    raise HostError("another Parley window is hosting on this computer; "
                                    "use that window, or close it first.")
                log.info("reusing the embedded server of another Parley window: %s", url)
            self.trusted.trust(url)
            self.server_url = url
            return url

    def _restart_on_network(self) -> str:
        """Stop the start screen's server and host on the network instead (the lock is held).

        If that fails, the start screen's server comes back on its port, so its page (same
        origin) keeps its bridge and the user can try again; the lock is released only when even
        that fails.
        """
        old, self.server, self.server_url = self.server, None, None
        if not old.stop():
            log.error("the embedded server did not stop in time")
        try:
            return self._start_server(True, self.options.port)
        except HostError as failed:
            try:
                url = self._start_server(False, old.port or 0)
            except HostError as again:
                log.error("the start screen's server cannot come back: %s", again)
                self._lock.release()
                raise failed from None
            self.trusted.trust(url)
            self.server_url = url
            raise

    def _start_server(self, lan: bool, port: int) -> str:
        """Start this instance's server (the instance lock is held); HostError, with nothing left
        running, when it cannot."""
        settings = Settings(host="127.0.0.1", port=port, data_dir=self.options.data_dir, lan=lan,
                            server_name=(self.prefs.name or None) if lan else None,
                            ui_dir=self.options.ui_dir)
        server = EmbeddedServer(settings)
        try:
            url = server.start()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise HostError(f"cannot host on port {port}: {exc.strerror}. Another program "
                                "uses it; choose another with --port, or leave --port out to "
                                "pick a free one.") from exc
            raise HostError(f"cannot start the meeting server: {exc.strerror or exc}") from exc
        except (LanError, DataDirError, ValueError) as exc:  # ValueError: an unusable certificate
            raise HostError(str(exc)) from exc
        self.server, self.lan = server, server.lan
        if self.lan is not None:
            self.trusted.pin(url, self.lan.fingerprint)
        self._lock.publish(url)
        return url

    def start_url(self) -> str | None:
        """The React start screen on the embedded server; None when only start.html can be shown."""
        if not ((self.options.ui_dir or UI_DIR) / "index.html").is_file():
            log.warning("showing the built-in start page: the web client is not built")
            return None
        try:
            base = self.ensure_server()
        except HostError as exc:
            log.warning("showing the built-in start page: the embedded server cannot start: %s",
                        exc)
            return None
        # `?desktop`: the page waits for pywebview's bridge, injected only once it has loaded.
        return urllib.parse.urljoin(base, "/?desktop")

    def host_meeting(self, name: str, lan: bool = False, password: str = "",
                     lobby: bool = False) -> str:
        """Start the local server (on the network with `lan`), create a room and open it; the room
        asks for `password` (when given) and holds newcomers in its lobby with `lobby`."""
        if name:
            self.remember_name(name)  # before the server starts: LAN mode advertises it
        return self.open_meeting(self.new_meeting(lan, password=password, lobby=lobby), name)

    def new_meeting(self, lan: bool = False, password: str = "", lobby: bool = False) -> str:
        """A new room on the embedded server; with LAN mode on, the invite window shows its links.

        The app created it, so the app's window is its host: the room's `hostToken` goes to the
        page in the URL's fragment (`#hostToken=`), which the web client keeps and takes out of the
        address; a fragment is never sent to a server, and `load` logs the URL without it.
        """
        base = self.ensure_server(lan)
        settings: dict[str, object] = {}
        if lobby:
            settings["lobby"] = True
        if password:
            settings["password"] = password
        request = urllib.request.Request(urllib.parse.urljoin(base, "/createRoom"),
                                         data=json.dumps(settings).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        context = ssl.create_default_context(cafile=str(self.lan.ca_cert)) if self.lan else None
        with urllib.request.urlopen(request, timeout=5, context=context) as response:
            created = json.load(response)
        room, token = created["roomId"], created.get("hostToken")
        if token:
            self.host_tokens[room] = token
        self._hosted = True
        if self.lan is not None:
            self.show_invite(f"/r/{room}")
        url = urllib.parse.urljoin(base, f"/r/{room}")
        return f"{url}#hostToken={urllib.parse.quote(token, safe='')}" if token else url

    def show_invite(self, path: str) -> None:
        """Show (or update) the join links, QR code and fingerprint of `path` beside the meeting."""
        assert self.lan is not None
        self.invite = make_invite(self.lan, path)
        if self._window_ready.is_set():
            self.backend.show_invite(self.invite)
        # else: shown once the window's first page has loaded (`_on_loaded`)

    def open_meeting(self, url: str, name: str = "") -> str:
        """Trust the meeting's server and open it, with the name for the pre-join page."""
        self.trusted.trust(url)
        if name:
            self.remember_name(name)
            url = with_name(url, name)
        root = urllib.parse.urljoin(url, "/")
        if root != self.server_url:
            self.prefs.remember_server(root)
            self.prefs_file.save(self.prefs)
        self.load(url)
        return url

    def remember_name(self, name: str) -> None:
        """Keep the display name for next time."""
        self.prefs.name = name.strip()[:128]
        self.prefs_file.save(self.prefs)

    def remember_language(self, language: str) -> None:
        """Keep the language chosen in the window for next time ("": the system's)."""
        self.prefs.language = language
        self.prefs_file.save(self.prefs)

    def load(self, url: str) -> None:
        """Show a page in the window."""
        log.info("opening %s", redact_url(url.split("#", 1)[0]))  # never the host token
        self.page_loaded.clear()
        assert self.window is not None
        self.window.load_url(url)

    def show_start_page(self) -> None:
        """Back to host / join / connect: the web client's start screen, else start.html."""
        assert self.window is not None
        url = self.start_url()
        if url is not None:
            self.load(url)
            return
        self.page_loaded.clear()
        self._fallback_url, self._expect_fallback = None, True
        # An empty base URL, as pywebview's `html=` uses: Qt then shows the page as the `data:` URL
        # of exactly start.html (see is_start_page), not under a file: URL any file could share.
        self.window.load_html(resources.start_page(), base_uri="")

    def caller_allowed(self) -> bool:
        """Only the app's own start page may drive the app through the JS bridge (issue 11).

        That is the embedded server's start screen (its origin, path `/`) or the
        built-in start.html (by its exact content, or at the exact URL it was shown under).
        Meeting pages, remote servers (trusted for media or not) and other blob:, data:, file:
        and about: pages get nothing.
        """
        assert self.window is not None
        return is_start_page(self.backend.page_url(self.window) or "", self.server_url,
                             self._fallback_url)

    def meeting_caller_allowed(self) -> bool:
        """A meeting page (`/r/<id>`) of an origin the app opened may save received files."""
        assert self.window is not None
        url = self.backend.page_url(self.window) or ""
        return self.trusted.allows(url) and urllib.parse.urlsplit(url).path.startswith("/r/")

    # -- lifecycle ----------------------------------------------------------------------------

    def run(self, on_started: Callable[[DesktopApp], None] | None = None) -> int:
        """Open the window and block until it closes; the embedded server stops with it."""
        self._close_on_signals()
        try:
            first = None
            if self.options.lan:
                first = with_name(self.new_meeting(lan=True), self.prefs.name)
            elif self.options.embedded:
                first = self.ensure_server()
            elif self.options.server:
                first = self.options.server
                self.trusted.trust(first)
                self.prefs.remember_server(urllib.parse.urljoin(first, "/"))
                self.prefs_file.save(self.prefs)
            else:
                first = self.start_url()  # None: start.html
                self._expect_fallback = first is None
            self.backend.prepare()
            self.window = webview.create_window(
                "Parley", url=first, html=None if first else resources.start_page(),
                js_api=Bridge(self), width=1200, height=800, min_size=(640, 480),
                background_color="#111418")
            self.window.events.before_show += self.backend.attach
            self.window.events.loaded += self._on_loaded
            self.window.events.closed += self.stop_server
            self.window.events.shown += self._close_if_requested  # a signal during start-up
            if self._close_requested.is_set():
                return 0
            webview.start(on_started, (self,) if on_started else None, gui=self.backend.gui,
                          private_mode=False, storage_path=str(self.options.data_dir / "webview"),
                          debug=self.options.debug, icon=str(resources.icon_path()))
        finally:
            self.stop_server()
        return 0

    def _close_on_signals(self) -> None:
        """SIGTERM/SIGHUP (logout, `kill`) close the window, which stops the server cleanly."""
        def close(_signum, _frame) -> None:
            # Never raise here: the handler may run inside a Qt virtual override.
            log.info("signal received: closing the window")
            self._close_requested.set()
            if self.window is not None:
                self._close_window()

        signal.signal(signal.SIGTERM, close)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, close)

    def _close_window(self) -> None:
        """Destroy the window from a helper thread: pywebview's destroy() waits until it is shown."""
        def destroy() -> None:
            try:
                self.window.destroy()
            except Exception:  # noqa: BLE001 - already closing
                log.exception("could not close the window")

        threading.Thread(target=destroy, name="close-window", daemon=True).start()

    def _close_if_requested(self) -> None:
        if self._close_requested.is_set():
            self._close_window()

    def _on_loaded(self) -> None:
        url = self.window.get_current_url() if self.window else None
        if self._expect_fallback:  # the page the app itself just showed with load_html
            self._fallback_url, self._expect_fallback = url, False
        if url and self.trusted.allows(url) and not self.backend.can_capture_screen():
            self.window.evaluate_js(resources.no_screen_capture_shim())
        log.info("page loaded: %s", redact_url(url or ""))
        if self.invite is not None and not self._window_ready.is_set():
            self.backend.show_invite(self.invite)
        self._window_ready.set()
        self.page_loaded.set()
        if not self.prefs.checked_permissions:
            self._first_run_check()

    def _first_run_check(self) -> None:
        """Once per user: tell them if the OS denies camera, microphone or screen, and how to fix it."""
        self.prefs.checked_permissions = True
        self.prefs_file.save(self.prefs)
        problems = check_permissions()
        for problem in problems:
            log.warning("%s %s", problem.message, problem.fix)
        if problems and self.window is not None:
            text = "\n\n".join(f"{p.message}\n{p.fix}" for p in problems)
            self.window.create_confirmation_dialog("Parley needs your permission", text)

    def stop_server(self) -> None:
        """Stop the embedded server (if this instance owns one) and release the instance lock."""
        with self._stop_lock:  # the `closed` event and `run`'s exit both call this; both wait for it
            server, self.server = self.server, None
            if server is not None and not server.stop():
                log.error("the embedded server did not stop in time")
            self._lock.release()


def is_start_page(url: str, server_url: str | None, fallback_url: str | None) -> bool:
    """Whether `url` is the app's own start page: the embedded server's `/` (its start screen, as
    `/?desktop` or as `--embedded` opens it), or the built-in start.html at exactly the URL it was
    shown under (Qt names it `data:text/html;charset=UTF-8,<start.html>`: that exact content)."""
    if fallback_url is not None and url == fallback_url:
        return True
    if url.startswith(BUILTIN_PREFIX):
        return urllib.parse.unquote(url[len(BUILTIN_PREFIX):]) == resources.start_page()
    if server_url is None or origin_of(url) is None or origin_of(url) != origin_of(server_url):
        return False
    return urllib.parse.urlsplit(url).path == "/"


def with_name(url: str, name: str) -> str:
    """The URL with `?name=` for the web client's pre-join page (unchanged when name is empty)."""
    if not name:
        return url
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + [("name", name)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
