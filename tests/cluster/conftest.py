"""Two real Parley processes on one real redis-server, and plain WebSocket clients for them."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import websockets
from redis_process import RedisProcess, free_port

RECV_TIMEOUT = 5.0


class ServerProcess:
    """`python -m tornado_app --redis-url ...` as a child process on a free loopback port."""

    def __init__(self, redis_url: str, data_dir: Path) -> None:
        self.redis_url, self.data_dir = redis_url, data_dir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start and wait for the line that says it is serving."""
        env = dict(os.environ, PARLEY_CREATE_ROOM_RATE="0")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tornado_app", "--port", str(self.port), "--data-dir",
             str(self.data_dir), "--redis-url", self.redis_url, "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        line = self.proc.stdout.readline()  # blocks until the server prints, or exits
        if "serving on" not in line:
            raise RuntimeError(f"server did not start: {line!r}, exit {self.proc.poll()}")

    def signal(self, sig: int) -> None:
        """Send a signal and wait for the process to end."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
                self.proc.wait(timeout=15)
            self.proc.stdout.close()

    def http(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """A blocking JSON request (tests call it through asyncio.to_thread)."""
        data = json.dumps(body).encode() if body is not None else (b"{}" if method == "POST" else None)
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())


class Client:
    """A signaling client on one server process."""

    def __init__(self, ws, user_id: str) -> None:
        self.ws, self.user_id = ws, user_id
        self.room_id = ""
        self.token = ""

    async def send(self, type: str, payload: dict) -> None:
        await self.ws.send(json.dumps({"type": type, "payload": payload}))

    async def recv_any(self, timeout: float = RECV_TIMEOUT) -> dict:
        return json.loads(await asyncio.wait_for(self.ws.recv(), timeout))

    async def recv(self, type: str, timeout: float = RECV_TIMEOUT) -> dict:
        """The next message's payload; it must be of `type`."""
        message = await self.recv_any(timeout)
        assert message["type"] == type, message
        return message["payload"]

    async def join(self, room_id: str, **extra: Any) -> dict:
        await self.send("join", {"roomId": room_id, "userId": self.user_id, **extra})
        joined = await self.recv("joined")
        self.room_id, self.token = room_id, joined["resumeToken"]
        return joined


@pytest.fixture
def redis_server(tmp_path):
    server = RedisProcess(tmp_path / "redis")
    server.data_dir.mkdir()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def nodes(redis_server, tmp_path):
    """Two server processes sharing the Redis."""
    made = [ServerProcess(redis_server.url, tmp_path / f"node{i}") for i in range(2)]
    for node in made:
        node.start()
    yield made
    for node in made:
        node.signal(signal.SIGTERM)


@pytest.fixture
def connect(io_loop):
    """`await connect(node, user_id)`: a Client on that process, closed at teardown."""
    opened: list[Client] = []

    async def make(node: ServerProcess, user_id: str) -> Client:
        ws = await websockets.connect(f"ws://127.0.0.1:{node.port}/ws", max_size=2**20)
        client = Client(ws, user_id)
        opened.append(client)
        return client

    yield make

    async def close_all() -> None:
        for client in opened:
            await client.ws.close()

    io_loop.run_sync(close_all)


@pytest.fixture
def create_room(nodes):
    async def make(node: ServerProcess | None = None) -> str:
        status, body = await asyncio.to_thread((node or nodes[0]).http, "POST", "/createRoom")
        assert status == 201
        return body["roomId"]

    return make


@pytest.fixture
def ann_and_bob(nodes, connect, create_room):
    """`room, ann, bob = await ann_and_bob()`: Ann on the first process and Bob on the second,
    both joined to a new room (Ann has seen Bob join)."""

    async def make() -> tuple[str, Client, Client]:
        room = await create_room()
        ann, bob = await connect(nodes[0], "ann"), await connect(nodes[1], "bob")
        await ann.join(room)
        await bob.join(room)
        await ann.recv("userJoined")
        return room, ann, bob

    return make
