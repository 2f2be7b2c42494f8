"""Two real Parley processes on one real redis-server, and plain WebSocket clients for them."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from support.processes import ParleyServer
from support.redis_server import RedisServer

RECV_TIMEOUT = 5.0


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
    """A redis-server of this test's own."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def nodes(redis_server, tmp_path):
    """Two server processes sharing the Redis."""
    made = [ParleyServer(tmp_path / f"node{i}", tmp_path / f"node{i}.log",
                         ("--redis-url", redis_server.url, "--log-level", "warning")) for i in range(2)]
    for node in made:
        node.start()
    yield made
    for node in made:
        node.stop()


@pytest.fixture
def connect(io_loop):
    """`await connect(node, user_id)`: a Client on that process, closed at teardown."""
    opened: list[Client] = []

    async def make(node: ParleyServer, user_id: str) -> Client:
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
    async def make(node: ParleyServer | None = None) -> str:
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
