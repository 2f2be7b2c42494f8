"""Signaling load benchmark (issue 2): Parley against a bare Tornado relay, in the same run.

On 127.0.0.1 only, for Parley and for `bare_relay.py` (the baseline):

1. **Load**: start both servers, open `--clients` WebSocket clients in rooms of 5 on each, warm up,
   then offer `--rate` msg/s of `iceCandidate` for `--duration` s (p50/p99 latency, delivery, server
   CPU per message), then sweep the rate upwards to find the highest rate with p99 < 50 ms and full
   delivery. The servers take turns step by step (the fixed rate in alternating slices), so that
   what other people run on the shared machine falls on both alike.
2. **Idle memory**: start a fresh server, create the rooms, join `--idle-clients` connections that
   then stay idle, and divide the VmRSS growth by their number.

With `--chat` (issue 13) it runs instead chat delivery against the relay baseline
(`chat_delivery.py` measures and writes that section). With `--nodes 2` (issue 6) it runs instead the fixed-rate load against one Parley process and against
two Parley processes sharing one `redis-server`, side by side (`signaling_nodes.py` writes that
section).

The figures go to the "Signaling load (issue 2)" section of docs/benchmarks.md (`--doc`). Every
server is stopped at the end, whatever happens. `make bench` runs the default (about 3-4 minutes);
`--quick` is a smoke run of under 30 s that does not touch the document unless `--doc` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import math
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

from signaling_clients import (ROOM_SIZE, BenchClient, Recorder, StepResult, close_clients, connect_clients,
                               run_step)
from doc_sections import write_section
from signaling_report import END, START, IdleResult, LoadResult, Report, render, step_passes
import chat_delivery
import signaling_nodes
from signaling_servers import (BARE, PARLEY, PARLEY_PAIR, REPO, ServerGroup, ServerSpec, cpu_seconds,
                               machine_description, raise_open_file_limit, wait_for_quiet)

# Parley allows 50 msg/s per connection; the sweep keeps every client below this.
MAX_CLIENT_RATE = 40.0
SWEEP_START = 1000.0
SWEEP_MAX_STEPS = 9
WARMUP_RATE = 500.0
WARMUP_SECONDS = 1.0
IDLE_SETTLE_SECONDS = 2.0
FIXED_ROUNDS = 4
QUIET_CORES = 0.5
NOISY_CORES = 0.5
STEP_RETRIES = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="connections for the load runs (default 1000)")
    parser.add_argument("--rate", type=float, default=2000.0, help="fixed offered rate, msg/s (default 2000)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds at the fixed rate (default 10)")
    parser.add_argument("--step-seconds", type=float, default=4.0, help="seconds per sweep step (default 4)")
    parser.add_argument("--idle-clients", type=int, default=5000,
                        help="idle joined connections for the memory figure (default 5000)")
    parser.add_argument("--nodes", type=int, default=1,
                        help="2: compare two Parley processes on one Redis with one process "
                             "(fixed rate only; writes the scale-out section) (default 1)")
    parser.add_argument("--chat", action="store_true", help="chat delivery against the relay (chat_delivery.py)")
    parser.add_argument("--chat-rate", type=float, default=200.0, help="with --chat: chat msg/s in all (200)")
    parser.add_argument("--servers", default="parley,bare",
                        help="comma-separated targets: parley, bare (default both)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run in under 30 s (200 clients, 1 s steps, 250 idle); no --doc by default")
    parser.add_argument("--no-sweep", action="store_true", help="skip the rate sweep")
    parser.add_argument("--bisections", type=int, default=2,
                        help="sweep steps between the last pass and the first fail (default 2)")
    parser.add_argument("--wait-quiet", type=float, default=60.0,
                        help="first wait up to this many seconds for the shared machine to be under "
                             f"{QUIET_CORES:g} busy cores (default 60; --quick: 0)")
    parser.add_argument("--retry-budget", type=float, default=90.0,
                        help="seconds the run may spend waiting to repeat steps during which other work used "
                             f"more than {NOISY_CORES:g} cores (default 90; --quick: 0)")
    parser.add_argument("--nice", type=int, default=0,
                        help="run the generator and the servers at this niceness (negative needs root; "
                             "both servers alike; default 0)")
    parser.add_argument("--doc", type=Path, default=None,
                        help="Markdown file whose section to rewrite (default docs/benchmarks.md; "
                             "with --quick, none)")
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse and check the command line; --quick shrinks the defaults it is given."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.nodes not in (1, 2):
        parser.error("--nodes: 1, or 2 (two Parley processes on one Redis, beside one process)")
    if args.quick:
        args.clients, args.duration, args.step_seconds, args.bisections = 200, 2.0, 1.0, 0
        args.rate = min(args.rate, 1000.0)
        args.idle_clients = 250
        args.wait_quiet = args.retry_budget = 0.0
    elif args.doc is None:
        args.doc = REPO / "docs" / "benchmarks.md"
    args.servers = list(dict.fromkeys(name.strip() for name in args.servers.split(",") if name.strip()))
    unknown = set(args.servers) - {"parley", "bare"}
    if unknown:
        parser.error(f"--servers: unknown {', '.join(sorted(unknown))}")
    for name in ("clients", "idle_clients"):
        if getattr(args, name) < ROOM_SIZE:
            parser.error(f"--{name.replace('_', '-')}: at least {ROOM_SIZE}")
    if args.rate / args.clients > MAX_CLIENT_RATE:
        parser.error(f"--rate: at most {MAX_CLIENT_RATE:g} msg/s per client (Parley limits 50/s)")
    return args


def log(text: str) -> None:
    """Progress on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def describe(step: StepResult) -> str:
    """One line about a step, for the progress log."""
    return (f"offered {step.offered_rate:,.0f} achieved {step.achieved_rate:,.0f} msg/s, "
            f"delivered {step.delivered:.2%}, p50 {step.percentile_ms(0.5):.2f} ms, "
            f"p99 {step.percentile_ms(0.99):.2f} ms, server {step.server_cpu_us_per_message:.1f} µs/msg "
            f"({step.server_core_share:.0%} core), generator {step.generator_core_share:.0%} core, "
            f"others {step.other_core_share:.2f} cores"
            + (f", errors {step.errors}" if step.errors else ""))


