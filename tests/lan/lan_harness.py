"""Helpers for the LAN-mode and TURN tests: network namespaces, server processes, the call driver.

The LAN is simulated with two network namespaces joined by a veth pair: a "server machine" at
10.213.0.1 and a "client machine" at 10.213.0.2. Each has loopback and that one link, and no route
anywhere else, so a call that works there needs nothing outside the LAN. mDNS multicast flows over
the veth link like on a real network. Programs run inside with `ip netns exec`; nothing here ever
sends to an address outside loopback and these namespaces.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON = sys.executable
SERVER_IP, CLIENT_IP = "10.213.0.1", "10.213.0.2"
START_TIMEOUT = 20.0


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


class Lan:
    """Two namespaces on one link; `run` and `popen` start programs on either side."""

    def __init__(self, tag: str) -> None:
        self.server_ns, self.client_ns = f"parley-srv-{tag}", f"parley-cli-{tag}"

    def create(self) -> None:
        for ns in (self.server_ns, self.client_ns):
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
        _ip("-n", self.server_ns, "link", "add", "lan0", "type", "veth", "peer", "name", "lan0",
            "netns", self.client_ns)
        for ns, address in ((self.server_ns, SERVER_IP), (self.client_ns, CLIENT_IP)):
            _ip("-n", ns, "addr", "add", f"{address}/24", "dev", "lan0")
            _ip("-n", ns, "link", "set", "lan0", "up")

    def destroy(self) -> None:
        for ns in (self.server_ns, self.client_ns):
            for pid in subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                                      text=True).stdout.split():
                os.kill(int(pid), signal.SIGKILL)  # only our own test processes live in there
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)

    def command(self, ns: str, *argv: str) -> list[str]:
        return ["ip", "netns", "exec", ns, *argv]

    def run(self, ns: str, *argv: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        """Run a program inside a namespace and wait for it."""
        return subprocess.run(self.command(ns, *argv), capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)


class ServerProcess:
    """tests/lan/serve.py (a real ParleyServer plus the test page) in a subprocess."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT)
        self.info = json.loads(read_line(self.proc, START_TIMEOUT))

    def stop(self) -> int:
        """SIGTERM, then wait for the graceful shutdown; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.output = self.proc.stdout.read() + self.proc.stderr.read()  # type: ignore[union-attr]
        self.proc.stdout.close()  # type: ignore[union-attr]
        self.proc.stderr.close()  # type: ignore[union-attr]
        return code


_pending: dict[int, bytes] = {}  # bytes read past the last line returned, by process id


def read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The next line of the process's stdout, or fail with its stderr.

    Reads the pipe's file descriptor directly: a buffered reader would hide lines from select().
    """
    fd = proc.stdout.fileno()  # type: ignore[union-attr]
    buffer = _pending.pop(proc.pid, b"")
    deadline = time.monotonic() + timeout
    while b"\n" not in buffer:
        left = deadline - time.monotonic()
        ready = select.select([fd], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            proc.kill()
            pytest.fail(f"no output within {timeout} s; stderr: {proc.stderr.read()}")  # type: ignore[union-attr]
        chunk = os.read(fd, 65536)
        if not chunk:
            pytest.fail(f"exited with {proc.wait()}; stderr: {proc.stderr.read()}")  # type: ignore[union-attr]
        buffer += chunk
    line, rest = buffer.split(b"\n", 1)
    _pending[proc.pid] = rest
    return line.decode() + "\n"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_call(argv: list[str], timeout: float = 90.0) -> dict:
    """Run call_driver.py (argv: the command, maybe inside a namespace); its JSON result."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_until(check, timeout: float, what: str) -> None:
    """Poll `check()` until true, or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)
