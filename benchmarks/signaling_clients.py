"""The load generator of `signaling_load.py`: many WebSocket clients in one asyncio process.

Clients (the `websockets` asyncio client: in a trial against the bare relay it cost about half the
CPU per sent-and-received message of Tornado's `websocket_connect`) join rooms of five, then one
sender task offers `iceCandidate` messages at a fixed total rate, round-robin over the clients so
that each client sends at the same steady rate (Parley limits each connection to 50 msg/s), each
to a random other member of its room.

The send time (`time.monotonic_ns()`, system-wide on Linux) and the step number travel inside the
candidate string, which the server relays untouched; the receiving client takes the difference.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import json
import random
import resource
import time
from collections.abc import Callable, Sequence

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from signaling_servers import system_busy_seconds

ROOM_SIZE = 5
CONNECT_CONCURRENCY = 64
# A realistic host candidate; "bench <step> <seq> <t_ns>" leads it so the receiver can parse it cheaply.
_FRAME = ('{"type":"iceCandidate","payload":{"targetId":"%s","candidate":{"candidate":'
          '"candidate:bench %d %d %d 1 udp 2122260223 192.0.2.10 54400 typ host generation 0",'
          '"sdpMid":"0","sdpMLineIndex":0}}}')
# A public chat message (`chat_delivery.py`): "<a peer> <step> <seq> <t_ns>" as its text, so the
# receiver parses it like a candidate (fields 1 and 3); everyone else in the room receives it.
CHAT_FRAME = '{"type":"chat","payload":{"text":"%s %d %d %d"}}'


class Recorder:
    """Counts what arrives for the current step and keeps its latencies."""

    def __init__(self) -> None:
        self.step = -1
        self.received = 0
        self.stale = 0
        self.latencies_ns: list[int] = []
        self.errors: collections.Counter[str] = collections.Counter()

    def start_step(self, step: int) -> None:
        """Forget the previous step; from now on count only messages sent in `step`."""
        self.step = step
        self.received = 0
        self.stale = 0
        self.latencies_ns = []
        self.errors = collections.Counter()

    def candidate(self, text: str, now_ns: int) -> None:
        """Record one relayed candidate `text` (the candidate string) received at `now_ns`."""
        fields = text.split(" ", 4)
        if int(fields[1]) != self.step:
            self.stale += 1
            return
        self.received += 1
        self.latencies_ns.append(now_ns - int(fields[3]))


class BenchClient:
    """One WebSocket client: joins a room, then its reader hands relayed candidates to the recorder."""

    def __init__(self, ws: ClientConnection, room_id: str, user_id: str, recorder: Recorder) -> None:
        self.ws = ws
        self.room_id = room_id
        self.user_id = user_id
        self.peers: list[str] = []
        self.recorder = recorder
        self.joined: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.reader = asyncio.create_task(self._read())

    async def join(self) -> None:
        """Send `join` and wait for `joined` (an `error` reply raises)."""
        await self.ws.send(json.dumps({"type": "join", "payload": {
            "roomId": self.room_id, "userId": self.user_id, "displayName": self.user_id}}))
        await asyncio.wait_for(self.joined, 30)

    async def _read(self) -> None:
        recorder = self.recorder
        try:
            async for text in self.ws:
                now = time.monotonic_ns()
                message = json.loads(text)
                kind = message["type"]
                if kind == "iceCandidate":
                    recorder.candidate(message["payload"]["candidate"]["candidate"], now)
                elif kind == "chat":
                    if message["payload"]["senderId"] != self.user_id:  # not the sender's echo
                        recorder.candidate(message["payload"]["text"], now)
                elif kind == "joined":
                    if not self.joined.done():
                        self.joined.set_result(None)
                elif kind == "error":
                    self._error(message["payload"])
        except Exception as exc:  # a dropped connection ends the reader; the step sees missing messages
            if not self.joined.done():
                self.joined.set_exception(exc)

    def _error(self, payload: dict) -> None:
        code = payload.get("code", "?")
        self.recorder.errors[code] += 1
        if not self.joined.done():
            self.joined.set_exception(RuntimeError(f"join refused: {code} {payload.get('message')}"))

    def abort(self) -> None:
        """Drop the connection at once (no close handshake) and stop the reader."""
        self.reader.cancel()
        self.ws.transport.abort()


async def connect_clients(urls: Sequence[str], room_ids: Sequence[str], per_room: int,
                          recorder: Recorder) -> list[BenchClient]:
    """Open `per_room` clients for every room and join them; member k of a room uses urls[k % len]."""
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(room_index: int, member: int) -> BenchClient:
        async with limit:
            ws = await connect(urls[member % len(urls)], compression=None, ping_interval=None,
                               open_timeout=60, max_size=2**20)
            client = BenchClient(ws, room_ids[room_index], f"b{room_index}-{member}", recorder)
            await client.join()
            return client

    tasks = [asyncio.create_task(one(r, m)) for r in range(len(room_ids)) for m in range(per_room)]
    try:
        clients = await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            if task.done() and not task.cancelled() and task.exception() is None:
                task.result().abort()
        raise
    _introduce(clients)
    return clients


def _introduce(clients: Sequence[BenchClient]) -> None:
    rooms: dict[str, list[BenchClient]] = collections.defaultdict(list)
    for client in clients:
        rooms[client.room_id].append(client)
    for members in rooms.values():
        for client in members:
            client.peers = [other.user_id for other in members if other is not client]


def close_clients(clients: Sequence[BenchClient]) -> None:
    """Abort every client's connection."""
    for client in clients:
        client.abort()


