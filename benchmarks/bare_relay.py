"""A minimal Tornado WebSocket relay: the baseline that `signaling_load.py` measures Parley against.

It speaks Parley's envelope (`{"type", "payload"}` as JSON text frames) and nothing more:

- `join {roomId, userId}` registers the connection under that user in that room and answers
  `joined {roomId, userId}` (so the load generator knows when the join is done; no `userJoined` is
  broadcast);
- `iceCandidate {candidate, targetId}` forwards `iceCandidate {candidate, senderId}` to the target,
  with no validation, no rate limit and no error replies.

`POST /createRoom` (201 `{"roomId"}`) and `GET /healthz` exist so that the benchmark drives both
servers the same way. Run: `python benchmarks/bare_relay.py --port 8765`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets

import tornado.web
import tornado.websocket


class Relay:
    """Who is connected, by room and user id; the handlers only translate frames into calls on it."""

    def __init__(self) -> None:
        self.rooms: dict[str, dict[str, RelaySocketHandler]] = {}
        self.connections = 0

    def create_room(self) -> str:
        """Make an empty room and return its id."""
        room_id = secrets.token_urlsafe(16)
        self.rooms[room_id] = {}
        return room_id

    def join(self, room_id: str, user_id: str, socket: RelaySocketHandler) -> None:
        """Register `socket` as `user_id` in `room_id` (the room is made if unknown)."""
        self.rooms.setdefault(room_id, {})[user_id] = socket

    def leave(self, room_id: str, user_id: str, socket: RelaySocketHandler) -> None:
        """Forget `user_id` in `room_id` if `socket` is still the one registered."""
        members = self.rooms.get(room_id)
        if members is not None and members.get(user_id) is socket:
            del members[user_id]

    def target(self, room_id: str, user_id: str) -> RelaySocketHandler | None:
        """The socket of `user_id` in `room_id`, or None."""
        members = self.rooms.get(room_id)
        return None if members is None else members.get(user_id)


class RelaySocketHandler(tornado.websocket.WebSocketHandler):
    """`/ws`: join, then forward iceCandidate to its target without checking anything."""

    def initialize(self, relay: Relay) -> None:
        self.relay = relay
        self.room_id: str | None = None
        self.user_id: str | None = None

    def check_origin(self, origin: str) -> bool:
        return True

    def open(self) -> None:
        # Tornado leaves Nagle's algorithm on; with delayed ACKs that holds small frames up to 40 ms.
        self.set_nodelay(True)
        self.relay.connections += 1

    def on_message(self, message: str | bytes) -> None:
        envelope = json.loads(message)
        kind = envelope["type"]
        payload = envelope["payload"]
        if kind == "iceCandidate":
            target = self.relay.target(self.room_id, payload["targetId"])
            if target is not None:
                target.write_message(json.dumps({
                    "type": "iceCandidate",
                    "payload": {"candidate": payload["candidate"], "senderId": self.user_id},
                }))
        elif kind == "join":
            self.room_id, self.user_id = payload["roomId"], payload["userId"]
            self.relay.join(self.room_id, self.user_id, self)
            self.write_message(json.dumps({
                "type": "joined", "payload": {"roomId": self.room_id, "userId": self.user_id},
            }))

    def on_close(self) -> None:
        self.relay.connections -= 1
        if self.room_id is not None:
            self.relay.leave(self.room_id, self.user_id, self)


class CreateRoomHandler(tornado.web.RequestHandler):
    """`POST /createRoom` -> 201 `{"roomId"}`."""

    def initialize(self, relay: Relay) -> None:
        self.relay = relay

    def post(self) -> None:
        self.set_status(201)
        self.finish({"roomId": self.relay.create_room()})


class HealthHandler(tornado.web.RequestHandler):
    """`GET /healthz` -> 200 with the counts."""

    def initialize(self, relay: Relay) -> None:
        self.relay = relay

    def get(self) -> None:
        self.finish({"status": "ok", "rooms": len(self.relay.rooms), "connections": self.relay.connections})


def make_app(relay: Relay) -> tornado.web.Application:
    """The relay's routes."""
    args = {"relay": relay}
    return tornado.web.Application([
        (r"/ws", RelaySocketHandler, args),
        (r"/createRoom", CreateRoomHandler, args),
        (r"/healthz", HealthHandler, args),
    ])


async def serve(host: str, port: int) -> None:
    """Listen on host:port until killed."""
    server = make_app(Relay()).listen(port, host, backlog=4096)
    bound = next(iter(server._sockets.values())).getsockname()[1]
    print(f"bare relay listening on http://{host}:{bound}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """Command line: `--host`, `--port`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.host, args.port))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
