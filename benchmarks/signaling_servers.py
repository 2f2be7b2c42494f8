"""Servers under test for `signaling_load.py`: start them on loopback, read their CPU and memory, stop them.

Each server is a subprocess on a free 127.0.0.1 port (`tests/support`). Its CPU time comes from `/proc/<pid>/stat`
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
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server processes, redis-server

from support.processes import ServerProcess, free_port  # noqa: E402
from support.redis_server import RedisServer  # noqa: E402

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


class BenchServer(ServerProcess):
    """One server of a benchmark target on a free 127.0.0.1 port, launched at once (`wait_ready` waits)."""

    def __init__(self, spec: ServerSpec, workdir: Path, redis_url: str | None = None) -> None:
        port = free_port()
        data_dir = workdir / f"data-{port}"
        data_dir.mkdir(parents=True)
        super().__init__(spec.command(port, data_dir) + (["--redis-url", redis_url] if redis_url else []),
                         workdir / f"server-{port}.log", port, env={**os.environ, **dict(spec.env)},
                         preexec_fn=raise_open_file_limit, name=spec.name)
        self.launch()

    @property
    def ws_url(self) -> str:
        """The signaling WebSocket URL."""
        return f"ws://127.0.0.1:{self.port}/ws"


def cpu_seconds(process: ServerProcess | RedisServer) -> float:
    """User + system CPU time a running process has used so far (from /proc/<pid>/stat)."""
    with open(f"/proc/{process.pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class ServerGroup:
    """The processes that together serve one benchmark target; with `nodes` > 1, on one Redis."""

    def __init__(self, spec: ServerSpec, nodes: int, workdir: Path) -> None:
        if nodes > 1 and spec is BARE:
            raise ValueError("the bare relay runs as one process only")
        self.spec = spec
        self.processes: list[BenchServer] = []
        self.redis: RedisServer | None = None
        try:
            if nodes > 1:
                self.redis = RedisServer(workdir, persistent=False)
                self.redis.start()
            for _ in range(nodes):
                self.processes.append(BenchServer(spec, workdir, self.redis.url if self.redis else None))
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
        return (sum(cpu_seconds(process) for process in self.processes)
                + (cpu_seconds(self.redis) if self.redis else 0.0))

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
