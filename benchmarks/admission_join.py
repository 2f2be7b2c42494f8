"""Join latency with admission (issue 14): open rooms, a host's token, a guest's password, same run.

On 127.0.0.1 only. Starts this tree's Parley and, as the baseline, Parley from the commit before
issue 14 (`--before`, extracted with `git archive` into a temporary folder), then measures the time
from sending `join` to receiving `joined` (the WebSocket already open) at a fixed rate of joins
into fresh rooms of 5, for these paths:

- **before**: the old server, an open room (no admission code at all);
- **open**: this server, a room created without settings, a guest's join;
- **host token**: this server, a room with a password, the host's join with its `hostToken`
  (a SHA-256 compare, no scrypt);
- **password**: this server, the same kind of room, a guest's join with the right password (one
  scrypt check each, in the thread pool), at the same rate and at a rate the machine can sustain.

The paths take turns slice by slice (`--rounds`), so other people's work on the shared machine
falls on all alike. Server CPU per join is utime+stime from /proc over the slice. The figures go to
the "Admission (issue 14)" section of docs/benchmarks.md (`--doc`; `--quick` is a smoke run that
writes nothing unless `--doc` is given).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

from doc_sections import write_section
from signaling_servers import (PARLEY, REPO, BenchServer, ServerProcess, cpu_seconds, free_port,
                               machine_description, raise_open_file_limit, wait_for_quiet)

START, END = "<!-- admission_join:start -->", "<!-- admission_join:end -->"
ROOM_SIZE = 5
PASSWORD = "a benchmark password"
CONNECT_CONCURRENCY = 64
SETTLE_SECONDS = 1.0  # after a slice's connections close, before the next slice starts


@dataclasses.dataclass(frozen=True)
class JoinPath:
    """One way of joining: which server, what room, what the join carries, at what rate."""

    label: str
    server: str  # "before" or "now"
    password_room: bool
    join_with: str  # "", "hostToken" or "password"
    rate: float
    joins: int  # per slice


@dataclasses.dataclass
class Result:
    """What a path's slices measured, together."""

    path: JoinPath
    latencies_ms: list[float] = dataclasses.field(default_factory=list)
    errors: int = 0
    cpu_seconds: float = 0.0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="joins per second (default 100)")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per slice (default 2)")
    parser.add_argument("--rounds", type=int, default=5, help="slices per path, taken in turns (default 5)")
    parser.add_argument("--sustained-rate", type=float, default=20.0,
                        help="the second, sustainable rate for guests with a password (default 20)")
    parser.add_argument("--before", default="ab95d80^",
                        help="the git revision of the baseline server (default ab95d80^, before issue 14)")
    parser.add_argument("--wait-quiet", type=float, default=30.0,
                        help="first wait up to this many seconds for the machine to be under 0.5 busy cores")
    parser.add_argument("--doc", type=Path, default=None,
                        help="Markdown file whose section to rewrite (default docs/benchmarks.md; with --quick, none)")
    parser.add_argument("--quick", action="store_true", help="one round of 1 s slices, no document")
    return parser


def log(text: str) -> None:
    """Progress on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def start_before_server(revision: str, workdir: Path) -> ServerProcess:
    """Parley as it was at `revision`, from a `git archive` of it, on a free port."""
    tree = workdir / "before"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "tornado_app"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    port, data = free_port(), workdir / "before-data"
    data.mkdir()
    env = {**os.environ, **dict(PARLEY.env), "PYTHONPATH": str(tree),
           "PARLEY_UI_DIR": str(REPO / "tornado_app" / "ui")}
    server = ServerProcess(PARLEY.command(port, data), workdir / "before.log", port, env=env,
                           preexec_fn=raise_open_file_limit, name=f"parley at {revision}", cwd=tree)
    server.start()
    return server


def create_room(port: int, body: dict) -> tuple[str, str]:
    """POST /createRoom with `body`: (roomId, hostToken or '')."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/createRoom", body=json.dumps(body), headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read())
        if response.status != 201:
            raise RuntimeError(f"POST /createRoom answered {response.status}: {answer}")
        return answer["roomId"], answer.get("hostToken", "")
    finally:
        conn.close()


