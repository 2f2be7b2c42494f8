"""Turn `signaling_load.py` results into the "Signaling load (issue 2)" section of docs/benchmarks.md.

The section lives between `<!-- signaling_load:start -->` and `<!-- signaling_load:end -->`; only that
part of the file is ever rewritten, so other benchmarks can keep their own sections beside it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from signaling_clients import StepResult

START = "<!-- signaling_load:start -->"
END = "<!-- signaling_load:end -->"

TARGET_P99_MS = 10.0
TARGET_CPU_RATIO = 1.1  # issue 12 (was 1.3 in issue 2)
TARGET_IDLE_KIB = 20.0
HEADROOM_P99_MS = 50.0


@dataclasses.dataclass
class LoadResult:
    """One server's fixed-rate step and rate sweep."""

    server: str
    clients: int
    fixed: StepResult
    sweep: list[StepResult]
    highest_rate: float | None
    sweep_stop: str
    room_sources: int


@dataclasses.dataclass
class IdleResult:
    """One server's memory before and after joining idle connections."""

    server: str
    connections: int
    rss_start_kib: int
    rss_rooms_kib: int
    rss_joined_kib: int
    room_sources: int

    @property
    def per_connection_kib(self) -> float:
        """RSS growth from joining the connections, per connection."""
        return (self.rss_joined_kib - self.rss_rooms_kib) / self.connections

    @property
    def per_connection_with_rooms_kib(self) -> float:
        """RSS growth including the rooms they joined, per connection."""
        return (self.rss_joined_kib - self.rss_start_kib) / self.connections


@dataclasses.dataclass
class Report:
    """Everything one run measured, plus how and where it ran."""

    date: str
    command: str
    machine: dict[str, str]
    step_seconds: float
    loads: list[LoadResult]
    idles: list[IdleResult]
    notes: list[str]


def step_passes(step: StepResult) -> bool:
    """The sweep's criterion: everything delivered and p99 under 50 ms."""
    return step.sent > 0 and step.received == step.sent and step.percentile_ms(0.99) < HEADROOM_P99_MS


def _fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def _by_server(items: Sequence, name: str):
    return next((item for item in items if item.server == name), None)


def render(report: Report, parley: str, bare: str) -> str:
    """The whole section as Markdown (without the markers)."""
    lines = [
        "## Signaling load (issue 2)",
        "",
        f"Measured {report.date} on {report.machine['nproc']} cores ({report.machine['cpu']}), "
        f"Linux {report.machine['kernel']}, Python {report.machine['python']}; load average at start "
        f"{report.machine['loadavg']} (the machine is shared, so the bare relay runs in the same run as the "
        "baseline). Reproduce with:",
        "",
        "```sh",
        report.command,
        "```",
        "",
        "One Python process (the `websockets` asyncio client) opens the clients over real WebSockets on "
        "127.0.0.1, joins them in rooms of 5 and sends `iceCandidate` to a random other member of the room, "
        "round-robin over the clients at a fixed total rate. Latency is send-to-receive time (the send "
        "timestamp travels in the candidate string). Server CPU is utime+stime from `/proc/<pid>/stat` "
        "over the step, divided by the messages delivered; memory is VmRSS from `/proc/<pid>/status`. "
        "The bare relay (`benchmarks/bare_relay.py`) is a Tornado WebSocket server that parses the same "
        "envelope and forwards `iceCandidate` with no validation, rate limit or room logic. Both servers "
        "run at once and take turns step by step (the fixed rate in 4 alternating slices), so load from "
        "other people's work on the shared machine falls on both alike; \"others' CPU\" is what the rest "
        "of the machine used meanwhile (from `/proc/stat`, in cores out of "
        f"{report.machine['nproc']}); at the start it was {report.machine['others_at_start']} cores.",
        "",
    ]
    if report.machine.get("nice", "0") != "0":
        lines += [f"The generator and both servers ran at niceness {report.machine['nice']}, ahead of the other "
                  "work on the shared machine.", ""]
    lines += _targets_table(report, parley, bare)
    lines += _fixed_table(report)
    lines += _sweep_tables(report)
    lines += _idle_table(report)
    if report.notes:
        lines += ["### Notes", ""] + [f"- {note}" for note in report.notes] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _targets_table(report: Report, parley: str, bare: str) -> list[str]:
    load_p, load_b = _by_server(report.loads, parley), _by_server(report.loads, bare)
    idle_p, idle_b = _by_server(report.idles, parley), _by_server(report.idles, bare)
    rows = ["### Against the targets", "", "| target | Parley | bare relay | verdict |", "| --- | --- | --- | --- |"]
    if load_p and load_b:
        fixed_p, fixed_b = load_p.fixed, load_b.fixed
        p99 = fixed_p.percentile_ms(0.99)
        rows.append(
            f"| p99 <= {TARGET_P99_MS:.0f} ms at {fixed_p.offered_rate:,.0f} msg/s with {load_p.clients:,} "
            f"connections | {_fmt(p99, 2)} ms ({fixed_p.delivered:.2%} delivered) | "
            f"{_fmt(fixed_b.percentile_ms(0.99), 2)} ms | "
            f"{_verdict(p99 <= TARGET_P99_MS and fixed_p.received == fixed_p.sent)} |")
        ratio = fixed_p.server_cpu_us_per_message / fixed_b.server_cpu_us_per_message
        rows.append(
            f"| server CPU per relayed message <= {TARGET_CPU_RATIO}x the bare relay's "
            f"(at {fixed_p.offered_rate:,.0f} msg/s) | {_fmt(fixed_p.server_cpu_us_per_message)} µs "
            f"(**{ratio:.2f}x**) | {_fmt(fixed_b.server_cpu_us_per_message)} µs | "
            f"{_verdict(ratio <= TARGET_CPU_RATIO)} |")
        rows.append(
            f"| highest rate with p99 < {HEADROOM_P99_MS:.0f} ms and 100% delivery (reported, no target) | "
            f"{_highest(load_p)} | {_highest(load_b)} | {_ratio_text(load_p, load_b)} |")
    if idle_p and idle_b:
        rows.append(
            f"| <= {TARGET_IDLE_KIB:.0f} KiB RSS per idle joined connection at {idle_p.connections:,} "
            f"| {_fmt(idle_p.per_connection_kib)} KiB | {_fmt(idle_b.per_connection_kib)} KiB | "
            f"{_verdict(idle_p.per_connection_kib <= TARGET_IDLE_KIB)} |")
    return rows + [""]


