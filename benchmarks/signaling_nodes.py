"""The report of `signaling_load.py --nodes 2` (issue 6): the same load on two Parley processes
sharing one Redis, side by side with one process, in the same run.

Each room's five users are spread over the two processes, so most relays cross Redis. Reported for
both: p50/p99 relay latency, delivered fraction, and server CPU per relayed message from /proc (for
the pair: both processes plus Redis, and Redis's part alone). The section of docs/benchmarks.md
between `<!-- signaling_nodes:start -->` and `<!-- signaling_nodes:end -->` is rewritten.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
from pathlib import Path

from signaling_clients import StepResult
from doc_sections import write_section
from signaling_servers import machine_description

START = "<!-- signaling_nodes:start -->"
END = "<!-- signaling_nodes:end -->"
TARGET_P50_EXTRA_MS = 1.0
TARGET_P99_MS = 20.0
TARGET_CPU_RATIO = 2.0


def render(args: argparse.Namespace, single: StepResult, pair: StepResult, redis_us: float) -> str:
    """The Markdown section."""
    extra_p50 = pair.percentile_ms(0.5) - single.percentile_ms(0.5)
    ratio = pair.server_cpu_us_per_message / single.server_cpu_us_per_message
    machine = machine_description()
    verdict = {True: "met", False: "**missed**"}
    rows = [
        ("Redis hop adds to p50", f"≤ {TARGET_P50_EXTRA_MS:g} ms", f"{extra_p50:+.2f} ms",
         verdict[extra_p50 <= TARGET_P50_EXTRA_MS]),
        (f"p99 of the pair at {args.rate:,.0f} msg/s", f"< {TARGET_P99_MS:g} ms",
         f"{pair.percentile_ms(0.99):.2f} ms", verdict[pair.percentile_ms(0.99) < TARGET_P99_MS]),
        ("CPU per relayed message, pair / one process", f"≤ {TARGET_CPU_RATIO:g}x", f"{ratio:.2f}x",
         verdict[ratio <= TARGET_CPU_RATIO]),
        ("delivered (pair)", "100%", f"{pair.delivered:.2%}", verdict[pair.delivered >= 1.0]),
    ]
    lines = [
        "## Scale-out: two processes on one Redis (issue 6)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine['nproc']} cores ({machine['cpu']}), "
        f"Python {machine['python']}; load average at the end {machine['loadavg']} (a shared "
        "machine: both targets run in the same run, in alternating slices). Command: "
        f"`{shlex.join(['.venv/bin/python', 'benchmarks/signaling_load.py', *sys.argv[1:]])}`.",
        "",
        f"{args.clients:,} clients in rooms of 5 send `iceCandidate` to random peers of their room at "
        f"{args.rate:,.0f} msg/s in all, for {args.duration:g} s against each target, in alternating "
        "slices. In the pair, each room's users are spread over both processes, so most relays "
        "cross Redis (a Lua script routes each message to the recipient's process inbox).",
        "",
        "| target | goal | measured | |",
        "| --- | --- | ---: | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        "| server | p50 ms | p99 ms | delivered | server CPU µs/msg |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| one process (in memory) | {single.percentile_ms(0.5):.2f} | "
        f"{single.percentile_ms(0.99):.2f} | {single.delivered:.2%} | "
        f"{single.server_cpu_us_per_message:.1f} |",
        f"| two processes + Redis | {pair.percentile_ms(0.5):.2f} | {pair.percentile_ms(0.99):.2f} | "
        f"{pair.delivered:.2%} | {pair.server_cpu_us_per_message:.1f} (Redis {redis_us:.1f}) |",
        "",
        "What a machine with more cores should expect: this machine has 2 cores, shared by the load "
        "generator, the Parley processes and Redis, so two processes cannot show more throughput "
        "here; what the run shows is the cost per message. A relay through Redis costs the figure "
        "above in CPU, spread over the sending process (one EVALSHA), Redis (the script and a "
        "PUBLISH) and the receiving process (reading its inbox). With one core per Parley process "
        "and Redis on a core of its own, the throughput of N processes is about N times one core "
        "divided by that cost, until Redis's own core saturates (Redis is single-threaded: its "
        "µs/msg bounds the whole cluster at about 1,000,000 / that figure messages a second).",
        "",
    ]
    return "\n".join(lines)


def write(body: str, path: Path) -> None:
    """Rewrite only this section of the document."""
    write_section(path, body, START, END)
