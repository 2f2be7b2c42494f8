"""Hosting on the local network from the desktop app: what to show people, and who else is hosting.

The embedded server in LAN mode (`tornado_app.lan`) serves HTTPS on the LAN addresses with a
certificate from the app's own local CA. The window itself loads the loopback address and pins that
certificate; people in the room open a LAN URL in their browsers, shown by the media backend (a
panel beside the meeting) as text and QR code with the fingerprint their browser's warning shows.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class LanDetails:
    """What the embedded LAN-mode server decided: where it is, under which name and certificate."""

    name: str
    port: int
    urls: tuple[str, ...]   # https://<lan address>:<port>/, one per LAN address
    fingerprint: str        # SHA-256 of the leaf certificate, AA:BB:...
    ca_fingerprint: str
    ca_cert: Path

    @property
    def local_url(self) -> str:
        """Where the app's own window opens the server (the certificate names 127.0.0.1 too)."""
        return f"https://127.0.0.1:{self.port}/"

    def join_urls(self, path: str = "/") -> list[str]:
        """The LAN URLs of a path on this server, e.g. of a room (`/r/<roomId>`)."""
        return [urllib.parse.urljoin(url, path) for url in self.urls]


@dataclasses.dataclass(frozen=True)
class Invite:
    """What the app shows so people in the room can join a meeting from their browsers."""

    name: str
    urls: tuple[str, ...]   # the meeting's LAN URLs
    qr_png: bytes           # a QR code of the first
    fingerprint: str        # what their browser's certificate warning should show
    ca_url: str             # where to get the local CA, to trust it once
    ca_fingerprint: str


def make_invite(details: LanDetails, path: str) -> Invite:
    """The invite for a path on the LAN server, e.g. a room (`/r/<roomId>`)."""
    from tornado_app.lan import qr_png

    urls = tuple(details.join_urls(path))
    return Invite(details.name, urls, qr_png(urls[0], scale=6), details.fingerprint,
                  urllib.parse.urljoin(details.urls[0], "/lan/ca.crt"), details.ca_fingerprint)


def servers_on_network(timeout: float, own: LanDetails | None = None) -> list[dict]:
    """Parley servers answering over mDNS within `timeout` s (blocking), as the start page lists them."""
    from tornado_app.lan import discover

    found = []
    for server in discover(timeout):
        found.append({"name": server.name, "url": server.url, "fingerprint": server.fingerprint,
                      "version": server.version,
                      "own": own is not None and server.fingerprint == own.fingerprint})
    return found