async def run_slice(server: ServerProcess, path: JoinPath, joins: int, result: Result) -> None:
    """Open `joins` WebSockets, then join them into fresh rooms at `path.rate` joins a second."""
    body = {"password": PASSWORD} if path.password_room else {}
    rooms = [await asyncio.to_thread(create_room, server.port, body)
             for _ in range(math.ceil(joins / ROOM_SIZE))]
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def opened():
        async with limit:
            return await connect(f"ws://127.0.0.1:{server.port}/ws", compression=None,
                                 ping_interval=None, open_timeout=60, max_size=2**20)

    sockets = await asyncio.gather(*(opened() for _ in range(joins)))
    loop = asyncio.get_running_loop()
    begin = loop.time() + 0.2

    async def join(i: int, ws) -> None:
        room, host_token = rooms[i // ROOM_SIZE]
        payload = {"roomId": room, "userId": f"u{i}", "displayName": f"User {i}"}
        if path.join_with == "hostToken":
            payload["hostToken"] = host_token
        elif path.join_with == "password":
            payload["password"] = PASSWORD
        await asyncio.sleep(max(0.0, begin + i / path.rate - loop.time()))  # the fixed schedule
        sent = time.perf_counter()
        await ws.send(json.dumps({"type": "join", "payload": payload}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "joined":
                result.latencies_ms.append((time.perf_counter() - sent) * 1000)
                return
            if message["type"] == "error":
                result.errors += 1
                return

    cpu_before = cpu_seconds(server)
    await asyncio.gather(*(join(i, ws) for i, ws in enumerate(sockets)))
    result.cpu_seconds += cpu_seconds(server) - cpu_before
    for ws in sockets:
        await ws.close()
    await asyncio.sleep(SETTLE_SECONDS)  # let the leaves finish before the next slice


def scrypt_ms() -> float:
    """One password check's cost in this process (the best of five)."""
    sys.path.insert(0, str(REPO))  # this tree's server code, however the script was started
    from tornado_app import admission

    stored = admission.hash_password(PASSWORD)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        admission.check_password(stored, PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


async def measure(args: argparse.Namespace, servers: dict[str, ServerProcess]) -> list[Result]:
    """Every path's slices, taken in turns."""
    per_slice = max(ROOM_SIZE, round(args.rate * args.seconds))
    sustained = max(ROOM_SIZE, round(args.sustained_rate * args.seconds))
    paths = [
        JoinPath("before (open room, old server)", "before", False, "", args.rate, per_slice),
        JoinPath("open room", "now", False, "", args.rate, per_slice),
        JoinPath("password room, host with its token", "now", True, "hostToken", args.rate, per_slice),
        JoinPath("password room, guest with the password", "now", True, "password", args.rate, per_slice),
        JoinPath("password room, guest with the password", "now", True, "password", args.sustained_rate, sustained),
    ]
    results = [Result(path) for path in paths]
    for round_ in range(args.rounds):
        for result in results:
            await run_slice(servers[result.path.server], result.path, result.path.joins, result)
            log(f"round {round_ + 1}: {result.path.label} at {result.path.rate:g}/s: "
                f"p50 {result.percentile(0.5):.2f} ms, p99 {result.percentile(0.99):.2f} ms")
    return results


def render(args: argparse.Namespace, results: list[Result], scrypt: float, machine: dict[str, str],
           others: float) -> str:
    """The document section."""
    base = results[0]
    lines = [
        "## Admission (issue 14)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine['nproc']} cores ({machine['cpu']}), "
        f"Linux {machine['kernel']}, Python {machine['python']}; load average at start {machine['loadavg']}, "
        f"others' CPU {others:.2f} cores. Reproduce with:",
        "",
        "```sh",
        ".venv/bin/python benchmarks/admission_join.py",
        "```",
        "",
        f"Time from sending `join` to receiving `joined` on an open WebSocket, at a fixed rate of joins into "
        f"fresh rooms of {ROOM_SIZE} (so each join also tells up to 4 others), {args.rounds} slices of "
        f"{args.seconds:g} s per path taken in turns. \"before\" is Parley at `{args.before}` (no admission "
        "code); the other rows are this tree. One scrypt password check (n=2^14, r=8, p=1) took "
        f"{scrypt:.1f} ms in the benchmark process.",
        "",
        "| path | joins/s | joins | p50 ms | p99 ms | max ms | p99 minus before | server CPU ms per join | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        joins = len(r.latencies_ms) + r.errors
        delta = "-" if r is base else f"{r.percentile(0.99) - base.percentile(0.99):+.2f}"
        lines.append(f"| {r.path.label} | {r.path.rate:g} | {joins:,} | {r.percentile(0.5):.2f} | "
                     f"{r.percentile(0.99):.2f} | {max(r.latencies_ms):.2f} | {delta} | "
                     f"{r.cpu_seconds * 1000 / max(1, joins):.2f} | {r.errors} |")
    guests = results[3]
    per_join = guests.cpu_seconds * 1000 / max(1, len(guests.latencies_ms) + guests.errors)
    lines += [
        "",
        f"Against the target (admission adds at most 5 ms p99 to `join` at {args.rate:g} joins/s): an open "
        f"room {results[1].percentile(0.99) - base.percentile(0.99):+.2f} ms, a host with its token "
        f"{results[2].percentile(0.99) - base.percentile(0.99):+.2f} ms. A guest's password costs one scrypt "
        f"check, about {per_join:.0f} ms of server CPU per join, so {machine['nproc']} cores check at most "
        f"about {int(machine['nproc']) * 1000 / per_join:.0f} passwords a second: at {args.rate:g} joins/s "
        "of password guests the checks queue and the join takes seconds (the row above), at "
        f"{args.sustained_rate:g}/s the median is about one check's time. The check runs in the thread pool, so the event "
        "loop (everyone else's signaling) is not blocked meanwhile; at most 5 checks per address (and per room) run "
        "at once (the wrong-password limiter counts a check while it runs).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the section, and write it to --doc if given."""
    args = build_parser().parse_args(argv)
    if args.quick:
        args.rounds, args.seconds = 1, 1.0
    elif args.doc is None:
        args.doc = REPO / "docs" / "benchmarks.md"
    raise_open_file_limit()
    others = wait_for_quiet(0.5, args.wait_quiet)
    machine = machine_description()
    scrypt = scrypt_ms()
    with tempfile.TemporaryDirectory(prefix="parley-admission-") as tmp:
        workdir = Path(tmp)
        servers: dict[str, ServerProcess] = {}
        try:
            servers["before"] = start_before_server(args.before, workdir)
            now = BenchServer(PARLEY, workdir)
            servers["now"] = now
            now.wait_ready()
            results = asyncio.run(measure(args, servers))
        finally:
            for server in servers.values():
                server.stop()
    section = render(args, results, scrypt, machine, others)
    print(section)
    if args.doc is not None:
        write_section(args.doc, section, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
