"""The Tornado server inside the desktop app: its own asyncio loop on a background thread.

On 127.0.0.1 (plain HTTP) by default; with `Settings(lan=True)` on the LAN addresses and loopback
over HTTPS, described by `lan` once started.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading

from desktop.lan import LanDetails
from tornado_app.config import Settings
from tornado_app.server import ParleyServer

log = logging.getLogger("parley.desktop")


class EmbeddedServer:
    """Start a `ParleyServer` on a thread of this process; `stop()` shuts it down from any thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url: str | None = None
        self.lan: LanDetails | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: ParleyServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self, timeout: float = 10.0) -> str:
        """Bind and serve; returns the URL the app's window opens.

        Raises OSError when the port is taken, `tornado_app.lan.LanError` when LAN mode finds no
        network.
        """
        started: concurrent.futures.Future[str] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, args=(started,), name="parley-server",
                                        daemon=True)
        self._thread.start()
        self.url = started.result(timeout)
        return self.url

    def _run(self, started: concurrent.futures.Future[str]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve(started))
        finally:
            loop.close()
            self._stopped.set()

    async def _serve(self, started: concurrent.futures.Future[str]) -> None:
        try:
            server = ParleyServer(self.settings)  # opens the data folder: DataDirError
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who tells the user
            started.set_exception(exc)
            return
        try:
            await server.start()
        except Exception as exc:  # noqa: BLE001 - port taken, no network: handed to the caller
            await server.parley.stop()
            await server.parley.store.close()
            started.set_exception(exc)
            return
        self._server = server
        self._stop_requested = asyncio.Event()
        url = server.url
        if server.lan is not None:
            cert = server.lan.certificate
            self.lan = LanDetails(server.lan.name, server.port, tuple(server.urls),
                                  cert.fingerprint, cert.ca_fingerprint, cert.ca_cert)
            url = self.lan.local_url
        started.set_result(url)
        log.info("embedded server on %s (data in %s)", ", ".join(server.urls),
                 self.settings.data_dir)
        await self._stop_requested.wait()
        await server.stop()
        log.info("embedded server stopped")

    def stop(self, timeout: float = 10.0) -> bool:
        """Close every WebSocket with 1001, then HTTP and the store; True once the thread ended."""
        loop = self._loop
        if loop is not None and self._server is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._stop_requested.set)
            except RuntimeError:
                pass  # the loop closed in between: already stopped
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
