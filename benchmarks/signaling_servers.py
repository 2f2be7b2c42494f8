"""Servers under test for `signaling_load.py`: start them on loopback, read their CPU and memory, stop them.

Each server is a subprocess on a free 127.0.0.1 port. Its CPU time comes from `/proc/<pid>/stat`
(utime + stime) and its memory from `/proc/<pid>/status` (VmRSS), so the load generator's own work is
never counted. A group of processes (`--nodes`) is summed; with more than one node the group also
runs a `redis-server` that the Parley processes share (`--redis-url`), and its CPU counts too.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclasses.dataclass(frozen=True)
class ServerSpec:
    """How to start one kind of server: its label, its command (with {port} and {data} filled) and env."""

    name: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()

    def command(self, port: int, data_dir: Path) -> list[str]:
        """The argv for a server on `port` keeping its files in `data_dir`."""
        return [part.format(port=port, data=data_dir, python=sys.executable) for part in self.argv]


PARLEY = ServerSpec(
    name="parley",
    argv=("{python}", "-m", "tornado_app", "--port", "{port}", "--data-dir", "{data}", "--log-level", "warning"),
    # The benchmark creates hundreds of rooms and opens thousands of connections from one
    # address; this turns the 30/minute room limit and the per-address connection cap off.
    env=(("PARLEY_CREATE_ROOM_RATE", "0"), ("PARLEY_MAX_CONNECTIONS_PER_ADDRESS", "0")),
)
PARLEY_PAIR = ServerSpec(name="parley, 2 processes + Redis", argv=PARLEY.argv, env=PARLEY.env)
BARE = ServerSpec(
    name="bare relay",
    argv=("{python}", str(REPO / "benchmarks" / "bare_relay.py"), "--port", "{port}"),
)


def raise_open_file_limit() -> int:
    """Raise this process's RLIMIT_NOFILE soft limit to its hard limit; return the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """One running server subprocess on 127.0.0.1."""

    def __init__(self, spec: ServerSpec, workdir: Path, redis_url: str | None = None) -> None:
        self.spec = spec
        self.port = free_port()
        data_dir = workdir / f"data-{self.port}"
        data_dir.mkdir(parents=True)
        self.log_path = workdir / f"server-{self.port}.log"
        env = {**os.environ, **dict(spec.env)}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                spec.command(self.port, data_dir) + (["--redis-url", redis_url] if redis_url else []),
                cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, preexec_fn=raise_open_file_limit,
            )

    @property
    def http_base(self) -> tuple[str, int]:
        """(host, port) for HTTP requests."""
        return "127.0.0.1", self.port

    @property
    def ws_url(self) -> str:
        """The signaling WebSocket URL."""
        return f"ws://127.0.0.1:{self.port}/ws"

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Poll `GET /healthz` until it answers 200; raise with the server's log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.spec.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _body = http_request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.spec.name} not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        return _proc_cpu_seconds(self.process.pid)

    def rss_kib(self) -> int:
        """Resident set size (VmRSS) in KiB."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS line")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the server printed."""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class RedisServer:
    """A `redis-server` on a free loopback port for a group of Parley processes (no persistence)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def cpu_seconds(self) -> float:
        """User + system CPU time Redis has used so far."""
        return _proc_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class ServerGroup:
    """The processes that together serve one benchmark target; with `nodes` > 1, on one Redis."""

    def __init__(self, spec: ServerSpec, nodes: int, workdir: Path) -> None:
        if nodes > 1 and spec is BARE:
            raise ValueError("the bare relay runs as one process only")
        self.spec = spec
        self.processes: list[ServerProcess] = []
        self.redis: RedisServer | None = None
        try:
            if nodes > 1:
                self.redis = RedisServer(workdir)
            for _ in range(nodes):
                self.processes.append(ServerProcess(spec, workdir,
                                                    self.redis.url if self.redis else None))
            for process in self.processes:
                process.wait_ready()
        except BaseException:
            self.stop()
            raise

    @property
    def ws_urls(self) -> list[str]:
        """One signaling URL per node; the clients of a room are spread over them."""
        return [process.ws_url for process in self.processes]

    def cpu_seconds(self) -> float:
        """CPU time of all nodes together, Redis included."""
        return (sum(process.cpu_seconds() for process in self.processes)
                + (self.redis.cpu_seconds() if self.redis else 0.0))

    def rss_kib(self) -> int:
        """VmRSS of all nodes together."""
        return sum(process.rss_kib() for process in self.processes)

    def create_rooms(self, count: int) -> RoomBatch:
        """Create `count` rooms with `POST /createRoom` on the first node."""
        return create_rooms(self.processes[0].port, count)

    def stop(self) -> None:
        """Stop every node (and the Redis they share)."""
        for process in self.processes:
            process.stop()
        if self.redis is not None:
            self.redis.stop()

    def __enter__(self) -> ServerGroup:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclasses.dataclass
class RoomBatch:
    """Rooms made for a run, and how many loopback source addresses it took to make them."""

    room_ids: list[str]
    source_addresses: int


def http_request(port: int, method: str, path: str, source: str | None = None,
                 connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    """One HTTP request to 127.0.0.1:port; returns (status, body)."""
    conn = connection or http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=b"{}" if method == "POST" else None,
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if connection is None:
            conn.close()


def create_rooms(port: int, count: int) -> RoomBatch:
    """`POST /createRoom` `count` times over keep-alive connections.

    If the server answers 429 (its per-address room limit is still on), go on from the next loopback
    source address (127.0.0.2, .3, ...) and record how many were needed, so the run still completes
    and the report can say the limit was not disabled.
    """
    room_ids: list[str] = []
    source_index = 1
    conn = _room_connection(port, source_index)
    try:
        while len(room_ids) < count:
            status, body = http_request(port, "POST", "/createRoom", connection=conn)
            if status == 201:
                room_ids.append(json.loads(body)["roomId"])
            elif status == 429 and source_index < 250:
                conn.close()
                source_index += 1
                conn = _room_connection(port, source_index)
            else:
                raise RuntimeError(f"POST /createRoom answered {status}: {body[:200]!r}")
    finally:
        conn.close()
    return RoomBatch(room_ids, source_index)


def _room_connection(port: int, source_index: int) -> http.client.HTTPConnection:
    source = f"127.0.0.{source_index}"
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))


def system_busy_seconds() -> float:
    """CPU time all processes on the machine have used (every core, from /proc/stat), in seconds."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


def wait_for_quiet(threshold_cores: float, timeout: float, window: float = 2.0) -> float:
    """Wait up to `timeout` s until the machine's other work uses under `threshold_cores`; return the last reading."""
    deadline = time.monotonic() + timeout
    while True:
        before = system_busy_seconds()
        time.sleep(window)
        busy = (system_busy_seconds() - before) / window
        if busy < threshold_cores or time.monotonic() >= deadline:
            return busy


def machine_description() -> dict[str, str]:
    """nproc, CPU model, kernel and Python version of this machine."""
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "kernel": os.uname().release,
        "python": sys.version.split()[0],
        "loadavg": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }
