"""A two-machine LAN for the desktop LAN tests: network namespaces joined by one veth link.

The "host machine" (10.214.0.1) runs the desktop app, the "other machine" (10.214.0.2) a browser
or a second Parley server. Each namespace has loopback and that link and no route anywhere else, so
nothing a test does can reach another network; mDNS multicast crosses the link as on a real LAN.
The X display is shared through its socket file in /tmp/.X11-unix, which namespaces do not hide.
"""

from __future__ import annotations

import os
import signal
import subprocess

HOST_IP, OTHER_IP = "10.214.0.1", "10.214.0.2"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class TwoMachines:
    """`host_ns` and `other_ns`; `prefix(ns)` runs a program inside one of them."""

    def __init__(self, tag: str) -> None:
        self.host_ns, self.other_ns = f"parley-dhost-{tag}", f"parley-doth-{tag}"

    def create(self) -> None:
        """Both namespaces, loopback up, and the link between them."""
        for ns in (self.host_ns, self.other_ns):
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", self.host_ns, "link", "add", "lan0", "type", "veth", "peer", "name", "lan0",
            "netns", self.other_ns)
        for ns, address in ((self.host_ns, HOST_IP), (self.other_ns, OTHER_IP)):
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "lan0")
            _ip("-n", ns, "link", "set", "lan0", "up")

    def destroy(self) -> None:
        """Kill what still runs inside (only this test's processes) and remove the namespaces."""
        for ns in (self.host_ns, self.other_ns):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout
            for pid in pids.split():
                os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    @staticmethod
    def prefix(ns: str) -> tuple[str, ...]:
        """The command prefix that runs a program in `ns`."""
        return ("ip", "netns", "exec", ns)