class QuietGuard:
    """Re-runs steps that other people's work disturbed, within a bounded budget of waiting."""

    def __init__(self, budget_seconds: float) -> None:
        self.remaining = budget_seconds
        self.retried = 0

    def disturbed(self, step: StepResult) -> bool:
        """Whether the step ran while the rest of the machine used more than `NOISY_CORES`, with budget left."""
        return step.other_core_share > NOISY_CORES and self.remaining > 0

    async def settle(self) -> None:
        """Wait (from the budget, at most 15 s) for the machine to quieten."""
        started = time.monotonic()
        await asyncio.to_thread(wait_for_quiet, QUIET_CORES, min(15.0, self.remaining))
        self.remaining -= time.monotonic() - started
        self.retried += 1


class Target:
    """One server under load: its processes, its joined clients and what they recorded."""

    def __init__(self, spec: ServerSpec, group: ServerGroup, guard: QuietGuard) -> None:
        self.spec = spec
        self.group = group
        self.guard = guard
        self.recorder = Recorder()
        self.clients: list[BenchClient] = []
        self.room_sources = 1
        self.steps = 0

    async def join(self, count: int) -> None:
        """Create rooms and join `count` clients (rounded up to whole rooms)."""
        rooms = self.group.create_rooms(math.ceil(count / ROOM_SIZE))
        self.room_sources = rooms.source_addresses
        log(f"{self.spec.name}: joining {len(rooms.room_ids) * ROOM_SIZE} clients")
        self.clients = await connect_clients(self.group.ws_urls, rooms.room_ids, ROOM_SIZE, self.recorder)

    async def step(self, rate: float, seconds: float) -> StepResult:
        """One load step against this server, run again (up to twice) if others' work disturbed it."""
        for _attempt in range(STEP_RETRIES):
            result = await self._run(rate, seconds)
            if not self.guard.disturbed(result):
                return result
            log(f"{self.spec.name}: others used {result.other_core_share:.2f} cores during the step; again")
            await self.guard.settle()
        return await self._run(rate, seconds)

    async def warm_up(self) -> None:
        """A short step whose figures are thrown away (first-use costs, caches)."""
        await self._run(WARMUP_RATE, WARMUP_SECONDS)

    async def _run(self, rate: float, seconds: float) -> StepResult:
        self.steps += 1
        return await run_step(self.clients, self.recorder, self.steps, rate, seconds, self.group.cpu_seconds)


