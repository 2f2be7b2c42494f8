"""How the service's decisions reach users: `LocalBus` for one process, `RedisBus` for several.

A bus takes `Deliver` values and gets each message to the connections of its recipients, wherever
those connections live, and closes a connection wherever it lives. Within one room, what a bus
delivers inside a store's `sequenced` section reaches every recipient in the order the sections
ran. Both buses offer the same operations, so the meeting manager never asks which one it has.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

from tornado_app.hub import Hub
from tornado_app.rooms.service import Deliver
from tornado_app.store.base import RoomStore


class Bus(abc.ABC):
    """Delivery of messages to users, local or across processes."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    @abc.abstractmethod
    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        """Send each message to each of its recipients."""

    def present_now(self, room_id: str, user_id: str) -> bool | None:
        """Whether the user is in the room, when this process knows without I/O; else None.

        With True, `deliver_now` reaches them: the relay's hot path, without a coroutine."""
        return None

    def deliver_now(self, d: Deliver) -> None:
        """Send to `d`'s one recipient, connected to this process, at once."""
        self.hub.deliver_one(d)

    @abc.abstractmethod
    async def relay(self, d: Deliver) -> bool:
        """Send to `d`'s one recipient only if the store has them in the room; whether it did."""

    async def close_connection(self, conn_id: str, code: int, reason: str,
                               farewell: bytes | None = None) -> None:
        """Close a connection (with a close frame of `code` and `reason`), wherever it lives,
        sending it the encoded message `farewell` first if given (it need not be in a room)."""
        if self.hub.by_conn_id(conn_id) is not None:
            self.hub.close(conn_id, code, reason, farewell)
        else:
            await self._close_elsewhere(conn_id, code, reason, farewell)

    async def _close_elsewhere(self, conn_id: str, code: int, reason: str, farewell: bytes | None) -> None:
        """Close a connection that is not in this process (nothing to do with one process)."""

    async def admit_connection(self, conn_id: str, room_id: str, user_id: str, joined: bytes) -> None:
        """Make a waiting connection, wherever it lives, its user's in the room, and send it
        `joined` (the encoded message) before anything the room says to that user afterwards."""
        if not self.hub.admit(conn_id, room_id, user_id, joined) and self.hub.by_conn_id(conn_id) is None:
            await self._admit_elsewhere(conn_id, room_id, user_id, joined)

    async def _admit_elsewhere(self, conn_id: str, room_id: str, user_id: str, joined: bytes) -> None:
        """Admit a connection that is not in this process (nothing to do with one process: it
        has closed, and its close takes the user out)."""

    async def start(self) -> None:
        """Begin receiving what other processes send to this one."""

    async def close(self) -> None:
        """Stop receiving."""


class LocalBus(Bus):
    """Every user is connected to this process: hand messages straight to the hub."""

    def __init__(self, store: RoomStore, hub: Hub) -> None:
        super().__init__(hub)
        self.store = store

    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        self.hub.deliver(deliveries)

    def present_now(self, room_id: str, user_id: str) -> bool | None:
        return self.store.has_member_now(room_id, user_id)

    async def relay(self, d: Deliver) -> bool:
        present = await self.store.has_member(d.room_id, d.to[0])
        if present:
            self.hub.deliver_one(d)
        return present
