"""The Tornado server inside the desktop app: its own asyncio loop on a background thread.

On 127.0.0.1 (plain HTTP) by default; with `Settings(lan=True)` on the LAN addresses and loopback
over HTTPS, described by `lan` once started.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import urllib.parse

from desktop.lan import LanDetails
from tornado_app.config import Settings
from tornado_app.server import ParleyServer

log = logging.getLogger("parley.desktop")


class HostError(RuntimeError):
    """The embedded server could not start; the message is for the user."""


class EmbeddedServer:
    """Start a `ParleyServer` on a thread of this process; `stop()` shuts it down from any thread.

    One start per object. A start that fails (or takes longer than its timeout) leaves nothing
    running: the server undoes itself, and the thread ends.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url: str | None = None
        self.lan: LanDetails | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested: asyncio.Event | None = None
        self._stopping = threading.Event()  # stop() was called, maybe before the loop existed
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 10.0) -> str:
        """Bind and serve; returns the URL the app's window opens.

        Raises OSError when the port is taken, `tornado_app.lan.LanError` when LAN mode finds no
        network, `tornado_app.datadir.DataDirError` when the data folder is unusable, and
        TimeoutError when the server did not come up in time.
        """
        started: concurrent.futures.Future[str] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(started,), name="parley-server",
                                        daemon=True)
        self._thread.start()
        try:
            self.url = started.result(timeout)
        except BaseException:
            if not started.done():  # too slow: it may still come up, and then stops at once
                self.stop()
                raise TimeoutError(f"the meeting server did not start within {timeout:g} s"
                                   ) from None
            self._thread.join(timeout)  # the server undid itself; its thread is ending
            raise
        return self.url

    @property
    def port(self) -> int | None:
        """The port it listens on, once started."""
        return urllib.parse.urlsplit(self.url).port if self.url else None

    def _run(self, started: concurrent.futures.Future[str]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._stop_requested = asyncio.Event()
        self._loop = loop  # after the event: `stop` uses both
        try:
            loop.run_until_complete(self._serve(started))
        finally:
            loop.close()

    async def _serve(self, started: concurrent.futures.Future[str]) -> None:
        try:
            server = ParleyServer(self.settings)  # opens the data folder: DataDirError
            await server.start()  # port taken, no network: raises, having undone itself
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who tells the user
            started.set_exception(exc)
            return
        url = server.url
        if server.lan is not None:
            cert = server.lan.certificate
            self.lan = LanDetails(server.lan.name, server.port, tuple(server.urls),
                                  cert.fingerprint, cert.ca_fingerprint, cert.ca_cert)
            url = self.lan.local_url
        started.set_result(url)
        log.info("embedded server on %s (data in %s)", ", ".join(server.urls),
                 self.settings.data_dir)
        if not self._stopping.is_set():
            await self._stop_requested.wait()
        await server.stop()
        log.info("embedded server stopped")

    def stop(self, timeout: float = 10.0) -> bool:
        """Close every WebSocket with 1001, then HTTP and the store; True once the thread ended."""
        self._stopping.set()
        loop, event = self._loop, self._stop_requested
        if loop is not None and event is not None:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:
                pass  # the loop closed in between: already stopped
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