class Sweep:
    """The rate sweep's state for one server: double until a step fails, then bisect."""

    def __init__(self, ceiling: float, bisections: int) -> None:
        self.ceiling = ceiling
        self.max_bisections = bisections
        self.steps: list[StepResult] = []
        self.passed: float | None = None
        self.failed: float | None = None
        self.bisections = 0
        self.rate: float | None = SWEEP_START
        self.stop = f"sweep ceiling {ceiling:,.0f} msg/s ({MAX_CLIENT_RATE:g} per client)"

    def record(self, step: StepResult) -> None:
        """Take a step's outcome and choose the next rate (None when the sweep is over)."""
        self.steps.append(step)
        if step.achieved_rate < 0.95 * step.offered_rate:
            self.stop = (f"the load generator could not offer {step.offered_rate:,.0f} msg/s while others used "
                         f"{step.other_core_share:.2f} cores")
            self.rate = None
            return
        if step_passes(step):
            self.passed = step.offered_rate
        else:
            self.failed = min(self.failed or math.inf, step.offered_rate)
            self.stop = f"{self.failed:,.0f} msg/s failed"
        self.rate = self._next_rate()

    def _next_rate(self) -> float | None:
        if len(self.steps) >= SWEEP_MAX_STEPS:
            return None
        if self.failed is None:
            rate = self.steps[-1].offered_rate * 2
            return rate if rate <= self.ceiling else None
        low = self.passed or 0.0
        if self.bisections >= self.max_bisections or self.failed - low <= 500:
            return None
        self.bisections += 1
        return round((low + self.failed) / 2 / 250) * 250


async def measure_loads(specs: list[ServerSpec], args: argparse.Namespace, workdir: Path,
                        guard: QuietGuard) -> list[LoadResult]:
    """Fixed-rate and sweep steps, alternating between the servers so that machine noise hits both alike."""
    groups: list[ServerGroup] = []
    targets: list[Target] = []
    try:
        for spec in specs:
            groups.append(ServerGroup(spec, args.nodes, workdir))
            targets.append(Target(spec, groups[-1], guard))
        for target in targets:
            await target.join(args.clients)
            await target.warm_up()
        fixed = await fixed_rate(targets, args)
        sweeps = {target.spec.name: Sweep(MAX_CLIENT_RATE * len(target.clients), args.bisections) for target in targets}
        if not args.no_sweep:
            await sweep_rates(targets, sweeps, args.step_seconds)
    finally:
        await stop_then_drop(groups, [client for target in targets for client in target.clients])
    return [
        LoadResult(t.spec.name, len(t.clients), fixed[t.spec.name], sweeps[t.spec.name].steps,
                   sweeps[t.spec.name].passed, "skipped" if args.no_sweep else sweeps[t.spec.name].stop,
                   t.room_sources)
        for t in targets
    ]


async def fixed_rate(targets: list[Target], args: argparse.Namespace) -> dict[str, StepResult]:
    """`--duration` s at `--rate` for each server, in `FIXED_ROUNDS` alternating slices."""
    slices: dict[str, list[StepResult]] = {target.spec.name: [] for target in targets}
    for round_index in range(FIXED_ROUNDS):
        order = targets if round_index % 2 == 0 else targets[::-1]
        for target in order:
            slices[target.spec.name].append(await target.step(args.rate, args.duration / FIXED_ROUNDS))
    merged = {name: StepResult.merge(steps) for name, steps in slices.items()}
    for name, step in merged.items():
        log(f"{name}: fixed rate: {describe(step)}")
    return merged


async def sweep_rates(targets: list[Target], sweeps: dict[str, Sweep], seconds: float) -> None:
    """Run every server's sweep, one step each in turn, until all are over."""
    while active := [target for target in targets if sweeps[target.spec.name].rate is not None]:
        for target in active:
            sweep = sweeps[target.spec.name]
            step = await target.step(sweep.rate, seconds)
            log(f"{target.spec.name}: sweep: {describe(step)}")
            sweep.record(step)
            if not step_passes(step):
                await asyncio.sleep(1.0)  # let an overloaded server drain before the next step


async def stop_then_drop(groups: list[ServerGroup], clients: list[BenchClient]) -> None:
    """Stop the servers while the clients still answer their close frames (a quick shutdown), then drop them."""
    for group in groups:
        await asyncio.to_thread(group.stop)
    close_clients(clients)


async def measure_idle(spec: ServerSpec, args: argparse.Namespace, workdir: Path) -> IdleResult:
    """VmRSS per idle joined connection on a freshly started server."""
    group = ServerGroup(spec, args.nodes, workdir)
    recorder = Recorder()
    warm: list[BenchClient] = []
    idle: list[BenchClient] = []
    try:
        warm_rooms = group.create_rooms(1)
        warm = await connect_clients(group.ws_urls, warm_rooms.room_ids, ROOM_SIZE, recorder)
        await run_step(warm, recorder, 0, 50.0, 0.5, group.cpu_seconds)
        await asyncio.sleep(0.5)
        rss_start = group.rss_kib()
        rooms = group.create_rooms(math.ceil(args.idle_clients / ROOM_SIZE))
        rss_rooms = group.rss_kib()
        log(f"{spec.name}: joining {len(rooms.room_ids) * ROOM_SIZE} idle clients")
        idle = await connect_clients(group.ws_urls, rooms.room_ids, ROOM_SIZE, recorder)
        await asyncio.sleep(IDLE_SETTLE_SECONDS)
        rss_joined = group.rss_kib()
    finally:
        await stop_then_drop([group], warm + idle)
    result = IdleResult(spec.name, len(idle), rss_start, rss_rooms, rss_joined, rooms.source_addresses)
    log(f"{spec.name}: {result.per_connection_kib:.1f} KiB per idle joined connection "
        f"({result.per_connection_with_rooms_kib:.1f} with rooms)")
    return result


