"""Thirty people in one SFU room (issue 16): each subscriber's first frame after join, Janus's CPU
per forwarded stream and Parley's CPU per signaling message.

A real Janus (Debian's, generated configuration) in a network namespace, as the SFU tests run it
(tests/support/sfu.py: Janus gathers no ICE candidate on loopback), and a Parley server
subprocess here with `--janus-url`, `--mesh-max 2` and `--max-room-size 50`. The people are not
browsers: Python clients (benchmarks/sfu_client.py) speaking Parley's WebSocket protocol with
aiortc for the media, all on one event loop in a thread that entered the namespace; they reach
Parley through the harness's forwarder. PUBLISHERS of them publish a synthetic camera (small,
VP8), SPEAKERS of those a silent microphone (Opus) too; the others publish empty m-lines, as a browser without
devices does. Everyone subscribes to everyone else.

The run, in one room:
1. Janus idle: its CPU over a window (the baseline of its CPU).
2. The publishers join, then people join one every JOIN_INTERVAL_S up to 10; a window of Janus's
   CPU with 10 people (the baseline of the per-stream figure).
3. People 11-30 join the same way: Parley's CPU and the WebSocket messages it handled (counted
   at the clients, both ways) over that phase; then a window of Janus's CPU with 30 people.
4. The baseline of Parley's cost per message: everyone sends RELAYS `mediaState` messages, which
   Parley only relays to the 29 others; its CPU over them.

First frame: from sending `join` to the first *decoded* video frame of the subscription (aiortc
decodes every received frame, in a thread per track), for everyone who is not a publisher
(they all join while the cameras are already publishing). CPU is utime+stime from /proc/<pid>/stat.
A forwarded stream is one publisher's audio or video to one connected subscription. Figures go to
docs/benchmarks.md between `<!-- sfu_thirty:start -->` and `<!-- sfu_thirty:end -->`; `--no-doc`
only prints.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, Janus, namespace

from call_setup import load_average, machine  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from sfu_client import SfuClient  # noqa: E402
from support.janus import JanusServer, MediaNamespace  # noqa: E402
from support.processes import ParleyServer  # noqa: E402
from support.sfu import Forwarder, enter_namespace  # noqa: E402

START = "<!-- sfu_thirty:start -->"
END = "<!-- sfu_thirty:end -->"
PEOPLE = 30
BASELINE_PEOPLE = 10
PUBLISHERS = 4
# Of them, this many send sound too: Opus packets come 50 a second, and every subscriber decodes
# them in Python (with 4 speakers the clients' process, not Parley or Janus, ran out of CPU).
SPEAKERS = 1
JOIN_INTERVAL_S = 0.5
SETTLE_S = 5.0
WINDOW_S = 10.0
RELAYS = 20  # mediaState messages a person sends for the baseline
FIRST_FRAME_TIMEOUT_S = 60.0
TARGET_MS = 500
TICK = os.sysconf("SC_CLK_TCK")
# The way to a subscriber's first frame, as the client sees it (SfuClient.steps).
STEPS = ("joined", "sfuAnswer publish", "sfuOffer subscribe", "answered", "connected", "frame")


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, all threads) process `pid` has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime: fields 14 and 15 of proc(5)


class Meter:
    """CPU of some processes and wall time between `start` and `stop`."""

    def __init__(self, **pids: int) -> None:
        self.pids = pids

    def __enter__(self) -> Meter:
        self.started, self.load = time.monotonic(), load_average()
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.monotonic() - self.started
        self.cpu = {name: cpu_seconds(pid) - self.before[name] for name, pid in self.pids.items()}

    def percent(self, name: str) -> float:
        """That process's CPU over the span, in % of one core."""
        return self.cpu[name] / self.elapsed * 100


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def messages(people: list[SfuClient]) -> int:
    return sum(c.sent + c.received for c in people)


async def join_all(people: list[SfuClient], new: list[SfuClient]) -> None:
    """`new` join one every JOIN_INTERVAL_S (not waiting for each other); returns once each has
    decoded a first frame."""
    for person in new:
        await person.join()
        people.append(person)
        await asyncio.sleep(JOIN_INTERVAL_S)  # the pace of arrivals, not a synchronisation
    print(f"{len(people)} joined; waiting for their first frames", flush=True)
    await asyncio.wait_for(asyncio.gather(*(p.first_frame for p in new)), FIRST_FRAME_TIMEOUT_S)
    print(f"{len(people)} people, each with a first frame (load {load_average()})", flush=True)