def _highest(load: LoadResult) -> str:
    if load.highest_rate is None:
        return f"below {min(step.offered_rate for step in load.sweep):,.0f} msg/s" if load.sweep else "n/a"
    return f"{load.highest_rate:,.0f} msg/s ({load.sweep_stop})"


def _ratio_text(load_p: LoadResult, load_b: LoadResult) -> str:
    if load_p.highest_rate and load_b.highest_rate:
        return f"Parley reaches {load_p.highest_rate / load_b.highest_rate:.0%} of the bare relay's rate"
    return "n/a"


def _fixed_table(report: Report) -> list[str]:
    rows = ["### Fixed rate", "",
            "| server | connections | offered msg/s | sent | delivered | p50 ms | p99 ms | max ms | "
            "server CPU µs/msg | server CPU (cores) | generator CPU (cores) | others' CPU (cores) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for load in report.loads:
        step = load.fixed
        rows.append(
            f"| {load.server} | {load.clients:,} | {step.offered_rate:,.0f} | {step.sent:,} | {step.delivered:.2%} | "
            f"{_fmt(step.percentile_ms(0.5), 2)} | {_fmt(step.percentile_ms(0.99), 2)} | "
            f"{_fmt(step.percentile_ms(1.0), 1)} | {_fmt(step.server_cpu_us_per_message)} | "
            f"{step.server_core_share:.2f} | {step.generator_core_share:.2f} | {step.other_core_share:.2f} |")
    return rows + [""]


def _sweep_tables(report: Report) -> list[str]:
    rows = ["### Rate sweep", "",
            f"Each step offers its rate for {report.step_seconds:g} s; a step passes with every message "
            f"delivered and p99 < {HEADROOM_P99_MS:.0f} ms. The sweep doubles the rate until a step fails or "
            "the generator cannot offer the rate, then bisects between the last pass and the first fail.",
            "",
            "| server | offered msg/s | achieved msg/s | delivered | p50 ms | p99 ms | server CPU µs/msg | "
            "server CPU | generator CPU | others' CPU | errors | pass |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for load in report.loads:
        for step in sorted(load.sweep, key=lambda item: item.offered_rate):
            errors = ", ".join(f"{code} x{count}" for code, count in sorted(step.errors.items())) or "-"
            rows.append(
                f"| {load.server} | {step.offered_rate:,.0f} | {step.achieved_rate:,.0f} | {step.delivered:.2%} | "
                f"{_fmt(step.percentile_ms(0.5), 2)} | {_fmt(step.percentile_ms(0.99), 2)} | "
                f"{_fmt(step.server_cpu_us_per_message)} | {step.server_core_share:.2f} | "
                f"{step.generator_core_share:.2f} | {step.other_core_share:.2f} | {errors} | "
                f"{'yes' if step_passes(step) else 'no'} |")
    return rows + [""]


def _idle_table(report: Report) -> list[str]:
    rows = ["### Memory per idle joined connection", "",
            "RSS is read after the server has started and served one warm-up room, again after creating "
            "one room per 5 connections, and again 2 s after every connection has joined. KiB per connection is "
            "(joined - rooms created) / connections; the last column also counts the rooms.",
            "",
            "| server | connections | RSS at start MiB | after rooms MiB | after joins MiB | KiB per connection | "
            "KiB per connection incl. rooms |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for idle in report.idles:
        rows.append(
            f"| {idle.server} | {idle.connections:,} | {idle.rss_start_kib / 1024:.1f} | "
            f"{idle.rss_rooms_kib / 1024:.1f} | {idle.rss_joined_kib / 1024:.1f} | "
            f"{_fmt(idle.per_connection_kib)} | {_fmt(idle.per_connection_with_rooms_kib)} |")
    return rows + [""]
