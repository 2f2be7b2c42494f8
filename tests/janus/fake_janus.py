"""An in-process stand-in for Janus's WebSocket API that replays what a real Janus said.

`ReplayJanus` serves `janus-protocol` on a free loopback port (the `websockets` library, so the
client under test talks to a different WebSocket implementation than its own). It holds a
transcript recorded from Debian's Janus by `record_transcript.py`: for each request the client
sends, it checks it against the next recorded request (same `janus` kind, ids, `body`, JSEP type;
a mismatch is kept in `mismatches` and ends the replay), then sends every message Janus sent after it, with
the recorded transaction ids swapped for the client's. Late acks and events that Janus sent after
the recorder moved on come out in the same order as they did from Janus.

`behaviour` can replace the replay for one kind of request ("answer nothing", "close the socket").
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_transcript(name: str = "videoroom_transcript.json") -> list[dict[str, Any]]:
    """The recorded steps: [{"send": message} | {"recv": message}, ...]."""
    return json.loads((FIXTURES / name).read_text())


def _comparable(message: dict[str, Any]) -> dict[str, Any]:
    """What must match between the client's request and the recorded one (not the transaction)."""
    jsep = message.get("jsep")
    return {"janus": message.get("janus"), "session_id": message.get("session_id"),
            "handle_id": message.get("handle_id"), "plugin": message.get("plugin"), "body": message.get("body"),
            "candidate": message.get("candidate"), "jsep": jsep and jsep.get("type")}


Behaviour = Callable[[ServerConnection, dict[str, Any]], Awaitable[bool]]


class ReplayJanus:
    """A fake Janus replaying `steps` to one client connection at a time."""

    def __init__(self, steps: list[dict[str, Any]]) -> None:
        self.steps = steps
        self.position = 0
        self.received: list[dict[str, Any]] = []
        self.mismatches: list[str] = []
        self.transactions: dict[str, str] = {}  # recorded -> the client's
        self.behaviour: dict[str, Behaviour] = {}
        self.got_request = asyncio.Event()
        self._server = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await serve(self._serve, "127.0.0.1", 0, subprotocols=["janus-protocol"])
        self.port = next(iter(self._server.sockets)).getsockname()[1]

    async def stop(self) -> None:
        """Close every connection and stop listening."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def remaining_requests(self) -> list[dict[str, Any]]:
        """The recorded requests the client has not sent (yet)."""
        return [step["send"] for step in self.steps[self.position:] if "send" in step]

    async def _serve(self, ws: ServerConnection) -> None:
        async for text in ws:
            message = json.loads(text)
            self.received.append(message)
            self.got_request.set()
            special = self.behaviour.get(message.get("janus", ""))
            if special is not None and await special(ws, message):
                continue
            await self._replay(ws, message)

    async def _replay(self, ws: ServerConnection, message: dict[str, Any]) -> None:
        while self.position < len(self.steps) and "send" not in self.steps[self.position]:
            self.position += 1  # (only at the very start: messages before the first request)
        if self.position >= len(self.steps):
            self.mismatches.append(f"unexpected request after the transcript's end: {message}")
            await ws.close()
            return
        recorded = self.steps[self.position]["send"]
        if _comparable(recorded) != _comparable(message):
            self.mismatches.append(f"expected {_comparable(recorded)}\n     got {_comparable(message)}")
            await ws.close()
            return
        self.transactions[recorded["transaction"]] = message["transaction"]
        self.position += 1
        while self.position < len(self.steps) and "recv" in self.steps[self.position]:
            reply = dict(self.steps[self.position]["recv"])
            if "transaction" in reply:
                reply["transaction"] = self.transactions.get(reply["transaction"], reply["transaction"])
            await ws.send(json.dumps(reply))
            self.position += 1


async def answer_nothing(ws: ServerConnection, message: dict[str, Any]) -> bool:
    """A behaviour: swallow the request (a Janus that hangs)."""
    return True


async def close_socket(ws: ServerConnection, message: dict[str, Any]) -> bool:
    """A behaviour: close the WebSocket instead of answering (a Janus that goes away)."""
    await ws.close()
    return True


async def ack_keepalive(ws: ServerConnection, message: dict[str, Any]) -> bool:
    """A behaviour: answer a keepalive as Janus does (recorded: `ack` with the session id)."""
    await ws.send(json.dumps({"janus": "ack", "session_id": message["session_id"],
                              "transaction": message["transaction"]}))
    return True
