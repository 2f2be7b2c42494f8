"""A two-machine LAN in network namespaces joined by one veth link (needs root, as CI has).

The "host" machine (`<subnet>.1`) runs the server under test, the "other" machine (`<subnet>.2`) a
browser, a client or a second server. Each namespace has loopback and that link and no route
anywhere else, so a call that works there needs nothing outside the LAN, and nothing a test does can
reach another network; mDNS multicast crosses the link as on a real LAN. Programs run inside with
`ip netns exec`. An X display is shared through its socket file in /tmp/.X11-unix, which
namespaces do not hide.
"""

from __future__ import annotations

import os
import signal
import subprocess

from support import REPO


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class TwoMachines:
    """`host_ns` and `other_ns` at `host_ip` and `other_ip`; `command(ns, ...)` runs a program in one."""

    def __init__(self, name: str, subnet: str) -> None:
        """`name` tells this test run's namespaces apart (e.g. a tag and the pid); `subnet` as "10.213.0"."""
        self.host_ns, self.other_ns = f"parley-{name}-host", f"parley-{name}-other"
        self.host_ip, self.other_ip = f"{subnet}.1", f"{subnet}.2"

    def create(self) -> None:
        """Both namespaces, loopback up, and the link between them."""
        for ns in (self.host_ns, self.other_ns):
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", self.host_ns, "link", "add", "lan0", "type", "veth", "peer", "name", "lan0",
            "netns", self.other_ns)
        for ns, address in ((self.host_ns, self.host_ip), (self.other_ns, self.other_ip)):
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "lan0")
            _ip("-n", ns, "link", "set", "lan0", "up")

    def destroy(self) -> None:
        """Kill what still runs inside (only this test's processes) and remove the namespaces."""
        for ns in (self.host_ns, self.other_ns):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout
            for pid in pids.split():
                os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def __enter__(self) -> TwoMachines:
        self.destroy()  # what a killed earlier run of this process id left behind
        self.create()
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()

    @staticmethod
    def prefix(ns: str) -> tuple[str, ...]:
        """The command prefix that runs a program in `ns`."""
        return ("ip", "netns", "exec", ns)

    def command(self, ns: str, *argv: str) -> list[str]:
        """`argv` run inside `ns`."""
        return [*self.prefix(ns), *argv]

    def run(self, ns: str, *argv: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        """Run a program inside a namespace (from the repository's root) and wait for it."""
        return subprocess.run(self.command(ns, *argv), capture_output=True, text=True,
                              timeout=timeout, cwd=REPO)
