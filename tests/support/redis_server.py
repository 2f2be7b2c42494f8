"""A real `redis-server` on a free loopback port, with its files in a folder of the caller's."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from support.processes import free_port


class RedisServer:
    """Starts, restarts and stops one redis-server.

    `persistent` (the tests' default) keeps an append-only file synced on every write, so rooms
    survive a restart; the benchmarks turn it off, as its disk writes are not what they measure.
    """

    def __init__(self, data_dir: Path, persistent: bool = True) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is missing: run `make test` (it installs it)")
        self.data_dir = data_dir
        self.persistent = persistent
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "redis-server is not running"
        return self.proc.pid

    def start(self, timeout: float = 10.0) -> None:
        """Start and wait until it answers PING."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        aof = ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *aof,
             "--dir", str(self.data_dir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._command(b"PING", 0.5).startswith(b"+PONG"):
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise RuntimeError(f"redis-server exited with {code}")
            time.sleep(0.02)  # polling a process that is starting: there is no event to await
        self.stop()
        raise RuntimeError(f"redis-server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop it (SIGTERM) and wait."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def flush(self) -> None:
        """Empty every key (between tests)."""
        assert self._command(b"FLUSHALL", 2).startswith(b"+OK")

    def _command(self, command: bytes, timeout: float) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(command + b"\r\n")
            return sock.recv(16)
