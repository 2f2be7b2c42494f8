"""How the service's decisions reach users: `LocalBus` for one process, a Redis one for several.

A bus takes `Deliver` values and gets each message to the connections of its recipients, wherever
those connections live. Within one room, what a bus delivers inside a store's `sequenced` section
reaches every recipient in the order the sections ran.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable

from tornado_app.hub import Hub
from tornado_app.rooms.service import Deliver


class Bus(abc.ABC):
    """Delivery of messages to users, local or across processes."""

    #: Whether every recipient is connected to this process (the hub can deliver directly).
    local = False

    @abc.abstractmethod
    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        """Send each message to each of its recipients."""

    async def deliver_one(self, d: Deliver) -> None:
        """Send one message (the relay's path)."""
        await self.deliver((d,))

    async def deliver_to_member(self, d: Deliver) -> bool:
        """Send to `d`'s one recipient only if the store has them in the room; whether it did.

        A bus that reaches other processes checks membership in the same step as it routes.
        """
        raise NotImplementedError

    async def close_connection(self, conn_id: str) -> None:
        """Close a connection that a resume on another process has replaced (4001)."""

    async def start(self) -> None:
        """Begin receiving what other processes send to this one."""

    async def close(self) -> None:
        """Stop receiving."""


class LocalBus(Bus):
    """Every user is connected to this process: hand messages straight to the hub."""

    local = True

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def deliver(self, deliveries: Iterable[Deliver]) -> None:
        self.hub.deliver(deliveries)

    async def deliver_one(self, d: Deliver) -> None:
        self.hub.deliver_one(d)
