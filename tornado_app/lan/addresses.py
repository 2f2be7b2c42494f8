"""This machine's addresses on its local networks, and its `.local` name."""

from __future__ import annotations

import ipaddress
import socket

import ifaddr


def lan_addresses() -> list[str]:
    """IPv4 addresses of the machine's network interfaces, loopback and link-local left out.

    These are what other machines on the LAN can reach; IPv6 is left out because browsers and
    people handle `https://192.168.1.20:8080/` far better than a bracketed IPv6 literal.
    """
    found: list[str] = []
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if not ip.is_IPv4:
                continue
            address = ipaddress.IPv4Address(ip.ip)
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            if str(address) not in found:
                found.append(str(address))
    return found


def local_hostname() -> str:
    """The machine's mDNS name, e.g. `meeting-room.local`."""
    name = socket.gethostname().split(".")[0] or "parley"
    return f"{name.lower()}.local"