def forwarded(people: list[SfuClient]) -> int:
    """The streams Janus forwards now: each connected subscription gets every other publisher's
    camera, and the sound of the other speakers."""
    return sum(sum(1 + o.sound for o in people if o.publishes and o is not c) for c in people
               if c.subscribe_pc is not None and c.subscribe_pc.connectionState == "connected")


async def steady_window(janus: int, parley: int, people: list[SfuClient]) -> Meter:
    """Janus's and Parley's CPU over a window; `meter.streams`: the streams forwarded meanwhile
    (the mean of its start and end: a connection may close in it)."""
    await asyncio.sleep(SETTLE_S)  # the subscriptions settle (the last renegotiations) first
    first = forwarded(people)
    with Meter(janus=janus, parley=parley) as meter:
        await asyncio.sleep(WINDOW_S)  # the window being measured
    meter.streams = (first + forwarded(people)) / 2
    return meter


async def relay_baseline(people: list[SfuClient], parley: int) -> tuple[Meter, int]:
    """Everyone sends RELAYS `mediaState`s (Parley relays each to the others); the CPU and the
    messages until every copy arrived."""
    expected = sum(c.received for c in people) + RELAYS * len(people) * (len(people) - 1)
    before = messages(people)
    with Meter(parley=parley) as meter:
        for round_ in range(RELAYS):
            await asyncio.gather(*(c.send_media_state(round_ % 2 == 0) for c in people))
            await asyncio.sleep(0.1)  # under the per-connection rate limit (50/s)
        deadline = time.monotonic() + FIRST_FRAME_TIMEOUT_S
        while sum(c.received for c in people) < expected:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{expected - sum(c.received for c in people)} relayed mediaStates never "
                                   f"arrived; the clients' errors: {[e for c in people for e in c.errors]}")
            await asyncio.sleep(0.05)  # polling counters on this loop: the copies arrive on it
    return meter, messages(people) - before


async def run(url: str, room_id: str, janus: int, parley: int, people_count: int, publishers: int,
              speakers: int) -> dict:
    """The whole run (see the module docstring), on this thread's event loop."""
    result: dict = {"publishers": publishers, "speakers": speakers, "people": people_count}
    with Meter(janus=janus, parley=parley) as idle:
        await asyncio.sleep(WINDOW_S)  # the idle window
    result["idle"] = idle
    everyone = [SfuClient(url, room_id, f"p{i:02d}", publishes=i < publishers, sound=i < speakers)
                for i in range(people_count)]
    people: list[SfuClient] = []
    try:
        await join_all(people, everyone[:BASELINE_PEOPLE])
        result["at10"] = await steady_window(janus, parley, people)
        before = messages(people + everyone[BASELINE_PEOPLE:])
        with Meter(parley=parley, janus=janus, clients=os.getpid()) as joins:
            await join_all(people, everyone[BASELINE_PEOPLE:])
        result["joins"], result["join_messages"] = joins, messages(people) - before
        result["at30"] = await steady_window(janus, parley, people)
        result["connected"] = sum(c.subscribe_pc is not None and c.subscribe_pc.connectionState == "connected"
                                  for c in everyone)
        print(f"Janus at {people_count}: {result['at30'].percent('janus'):.1f}% with {result['connected']} "
              f"subscriptions connected; the relay baseline", flush=True)
        result["relay"], result["relay_messages"] = await relay_baseline(people, parley)
        result["first_frames"] = {c.user_id: c.first_frame_s for c in everyone[publishers:]}
        result["steps"] = {c.user_id: c.steps for c in everyone[publishers:]}
        result["subscribe_offers"] = sum(c.subscribe_offers for c in everyone)
        result["largest_answer"] = max(c.largest_answer for c in everyone)
        result["mlines"] = max(len(c.subscribe_pc.getTransceivers()) for c in everyone if c.subscribe_pc)
        result["errors"] = [e for c in everyone for e in c.errors]
    finally:
        await asyncio.gather(*(c.close() for c in people), return_exceptions=True)
    return result


@contextlib.contextmanager
def janus_and_parley(folder: Path) -> Iterator[tuple[MediaNamespace, JanusServer, ParleyServer]]:
    """Janus in a media namespace, Parley here (reaching Janus on its Unix socket)."""
    with MediaNamespace(f"sfu30-{os.getpid()}") as namespace:
        janus = JanusServer(folder / "janus", netns=namespace)
        janus.folder.mkdir()
        janus.start()
        server = ParleyServer(folder / "data", folder / "server.log", (
            "--log-level", "warning", "--janus-url", f"ws+unix://{janus.unix_socket}",
            f"--janus-admin-key={janus.admin_key}", "--mesh-max", "2", "--max-room-size", "50"))
        try:
            server.start()
            yield namespace, janus, server
        finally:
            server.stop()
            janus.stop()
            print(f"--- parley log:\n{server.log_tail()}")


