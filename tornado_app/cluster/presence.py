"""`Presence`: keeps this process alive in Redis and reaps the members of processes gone silent.

A process renews its `alive` key; the members of processes whose key has expired (killed, frozen,
cut off) are removed through the meeting manager, which tells the rest of their rooms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from tornado_app.store.base import PresenceStore, StoreUnavailable

log = logging.getLogger("parley.cluster")

#: Removes a user if still on the connection: the meeting manager's `leave`.
Leave = Callable[[str, str, str], Awaitable[None]]


class Presence:
    """Keeps this process alive in Redis and reaps the members of processes that went silent."""

    def __init__(self, store: PresenceStore, leave: Leave, leave_lobby: Leave | None = None, *,
                 ttl: float = 10.0, renew_every: float = 2.0, reap_every: float = 4.0) -> None:
        self.store, self.leave, self.leave_lobby = store, leave, leave_lobby
        self.ttl, self.renew_every, self.reap_every = ttl, renew_every, reap_every
        self._tasks: list[asyncio.Task] = []
        self._suspects: set[str] = set()

    async def start(self) -> None:
        await self.store.renew_presence(int(self.ttl * 1000))
        self._tasks = [asyncio.ensure_future(self._every(self.renew_every, self._renew)),
                       asyncio.ensure_future(self._every(self.reap_every, self.reap))]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _every(self, period: float, work) -> None:
        while True:
            await asyncio.sleep(period)
            try:
                await work()
            except StoreUnavailable:
                pass  # the bus logs the outage; presence resumes when Redis is back
            except Exception:
                log.exception("presence work failed")

    async def _renew(self) -> None:
        await self.store.renew_presence(int(self.ttl * 1000))

    async def reap(self) -> None:
        """Remove the members of processes silent in two rounds in a row (one round may be a
        Redis restart that expired every key before the processes could renew)."""
        silent = set(await self.store.silent_nodes())
        for node in silent & self._suspects:
            members = await self.store.node_members(node)
            log.warning("process %s went silent; removing its %d users", node, len(members))
            for room_id, user_id, conn_id in members:
                await self.leave(room_id, user_id, conn_id)
            if self.leave_lobby is not None:  # the people it held in lobbies leave the hosts' lists
                for room_id, user_id, conn_id in await self.store.node_waiting(node):
                    await self.leave_lobby(room_id, user_id, conn_id)
            await self.store.forget_node(node)
        self._suspects = silent
