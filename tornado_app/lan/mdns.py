"""mDNS/DNS-SD: advertise a LAN-mode server as `_parley._tcp`, and find the ones on the network."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Sequence

from zeroconf import (InterfaceChoice, IPVersion, ServiceBrowser, ServiceInfo, ServiceListener,
                      Zeroconf)
from zeroconf.asyncio import AsyncZeroconf

_PLAIN_PATH = re.compile(r"/(?!/)[A-Za-z0-9._~/-]*")  # one absolute path, not "//host"
SERVICE_TYPE = "_parley._tcp.local."


@dataclasses.dataclass(frozen=True)
class FoundServer:
    """A Parley server seen on the network."""

    name: str                  # the server's name, e.g. "Room 4"
    addresses: tuple[str, ...]
    port: int
    url: str                   # where to open it, e.g. https://192.168.1.20:8080/
    fingerprint: str | None    # SHA-256 of its certificate, to compare with what it printed
    version: str | None


def _service_info(name: str, port: int, addresses: Sequence[str], host: str,
                  properties: dict[str, str]) -> ServiceInfo:
    return ServiceInfo(
        SERVICE_TYPE, f"{name}.{SERVICE_TYPE}", port=port,
        addresses=[ipaddress.ip_address(a).packed for a in addresses],
        properties=properties, server=host if host.endswith(".") else host + ".",
    )


class Advertiser:
    """Announces one server on the LAN addresses it serves on, until `close`."""

    def __init__(self, name: str, port: int, addresses: Sequence[str], host: str,
                 properties: dict[str, str]) -> None:
        self.info = _service_info(name, port, addresses, host, properties)
        self.addresses = list(addresses)
        self._zc: AsyncZeroconf | None = None

    @property
    def name(self) -> str:
        """The instance name actually registered (zeroconf renames it on a clash)."""
        return self.info.name[: -len(SERVICE_TYPE) - 1]

    async def start(self) -> None:
        """Register the service (probing for a unique name first)."""
        self._zc = AsyncZeroconf(interfaces=self.addresses, ip_version=IPVersion.V4Only)
        await self._zc.async_register_service(self.info, allow_name_change=True)

    async def close(self) -> None:
        """Say goodbye on the network and close the sockets."""
        if self._zc is None:
            return
        zc, self._zc = self._zc, None
        await zc.async_unregister_all_services()
        await zc.async_close()


class _Collector(ServiceListener):
    def __init__(self) -> None:
        self.names: list[str] = []
        self.lock = threading.Lock()

    def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        with self.lock:
            if name not in self.names:
                self.names.append(name)

    def update_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        self.add_service(zc, type_, name)

    def remove_service(self, zc: Zeroconf, type_: str, name: str) -> None:
        pass


def _found(info: ServiceInfo) -> FoundServer | None:
    addresses = tuple(info.parsed_addresses(IPVersion.V4Only))
    if not addresses or info.port is None:
        return None
    props = {k.decode(): (v or b"").decode() for k, v in info.properties.items()}
    scheme, path = props.get("scheme", "https"), props.get("path", "/")
    # The answer is anyone's on the network: `path="@meet.example.org/"` would turn the URL into
    # one for another host (and its fingerprint would be pinned for it), so only a plain path.
    if scheme not in ("http", "https") or not _PLAIN_PATH.fullmatch(path):
        return None
    return FoundServer(
        name=info.name[: -len(SERVICE_TYPE) - 1], addresses=addresses, port=info.port,
        url=f"{scheme}://{addresses[0]}:{info.port}{path}",
        fingerprint=props.get("fp") or None, version=props.get("version") or None,
    )


def discover(timeout: float = 3.0, interfaces: Sequence[str] | None = None) -> list[FoundServer]:
    """The Parley servers that answer on the LAN within `timeout` seconds (blocking)."""
    zc = Zeroconf(interfaces=list(interfaces) if interfaces else InterfaceChoice.All,
                  ip_version=IPVersion.V4Only)
    try:
        collector = _Collector()
        browser = ServiceBrowser(zc, SERVICE_TYPE, listener=collector)
        deadline = time.monotonic() + timeout
        found: dict[str, FoundServer] = {}
        while True:  # resolve names as they come, until the deadline
            with collector.lock:
                pending = [n for n in collector.names if n not in found]
            for name in pending:
                left = max(deadline - time.monotonic(), 0.2)
                info = zc.get_service_info(SERVICE_TYPE, name, timeout=int(min(left, 3.0) * 1000))
                server = _found(info) if info else None
                if server is not None:
                    found[name] = server
            if time.monotonic() >= deadline:
                break
            time.sleep(0.1)  # a poll of the browser's findings, bounded by the deadline
        browser.cancel()
        return sorted(found.values(), key=lambda s: s.name)
    finally:
        zc.close()


def host_label(name: str) -> str:
    """A DNS-safe label for the machine, for the SRV target."""
    label = "".join(c if c.isalnum() or c == "-" else "-" for c in name.split(".")[0].lower())
    return label.strip("-") or socket.gethostname().split(".")[0].lower() or "parley"
