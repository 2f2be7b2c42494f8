"""The live connections of this process, and the delivery of the service's decisions to them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Protocol

from tornado_app.rooms.errors import CloseCode
from tornado_app.rooms.protocol import encode
from tornado_app.rooms.service import Deliver

log = logging.getLogger("parley.hub")



class Connection(Protocol):
    """What the hub needs of a client connection (the WebSocket handler implements it)."""

    conn_id: str
    gone: bool  # the connection has closed

    def send(self, data: bytes) -> None: ...

    def joined(self, room_id: str, user_id: str) -> None: ...

    def waiting(self, room_id: str, user_id: str) -> None: ...

    def close(self, code: int | None = None, reason: str | None = None) -> None: ...


class Hub:
    """Maps (room, user) to the connection that speaks for that user here, and sends to it."""

    def __init__(self) -> None:
        self._members: dict[tuple[str, str], Connection] = {}
        self._open: dict[str, Connection] = {}  # by connection id
        self._all_closed = asyncio.Event()
        self._all_closed.set()
        self.shutting_down = False
        self.sent = 0

    @property
    def connection_count(self) -> int:
        """Open connections, joined or not."""
        return len(self._open)

    @property
    def member_count(self) -> int:
        """Users in a meeting through a connection of this process."""
        return len(self._members)

    def opened(self, conn: Connection) -> None:
        """A connection has opened."""
        self._open[conn.conn_id] = conn
        self._all_closed.clear()

    def closed(self, conn: Connection) -> None:
        """A connection has closed."""
        self._open.pop(conn.conn_id, None)
        if not self._open:
            self._all_closed.set()

    def attach(self, room_id: str, user_id: str, conn: Connection) -> Connection | None:
        """Make `conn` the user's connection; returns the one it replaces, if any."""
        previous = self._members.get((room_id, user_id))
        self._members[(room_id, user_id)] = conn
        return previous if previous is not conn else None

    def admit(self, conn_id: str, room_id: str, user_id: str, joined: bytes) -> bool:
        """Make a waiting connection of this process its user's in the room and send it
        `joined`; False if it has closed meanwhile (its close takes the user out again)."""
        conn = self._open.get(conn_id)
        if conn is None or conn.gone:
            return False
        self.attach(room_id, user_id, conn)
        conn.joined(room_id, user_id)
        conn.send(joined)
        return True

    def close(self, conn_id: str, code: int, reason: str, farewell: bytes | None = None) -> None:
        """Close a connection of this process (sending it `farewell` first), if it is open."""
        conn = self._open.get(conn_id)
        if conn is not None:
            if farewell is not None:
                conn.send(farewell)
            conn.close(code, reason)

    def detach(self, room_id: str, user_id: str, conn: Connection) -> None:
        """Forget `conn` as the user's connection, unless another has taken over since."""
        if self._members.get((room_id, user_id)) is conn:
            del self._members[(room_id, user_id)]

    def by_conn_id(self, conn_id: str) -> Connection | None:
        """An open connection of this process by its id."""
        return self._open.get(conn_id)

    def connection_of(self, room_id: str, user_id: str) -> Connection | None:
        """The user's live connection in this process, if any."""
        return self._members.get((room_id, user_id))

    def connections_in(self, room_id: str) -> list[Connection]:
        """The connections of this process that speak for someone in the room (issue 16's failover)."""
        return [conn for (room, _), conn in self._members.items() if room == room_id]

    def deliver(self, deliveries: Iterable[Deliver]) -> None:
        """Send each message, encoded once, to each of its recipients that is connected here."""
        members = self._members
        for d in deliveries:
            data = encode(d.message)
            for user_id in d.to:
                conn = members.get((d.room_id, user_id))
                if conn is not None:
                    conn.send(data)
                    self.sent += 1

    def deliver_one(self, d: Deliver) -> None:
        """`deliver` for the relay's single recipient, without the loops."""
        conn = self._members.get((d.room_id, d.to[0]))
        if conn is not None:
            conn.send(encode(d.message))
            self.sent += 1

    async def shutdown(self, timeout: float = 3.0) -> None:
        """Tell every client the server is going away (close 1001) and wait for them to close."""
        self.shutting_down = True
        for conn in list(self._open.values()):
            conn.close(CloseCode.GOING_AWAY, "server shutting down")
        try:
            await asyncio.wait_for(self._all_closed.wait(), timeout)
        except asyncio.TimeoutError:
            log.warning("%d connections did not close in %.0f s", len(self._open), timeout)
