"""Server subprocesses on loopback for tests and benchmarks: started on a free port, waited for, stopped.

`ServerProcess` runs any command that serves `GET /healthz` (Parley, the benchmarks' bare relay);
`ParleyServer` is `python -m tornado_app` with its own data folder. Output goes to a log file, so
a failure can show its end, and nothing waits on a pipe that could fill.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from support import REPO, TEST_UI_DIR


def free_port(kind: socket.SocketKind = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that nothing listens on right now (TCP, or UDP with SOCK_DGRAM)."""
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(method: str, url: str, body: object | None = None, timeout: float = 5) -> tuple[int, Any]:
    """One JSON request with the standard library; (status, decoded body), never raising on a status."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        with err:
            raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, raw.decode(errors="replace")


class LoggedProcess:
    """A process a test starts and stops (`with` works), whose output goes to `log_path`."""

    log_path: Path

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> object:
        raise NotImplementedError

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        """Everything the process wrote so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        """The end of the process's output."""
        return "\n".join(self.log().splitlines()[-lines:])


class ServerProcess(LoggedProcess):
    """A server subprocess on 127.0.0.1:`port`; ready once `GET /healthz` answers 200."""

    def __init__(self, argv: Iterable[str], log_path: Path, port: int, *,
                 env: Mapping[str, str] | None = None, preexec_fn: Callable[[], None] | None = None,
                 name: str = "the server", cwd: Path = REPO) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.log_path = log_path
        self.port = port
        self.env = dict(os.environ if env is None else env)
        self.preexec_fn = preexec_fn
        self.name = name
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, f"{self.name} is not running"
        return self.proc.pid

    def launch(self) -> None:
        """Start the process without waiting for it (`wait_ready` waits)."""
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        try:
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=self.preexec_fn)
        except BaseException:
            self.stop()  # closes the log
            raise

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Return once `GET /healthz` answers 200; stop it and raise with its log if it never does."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                code = self.stop()
                raise RuntimeError(f"{self.name} exited with {code}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if http_json("GET", f"{self.base_url}/healthz", timeout=2)[0] == 200:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.05)  # polling interval while waiting for the server to listen

    def start(self, timeout: float = 30.0) -> None:
        """Start and wait until it is ready."""
        self.launch()
        self.wait_ready(timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Send `sig` (SIGTERM: a graceful shutdown), SIGKILL if it hangs; returns the exit status."""
        code = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            code = self.proc.returncode
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code


    def rss_kib(self) -> int:
        """Its resident set size (VmRSS) in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS line")


class ParleyServer(ServerProcess):
    """`python -m tornado_app` on one loopback port and data folder; it can be stopped and started
    again on both. Room creation is not rate-limited (tests and benchmarks make many rooms)."""

    def __init__(self, data_dir: Path, log_path: Path, options: Iterable[str] = (),
                 port: int | None = None, *, env: Mapping[str, str] | None = None,
                 preexec_fn: Callable[[], None] | None = None, cwd: Path = REPO) -> None:
        self.data_dir = data_dir
        self.options = tuple(options)
        port = port or free_port()
        super().__init__(
            [sys.executable, "-m", "tornado_app", "--host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(data_dir), *self.options],
            log_path, port, env={**os.environ, "PARLEY_CREATE_ROOM_RATE": "0",
                                  "PARLEY_UI_DIR": str(TEST_UI_DIR), **(env or {})},
            preexec_fn=preexec_fn, cwd=cwd)

    def launch(self) -> None:
        """Start the server (its data folder made first) without waiting for it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        super().launch()

    def http(self, method: str, path: str, body: object | None = None) -> tuple[int, Any]:
        """A JSON request to this server (a POST without `body` sends `{}`); (status, body)."""
        if body is None and method == "POST":
            body = {}
        return http_json(method, self.base_url + path, body)

    def create_room(self) -> str:
        """POST /createRoom; the new room's id."""
        status, body = self.http("POST", "/createRoom")
        assert status == 201, f"POST /createRoom answered {status}: {body}"
        return body["roomId"]

    def room(self, room_id: str) -> dict[str, Any]:
        """GET /room/<roomId>/users."""
        status, body = self.http("GET", f"/room/{room_id}/users")
        assert status == 200, f"GET /room/{room_id}/users answered {status}: {body}"
        return body