def measure(people_count: int, publishers: int, speakers: int) -> dict:
    """Set up, run the clients on a thread inside the namespace, tear down."""
    with tempfile.TemporaryDirectory(prefix="parley-sfu30-") as folder:
        with janus_and_parley(Path(folder)) as (namespace, janus, server), Forwarder(namespace, server.port):
            room_id = server.create_room()
            outcome: dict = {}

            def clients() -> None:
                enter_namespace(namespace)  # where the forwarder listens and Janus's ICE is
                try:
                    outcome["result"] = asyncio.run(run(f"ws://127.0.0.1:{server.port}/ws", room_id, janus.pid,
                                                        server.pid, people_count, publishers, speakers))
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    outcome["error"] = exc

            thread = threading.Thread(target=clients)
            thread.start()
            thread.join()
            if "error" in outcome:
                raise outcome["error"]
            return outcome["result"]


def figures(r: dict) -> dict:
    """The reported figures from a run's raw measurements."""
    frames = [s * 1000 for s in r["first_frames"].values()]
    streams = {BASELINE_PEOPLE: r["at10"].streams, r["people"]: r["at30"].streams}
    idle = r["idle"].percent("janus")
    per_stream = {n: (r[key].percent("janus") - idle) / streams[n] if streams[n] else float("nan") for n, key in
                  ((BASELINE_PEOPLE, "at10"), (r["people"], "at30"))}
    joins, relay = r["joins"], r["relay"]
    return {
        "p50": statistics.median(frames), "p90": percentile(frames, 0.9), "max": max(frames), "n": len(frames),
        "janus_idle": idle, "janus10": r["at10"].percent("janus"), "janus30": r["at30"].percent("janus"),
        "streams": streams, "per_stream": per_stream,
        "join_cpu_ms": joins.cpu["parley"] * 1000, "join_messages": r["join_messages"],
        "join_per_msg_us": joins.cpu["parley"] / r["join_messages"] * 1e6,
        "relay_cpu_ms": relay.cpu["parley"] * 1000, "relay_messages": r["relay_messages"],
        "relay_per_msg_us": relay.cpu["parley"] / r["relay_messages"] * 1e6,
        "parley_idle": r["idle"].percent("parley"), "parley30": r["at30"].percent("parley"),
        "join_clients": joins.percent("clients"), "join_janus": joins.percent("janus"),
        "join_parley": joins.percent("parley"),
        "steps": {name: statistics.median(s[name] * 1000 for s in r["steps"].values() if name in s)
                  for name in STEPS},
    }