def notes_for(loads: list[LoadResult], idles: list[IdleResult], guard: QuietGuard) -> list[str]:
    """Caveats worth writing down next to the figures."""
    notes = []
    if guard.retried:
        notes.append(f"{guard.retried} step(s) were run again because other work on the machine used more "
                     f"than {NOISY_CORES:g} cores meanwhile; the tables show only the last try of each.")
    for item in [*loads, *idles]:
        if item.room_sources > 1:
            notes.append(f"{item.server}: `PARLEY_CREATE_ROOM_RATE=0` was not honoured (POST /createRoom "
                         f"answered 429), so rooms were created from {item.room_sources} loopback source "
                         "addresses (127.0.0.1 upwards).")
    return list(dict.fromkeys(notes))


async def measure_nodes(args: argparse.Namespace, guard: QuietGuard) -> str:
    """`--nodes 2`: the fixed-rate load on one process and on the pair; the Markdown section."""
    groups: list[ServerGroup] = []
    targets: list[Target] = []
    with tempfile.TemporaryDirectory(prefix="parley-nodes-") as tmp:
        try:
            for spec, nodes in ((PARLEY, 1), (PARLEY_PAIR, args.nodes)):
                groups.append(ServerGroup(spec, nodes, Path(tmp)))
                targets.append(Target(spec, groups[-1], guard))
            for target in targets:
                await target.join(args.clients)
                await target.warm_up()
            redis = groups[1].redis
            assert redis is not None
            redis_before = cpu_seconds(redis)
            fixed = await fixed_rate(targets, args)
            redis_seconds = cpu_seconds(redis) - redis_before
        finally:
            await stop_then_drop(groups, [c for t in targets for c in t.clients])
    pair = fixed[PARLEY_PAIR.name]
    redis_us = redis_seconds * 1e6 / max(pair.received, 1)  # only the pair's slices used Redis
    log(f"Redis: {redis_us:.1f} µs per relayed message")
    return signaling_nodes.render(args, fixed[PARLEY.name], pair, redis_us)


async def run(args: argparse.Namespace) -> Report:
    """Run every phase for every chosen server and collect the report."""
    specs = [{"parley": PARLEY, "bare": BARE}[name] for name in args.servers]
    busy = await asyncio.to_thread(wait_for_quiet, QUIET_CORES, args.wait_quiet, 2.0 if args.wait_quiet else 0.5)
    log(f"the machine's other work uses {busy:.2f} cores")
    machine = {**machine_description(), "others_at_start": f"{busy:.2f}",
               "nice": str(os.getpriority(os.PRIO_PROCESS, 0))}
    guard = QuietGuard(args.retry_budget)
    idles: list[IdleResult] = []
    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        workdir = Path(tmp)
        loads = await measure_loads(specs, args, workdir, guard)
        for spec in specs:
            idles.append(await measure_idle(spec, args, workdir))
    return Report(
        date=datetime.date.today().isoformat(),
        command=shlex.join([".venv/bin/python", "benchmarks/signaling_load.py", *sys.argv[1:]]),
        machine=machine, step_seconds=args.step_seconds, loads=loads, idles=idles,
        notes=notes_for(loads, idles, guard),
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run, print the section, and write it to the document."""
    args = parse_args(argv)
    raise_open_file_limit()
    if args.nice:
        os.setpriority(os.PRIO_PROCESS, 0, args.nice)  # the servers inherit it
    started = time.monotonic()
    if args.chat:
        return chat_delivery.main(args)
    if args.nodes == 2:
        section = asyncio.run(measure_nodes(args, QuietGuard(args.retry_budget)))
        print(section)
        if args.doc is not None:
            signaling_nodes.write(section, args.doc)
            log(f"wrote {args.doc}")
        return
    report = asyncio.run(run(args))
    section = render(report, PARLEY.name, BARE.name)
    print(section)
    if args.doc is not None:
        write_section(args.doc, section, START, END)
        log(f"wrote {args.doc}")
    log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