@dataclasses.dataclass
class StepResult:
    """What one load step measured."""

    offered_rate: float
    sent: int
    received: int
    send_seconds: float
    latencies_ns: list[int]
    server_cpu_seconds: float
    wall_seconds: float
    generator_cpu_seconds: float
    system_busy_seconds: float
    errors: dict[str, int]

    @classmethod
    def merge(cls, steps: Sequence[StepResult]) -> StepResult:
        """Several steps at one rate (alternated with another server's) counted as one."""
        errors: collections.Counter[str] = collections.Counter()
        for step in steps:
            errors.update(step.errors)
        return cls(
            offered_rate=steps[0].offered_rate, sent=sum(s.sent for s in steps),
            received=sum(s.received for s in steps), send_seconds=sum(s.send_seconds for s in steps),
            latencies_ns=[value for s in steps for value in s.latencies_ns],
            server_cpu_seconds=sum(s.server_cpu_seconds for s in steps),
            wall_seconds=sum(s.wall_seconds for s in steps),
            generator_cpu_seconds=sum(s.generator_cpu_seconds for s in steps),
            system_busy_seconds=sum(s.system_busy_seconds for s in steps), errors=dict(errors),
        )

    @property
    def delivered(self) -> float:
        """Fraction of sent messages that arrived."""
        return self.received / self.sent if self.sent else 0.0

    @property
    def achieved_rate(self) -> float:
        """Messages per second the generator actually sent."""
        return self.sent / self.send_seconds if self.send_seconds else 0.0

    def percentile_ms(self, fraction: float) -> float:
        """Latency percentile in milliseconds (nearest rank); NaN if nothing arrived."""
        if not self.latencies_ns:
            return float("nan")
        ordered = sorted(self.latencies_ns)
        rank = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))
        return ordered[rank] / 1e6

    @property
    def server_cpu_us_per_message(self) -> float:
        """Server CPU time per delivered message, in microseconds."""
        return self.server_cpu_seconds / self.received * 1e6 if self.received else float("nan")

    @property
    def server_core_share(self) -> float:
        """Server CPU use as a fraction of one core during the step."""
        return self.server_cpu_seconds / self.wall_seconds

    @property
    def generator_core_share(self) -> float:
        """Load generator CPU use as a fraction of one core during the step."""
        return self.generator_cpu_seconds / self.wall_seconds

    @property
    def other_core_share(self) -> float:
        """CPU used by every other process on the machine (other people's work), in cores."""
        other = self.system_busy_seconds - self.server_cpu_seconds - self.generator_cpu_seconds
        return max(0.0, other) / self.wall_seconds


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_step(clients: Sequence[BenchClient], recorder: Recorder, step: int, rate: float,
                   duration: float, server_cpu: Callable[[], float], drain_timeout: float = 3.0,
                   frame: str = _FRAME, fanout: int = 1) -> StepResult:
    """Offer `rate` msg/s for `duration` s, wait for stragglers, and measure; `server_cpu()` reads CPU s.

    Each message sent is to arrive `fanout` times (a chat message reaches the room's four others);
    `sent` counts arrivals expected."""
    recorder.start_step(step)
    busy0, cpu0, own0, wall0 = system_busy_seconds(), server_cpu(), _own_cpu_seconds(), time.monotonic()
    sent, send_seconds = await _offer(clients, step, rate, duration, frame)
    sent *= fanout
    deadline = time.monotonic() + drain_timeout
    while recorder.received < sent and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    busy1, cpu1, own1, wall1 = system_busy_seconds(), server_cpu(), _own_cpu_seconds(), time.monotonic()
    return StepResult(
        offered_rate=rate, sent=sent, received=recorder.received, send_seconds=send_seconds,
        latencies_ns=recorder.latencies_ns, server_cpu_seconds=cpu1 - cpu0, wall_seconds=wall1 - wall0,
        generator_cpu_seconds=own1 - own0, system_busy_seconds=busy1 - busy0, errors=dict(recorder.errors),
    )


async def _offer(clients: Sequence[BenchClient], step: int, rate: float, duration: float,
                 frame: str = _FRAME) -> tuple[int, float]:
    """Send at `rate` msg/s for `duration` s; returns (messages sent, seconds it took)."""
    order = list(clients)
    random.shuffle(order)
    count = len(order)
    choose = random.choice
    clock = time.monotonic
    stamp = time.monotonic_ns
    sent = 0
    start = clock()
    end = start + duration
    while (now := clock()) < end:
        due = int((now - start) * rate) - sent
        for _ in range(due):
            client = order[sent % count]
            try:
                await client.ws.send(frame % (choose(client.peers), step, sent, stamp()))
            except ConnectionClosed:
                pass  # the server closed this client; the message counts as sent and lost
            sent += 1
        await asyncio.sleep(0.001)
    return sent, clock() - start
