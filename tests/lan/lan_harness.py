"""Helpers for the LAN-mode and TURN tests: the test-page server process and the call driver.

The LAN is two network namespaces (`support.netns.TwoMachines`): the server on the "host" machine,
browsers and clients on the "other" one; nothing here ever sends to an address outside loopback and
these namespaces.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHON = sys.executable
START_TIMEOUT = 20.0


class PageServer:
    """tests/lan/serve.py (a real ParleyServer plus the test page) in a subprocess."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT)
        try:
            self.info = json.loads(read_line(self.proc, START_TIMEOUT))
        except BaseException:
            with self.proc:  # no fixture will stop a server that never started: close its pipes here
                self.proc.kill()
            raise

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


def run_call(argv: list[str], timeout: float = 90.0) -> dict:
    """Run call_driver.py (argv: the command, maybe inside a namespace); its JSON result."""
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