def document(r: dict, f: dict, started: str, load_start: str) -> str:
    """The section's body."""
    met = "met" if f["p50"] <= TARGET_MS else "missed"
    steps = ", ".join(f"{name} {ms:.0f}" for name, ms in f["steps"].items())
    n, base = r["people"], BASELINE_PEOPLE
    return f"""## Thirty people in an SFU room (issue 16)

Measured {started} with `python benchmarks/sfu_thirty.py`.
Machine: {machine()}; load average {load_start} at the start and {load_average()} at the end
(other sessions share the machine).

One room, a real Janus 1.1 (Debian's) in a network namespace, Parley with `--mesh-max 2
--max-room-size 50`. The {n} people are Python clients speaking Parley's WebSocket protocol with
aiortc (benchmarks/sfu_client.py), all in one process on this machine: {r['publishers']} publish a
160×120 VP8 camera at 15 frames/s ({r['speakers']} of them a silent Opus microphone too), the others
publish empty m-lines (a browser without devices); everyone subscribes to everyone else. People
arrive one every {JOIN_INTERVAL_S} s.

**First frame after join** (from sending `join` to the first *decoded* video frame, aiortc
decoding every frame; the {f['n']} people who do not publish, all joining while the cameras are
on): p50 **{f['p50']:.0f} ms**, p90 {f['p90']:.0f} ms, max {f['max']:.0f} ms (target p50 ≤ {TARGET_MS} ms:
**{met}**). Load average during the joins of people {base + 1}–{n}: {r['joins'].load}.

The way there, as the clients saw it (median milliseconds after sending `join`): {steps}.
Up to the subscribe offer it is Parley and Janus (`joined`, the publish answer: Janus's attach,
join and publish; the subscribe offer: attach and join as a subscriber); after it, the client's
own work (aiortc's answer, ICE and DTLS in Python) and the publisher's next keyframe. During
the joins of people {base + 1}–{n} the clients' process used {f['join_clients']:.0f}% of a core, Janus
{f['join_janus']:.0f}% and Parley {f['join_parley']:.0f}%: each join also renegotiates the
subscription of everyone already in the room (their new feed, empty m-lines here), so the one
Python process running all {n} clients answers {n - 1} offers per join while the newcomer connects.

**Janus's CPU per forwarded stream** (a forwarded stream: one publisher's audio or video to one
connected subscription, counted at the start and end of the window and averaged; CPU over a
{WINDOW_S:.0f} s window after {SETTLE_S:.0f} s of calm, in % of one core, Janus idle subtracted):

| people in the room | forwarded streams | Janus CPU | per forwarded stream | load average |
| ---: | ---: | ---: | ---: | --- |
| 0 (idle) | 0 | {f['janus_idle']:.1f}% | — | {r['idle'].load} |
| {base} | {f['streams'][base]:.0f} | {f['janus10']:.1f}% | {f['per_stream'][base]:.3f}% | {r['at10'].load} |
| {n} | {f['streams'][n]:.0f} | {f['janus30']:.1f}% | {f['per_stream'][n]:.3f}% | {r['at30'].load} |

**Parley's CPU per signaling message** (WebSocket messages both ways, counted at the clients):

| phase | messages | Parley CPU | per message | load average |
| --- | ---: | ---: | ---: | --- |
| people {base + 1}–{n} join (join, SFU offers, answers, `userJoined`s; Janus requests behind them) | {f['join_messages']} | {f['join_cpu_ms']:.0f} ms | {f['join_per_msg_us']:.0f} µs | {r['joins'].load} |
| baseline: {RELAYS} `mediaState`s from each of the {n}, relayed to the others | {f['relay_messages']} | {f['relay_cpu_ms']:.0f} ms | {f['relay_per_msg_us']:.0f} µs | {r['relay'].load} |

Parley's CPU in a calm room of {n}: {f['parley30']:.1f}% (idle before anyone joined: {f['parley_idle']:.1f}%).
Subscriptions still connected at the end of the {n}-person window: {r['connected']} of {n}.
Subscribe offers sent in the run: {r['subscribe_offers']}; the largest subscribe answer was
{r['largest_answer'] / 1024:.0f} KiB ({r['mlines']} m-lines). Over 64 KiB: this benchmark found that Parley closed
such an answer with 1009 (its limit for one WebSocket message); with `--janus-url` the limit is
now 256 KiB (docs/protocol.md), enough for the ~100 m-lines of a room of 50.

The clients share this machine's two cores with Janus, Parley and whatever else runs. With a load
average far above 2 the clients' process gets a fraction of a core (its share above), its aiortc
connections miss ICE consent checks and close (the subscriptions still connected), and the
first-frame figures then measure that starvation more than Parley or Janus. Each join renegotiates
everyone's subscription (the offers counted above), which is most of the clients' work.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run once and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--publishers", type=int, default=PUBLISHERS)
    parser.add_argument("--speakers", type=int, default=SPEAKERS, help="publishers that send sound too")
    args = parser.parse_args(argv)
    if not BASELINE_PEOPLE < args.people <= 50 or not 0 < args.publishers <= BASELINE_PEOPLE:
        parser.error(f"--people: {BASELINE_PEOPLE + 1} to 50; --publishers: 1 to {BASELINE_PEOPLE}")
    started, load_start = datetime.date.today().isoformat(), load_average()
    result = measure(args.people, args.publishers, min(args.speakers, args.publishers))
    f = figures(result)
    if result["errors"]:
        print(f"errors the clients got: {result['errors']}", file=sys.stderr)
    print(f"first frame: p50 {f['p50']:.0f} ms, p90 {f['p90']:.0f} ms, max {f['max']:.0f} ms ({f['n']} people)")
    print(f"janus: idle {f['janus_idle']:.1f}%, 10: {f['janus10']:.1f}%, {args.people}: {f['janus30']:.1f}%; "
          f"per stream {f['per_stream']}")
    print(f"parley: joins {f['join_per_msg_us']:.0f} µs/msg ({f['join_messages']} msgs), "
          f"relay {f['relay_per_msg_us']:.0f} µs/msg ({f['relay_messages']} msgs); load {load_average()}")
    print(f"subscribe offers {result['subscribe_offers']}, largest answer {result['largest_answer']} bytes "
          f"({result['mlines']} m-lines)")
    print(f"during the joins: clients {f['join_clients']:.0f}%, janus {f['join_janus']:.0f}%, "
          f"parley {f['join_parley']:.0f}% of a core")
    for name in STEPS:
        times = [s[name] * 1000 for s in result["steps"].values() if name in s]
        print(f"  {name}: p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    if not args.no_doc:
        write_section(DOC, document(result, f, started, load_start), START, END)
        print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
