"""Chat delivery under load (issue 13), run by `signaling_load.py --chat`.

One Parley process, `--clients` connections (1,000) in rooms of 5. Two loads alternate in slices
in the same run, so that what else runs on the shared machine falls on both alike:

- **chat**: public `chat` messages at `--chat-rate` (200) msg/s in all, round-robin over the
  clients (each sends one every 5 s: well under the 10 in 10 s per-user limit); each reaches the
  room's four others, whose receive time minus the send time is the delivery latency;
- **baseline**: `iceCandidate` relays at four times that rate, i.e. the same number of deliveries
  a second, through the relay's hot path (no coroutine, nothing stored).

Reported: p50/p99 delivery latency, delivered fraction and server CPU per delivered message for
both; the target is a chat p99 of at most 10 ms. The section of docs/benchmarks.md between
`<!-- chat_delivery:start -->` and `<!-- chat_delivery:end -->` is rewritten with `--doc`.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import math
import shlex
import sys
import tempfile
from pathlib import Path

from doc_sections import write_section
from signaling_clients import (CHAT_FRAME, ROOM_SIZE, Recorder, StepResult, close_clients,
                               connect_clients, run_step)
from signaling_servers import PARLEY, ServerGroup, machine_description

START = "<!-- chat_delivery:start -->"
END = "<!-- chat_delivery:end -->"
TARGET_P99_MS = 10.0
SLICES = 4
FANOUT = ROOM_SIZE - 1


async def measure(args: argparse.Namespace) -> tuple[StepResult, StepResult]:
    """(chat, baseline relay): the merged slices of each."""
    recorder = Recorder()
    chat: list[StepResult] = []
    relay: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="parley-chat-") as tmp:
        with ServerGroup(PARLEY, 1, Path(tmp)) as group:
            rooms = group.create_rooms(math.ceil(args.clients / ROOM_SIZE))
            clients = await connect_clients(group.ws_urls, rooms.room_ids, ROOM_SIZE, recorder)
            try:
                step = 0
                slice_seconds = args.duration / SLICES
                for warm in (True,) + (False,) * SLICES:
                    for kind in ("chat", "relay") if step % 4 == 0 else ("relay", "chat"):
                        step += 1
                        seconds = 1.0 if warm else slice_seconds
                        if kind == "chat":
                            result = await run_step(clients, recorder, step, args.chat_rate, seconds,
                                                    group.cpu_seconds, frame=CHAT_FRAME, fanout=FANOUT)
                        else:
                            result = await run_step(clients, recorder, step, args.chat_rate * FANOUT,
                                                    seconds, group.cpu_seconds)
                        if not warm:
                            (chat if kind == "chat" else relay).append(result)
            finally:
                close_clients(clients)
    return StepResult.merge(chat), StepResult.merge(relay)


def render(args: argparse.Namespace, chat: StepResult, relay: StepResult) -> str:
    """The Markdown section."""
    machine = machine_description()
    p99 = chat.percentile_ms(0.99)
    verdict = "met" if p99 <= TARGET_P99_MS and chat.delivered >= 1.0 else "**missed**"
    row = "| {} | {:,.0f} | {:.2f} | {:.2f} | {:.2%} | {:.1f} |"
    return "\n".join([
        "## Chat delivery (issue 13)",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine['nproc']} cores ({machine['cpu']}), "
        f"Python {machine['python']}; load average at the end {machine['loadavg']}. Command: "
        f"`{shlex.join(['.venv/bin/python', 'benchmarks/signaling_load.py', *sys.argv[1:]])}`.",
        "",
        f"{args.clients:,} connections in rooms of 5 on one Parley process. Public `chat` messages at "
        f"{args.chat_rate:,.0f} msg/s in all (each reaches the room's four others), alternated in "
        f"{SLICES} slices with the baseline: `iceCandidate` relays at {args.chat_rate * FANOUT:,.0f} "
        f"msg/s, the same number of deliveries a second, for {args.duration:g} s each. Latency is "
        "from the sender's send to each other member's receive.",
        "",
        f"**Target**: chat p99 ≤ {TARGET_P99_MS:g} ms with everything delivered: {verdict} "
        f"({p99:.2f} ms).",
        "",
        "| load | deliveries/s | p50 ms | p99 ms | delivered | server CPU µs/delivery |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        row.format("chat (stored, fanned out)", chat.sent / chat.wall_seconds, chat.percentile_ms(0.5),
                   p99, chat.delivered, chat.server_cpu_us_per_message),
        row.format("baseline: relay hot path", relay.sent / relay.wall_seconds,
                   relay.percentile_ms(0.5), relay.percentile_ms(0.99), relay.delivered,
                   relay.server_cpu_us_per_message),
        "",
    ])


def main(args: argparse.Namespace) -> None:
    """Measure, print the section, and write it to `args.doc` (if any)."""
    chat, relay = asyncio.run(measure(args))
    section = render(args, chat, relay)
    print(section)
    if args.doc is not None:
        write_section(args.doc, section, START, END)
        print(f"wrote {args.doc}", file=sys.stderr)
