"""LAN mode: a meeting server for a network with no internet, reachable from other machines.

`parley-server --lan` (and the desktop app's "Host a meeting on this network") serves HTTPS on the
machine's LAN addresses with a generated certificate (see `certs`), shows the join URL as text and
a QR code, and advertises itself over mDNS as `_parley._tcp` so `discover()` finds it. Nothing in
LAN mode reaches outside the LAN: no STUN server unless one is configured, so browsers connect on
host candidates alone.

From Python (the desktop app)::

    from tornado_app.config import Settings
    from tornado_app.server import ParleyServer

    server = ParleyServer(Settings(lan=True, port=0, data_dir=folder, server_name="Room 4"))
    await server.start()
    server.urls                   # ['https://192.168.1.20:41234/', ...]
    server.lan.certificate.fingerprint
    server.lan.qr_png(server.urls[0])   # PNG bytes; also served at /lan/qr.png
    ...
    await server.stop()

    from tornado_app.lan import discover
    discover(timeout=3.0)         # [FoundServer(name, addresses, port, url, fingerprint, version)]
"""

from __future__ import annotations

import dataclasses
import socket

from tornado_app import __version__
from tornado_app.lan.addresses import lan_addresses, local_hostname
from tornado_app.lan.certs import LanCertificate, ensure_lan_certificate
from tornado_app.lan.mdns import Advertiser, FoundServer, discover, host_label
from tornado_app.lan.qr import qr_png, qr_text

__all__ = ["LanSetup", "LanError", "prepare_lan", "discover", "FoundServer", "qr_png", "qr_text"]

LOOPBACK = "127.0.0.1"


class LanError(RuntimeError):
    """LAN mode cannot start (e.g. the machine is on no network); the message says why."""


@dataclasses.dataclass
class LanSetup:
    """What LAN mode decided before binding: addresses, certificate, name; and its advertiser."""

    addresses: tuple[str, ...]        # the LAN addresses people connect to
    bind_addresses: tuple[str, ...]   # what the server listens on (the LAN ones and loopback)
    hostname: str                     # e.g. meeting-room.local
    name: str                         # the name it is advertised under
    certificate: LanCertificate
    port: int | None = None
    advertiser: Advertiser | None = None

    @property
    def urls(self) -> list[str]:
        """Join URLs, one per LAN address (available once the server is bound)."""
        return [f"https://{address}:{self.port}/" for address in self.addresses]

    def qr_png(self, url: str | None = None, scale: int = 8) -> bytes:
        """A PNG QR code of `url` (default: the first join URL)."""
        return qr_png(url or self.urls[0], scale)

    async def advertise(self, port: int) -> None:
        """Announce the bound server over mDNS."""
        self.port = port
        properties = {"path": "/", "scheme": "https", "version": __version__,
                      "fp": self.certificate.fingerprint}
        self.advertiser = Advertiser(self.name, port, self.addresses,
                                     host_label(self.hostname) + ".local", properties)
        await self.advertiser.start()

    async def close(self) -> None:
        """Withdraw the mDNS announcement."""
        if self.advertiser is not None:
            advertiser, self.advertiser = self.advertiser, None
            await advertiser.close()


def prepare_lan(settings) -> LanSetup:
    """Pick the addresses and make (or reuse) the certificate for them; LanError if no network.

    With the default `--host` the server listens on every LAN address and on loopback; an explicit
    `--host` (one LAN address) is used as given.
    """
    if settings.host in (LOOPBACK, "localhost"):
        addresses = tuple(lan_addresses())
        bind = (*addresses, LOOPBACK)
    elif settings.host in ("0.0.0.0", ""):
        addresses = tuple(lan_addresses())
        bind = ("0.0.0.0",)
    else:
        addresses, bind = (settings.host,), (settings.host,)
    if not addresses:
        raise LanError("no LAN address found: connect this machine to a network (Wi-Fi or cable) "
                       "and start again")
    hostname = local_hostname()
    cert = ensure_lan_certificate(settings.data_dir / "lan-tls", [*addresses, LOOPBACK],
                                  [hostname, "localhost"])
    name = settings.server_name or socket.gethostname().split(".")[0] or "Parley"
    return LanSetup(addresses, bind, hostname, name, cert)
